import { sql } from "drizzle-orm";
import type { Actor } from "../../auth/permissions.ts";
import { shown } from "../../domain/insights.ts";
import { requireModerator, rows } from "./common.server.ts";

export const UNANSWERED_AFTER_HOURS = 48;

/**
 * Questions older than 48 hours that have no reply and no accepted answer, per room and in total. "People" are the
 * distinct members who asked them. Rooms whose figure would describe fewer than five askers are shown without it.
 */
export async function unansweredQuestions(actor: Actor) {
  requireModerator(actor);
  const result = await rows<{
    room: string | null;
    slug: string | null;
    total: boolean;
    questions: number;
    people: number;
  }>(sql`
    select c.name as room, c.slug as slug, grouping(c.name, c.slug) = 3 as total,
           count(*)::int as questions, count(distinct t.author_id)::int as people
    from threads t join categories c on c.id = t.category_id
    where t.type = 'question' and t.deleted_at is null and t.hidden_at is null
      and t.accepted_post_id is null and t.reply_count = 0
      and t.created_at < now() - ${UNANSWERED_AFTER_HOURS} * interval '1 hour'
    group by grouping sets ((c.name, c.slug), ())
    order by grouping(c.name, c.slug), count(*) desc, c.name`);
  const totalRow = result.find((r) => r.total);
  return {
    total: totalRow ? shown(Number(totalRow.questions), Number(totalRow.people)) : 0,
    rooms: result
      .filter((r) => !r.total)
      .map((r) => ({
        room: r.room ?? "",
        slug: r.slug ?? "",
        questions: shown(Number(r.questions), Number(r.people)),
      })),
  };
}
