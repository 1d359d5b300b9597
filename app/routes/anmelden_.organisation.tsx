import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { beginSignIn, ssoEnabled } from "../auth/oidc.server.ts";
import { safeRedirect } from "../auth/session.server.ts";
import { ConflictError, NotFoundError } from "../models/errors.server.ts";

/**
 * "Mit dem Konto der Organisation anmelden": off to the provider's sign-in page. A GET (a link), because a form's
 * redirect to another host would meet the CSP's form-action; it changes nothing on the server, only a 10-minute
 * cookie with the flow's one-time values is set (ADR 040).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!ssoEnabled()) throw new NotFoundError();
  const back = safeRedirect(new URL(request.url).searchParams.get("weiter"));
  if (context.user) throw redirect(back);
  let start: Awaited<ReturnType<typeof beginSignIn>>;
  try {
    start = await beginSignIn(request, back);
  } catch {
    throw new ConflictError(
      "Die Anmeldung der Organisation ist gerade nicht erreichbar. Bitte versuche es später noch einmal.",
    );
  }
  return redirect(start.location, { headers: { "Set-Cookie": start.cookie, "Cache-Control": "no-store" } });
}
