import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountForm } from "../components/AccountForm.tsx";
import { pageTitle } from "../components/meta.ts";
import { sessionCookie } from "../auth/session.server.ts";
import { acceptInvitation, getInvitationState } from "../models/accounts/invitations.server.ts";
import { ForbiddenError, InputError } from "../models/errors.server.ts";
import { passwordLoginEnabled } from "../auth/oidc.server.ts";
import { invitationAcceptSchema } from "../schemas/accounts.ts";
import { roleLabels } from "../domain/accounts.ts";
import { parseForm } from "../schemas/form.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Einladung", matches);

const closedText: Record<string, string> = {
  used: "Diese Einladung wurde schon benutzt. Jede Einladung gilt nur für ein Konto.",
  expired: "Diese Einladung ist abgelaufen (Einladungen gelten 14 Tage). Bitte die Moderation um eine neue.",
  revoked: "Diese Einladung wurde zurückgezogen. Bitte die Moderation um eine neue.",
  unknown: "Diese Einladung kennen wir nicht. Prüfe, ob du den Link vollständig kopiert hast.",
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  // Without password sign-in an invitation cannot set a password: the organisation's sign-in creates the account.
  if (!passwordLoginEnabled()) throw redirect("/anmelden");
  const invitation = await getInvitationState(params.token ?? "");
  return { state: invitation.state, role: invitation.role ?? null, loggedIn: !!context.user };
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (!passwordLoginEnabled())
    throw new ForbiddenError(
      "Die Anmeldung mit Passwort ist abgeschaltet. Bitte melde dich mit dem Konto der Organisation an.",
    );
  const form = parseForm(invitationAcceptSchema, await request.formData());
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    const result = await acceptInvitation(params.token ?? "", form.data);
    return redirect("/einstellungen?willkommen=1", {
      headers: { "Set-Cookie": sessionCookie(request, result.token, result.expiresAt) },
    });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const { password: _, ...values } = form.data;
    return data({ errors: { [error.field]: error.message }, values }, { status: 400 });
  }
}

export default function Invitation() {
  const { state, role, loggedIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (state !== "open") {
    return (
      <div className="page page--narrow">
        <h1>Einladung nicht gültig</h1>
        <p className="notice notice--error">{closedText[state]}</p>
        <p>
          <Link to="/anmelden">Zur Anmeldung</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>Willkommen im Netzwerk</h1>
      <p className="lead">
        Du bist eingeladen{role && role !== "member" ? ` – mit der Rolle „${roleLabels[role]}“` : ""}. Leg dein Konto
        an, dann bist du gleich dabei.
      </p>
      {loggedIn ? (
        <p className="notice">Du bist gerade angemeldet. Das neue Konto ersetzt die Anmeldung in diesem Browser.</p>
      ) : null}
      <AccountForm errors={result?.errors} values={result?.values} submitLabel="Konto anlegen" />
    </div>
  );
}
