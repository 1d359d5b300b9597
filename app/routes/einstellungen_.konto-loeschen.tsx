import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { clearSessionCookie, requireUser } from "../auth/session.server.ts";
import { deleteAccount } from "../models/privacy/deletion.server.ts";
import { hasPassword } from "../models/accounts/identities.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";
import { accountDeletionSchema } from "../schemas/privacy.ts";
import { parseForm } from "../schemas/form.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Konto löschen", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  return { email: actor.email, hasPassword: await hasPassword(actor.id) };
}

type Result = { errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const form = parseForm(accountDeletionSchema, formData);
  if (!form.ok) return data<Result>({ errors: form.errors, values: form.values }, 400);
  try {
    await deleteAccount(actor, form.data);
  } catch (error) {
    return inputErrorResponse(error, { posts: form.data.posts });
  }
  return redirect("/konto-geloescht", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

export default function DeleteAccount() {
  const { email, hasPassword } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const chosen = result?.values?.posts;
  return (
    <div className="page page--narrow">
      <p>
        <Link to="/einstellungen">Zurück zu den Einstellungen</Link>
      </p>
      <h1>Konto löschen</h1>
      <p>
        Wenn du dein Konto löschst, entfernen wir deine persönlichen Daten: Name, Kurzname, E-Mail-Adresse, Profil,
        Entwürfe, Benachrichtigungen, beobachtete Diskussionen, Reaktionen, Anmeldungen zu Dialogrunden und deine
        persönlichen Feed- und Kalender-Adressen. Du wirst auf allen Geräten abgemeldet. Fallberatungen, an denen du
        teilgenommen hast, nennen dich nicht mehr; deine eigenen Fälle werden gelöscht. Wo andere dich erwähnt haben,
        steht dann „@ehemaliges Mitglied“.
      </p>
      <p>
        <strong>Das lässt sich nicht rückgängig machen.</strong> Wenn du deine Daten behalten möchtest,{" "}
        <Link to="/einstellungen/daten">lade sie vorher herunter</Link>.
      </p>

      <FormError message={errors.form} />
      <Form method="post" className="card form" noValidate>
        <fieldset
          className="field-group"
          role="radiogroup"
          aria-invalid={errors.posts ? true : undefined}
          aria-describedby={errors.posts ? "posts-fehler" : undefined}
        >
          <legend>Was soll mit deinen Beiträgen geschehen?</legend>
          <div className="checkbox">
            <input type="radio" id="posts-keep" name="posts" value="keep" defaultChecked={chosen === "keep"} />
            <label htmlFor="posts-keep">
              Behalten, ohne meinen Namen: Sie erscheinen als „ehemaliges Mitglied“. So bleiben Antworten und Hinweise
              für andere nützlich.
            </label>
          </div>
          <div className="checkbox">
            <input type="radio" id="posts-delete" name="posts" value="delete" defaultChecked={chosen === "delete"} />
            <label htmlFor="posts-delete">
              Löschen: Der Text verschwindet, auch aus früheren Fassungen. Hat jemand geantwortet, steht an seiner
              Stelle „gelöscht“ (und der Titel deiner Diskussion bleibt), damit die Antworten verständlich bleiben.
            </label>
          </div>
          {errors.posts ? (
            <p id="posts-fehler" className="field__error">
              {errors.posts}
            </p>
          ) : null}
        </fieldset>
        {hasPassword ? (
          <>
            {/* Tells password managers whose password this is. */}
            <input type="email" name="username" autoComplete="username" defaultValue={email} readOnly hidden />
            <Field
              name="password"
              label="Dein Passwort zur Bestätigung"
              type="password"
              autoComplete="current-password"
              required
              error={errors.password}
            />
          </>
        ) : (
          // An account from the organisation's sign-in has no password: the address confirms (ADR 040).
          <Field
            name="password"
            label={`Deine E-Mail-Adresse zur Bestätigung (${email})`}
            type="email"
            autoComplete="off"
            required
            error={errors.password}
          />
        )}
        <div className="form__actions">
          <button type="submit" className="button button--danger" disabled={busy}>
            Konto endgültig löschen
          </button>
          <Link to="/einstellungen">Abbrechen</Link>
        </div>
      </Form>
    </div>
  );
}
