import type { LoaderFunctionArgs } from "@remix-run/node";
import { search } from "../models/search/search.server.ts";
import { parseSearchParams } from "../schemas/search.ts";

/**
 * GET ?q=&type=&page= (and the page's other filters) → { total, hits, facets, didYouMean }, for the header's
 * search-as-you-type and for other clients. Session cookie auth; what the member may not read does not exist here.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!context.user) return Response.json({ error: "Nicht angemeldet" }, { status: 401 });
  const result = await search(context.user, parseSearchParams(new URL(request.url)));
  return Response.json(result, { headers: { "Cache-Control": "private, no-store" } });
}
