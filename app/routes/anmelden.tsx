import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { safeRedirect, sessionCookie } from "../auth/session.server.ts";
import { getSiteSettings } from "../models/settings.server.ts";
import { login } from "../models/accounts/users.server.ts";
import { ForbiddenError } from "../models/errors.server.ts";
import { passwordLoginEnabled, ssoEnabled } from "../auth/oidc.server.ts";
import { loginSchema } from "../schemas/accounts.ts";
import { parseForm } from "../schemas/form.ts";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Anmelden",
    matches,
    "Melde dich mit deiner E-Mail-Adresse und deinem Passwort im Netzwerk der Lernbegleiterinnen und Lernbegleiter an.",
  );

/** A document answer takes its headers from here: the throttled action's Retry-After reaches the browser. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (context.user) throw redirect(safeRedirect(url.searchParams.get("weiter")));
  return {
    openRegistration: (await getSiteSettings()).openRegistration,
    sso: ssoEnabled(),
    passwordLogin: passwordLoginEnabled(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // OIDC_PASSWORD_LOGIN=false: only the organisation's sign-in (ADR 040); no password is checked.
  if (!passwordLoginEnabled())
    throw new ForbiddenError(
      "Die Anmeldung mit Passwort ist abgeschaltet. Bitte melde dich mit dem Konto der Organisation an.",
    );
  const form = parseForm(loginSchema, await request.formData());
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  const result = await login({ email: form.data.email, password: form.data.password, ip: context.clientIp });
  if (!result.ok) {
    const values = { email: form.data.email } as Record<string, string>;
    if (result.reason === "throttled") {
      const message = `Zu viele Versuche. Bitte warte ${waitText(result.retryAfterSeconds)}.`;
      return data(
        { errors: { form: message } as Record<string, string>, values },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    return data(
      { errors: { form: "E-Mail-Adresse oder Passwort stimmen nicht." } as Record<string, string>, values },
      { status: 400 },
    );
  }
  return redirect(safeRedirect(form.data.redirectTo), {
    headers: { "Set-Cookie": sessionCookie(request, result.token, result.expiresAt) },
  });
}

/** "1 Sekunde", "40 Sekunden", from two minutes on whole minutes (rounded up). */
function waitText(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? "1 Sekunde" : `${seconds} Sekunden`;
  return `${Math.ceil(seconds / 60)} Minuten`;
}

export default function Login() {
  const { openRegistration, sso, passwordLogin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  return (
    <div className="page page--narrow">
      <h1>Anmelden</h1>
      {params.get("abgemeldet") ? (
        <p className="notice notice--ok" role="status">
          Du bist abgemeldet.
        </p>
      ) : null}
      <FormError message={errors.form} />
      {sso ? (
        <p>
          {/* A link, not a form: the way to the provider is a plain navigation (see anmelden_.organisation.tsx). */}
          <a
            href={`/anmelden/organisation?weiter=${encodeURIComponent(params.get("weiter") ?? "/")}`}
            className="button"
          >
            Mit dem Konto der Organisation anmelden
          </a>
        </p>
      ) : null}
      {sso && passwordLogin ? <h2>Oder mit E-Mail-Adresse und Passwort</h2> : null}
      {passwordLogin ? (
        <Form method="post" className="form card" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("weiter") ?? "/"} />
          <Field
            name="email"
            label="E-Mail-Adresse"
            type="email"
            autoComplete="email"
            required
            defaultValue={result?.values.email}
            error={errors.email}
          />
          <Field
            name="password"
            label="Passwort"
            type="password"
            autoComplete="current-password"
            required
            error={errors.password}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {busy ? "Anmelden …" : "Anmelden"}
            </button>
          </div>
        </Form>
      ) : null}
      <p className="hint">
        Das Netzwerk ist nur für Mitglieder. Neue Mitglieder kommen über eine Einladung der Moderation dazu
        {openRegistration && passwordLogin ? (
          <>
            {" "}
            oder <Link to="/registrieren">registrieren sich selbst</Link>
          </>
        ) : null}
        .
      </p>
    </div>
  );
}
