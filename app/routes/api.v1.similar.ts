import type { LoaderFunctionArgs } from "@remix-run/node";
import { similarContent } from "../models/search/search.server.ts";

/** GET ?q=<title and text being written> → answered threads and materials like it ("ask before you post"). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!context.user) return Response.json({ error: "Nicht angemeldet" }, { status: 401 });
  const q = (new URL(request.url).searchParams.get("q") ?? "").replace(/\0/g, "").slice(0, 300);
  return Response.json(
    { hits: await similarContent(context.user, q) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
