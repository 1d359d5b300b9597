import { sql } from "drizzle-orm";
import type { Actor } from "../../auth/permissions.ts";
import { shown } from "../../domain/insights.ts";
import { requireModerator, rows } from "./common.server.ts";

/**
 * Attendance of the last twelve dialogue rounds that have started: the people registered for a place (the live room
 * keeps no attendance list, on purpose), and the waiting list. "People" are exactly those registrants.
 */
export async function roundAttendance(actor: Actor) {
  requireModerator(actor);
  const result = await rows<{
    id: string;
    title: string;
    starts_at: string | Date;
    capacity: number;
    registered: number;
    waiting: number;
  }>(sql`
    select d.id, d.title, d.starts_at, d.capacity,
           count(r.user_id) filter (where r.status = 'registered')::int as registered,
           count(r.user_id) filter (where r.status = 'waiting')::int as waiting
    from (select * from dialogue_rounds where starts_at <= now() order by starts_at desc limit 12) d
    left join round_registrations r on r.round_id = d.id
    group by d.id, d.title, d.starts_at, d.capacity
    order by d.starts_at desc`);
  return result.map((r) => ({
    id: r.id,
    title: r.title,
    startsAt: new Date(r.starts_at),
    capacity: Number(r.capacity),
    registered: shown(Number(r.registered)),
    waiting: shown(Number(r.waiting)),
  }));
}
