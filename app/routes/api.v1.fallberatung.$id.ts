import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCaseView } from "../models/cases/consultations.server.ts";
import { NotFoundError } from "../models/errors.server.ts";

/**
 * GET → the consultation as its participant sees it (the same data as the page, including the server's time for
 * the phase clock). Anyone else – other members, moderators, admins – gets 404 with an empty body.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.user) return Response.json({ error: "Nicht angemeldet" }, { status: 401 });
  try {
    const view = await getCaseView(context.user, params.id ?? "");
    return Response.json(view, { headers: { "Cache-Control": "private, no-store" } });
  } catch (error) {
    if (error instanceof NotFoundError)
      return Response.json(null, { status: 404, headers: { "Cache-Control": "private, no-store" } });
    throw error;
  }
}
