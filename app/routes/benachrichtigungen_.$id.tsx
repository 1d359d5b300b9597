import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/session.server.ts";
import { openNotification } from "../models/discussions/notifications.server.ts";

/** A notification's link: marks it read, then leads to what it is about. Someone else's notification is a 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw data(null, { status: 404 });
  const target = await openNotification(actor.id, id);
  if (!target) throw data(null, { status: 404 });
  return redirect(target);
}

/** Never shown: the loader always redirects or answers 404 (a UI route, so the 404 gets the site's error page). */
export default function OpenNotification() {
  return null;
}
