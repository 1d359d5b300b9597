import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError, TextareaField } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";
import { getSiteSettings, saveSiteSettings } from "../models/settings.server.ts";
import { keptValues, parseForm } from "../schemas/form.ts";
import { siteSettingsSchema } from "../schemas/moderation.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Einstellungen der Website – Moderation", matches);

/** Site settings: admins only (moderators get 403, like everyone else who is not an admin). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "manageSettings")) throw data(null, { status: 403 });
  return { settings: await getSiteSettings() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "manageSettings")) throw data(null, { status: 403 });
  const formData = await request.formData();
  const form = parseForm(siteSettingsSchema, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    await saveSiteSettings(actor, form.data);
    return { saved: true as const };
  } catch (error) {
    return inputErrorResponse(error, keptValues(formData));
  }
}

type Result = { saved?: true; errors?: Record<string, string>; values?: Record<string, string> };

export default function SiteSettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  // After a refused save the form shows what was typed, not what is stored.
  const values = result?.errors ? (result.values ?? {}) : null;
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav />
      <h2>Einstellungen der Website</h2>
      <p className="lead">Nur für die Administration. Jede Änderung steht im Protokoll.</p>
      {result?.saved ? (
        <p className="notice notice--ok" role="status">
          Gespeichert. Die Einstellungen gelten ab sofort.
        </p>
      ) : null}
      <FormError message={errors.form} />
      <Form method="post" className="form card" noValidate>
        <Field
          name="siteName"
          label="Name der Website"
          required
          maxLength={80}
          defaultValue={values ? values.siteName : settings.siteName}
          error={errors.siteName}
          hint="Steht oben auf jeder Seite und im Titel des Browserfensters."
        />
        <TextareaField
          name="welcomeText"
          label="Willkommenstext"
          rows={5}
          maxLength={2000}
          defaultValue={values ? values.welcomeText : settings.welcomeText}
          error={errors.welcomeText}
          hint="Steht auf der Startseite, für Gäste und angemeldete Mitglieder. Reiner Text; eine Leerzeile beginnt einen neuen Absatz."
        />
        <Field
          name="contactEmail"
          label="Kontakt-E-Mail der Redaktion (optional)"
          type="email"
          autoComplete="email"
          maxLength={254}
          defaultValue={values ? values.contactEmail : settings.contactEmail}
          error={errors.contactEmail}
          hint="Steht im Podcast-Feed als Kontakt; Verzeichnisse wie Apple Podcasts schreiben an diese Adresse. Leer: die Absenderadresse der Mails."
        />
        <div className="checkbox">
          <input
            type="checkbox"
            id="openRegistration"
            name="openRegistration"
            defaultChecked={values ? values.openRegistration === "on" : settings.openRegistration}
            aria-describedby="openRegistration-hinweis"
          />
          <label htmlFor="openRegistration">Offene Registrierung</label>
          <p id="openRegistration-hinweis" className="field__hint">
            Angehakt kann jede Person mit dem Link „Registrieren“ ein Konto anlegen. Sonst kommen neue Mitglieder nur
            über Einladungen der Moderation ins Netzwerk.
          </p>
        </div>
        <div>
          <button type="submit" className="button" disabled={busy}>
            Einstellungen speichern
          </button>
        </div>
      </Form>
    </div>
  );
}
