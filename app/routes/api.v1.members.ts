import type { LoaderFunctionArgs } from "@remix-run/node";
import { suggestMembers } from "../models/accounts/directory.server.ts";

/** GET ?q= → [{handle, name}] for @mention autocomplete (active members only, at most 8). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!context.user) return Response.json({ error: "Nicht angemeldet" }, { status: 401 });
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 40);
  return Response.json(await suggestMembers(q), { headers: { "Cache-Control": "private, max-age=30" } });
}
