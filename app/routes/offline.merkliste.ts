import type { LoaderFunctionArgs } from "@remix-run/node";
import { offlineMaterials } from "../models/bookmarks/offline.server.ts";

/** GET → {materials: [{url, title, files: [{url, bytes}]}]}: what the service worker keeps for offline reading. */
export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.user) return Response.json({ error: "Nicht angemeldet" }, { status: 401 });
  return Response.json(
    { materials: await offlineMaterials(context.user) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
