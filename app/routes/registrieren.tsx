import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { AccountForm } from "../components/AccountForm.tsx";
import { pageTitle } from "../components/meta.ts";
import { sessionCookie } from "../auth/session.server.ts";
import { getSiteSettings } from "../models/settings.server.ts";
import { register } from "../models/accounts/users.server.ts";
import { InputError } from "../models/errors.server.ts";
import { registrationSchema } from "../schemas/accounts.ts";
import { parseForm } from "../schemas/form.ts";
import { passwordLoginEnabled } from "../auth/oidc.server.ts";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Registrieren",
    matches,
    "Lege ein Konto im Netzwerk der Lernbegleiterinnen und Lernbegleiter an und werde Mitglied.",
  );

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  // Without open registration this page does not exist; people join through invitations.
  // With OIDC_PASSWORD_LOGIN=false accounts come from the organisation's sign-in only (ADR 040).
  if (!passwordLoginEnabled() || !(await getSiteSettings()).openRegistration) throw data(null, { status: 404 });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (context.user) throw redirect("/");
  // With OIDC_PASSWORD_LOGIN=false accounts come from the organisation's sign-in only (ADR 040).
  if (!passwordLoginEnabled() || !(await getSiteSettings()).openRegistration) throw data(null, { status: 404 });
  const form = parseForm(registrationSchema, await request.formData());
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    const result = await register(form.data);
    return redirect("/einstellungen?willkommen=1", {
      headers: { "Set-Cookie": sessionCookie(request, result.token, result.expiresAt) },
    });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const { password: _, ...values } = form.data;
    return data({ errors: { [error.field]: error.message }, values }, { status: 400 });
  }
}

export default function Register() {
  const result = useActionData<typeof action>();
  return (
    <div className="page page--narrow">
      <h1>Registrieren</h1>
      <p className="lead">Willkommen im Netzwerk der Lernbegleiterinnen und Lernbegleiter.</p>
      <AccountForm errors={result?.errors} values={result?.values} submitLabel="Konto anlegen" />
    </div>
  );
}
