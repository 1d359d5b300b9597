import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { FormError } from "../components/Field.tsx";
import { RoundFields } from "../components/rounds/RoundFields.tsx";
import { requireUser } from "../auth/session.server.ts";
import { getRoundForEdit, updateRound } from "../models/rounds/changes.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../models/errors.server.ts";
import { parseForm } from "../schemas/form.ts";
import { roundFormSchema } from "../schemas/rounds.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Dialogrunde ändern", matches);

function refused(error: unknown): never {
  if (error instanceof ForbiddenError) throw data(error.message, { status: 403 });
  if (error instanceof NotFoundError) throw data(null, { status: 404 });
  throw error;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  try {
    return await getRoundForEdit(actor, params.id ?? "");
  } catch (error) {
    // A round that is no longer scheduled: back to its page, which says why.
    if (error instanceof InputError) throw redirect(`/dialogrunden/${params.id}`);
    refused(error);
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const form = parseForm(roundFormSchema, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    const { changed } = await updateRound(actor, params.id ?? "", form.data);
    return redirect(`/dialogrunden/${params.id}?${changed ? "geaendert" : "unveraendert"}=1`);
  } catch (error) {
    if (error instanceof InputError)
      return data(
        {
          errors: { [error.field]: error.message },
          values: Object.fromEntries([...formData].map(([k, v]) => [k, String(v)])),
        },
        { status: 400 },
      );
    refused(error);
  }
}

export default function EditRound() {
  const round = useLoaderData<typeof loader>();
  const result = useActionData<{ errors: Record<string, string>; values: Record<string, string> }>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const values = result?.values ?? round.values;
  return (
    <div className="page page--form">
      <p className="breadcrumb">
        <Link to="/dialogrunden">Dialogrunden</Link> › <Link to={`/dialogrunden/${round.id}`}>{round.title}</Link> ›
        Ändern
      </p>
      <h1>Dialogrunde ändern</h1>
      <p className="lead">
        Alle Zeiten in deutscher Zeit. Wer angemeldet ist oder auf der Warteliste steht, erfährt von der Änderung; der
        Kalendereintrag wird aktualisiert.
      </p>
      {Object.keys(errors).length > 0 ? (
        <FormError message={errors.form ?? "Bitte prüfe die markierten Angaben."} />
      ) : null}
      <Form method="post" className="form" noValidate>
        <RoundFields values={values} errors={errors} />
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            Änderungen speichern
          </button>
          <Link to={`/dialogrunden/${round.id}`}>Abbrechen</Link>
        </div>
      </Form>
    </div>
  );
}
