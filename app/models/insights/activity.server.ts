import { sql } from "drizzle-orm";
import type { Actor } from "../../auth/permissions.ts";
import { shown } from "../../domain/insights.ts";
import { requireModerator, rows } from "./common.server.ts";

export const ACTIVITY_WEEKS = 12;

/**
 * New threads and replies per calendar week (Monday to Sunday, German time) over the last twelve weeks, this week
 * included. "People" are the distinct authors of the week's threads, and separately of its replies (anonymous posts
 * count their author; deleted accounts count no one). Hidden and deleted posts are not counted.
 */
export async function weeklyActivity(actor: Actor) {
  requireModerator(actor);
  const result = await rows<{
    week: string;
    threads: number;
    thread_people: number;
    replies: number;
    reply_people: number;
  }>(sql`
    with bounds as (
      select date_trunc('week', now() at time zone 'Europe/Berlin') - ${ACTIVITY_WEEKS - 1} * interval '1 week' as first
    ),
    weeks as (
      select generate_series(b.first, b.first + ${ACTIVITY_WEEKS - 1} * interval '1 week', interval '1 week') as week from bounds b
    ),
    t as (
      select date_trunc('week', created_at at time zone 'Europe/Berlin') as week, count(*) as n, count(distinct author_id) as people
      from threads
      where deleted_at is null and hidden_at is null and created_at >= (select first from bounds) at time zone 'Europe/Berlin'
      group by 1
    ),
    r as (
      select date_trunc('week', created_at at time zone 'Europe/Berlin') as week, count(*) as n, count(distinct author_id) as people
      from posts
      where parent_id is not null and deleted_at is null and hidden_at is null
        and created_at >= (select first from bounds) at time zone 'Europe/Berlin'
      group by 1
    )
    select to_char(weeks.week, 'YYYY-MM-DD') as week,
           coalesce(t.n, 0)::int as threads, coalesce(t.people, 0)::int as thread_people,
           coalesce(r.n, 0)::int as replies, coalesce(r.people, 0)::int as reply_people
    from weeks left join t on t.week = weeks.week left join r on r.week = weeks.week
    order by weeks.week`);
  return result.map((w) => ({
    week: w.week,
    threads: shown(Number(w.threads), Number(w.thread_people)),
    replies: shown(Number(w.replies), Number(w.reply_people)),
  }));
}
