/**
 * Merkliste: a member keeps posts, threads and materials for later, with a note and a reminder. Every function here
 * reads and writes only the acting member's own rows: there is no way to look at anyone else's list, not for
 * moderators or admins either, and nothing counts bookmarks per person.
 */
import { and, desc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { bookmarks, materials, posts, threads } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import {
  NOTE_MAX,
  reminderFromDay,
  type BookmarkKind,
  type BookmarkFilter,
  bookmarkFilters,
  isBookmarkKind,
} from "../../domain/bookmarks.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { requireId, isUuid } from "../input.server.ts";
import { postFacts, threadFacts } from "../discussions/facts.server.ts";
import { materialFacts } from "../library/materials.server.ts";
import { notify } from "../discussions/notifications.server.ts";

export const BOOKMARKS_PAGE_SIZE = 20;

/** What a bookmark points at, checked: the member may see it now. A thing they may not see is "not found". */
async function target(
  actor: Actor,
  kind: BookmarkKind,
  id: string,
): Promise<{ threadId: string | null; postId: string | null; materialId: string | null }> {
  if (kind === "material") {
    const [row] = await db()
      .select({ status: materials.status, createdBy: materials.createdBy, suggestedBy: materials.suggestedBy })
      .from(materials)
      .where(eq(materials.id, id));
    if (!row || !can(actor, "view", { type: "material", material: materialFacts(row) })) throw new NotFoundError();
    return { threadId: null, postId: null, materialId: id };
  }
  if (kind === "thread") {
    const [row] = await db().select().from(threads).where(eq(threads.id, id));
    if (!row || row.deletedAt || !can(actor, "view", { type: "thread", thread: threadFacts(row) }))
      throw new NotFoundError();
    return { threadId: id, postId: null, materialId: null };
  }
  const [row] = await db()
    .select({ post: posts, thread: threads })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, id));
  if (!row || row.post.deletedAt || row.thread.deletedAt) throw new NotFoundError();
  if (!can(actor, "view", { type: "post", post: postFacts(row.post, threadFacts(row.thread)) }))
    throw new NotFoundError();
  return { threadId: row.thread.id, postId: id, materialId: null };
}

/**
 * "Merken" / "Gemerkt": adds the thing to the member's list or takes it off. Adding twice keeps the first (with its
 * note); taking off what is not there changes nothing. Returns whether it is bookmarked now.
 */
export async function setBookmark(actor: Actor, kind: unknown, targetId: unknown, on: boolean): Promise<boolean> {
  if (!can(actor, "read")) throw new ForbiddenError();
  if (!isBookmarkKind(kind)) throw new InputError("kind", "Das kann man nicht merken.");
  const id = requireId(targetId);
  if (!on) {
    await db()
      .delete(bookmarks)
      .where(and(eq(bookmarks.userId, actor.id), eq(bookmarks.kind, kind), eq(bookmarks.targetId, id)));
    return false;
  }
  const refs = await target(actor, kind, id);
  await db()
    .insert(bookmarks)
    .values({ userId: actor.id, kind, targetId: id, ...refs })
    .onConflictDoNothing({ target: [bookmarks.userId, bookmarks.kind, bookmarks.targetId] });
  return true;
}

async function ownBookmark(actor: Actor, id: unknown) {
  if (!can(actor, "read")) throw new ForbiddenError();
  const bookmarkId = requireId(id);
  const [row] = await db()
    .select({ id: bookmarks.id, remindAt: bookmarks.remindAt })
    .from(bookmarks)
    .where(and(eq(bookmarks.id, bookmarkId), eq(bookmarks.userId, actor.id)));
  // Someone else's bookmark answers exactly like one that does not exist.
  if (!row) throw new NotFoundError("Diesen Eintrag gibt es in deiner Merkliste nicht.");
  return row;
}

/**
 * Note and reminder of one of the member's bookmarks. `remindOn` is a day ("2026-12-24", reminded at 08:00 Berlin
 * time) or "" for none. A changed day is reminded anew; an unchanged one keeps whether it was sent.
 */
export async function updateBookmark(
  actor: Actor,
  id: unknown,
  input: { note: string; remindOn: string },
  now: Date,
): Promise<void> {
  const row = await ownBookmark(actor, id);
  const note = input.note.trim();
  const errors: Record<string, string> = {};
  if (note.length > NOTE_MAX) errors.note = `Die Notiz ist zu lang: höchstens ${NOTE_MAX} Zeichen.`;
  let remindAt: Date | null = null;
  if (input.remindOn.trim() !== "") {
    const parsed = reminderFromDay(input.remindOn.trim(), now);
    if ("error" in parsed) errors.remindOn = parsed.error;
    else remindAt = parsed.at;
  }
  if (Object.keys(errors).length > 0) throw InputError.fields(errors);
  const unchanged = (row.remindAt?.getTime() ?? null) === (remindAt?.getTime() ?? null);
  await db()
    .update(bookmarks)
    .set({ note, remindAt, ...(unchanged ? {} : { remindedAt: null }) })
    .where(and(eq(bookmarks.id, row.id), eq(bookmarks.userId, actor.id)));
}

/** Takes one entry off the member's list (the page asked for confirmation first). */
export async function removeBookmark(actor: Actor, id: unknown): Promise<void> {
  const row = await ownBookmark(actor, id);
  await db()
    .delete(bookmarks)
    .where(and(eq(bookmarks.id, row.id), eq(bookmarks.userId, actor.id)));
}

