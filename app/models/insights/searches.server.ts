import { sql } from "drizzle-orm";
import type { Actor } from "../../auth/permissions.ts";
import { MIN_PEOPLE, shown } from "../../domain/insights.ts";
import { requireModerator, rows, WINDOW_DAYS } from "./common.server.ts";

/**
 * Searches of the last 30 days that found nothing: what the library or the discussions lack. The statistics record
 * no one; a query searched fewer than five times could be one person's, so its words are not shown, only how many
 * such queries there were.
 */
export async function zeroResultSearches(actor: Actor) {
  requireModerator(actor);
  const result = await rows<{ rare: number; total: number; query: string | null; searches: number | null }>(sql`
    with zero as (
      select query, sum(zero_results) as searches from search_query_stats
      where day > (now() at time zone 'Europe/Berlin')::date - ${WINDOW_DAYS}::int
      group by query having sum(zero_results) > 0
    )
    select s.rare::int as rare, s.total::int as total, top.query, top.searches::int as searches
    from (select count(*) filter (where searches < ${MIN_PEOPLE}) as rare, coalesce(sum(searches), 0) as total from zero) s
    left join lateral (
      select query, searches from zero where searches >= ${MIN_PEOPLE} order by searches desc, query limit 10
    ) top on true`);
  return {
    days: WINDOW_DAYS,
    total: shown(Number(result[0]?.total ?? 0)),
    rare: Number(result[0]?.rare ?? 0),
    queries: result.filter((r) => r.query !== null).map((r) => ({ query: r.query!, searches: Number(r.searches) })),
  };
}
