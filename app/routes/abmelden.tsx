import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { clearSessionCookie } from "../auth/session.server.ts";
import { invalidateAllSessions, invalidateSession } from "../models/accounts/sessions.server.ts";
import { sessionIdToken } from "../models/accounts/identities.server.ts";
import { endSessionUrl, ssoEnabled } from "../auth/oidc.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Abmelden", matches);

/** Logging out changes state, so it is a POST; a GET (e.g. a typed URL) only offers the button. */
export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.user) throw redirect("/anmelden");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const everywhere = (await request.formData()).get("everywhere") === "1";
  // A session that began at the organisation's provider ends there too, when it offers end-session (ADR 040); the
  // ID token is read before the session (and with it the token) is deleted.
  const idToken = ssoEnabled() && context.sessionId ? await sessionIdToken(context.sessionId) : null;
  if (context.user && everywhere) await invalidateAllSessions(context.user.id);
  else if (context.sessionId) await invalidateSession(context.sessionId);
  const providerLogout = idToken ? await endSessionUrl(idToken) : null;
  return redirect(providerLogout ?? "/anmelden?abgemeldet=1", {
    headers: { "Set-Cookie": clearSessionCookie(request) },
  });
}

export default function Logout() {
  return (
    <div className="page page--narrow">
      <h1>Abmelden</h1>
      <Form method="post" className="card form">
        <p>Möchtest du dich abmelden?</p>
        <div>
          <button type="submit" className="button">
            Jetzt abmelden
          </button>
        </div>
      </Form>
    </div>
  );
}
