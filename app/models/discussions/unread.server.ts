/**
 * What is new for a member (ADR 030). A member has read a thread up to the latest of three instants: the thread's own
 * mark (thread_reads: the last activity the member saw on the thread page), the room's mark ("Alles als gelesen
 * markieren", category_reads) and the creation of the account (the baseline: what was written before someone joined
 * counts as read). A reply is new when it is later than that, visible to everyone and not the member's own; a
 * discussion is new when the member never opened it and it is later than the room's mark and the baseline.
 *
 * Read state is the member's alone: nothing here is shown to anyone else or counted across members.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import { categories, categoryReads, threadReads, threads } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { database, db } from "../db.server.ts";
import { ForbiddenError, NotFoundError } from "../errors.server.ts";

/** The account's creation, read once per statement (an uncorrelated subquery). */
const baseline = (viewerId: string) => sql`(select u0.created_at from users u0 where u0.id = ${viewerId})`;

/**
 * Per-thread columns for a list query that left-joins thread_reads and category_reads for the viewer (see
 * unreadJoins). The reply count runs only for threads with activity after the member's mark, one index range scan
 * on posts (thread_id, created_at) each.
 */
export function unreadColumns(viewerId: string) {
  const roomSince = sql`greatest(${categoryReads.readAt}, ${baseline(viewerId)})`;
  const since = sql`greatest(${threadReads.readAt}, ${categoryReads.readAt}, ${baseline(viewerId)})`;
  return {
    isNewThread: sql<boolean>`(${threadReads.readAt} is null and ${threads.createdAt} > ${roomSince} and ${threads.authorId} is distinct from ${viewerId})`,
    newReplies: sql<number>`(case when ${threads.lastActivityAt} > ${since} then (select count(*)::int from posts p where p.thread_id = ${threads.id} and p.parent_id is not null and p.created_at > ${since} and p.deleted_at is null and p.hidden_at is null and p.author_id is distinct from ${viewerId}) else 0 end)`,
  };
}

export function unreadJoins(viewerId: string): { threadRead: SQL; roomRead: SQL } {
  return {
    threadRead: and(eq(threadReads.threadId, threads.id), eq(threadReads.userId, viewerId))!,
    roomRead: and(eq(categoryReads.categoryId, threads.categoryId), eq(categoryReads.userId, viewerId))!,
  };
}

export interface RoomUnread {
  newThreads: number;
  newReplies: number;
}

/**
 * New discussions and replies per room for this member, in one aggregate: only threads with activity after the
 * room's mark and the baseline are looked at, and replies are counted only where the thread has activity after the
 * member's own mark. Hidden and deleted discussions count for nobody. `categoryId` narrows it to one room.
 */
export async function roomUnreadCounts(viewer: Actor, categoryId?: string): Promise<Map<string, RoomUnread>> {
  const since = sql`greatest(tr.read_at, cr.read_at, b.since)`;
  const rows = await database().rows<{ category_id: string; new_threads: number; new_replies: number }>(sql`
    select t.category_id,
      count(*) filter (where tr.read_at is null and t.created_at > greatest(cr.read_at, b.since) and t.author_id is distinct from ${viewer.id})::int as new_threads,
      coalesce(sum(case when t.last_activity_at > ${since} then (
        select count(*) from posts p
        where p.thread_id = t.id and p.parent_id is not null and p.created_at > ${since}
          and p.deleted_at is null and p.hidden_at is null and p.author_id is distinct from ${viewer.id}
      ) end), 0)::int as new_replies
    from threads t
    cross join (select u0.created_at as since from users u0 where u0.id = ${viewer.id}) b
    left join category_reads cr on cr.category_id = t.category_id and cr.user_id = ${viewer.id}
    left join thread_reads tr on tr.thread_id = t.id and tr.user_id = ${viewer.id}
    where t.deleted_at is null and t.hidden_at is null
      and t.last_activity_at > greatest(cr.read_at, b.since)
      ${categoryId ? sql`and t.category_id = ${categoryId}` : sql``}
    group by t.category_id`);
  return new Map(
    rows.map((r) => [r.category_id, { newThreads: Number(r.new_threads), newReplies: Number(r.new_replies) }]),
  );
}

/** "Alles als gelesen markieren": everything in the room up to `now` counts as read for this member. */
export async function markRoomRead(viewer: Actor, slug: string, now = new Date()): Promise<void> {
  if (!can(viewer, "read")) throw new ForbiddenError();
  const [room] = await db().select({ id: categories.id }).from(categories).where(eq(categories.slug, slug));
  if (!room) throw new NotFoundError("Diesen Themenraum gibt es nicht.");
  await db()
    .insert(categoryReads)
    .values({ userId: viewer.id, categoryId: room.id, readAt: now })
    .onConflictDoUpdate({
      target: [categoryReads.userId, categoryReads.categoryId],
      set: { readAt: sql`greatest(${categoryReads.readAt}, excluded.read_at)` },
    });
}
