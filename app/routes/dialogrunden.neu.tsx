import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { Field, FormError, TextareaField } from "../components/Field.tsx";
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
      <p className="lead">Alle Zeiten in deutscher Zeit. Du leitest die Runde als gastgebende Person; weitere Gastgebende kannst du mit ihrem Kurznamen nennen.</p>
      <FormError message={errors.form} />
      <Form method="post" className="form" noValidate>
        <Field name="title" label="Titel" required maxLength={160} defaultValue={values.title} error={errors.title} />
        <TextareaField name="description" label="Beschreibung" rows={4} maxLength={5000} defaultValue={values.description} error={errors.description} hint="Worum geht es, für wen ist die Runde gedacht?" />
        <div className="field-group">
          <Field name="startsAt" label="Beginn" type="datetime-local" required defaultValue={values.startsAt} error={errors.startsAt} />
          <Field name="endsAt" label="Ende" type="datetime-local" required defaultValue={values.endsAt} error={errors.endsAt} />
        </div>
        <div className="field-group">
          <Field name="registrationDeadline" label="Anmeldeschluss" type="datetime-local" required defaultValue={values.registrationDeadline} error={errors.registrationDeadline} />
          <Field name="capacity" label="Plätze" type="number" inputMode="numeric" min={2} max={500} required defaultValue={values.capacity ?? "20"} error={errors.capacity} hint="Wer danach kommt, landet auf der Warteliste und rückt automatisch nach." />
        </div>
        <Field name="conferenceUrl" label="Link zum Konferenzsystem (optional)" type="url" defaultValue={values.conferenceUrl} error={errors.conferenceUrl} hint="Ton und Bild laufen über das Konferenzsystem der Organisation. Nur Angemeldete sehen den Link." />
        <div className="checkbox">
          <input type="checkbox" id="orientation" name="orientation" defaultChecked={values.orientation === "on"} aria-describedby="orientation-hinweis" />
          <label htmlFor="orientation">Orientierungsrunde für neue Mitglieder</label>
          <p id="orientation-hinweis" className="field__hint">
            Neue Mitglieder finden die nächste Orientierungsrunde in ihrer Willkommens-Checkliste auf der Startseite.
          </p>
        </div>
        <Field name="hosts" label="Weitere Gastgebende (optional)" defaultValue={values.hosts} error={errors.hosts} hint="Kurznamen, durch Komma getrennt. Den Kurznamen einer Person findest du auf ihrem Profil im Mitgliederverzeichnis." />
        <TextareaField name="agenda" label="Tagesordnung (optional)" rows={5} defaultValue={values.agenda} error={errors.agenda} hint="Ein Punkt pro Zeile." />
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
