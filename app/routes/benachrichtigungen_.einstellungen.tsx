import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";
import { getNotificationSettings, saveNotificationSettings } from "../models/notifications/settings.server.ts";
import {
  deliveryLabels,
  groupInfo,
  notificationGroups,
  type NotificationGroup,
} from "../domain/notifications/groups.ts";
import { DIGEST_HOUR } from "../domain/notifications/schedule.ts";
import { notificationSettingsSchema } from "../schemas/notifications.ts";
import { parseForm } from "../schemas/form.ts";
import "../styles/notifications.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Benachrichtigungen einstellen", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  return { settings: await getNotificationSettings(actor, actor.id) };
}

type Result = { ok: true } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const form = parseForm(notificationSettingsSchema, await request.formData());
  if (!form.ok) return data<Result>({ ok: false, errors: form.errors, values: form.values }, 400);
  await saveNotificationSettings(actor, actor.id, form.data);
  return data<Result>({ ok: true });
}

export default function NotificationSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : {};
  // After a refused save the form shows what was chosen, not what is stored.
  const chosen = (g: NotificationGroup) => (result && !result.ok ? result.values[g] : undefined) ?? settings[g];
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/benachrichtigungen">Benachrichtigungen</Link> › Einstellungen
      </p>
      <h1>Benachrichtigungen einstellen</h1>
      <p>
        Wähle für jede Art, wie du davon erfährst. Zusammenfassungen kommen morgens um {DIGEST_HOUR} Uhr, die
        wöchentliche montags – und nur, wenn es etwas Neues gibt. „Aus“ heißt: keine Benachrichtigung, auch nicht im
        Netzwerk.
      </p>
      {result?.ok ? (
        <p className="notice notice--ok" role="status">
          Deine Einstellungen sind gespeichert.
        </p>
      ) : null}
      {result && !result.ok ? (
        <p className="notice notice--error" role="alert">
          Bitte prüfe die markierten Angaben. Es wurde nichts gespeichert.
        </p>
      ) : null}
      {/* Keyed by the stored choices: a radio keeps the state it was clicked into, so the form is rebuilt when they change. */}
      <Form
        method="post"
        className="form"
        noValidate
        key={`${result?.ok ? "saved" : "edit"}:${Object.values(settings).join(",")}`}
      >
        {notificationGroups.map((g) => {
          const info = groupInfo[g];
          const error = errors[g];
          return (
            <fieldset
              key={g}
              className="field-group"
              role="radiogroup"
              aria-invalid={error ? true : undefined}
              aria-describedby={`${g}-hinweis${error ? ` ${g}-fehler` : ""}`}
            >
              <legend>{info.label}</legend>
              <p id={`${g}-hinweis`} className="field__hint">
                {info.hint}
              </p>
              <div className="delivery-options">
                {info.options.map((option) => (
                  <div key={option} className="delivery-option">
                    <input
                      type="radio"
                      id={`${g}-${option}`}
                      name={g}
                      value={option}
                      defaultChecked={chosen(g) === option}
                    />
                    <label htmlFor={`${g}-${option}`}>{deliveryLabels[option]}</label>
                  </div>
                ))}
              </div>
              {error ? (
                <p id={`${g}-fehler`} className="field__error">
                  {error}
                </p>
              ) : null}
            </fieldset>
          );
        })}
        <div>
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Wird gespeichert …" : "Einstellungen speichern"}
          </button>
        </div>
      </Form>
      <p className="hint">
        Jede E-Mail enthält einen Link, mit dem du die jeweilige Art mit einem Klick abbestellen kannst.
      </p>
    </div>
  );
}
