import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { FormError } from "../components/Field.tsx";
import { RoundFields } from "../components/rounds/RoundFields.tsx";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { createRound } from "../models/rounds/rounds.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";
import { keptValues, parseForm } from "../schemas/form.ts";
import { roundFormSchema } from "../schemas/rounds.ts";
import "../styles/rounds.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Neue Dialogrunde", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "scheduleRound")) throw data("Dialogrunden plant die Moderation.", { status: 403 });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "scheduleRound")) throw data("Dialogrunden plant die Moderation.", { status: 403 });
  const formData = await request.formData();
  const form = parseForm(roundFormSchema, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    const { id } = await createRound(actor, form.data);
    return redirect(`/dialogrunden/${id}?geplant=1`);
  } catch (error) {
    return inputErrorResponse(error, keptValues(formData));
  }
}

export default function NewRound() {
  const result = useActionData<{ errors: Record<string, string>; values: Record<string, string> }>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  return (
    <div className="page page--form">
      <p className="breadcrumb">
        <Link to="/dialogrunden">Dialogrunden</Link> › Neu
      </p>
      <h1>Neue Dialogrunde</h1>
      <p className="lead">
        Alle Zeiten in deutscher Zeit. Du bist Gastgeberin oder Gastgeber der Runde; weitere Gastgebende kannst du mit
        ihrem Kurznamen nennen.
      </p>
      <FormError message={errors.form} />
      <Form method="post" className="form" noValidate>
        <RoundFields values={values} errors={errors} />
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            Dialogrunde planen
          </button>
          <Link to="/dialogrunden">Abbrechen</Link>
        </div>
      </Form>
    </div>
  );
}
