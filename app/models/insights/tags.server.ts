import { sql } from "drizzle-orm";
import type { Actor } from "../../auth/permissions.ts";
import { MIN_PEOPLE, shown } from "../../domain/insights.ts";
import { requireModerator, rows, WINDOW_DAYS } from "./common.server.ts";

/**
 * Tags of new threads and newly published materials in the last 30 days, compared with the 30 days before. "People"
 * are the distinct authors who used the tag (a material's suggester, or who created it). Only tags used by at least
 * five people are listed; the others are counted as one number of tags, which describes tags, not people.
 */
export async function trendingTags(actor: Actor) {
  requireModerator(actor);
  const result = await rows<{
    rare: number;
    tag: string | null;
    uses: number | null;
    previous: number | null;
    previous_people: number | null;
  }>(sql`
    with uses as (
      select lower(tag) as tag, tag as spelling, author_id as person, created_at as at
      from threads, unnest(tags) as tag
      where deleted_at is null and hidden_at is null and created_at >= now() - ${2 * WINDOW_DAYS} * interval '1 day'
      union all
      select lower(tag), tag, coalesce(suggested_by, created_by), published_at
      from materials, unnest(tags) as tag
      where status = 'published' and published_at >= now() - ${2 * WINDOW_DAYS} * interval '1 day'
    ),
    per_tag as (
      -- One row per tag regardless of case, shown as most people spelled it.
      select mode() within group (order by spelling) as tag,
             count(*) filter (where at >= now() - ${WINDOW_DAYS} * interval '1 day') as uses,
             count(distinct person) filter (where at >= now() - ${WINDOW_DAYS} * interval '1 day') as people,
             count(*) filter (where at < now() - ${WINDOW_DAYS} * interval '1 day') as previous,
             count(distinct person) filter (where at < now() - ${WINDOW_DAYS} * interval '1 day') as previous_people
      from uses group by uses.tag
    )
    select r.rare::int as rare, top.tag, top.uses::int as uses, top.previous::int as previous, top.previous_people::int as previous_people
    from (select count(*) as rare from per_tag where uses > 0 and people < ${MIN_PEOPLE}) r
    left join lateral (
      select * from per_tag where people >= ${MIN_PEOPLE} order by uses desc, tag limit 10
    ) top on true`);
  return {
    days: WINDOW_DAYS,
    rare: Number(result[0]?.rare ?? 0),
    tags: result
      .filter((r) => r.tag !== null)
      .map((r) => ({
        tag: r.tag!,
        uses: Number(r.uses),
        previous: shown(Number(r.previous), Number(r.previous_people)),
      })),
  };
}