/** Whether the member keeps this material (for its page's toggle). */
export async function isMaterialBookmarked(actor: Actor, materialId: string): Promise<boolean> {
  if (!isUuid(materialId)) return false;
  const [row] = await db()
    .select({ id: bookmarks.id })
    .from(bookmarks)
    .where(and(eq(bookmarks.userId, actor.id), eq(bookmarks.kind, "material"), eq(bookmarks.targetId, materialId)));
  return !!row;
}

export interface BookmarkListOptions {
  filter?: BookmarkFilter | null;
  withReminder?: boolean;
  /** Only this one entry (where a reminder's notification leads). */
  only?: string | null;
  page?: number;
}

export interface BookmarkItem {
  id: string;
  kind: BookmarkKind;
  note: string;
  remindAt: Date | null;
  remindedAt: Date | null;
  createdAt: Date;
  /** Null when the thing is gone or no longer visible to the member: then nothing of it is shown. */
  content: { title: string; excerpt: string; url: string } | null;
}

/** The member's list, newest first, with what each entry still shows (see BookmarkItem.content). */
export async function listBookmarks(
  actor: Actor,
  options: BookmarkListOptions = {},
): Promise<{ items: BookmarkItem[]; hasMore: boolean }> {
  if (!can(actor, "read")) throw new ForbiddenError();
  const page = Math.max(1, options.page ?? 1);
  if (options.only !== undefined && options.only !== null && !isUuid(options.only))
    return { items: [], hasMore: false };
  const rows = await db()
    .select({
      bookmark: bookmarks,
      thread: {
        title: threads.title,
        authorId: threads.authorId,
        type: threads.type,
        locked: threads.locked,
        hiddenAt: threads.hiddenAt,
        deletedAt: threads.deletedAt,
        openingText: sql<
          string | null
        >`(select left(o.body_text, 200) from ${posts} o where o.id = ${threads.openingPostId})`,
      },
      post: {
        authorId: posts.authorId,
        hiddenAt: posts.hiddenAt,
        deletedAt: posts.deletedAt,
        excerpt: sql<string>`left(${posts.bodyText}, 200)`,
      },
      material: {
        title: materials.title,
        summary: sql<string>`left(${materials.summary}, 200)`,
        status: materials.status,
        createdBy: materials.createdBy,
        suggestedBy: materials.suggestedBy,
      },
    })
    .from(bookmarks)
    .leftJoin(threads, eq(threads.id, bookmarks.threadId))
    .leftJoin(posts, eq(posts.id, bookmarks.postId))
    .leftJoin(materials, eq(materials.id, bookmarks.materialId))
    .where(
      and(
        eq(bookmarks.userId, actor.id),
        options.filter ? eq(bookmarks.kind, bookmarkFilters[options.filter].kind) : undefined,
        options.withReminder ? isNotNull(bookmarks.remindAt) : undefined,
        options.only ? eq(bookmarks.id, options.only) : undefined,
      ),
    )
    .orderBy(desc(bookmarks.createdAt), desc(bookmarks.id))
    .limit(BOOKMARKS_PAGE_SIZE + 1)
    .offset((page - 1) * BOOKMARKS_PAGE_SIZE);
  const items = rows.slice(0, BOOKMARKS_PAGE_SIZE).map(({ bookmark: b, thread, post, material }): BookmarkItem => {
    let content: BookmarkItem["content"] = null;
    if (b.kind === "material" && material) {
      if (can(actor, "view", { type: "material", material: materialFacts(material) })) {
        content = { title: material.title, excerpt: material.summary, url: `/materialien/${b.targetId}` };
      }
    } else if (thread && !thread.deletedAt) {
      const tf = threadFacts(thread);
      if (b.kind === "thread" && can(actor, "view", { type: "thread", thread: tf })) {
        content = { title: thread.title, excerpt: thread.openingText ?? "", url: `/diskussionen/${b.targetId}` };
      } else if (
        b.kind === "post" &&
        post &&
        !post.deletedAt &&
        can(actor, "view", { type: "post", post: postFacts(post, tf) })
      ) {
        content = {
          title: thread.title,
          excerpt: post.excerpt,
          url: `/diskussionen/${b.threadId}#beitrag-${b.targetId}`,
        };
      }
    }
    return {
      id: b.id,
      kind: b.kind,
      note: b.note,
      remindAt: b.remindAt,
      remindedAt: b.remindedAt,
      createdAt: b.createdAt,
      content,
    };
  });
  return { items, hasMore: rows.length > BOOKMARKS_PAGE_SIZE };
}

/**
 * Sends the reminders that are due at `now` (the server passes the time, tests their own). Each is claimed before
 * its notification is made, in one statement, so two processes or two runs remind once. The notification names no
 * content (only the member's own note): what it leads to may have become hidden since.
 */
export async function runBookmarkReminders(now: Date): Promise<number> {
  const due = await db()
    .update(bookmarks)
    .set({ remindedAt: now })
    .where(and(isNull(bookmarks.remindedAt), isNotNull(bookmarks.remindAt), lte(bookmarks.remindAt, now)))
    .returning({ id: bookmarks.id, userId: bookmarks.userId });
  await notify(
    due.map((b) => ({
      userId: b.userId,
      type: "bookmark_reminder" as const,
      bookmarkId: b.id,
      threadId: null,
      postId: null,
      actorId: null,
    })),
  );
  return due.length;
}
