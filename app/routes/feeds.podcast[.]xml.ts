import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "../env.server.ts";
import { podcastFeed } from "../models/library/feed.server.ts";

/** True when an If-None-Match list names this ETag (weak comparison, RFC 9110 13.1.2) or is "*". */
function etagListMatches(header: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

/**
 * RSS 2.0 with iTunes tags and enclosures (ADR 033). Podcast apps cannot log in, so the personal token authorises it.
 * Apps poll often: a conditional GET (If-None-Match, else If-Modified-Since) gets 304 while nothing changed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const feed = await podcastFeed(token, env().PUBLIC_URL?.replace(/\/$/, "") ?? url.origin);
  if (!feed) {
    return new Response(
      "Unbekannter oder zurückgezogener Feed-Schlüssel. Einen neuen bekommst du in deinen Einstellungen.",
      {
        status: 404,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      },
    );
  }
  const headers = {
    "Cache-Control": "private, no-cache",
    ETag: feed.etag,
    "Last-Modified": feed.lastModified.toUTCString(),
    "X-Robots-Tag": "noindex",
  };
  const ifNoneMatch = request.headers.get("If-None-Match");
  const ifModifiedSince = Date.parse(request.headers.get("If-Modified-Since") ?? "");
  const unchanged =
    ifNoneMatch !== null
      ? etagListMatches(ifNoneMatch, feed.etag)
      : !Number.isNaN(ifModifiedSince) && feed.lastModified.getTime() <= ifModifiedSince;
  if (unchanged) return new Response(null, { status: 304, headers });
  return new Response(feed.body, { headers: { ...headers, "Content-Type": "application/rss+xml; charset=utf-8" } });
}
