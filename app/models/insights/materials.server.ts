import { sql } from "drizzle-orm";
import type { Actor } from "../../auth/permissions.ts";
import { MIN_PEOPLE, shown } from "../../domain/insights.ts";
import { requireModerator, rows, WINDOW_DAYS } from "./common.server.ts";

/**
 * Published materials most used in the last 30 days: page views plus file downloads, from the daily aggregate counter
 * (material_usage), which records no one. Because it cannot tell how many people a count stands for, a count below
 * five is held back, and only materials used at least five times are ranked.
 */
export async function materialsMostUsed(actor: Actor) {
  requireModerator(actor);
  const result = await rows<{
    rare: number;
    id: string | null;
    title: string | null;
    views: number | null;
    downloads: number | null;
  }>(sql`
    with used as (
      select u.material_id, sum(u.views) as views, sum(u.downloads) as downloads
      from material_usage u join materials m on m.id = u.material_id and m.status = 'published'
      where u.day > (now() at time zone 'Europe/Berlin')::date - ${WINDOW_DAYS}::int
      group by u.material_id
    )
    select r.rare::int as rare, top.id, top.title, top.views::int as views, top.downloads::int as downloads
    from (select count(*) as rare from used where views + downloads < ${MIN_PEOPLE}) r
    left join lateral (
      select m.id, m.title, used.views, used.downloads from used join materials m on m.id = used.material_id
      where used.views + used.downloads >= ${MIN_PEOPLE}
      order by used.views + used.downloads desc, m.title limit 10
    ) top on true`);
  return {
    days: WINDOW_DAYS,
    rare: Number(result[0]?.rare ?? 0),
    materials: result
      .filter((r) => r.id !== null)
      .map((r) => ({
        id: r.id!,
        title: r.title ?? "",
        uses: Number(r.views) + Number(r.downloads),
        views: shown(Number(r.views)),
        downloads: shown(Number(r.downloads)),
      })),
  };
}
