import { searchKinds, type SearchKind } from "../../domain/search.ts";

/** A hit as the header box and "ask before you post" show it: a link with its kind. */
export interface HitLink {
  type: SearchKind;
  id: string;
  title: string;
  url: string;
}

/** The API's answer is data from elsewhere: keep only well-formed hits with a relative URL. */
export function readHits(data: unknown, limit: number): HitLink[] {
  const hits = (data as { hits?: unknown } | null)?.hits;
  if (!Array.isArray(hits)) return [];
  return hits
    .filter(
      (h): h is HitLink =>
        !!h &&
        (searchKinds as readonly string[]).includes(h.type) &&
        typeof h.id === "string" &&
        typeof h.title === "string" &&
        typeof h.url === "string" &&
        h.url.startsWith("/") &&
        !h.url.startsWith("//"),
    )
    .slice(0, limit);
}
