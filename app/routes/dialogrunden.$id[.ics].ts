import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/session.server.ts";
import { env } from "../env.server.ts";
import { roundIcs } from "../models/rounds/calendar.server.ts";

/** /dialogrunden/:id.ics — one round for the member's calendar app. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireUser(request, context);
  const ics = await roundIcs(params.id ?? "", env().PUBLIC_URL ?? new URL(request.url).origin);
  if (!ics) throw data(null, { status: 404 });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="dialogrunde-${params.id}.ics"`,
      "Cache-Control": "private, no-cache",
    },
  });
}
