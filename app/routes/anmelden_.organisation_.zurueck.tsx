import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { clearFlowCookie, finishSignIn, ssoEnabled } from "../auth/oidc.server.ts";
import { safeRedirect, sessionCookie } from "../auth/session.server.ts";
import { signInWithProvider } from "../models/accounts/identities.server.ts";
import { isRefusal, NotFoundError } from "../models/errors.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Anmeldung nicht möglich", matches);

/** The provider sends the browser back here with code and state (ADR 040). A refusal is this page, with its status. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!ssoEnabled()) throw new NotFoundError();
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", clearFlowCookie(request));
  try {
    const signIn = await finishSignIn(request);
    const session = await signInWithProvider(signIn, signIn.idToken);
    headers.append("Set-Cookie", sessionCookie(request, session.token, session.expiresAt));
    return redirect(session.created ? "/einstellungen?willkommen=1" : safeRedirect(signIn.redirectTo), { headers });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return data({ message: error.message }, { status: error.status, headers });
  }
}

export default function SignInRefused() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>Anmeldung nicht möglich</h1>
      <p className="notice notice--error" role="alert">
        {message}
      </p>
      <p>
        <a href="/anmelden/organisation" className="button">
          Noch einmal mit dem Konto der Organisation anmelden
        </a>
      </p>
    </div>
  );
}
