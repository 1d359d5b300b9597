import { sql } from "drizzle-orm";
import type { SearchRequest, SearchResult, Visibility } from "../../../search/engine.ts";
import { isModerator, type Actor } from "../../auth/permissions.ts";
import type { SearchParams } from "../../schemas/search.ts";
import { database } from "../db.server.ts";
import { searchEngine } from "./engine.server.ts";

/**
 * One search for pages, the header combobox and the JSON API. What the viewer may read decides which documents
 * exist for them at all, so hits, snippets, counts and facets can never show more.
 */
export async function search(
  viewer: Actor,
  params: SearchParams,
  options: { record?: boolean } = {},
): Promise<SearchResult> {
  const request: SearchRequest = {
    q: params.q,
    filters: params.filters,
    sort: params.sort,
    page: params.page,
    perPage: params.perPage,
    visibilities: visibilities(viewer),
  };
  const result = await searchEngine().search(request);
  if (options.record && params.page === 1) await recordQuery(params.q, result.total);
  return result;
}

/** Moderators also read hidden posts and unpublished materials; members only what is published. */
function visibilities(viewer: Actor): Visibility[] {
  return isModerator(viewer) ? ["members", "moderators"] : ["members"];
}

/** Answered threads and materials that resemble what a member is about to ask. */
export async function similarContent(viewer: Actor, text: string): Promise<SearchResult["hits"]> {
  const result = await searchEngine().search({
    q: text,
    filters: {},
    sort: "relevance",
    page: 1,
    perPage: 5,
    visibilities: visibilities(viewer),
    mode: "similar",
  });
  return result.hits;
}

/** Counts per day and normalised query, never who searched (see the moderators' search insights). */
async function recordQuery(q: string, total: number): Promise<void> {
  // As typed, only lower-cased and with single spaces, so that moderators read what members were looking for.
  const normalised = q.toLowerCase().replace(/\s+/g, " ").trim().slice(0, 100);
  if (!normalised) return;
  await database().db.execute(sql`
    INSERT INTO search_query_stats (day, query, searches, zero_results)
    VALUES (CURRENT_DATE, ${normalised}, 1, ${total === 0 ? 1 : 0})
    ON CONFLICT (day, query) DO UPDATE SET searches = search_query_stats.searches + 1,
      zero_results = search_query_stats.zero_results + excluded.zero_results`);
}
