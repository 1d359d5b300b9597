import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { MaterialForm } from "../components/library/MaterialForm.tsx";
import { formatBytes } from "../components/format.ts";
import { requireUser } from "../auth/session.server.ts";
import { materialFromForm } from "../models/library/input.server.ts";
import { getMaterial, removeFile, updateMaterial } from "../models/library/materials.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";
import { keptValues } from "../schemas/form.ts";
import type { RichDoc } from "../domain/richtext/types.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Material bearbeiten", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const found = await getMaterial(actor, params.id ?? "");
  if (!found) throw data(null, { status: 404 });
  if (found === "forbidden" || !found.may.edit) throw data(null, { status: 403 });
  const m = found.material;
  return {
    id: m.id,
    curator: found.may.curate,
    bodyDoc: (m.body as RichDoc | null) ?? null,
    files: found.files,
    values: {
      type: m.type,
      title: m.title,
      summary: m.summary,
      transcript: m.transcript,
      ilbStep: m.ilbStep ?? "",
      competenceArea: m.competenceArea ?? "",
      audience: m.audience ?? "",
      tags: m.tags.join(", "),
      source: m.source,
      licence: m.licence,
      externalUrl: m.externalUrl ?? "",
      reviewDueAt: m.reviewDueAt ?? "",
      body: m.bodyText,
    } as Record<string, string>,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const id = params.id ?? "";
  try {
    if (formData.get("intent") === "removeFile") {
      await removeFile(actor, id, String(formData.get("fileId") ?? ""));
      return { removed: true };
    }
    const parsed = await materialFromForm(formData);
    if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    await updateMaterial(actor, id, parsed.input);
    return redirect(`/materialien/${id}`);
  } catch (error) {
    return inputErrorResponse(error, keptValues(formData));
  }
}

export default function EditMaterial() {
  const { id, curator, bodyDoc, files, values } = useLoaderData<typeof loader>();
  const result = useActionData<{ errors?: Record<string, string>; values?: Record<string, string> }>();
  return (
    <div className="page page--form">
      <p className="breadcrumb">
        <Link to={`/materialien/${id}`}>{values.title}</Link> › Bearbeiten
      </p>
      <h1>Material bearbeiten</h1>
      {files.length > 0 ? (
        <section aria-labelledby="angehaengt-titel" className="card">
          <h2 id="angehaengt-titel">Angehängte Dateien</h2>
          <ul className="plain-list">
            {files.map((f) => (
              <li key={f.id}>
                {f.originalName} <span className="hint">({formatBytes(f.size)})</span>{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="removeFile" />
                  <input type="hidden" name="fileId" value={f.id} />
                  <button type="submit" className="link-button">
                    Entfernen<span className="visually-hidden">: {f.originalName}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <MaterialForm
        values={result?.values ?? values}
        bodyDoc={result?.values ? null : bodyDoc}
        errors={result?.errors ?? {}}
        submitLabel="Änderungen speichern"
        curator={curator}
      />
    </div>
  );
}
