import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { MaterialForm } from "../components/library/MaterialForm.tsx";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { materialFromForm } from "../models/library/input.server.ts";
import { createMaterial, mySuggestions } from "../models/library/materials.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";
import { keptValues } from "../schemas/form.ts";
import { materialStatusLabels } from "../domain/library/types.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Material vorschlagen", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  return { curator: can(actor, "curate"), suggestions: can(actor, "curate") ? [] : await mySuggestions(actor) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const parsed = await materialFromForm(formData);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const { id } = await createMaterial(actor, parsed.input);
    return redirect(`/materialien/${id}${can(actor, "curate") ? "" : "?vorgeschlagen=1"}`);
  } catch (error) {
    return inputErrorResponse(error, keptValues(formData));
  }
}

export default function NewMaterial() {
  const { curator, suggestions } = useLoaderData<typeof loader>();
  const result = useActionData<{ errors: Record<string, string>; values: Record<string, string> }>();
  return (
    <div className="page page--form">
      <p className="breadcrumb">
        <Link to="/materialien">Materialien</Link> › Neu
      </p>
      <h1>{curator ? "Neues Material" : "Material vorschlagen"}</h1>
      <p className="lead">
        {curator
          ? "Neue Materialien beginnen als Entwurf. Veröffentlichen kannst du sie auf ihrer Seite."
          : "Du kennst etwas, das anderen hilft? Schlag es vor – die Moderation prüft es und stellt es in die Bibliothek."}
      </p>
      <MaterialForm
        values={result?.values ?? {}}
        bodyDoc={null}
        errors={result?.errors ?? {}}
        submitLabel={curator ? "Als Entwurf speichern" : "Vorschlag senden"}
        curator={curator}
      />
      {suggestions.length > 0 ? (
        <section aria-labelledby="vorschlaege-titel">
          <h2 id="vorschlaege-titel">Deine Vorschläge</h2>
          <ul className="plain-list">
            {suggestions.map((s) => (
              <li key={s.id}>
                <Link to={`/materialien/${s.id}`}>{s.title}</Link>{" "}
                <span className="hint">({materialStatusLabels[s.status]})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
