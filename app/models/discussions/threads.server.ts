import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import {
  categories,
  categoryReads,
  notifications,
  posts,
  profilePictures,
  threadReads,
  threads,
  threadWatches,
  users,
} from "../../../db/schema/index.ts";
import { can, isModerator, type Actor } from "../../auth/permissions.ts";
import { PAGE_SIZE, type SortOrder, type ThreadType } from "../../domain/discussions/types.ts";
import { database, db, preparedQuery } from "../db.server.ts";
import { publishUnreadCount } from "./notifications.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import type { RenderedBody } from "./body.server.ts";
import { claimImages } from "../images/images.server.ts";
import { isUuid, postFacts, threadFacts } from "./facts.server.ts";
import { notifyMentions } from "./fanout.server.ts";
import { memberNames } from "../accounts/names.server.ts";
import { enqueueSearch, indexSoon } from "../search/outbox.server.ts";
import { hasTag } from "../community/tags.server.ts";
import { discardSentDraft, type DraftStamp } from "./drafts.server.ts";
import { insertPoll } from "./polls.server.ts";
import type { NewPoll } from "../../schemas/polls.ts";
import { unreadColumns, unreadJoins } from "./unread.server.ts";

export interface NewThread {
  categorySlug: string;
  type: ThreadType;
  title: string;
  body: RenderedBody;
  anonymous: boolean;
  ilbStep: string | null;
  competenceArea: string | null;
  audience: string | null;
  legalDomain: string | null;
  tags: string[];
  /** The sending editor's stamp, so its late autosaves are refused. */
  draft?: DraftStamp | null;
  /** A poll asked together with the discussion (parsed by schemas/polls.ts). */
  poll?: NewPoll | null;
}

export async function createThread(actor: Actor, input: NewThread): Promise<{ id: string }> {
  if (!can(actor, "create", { type: "newThread", threadType: input.type })) {
    throw new InputError("type", "Impulse und Ankündigungen kann nur die Moderation veröffentlichen.");
  }
  const anonymous =
    input.anonymous && (input.type === "question" || input.type === "best_practice" || input.type === "success_story");
  // Dated by the process clock, as replies are: read marks compare both with the same clock (ADR 030).
  const now = new Date();
  const id = await db().transaction(async (tx) => {
    const [category] = await tx
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.slug, input.categorySlug));
    if (!category)
      throw new InputError("category", "Diesen Themenraum gibt es nicht. Bitte wähle einen aus der Liste.");
    const [thread] = await tx
      .insert(threads)
      .values({
        categoryId: category.id,
        authorId: actor.id,
        type: input.type,
        title: input.title,
        anonymous,
        ilbStep: input.ilbStep,
        competenceArea: input.competenceArea,
        audience: input.audience,
        legalDomain: input.legalDomain,
        tags: input.tags,
        createdAt: now,
        lastActivityAt: now,
        updatedAt: now,
      })
      .returning({ id: threads.id });
    const [opening] = await tx
      .insert(posts)
      .values({
        threadId: thread.id,
        authorId: actor.id,
        anonymous,
        depth: 0,
        body: input.body.doc,
        bodyHtml: input.body.html,
        bodyText: input.body.text,
        createdAt: now,
      })
      .returning({ id: posts.id });
    await tx.update(threads).set({ openingPostId: opening.id }).where(eq(threads.id, thread.id));
    await claimImages(tx, { postId: opening.id }, input.body.doc, actor);
    // Authors watch their own threads.
    await tx.insert(threadWatches).values({ userId: actor.id, threadId: thread.id }).onConflictDoNothing();
    if (input.poll) await insertPoll(tx, thread.id, actor.id, input.poll);
    await discardSentDraft(tx, actor.id, "thread:new", input.draft ?? null);
    await enqueueSearch(tx, "thread", [thread.id]);
    return thread.id;
  });
  indexSoon();
  await notifyMentions({
    threadId: id,
    postId: null,
    actorId: anonymous ? null : actor.id,
    authorId: actor.id,
    handles: input.body.mentions,
  });
  return { id };
}

export interface ThreadListQuery {
  categorySlug?: string;
  sort: SortOrder;
  page: number;
  type?: ThreadType;
  tag?: string;
}

/**
 * Who wrote a thread's newest visible reply, with their face (ADR 028), in the list's own query: one backward step on
 * posts_thread_idx per listed thread, no query per row. Hidden and deleted replies are skipped for everyone.
 */
const lastReplyColumn = sql<{
  authorId: string | null;
  anonymous: boolean;
  name: string | null;
  picture: string | null;
} | null>`(
  select json_build_object('authorId', p.author_id, 'anonymous', p.anonymous, 'name', u.display_name, 'picture', pp.stamp)
  from posts p
  left join users u on u.id = p.author_id
  left join profile_pictures pp on pp.user_id = p.author_id
  where p.thread_id = ${threads.id} and p.parent_id is not null and p.deleted_at is null and p.hidden_at is null
  order by p.created_at desc
  limit 1)`;

export async function listThreads(viewer: Actor, query: ThreadListQuery) {
  const conditions: SQL[] = [isNull(threads.deletedAt)];
  if (!isModerator(viewer)) conditions.push(isNull(threads.hiddenAt));
  if (query.categorySlug) conditions.push(eq(categories.slug, query.categorySlug));
  if (query.type) conditions.push(eq(threads.type, query.type));
  if (query.tag) conditions.push(hasTag(threads.tags, query.tag));
  if (query.sort === "offen") conditions.push(eq(threads.type, "question"), isNull(threads.acceptedPostId));
  const where = and(...conditions);
  const order =
    query.sort === "neu"
      ? [desc(threads.createdAt)]
      : query.sort === "offen"
        ? [asc(threads.createdAt)]
        : [desc(threads.pinned), desc(threads.lastActivityAt)];
  const joins = unreadJoins(viewer.id);
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({
        id: threads.id,
        title: threads.title,
        type: threads.type,
        anonymous: threads.anonymous,
        authorId: threads.authorId,
        authorName: users.displayName,
        authorHandle: users.handle,
        authorPicture: profilePictures.stamp,
        lastReply: lastReplyColumn,
        categorySlug: categories.slug,
        categoryName: categories.name,
        tags: threads.tags,
        replyCount: threads.replyCount,
        answered: sql<boolean>`${threads.acceptedPostId} is not null`,
        pinned: threads.pinned,
        locked: threads.locked,
        hidden: sql<boolean>`${threads.hiddenAt} is not null`,
        lastActivityAt: threads.lastActivityAt,
        createdAt: threads.createdAt,
        ...unreadColumns(viewer.id),
      })
      .from(threads)
      .innerJoin(categories, eq(categories.id, threads.categoryId))
      .leftJoin(users, eq(users.id, threads.authorId))
      .leftJoin(profilePictures, eq(profilePictures.userId, threads.authorId))
      .leftJoin(threadReads, joins.threadRead)
      .leftJoin(categoryReads, joins.roomRead)
      .where(where)
      .orderBy(...order, desc(threads.id))
      .limit(PAGE_SIZE)
      .offset((query.page - 1) * PAGE_SIZE),
    db()
      .select({ total: sql<number>`count(*)::int` })
      .from(threads)
      .innerJoin(categories, eq(categories.id, threads.categoryId))
      .where(where),
  ]);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    threads: rows.map(({ authorId, authorName, authorHandle, authorPicture, lastReply, anonymous, ...t }) => {
      const own = authorId === viewer.id;
      return {
        ...t,
        author:
          anonymous && !own
            ? null
            : authorId && authorName
              ? { id: authorId, name: authorName, handle: authorHandle, picture: authorPicture }
              : null,
        anonymous,
        lastReply: lastReply && {
          // Anonymous replies stay anonymous here too, except to their author (as on the thread page).
          author:
            lastReply.anonymous && lastReply.authorId !== viewer.id
              ? null
              : lastReply.authorId && lastReply.name
                ? { id: lastReply.authorId, name: lastReply.name, picture: lastReply.picture }
                : null,
          anonymous: lastReply.anonymous,
        },
        unread: t.isNewThread || t.newReplies > 0,
        // Opening a thread that has new replies jumps to the first of them (unless the thread itself is new).
        jumpToUnread: !t.isNewThread && t.newReplies > 0,
      };
    }),
  };
}

/**
 * The stored posts of a thread, shared by all readers and kept per thread version (the database bumps
 * threads.version in the writing statement's transaction whenever a column read here changes: migration 0028, ADR 044;
 * so a cached copy is never stale; the column list there must match this select). Names are looked up per request,
 * so a renamed member shows under the new name at once.
 */
const postsCache = new Map<string, { version: number; rows: Awaited<ReturnType<typeof readThreadPosts>> }>();
const POSTS_CACHE_THREADS = 200;

function readThreadPosts(threadId: string) {
  return db()
    .select({
      id: posts.id,
      parentId: posts.parentId,
      depth: posts.depth,
      authorId: posts.authorId,
      anonymous: posts.anonymous,
      bodyHtml: posts.bodyHtml,
      thanksCount: posts.thanksCount,
      helpfulCount: posts.helpfulCount,
      editedAt: posts.editedAt,
      hiddenAt: posts.hiddenAt,
      deletedAt: posts.deletedAt,
      createdAt: posts.createdAt,
    })
    .from(posts)
    .where(eq(posts.threadId, threadId))
    .orderBy(asc(posts.createdAt));
}

async function threadPosts(threadId: string, version: number) {
  const hit = postsCache.get(threadId);
  if (hit && hit.version === version) {
    // Most recently used last, so the oldest entry is the first to go.
    postsCache.delete(threadId);
    postsCache.set(threadId, hit);
    return hit.rows;
  }
  const rows = await readThreadPosts(threadId);
  postsCache.delete(threadId);
  postsCache.set(threadId, { version, rows });
  if (postsCache.size > POSTS_CACHE_THREADS) postsCache.delete(postsCache.keys().next().value!);
  return rows;
}

export type ThreadView = Exclude<Awaited<ReturnType<typeof getThreadView>>, null>;
export type PostView = ThreadView["opening"];

// One query for the thread, its room and this member's watch, reactions, drafts and read state: this runs on every
// thread view.
const threadViewQuery = preparedQuery((d) => {
  const viewerId = sql.placeholder("viewerId");
  return d
    .select({
      thread: threads,
      categorySlug: categories.slug,
      categoryName: categories.name,
      watching: sql<boolean>`exists (select 1 from thread_watches w where w.thread_id = "threads"."id" and w.user_id = ${viewerId})`,
      // Whether the member has seen the thread since its last activity (then there is nothing to mark read).
      seen: sql<boolean>`exists (select 1 from thread_reads r where r.thread_id = "threads"."id" and r.user_id = ${viewerId} and r.read_at >= "threads"."last_activity_at")`,
      // Up to when the member has read this thread (ADR 030): own mark, the room's mark or the account's creation.
      readSince:
        sql<Date>`greatest((select r.read_at from thread_reads r where r.thread_id = "threads"."id" and r.user_id = ${viewerId}), (select c.read_at from category_reads c where c.category_id = "threads"."category_id" and c.user_id = ${viewerId}), (select u.created_at from users u where u.id = ${viewerId}))`.mapWith(
          threads.createdAt,
        ),
      myReactions: sql<
        string[] | null
      >`(select array_agg(r.post_id::text || ':' || r.kind) from reactions r where r.user_id = ${viewerId} and r.thread_id = "threads"."id")`,
      // The member's Merkliste entries of this thread (the thread's own id, or its posts' ids).
      myBookmarks: sql<
        string[] | null
      >`(select array_agg(b.target_id::text) from bookmarks b where b.user_id = ${viewerId} and b.thread_id = "threads"."id")`,
      replyDrafts: sql<
        { key: string; content: unknown }[] | null
      >`(select json_agg(json_build_object('key', d.key, 'content', d.content)) from drafts d where d.user_id = ${viewerId} and d.key like ${sql.placeholder("draftKeys")})`,
    })
    .from(threads)
    .innerJoin(categories, eq(categories.id, threads.categoryId))
    .where(eq(threads.id, sql.placeholder("threadId")))
    .prepare("thread_view");
});

/** Everything the thread page shows, as this viewer may see it (in two queries when the posts are cached: the
 * thread with this member's watch, reactions, drafts and read state, then the authors' names if not cached).
 * Anonymous authors stay hidden even from moderators until one of them explicitly reveals a post's author (which is
 * audited). */
export async function getThreadView(viewer: Actor, threadId: string) {
  if (!isUuid(threadId)) return null;
  const [found] = await threadViewQuery().execute({ threadId, viewerId: viewer.id, draftKeys: `reply:${threadId}:%` });
  if (!found) return null;
  const { thread } = found;
  const facts = threadFacts(thread);
  if (!can(viewer, "view", { type: "thread", thread: facts })) {
    // A hidden or deleted thread is there, but not for this member; any other refusal answers like a missing one.
    if (thread.hiddenAt || thread.deletedAt) throw new ForbiddenError();
    return null;
  }
  const category = {
    id: thread.categoryId,
    slug: found.categorySlug,
    name: found.categoryName,
    watching: found.watching,
  };

  const rows = await threadPosts(threadId, thread.version);
  const names = await memberNames(rows.map((r) => r.authorId).filter((id): id is string => id !== null));
  const myReactions = new Set(found.myReactions ?? []);

  // A removed post stays as a placeholder only while it has visible replies, so the tree stays whole. Replies are
  // younger than what they answer, so walking newest first sees every child before its parent.
  const moderator = isModerator(viewer);
  const shown = (r: (typeof rows)[number]) => !r.deletedAt && (!r.hiddenAt || moderator || r.authorId === viewer.id);
  const keptChildren = new Map<string, number>();
  const kept = new Set<string>();
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (r.parentId === null || shown(r) || (keptChildren.get(r.id) ?? 0) > 0) {
      kept.add(r.id);
      if (r.parentId) keptChildren.set(r.parentId, (keptChildren.get(r.parentId) ?? 0) + 1);
    }
  }
  const views = rows
    .filter((r) => kept.has(r.id))
    .map((r) => {
      const pf = postFacts(r, facts);
      const own = r.authorId !== null && r.authorId === viewer.id;
      const visible = shown(r);
      return {
        id: r.id,
        parentId: r.parentId,
        depth: r.depth,
        createdAt: r.createdAt,
        editedAt: r.editedAt,
        html: visible ? r.bodyHtml : null,
        removed: r.deletedAt ? ("deleted" as const) : r.hiddenAt && !visible ? ("hidden" as const) : null,
        hidden: r.hiddenAt !== null,
        anonymous: r.anonymous,
        own,
        author: r.anonymous && !own ? null : r.authorId ? (names.get(r.authorId) ?? null) : null,
        thanks: r.thanksCount,
        helpful: r.helpfulCount,
        thankedByMe: myReactions.has(`${r.id}:thanks`),
        helpfulByMe: myReactions.has(`${r.id}:helpful`),
        may: {
          edit: visible && can(viewer, "edit", { type: "post", post: pf }),
          delete: visible && can(viewer, "delete", { type: "post", post: pf }),
          react: visible && can(viewer, "react", { type: "post", post: pf }),
          flag: visible && can(viewer, "flag", { type: "post", post: pf }),
          reveal: r.anonymous && !own && can(viewer, "revealAuthor"),
        },
      };
    });
  const opening = views.find((v) => v.parentId === null) ?? null;
  if (!opening) return null;
  const replies = views.filter((v) => v !== opening);
  // New for this member: replies after the read mark that everyone sees and that are not their own (ADR 030).
  const since = found.readSince?.getTime() ?? 0;
  const unread = new Set(
    replies
      .filter((r) => r.html !== null && !r.hidden && !r.own && new Date(r.createdAt).getTime() > since)
      .map((r) => r.id),
  );
  return {
    thread: {
      id: thread.id,
      title: thread.title,
      type: thread.type,
      tags: thread.tags,
      ilbStep: thread.ilbStep,
      competenceArea: thread.competenceArea,
      audience: thread.audience,
      legalDomain: thread.legalDomain,
      locked: thread.locked,
      pinned: thread.pinned,
      hidden: thread.hiddenAt !== null,
      acceptedPostId: thread.acceptedPostId,
      replyCount: thread.replyCount,
      createdAt: thread.createdAt,
      category: { slug: category.slug, name: category.name, id: category.id },
    },
    opening,
    replies,
    watching: category.watching,
    seen: found.seen,
    bookmarks: {
      thread: (found.myBookmarks ?? []).includes(thread.id),
      posts: new Set((found.myBookmarks ?? []).filter((id) => id !== thread.id)),
    },
    unread,
    /** The thread itself is new to the member (never opened, written after the read mark): it is read from the start. */
    newThread: new Date(thread.createdAt).getTime() > since,
    /** The last activity this view shows: what markThreadSeen records as read. */
    lastActivityAt: thread.lastActivityAt,
    replyDrafts: Object.fromEntries((found.replyDrafts ?? []).map((d) => [d.key, d.content])),
    may: {
      reply: can(viewer, "reply", { type: "thread", thread: facts }),
      acceptAnswer: can(viewer, "acceptAnswer", { type: "thread", thread: facts }),
      moderate: can(viewer, "hide"),
    },
  };
}

/** The member has seen the thread as it is now: lists stop marking it unread, and its notifications count as read.
 * One statement (a data-modifying CTE), since this runs on every thread view. Returns how many it marked read. */
export async function markThreadSeen(viewer: Actor, threadId: string, seenUpTo: Date = new Date()): Promise<number> {
  // The mark is the last activity the member was shown (not the clock), so a reply that commits while the page is
  // being built still counts as new next time; it never moves back.
  const updated = await database().rows<{ id: number }>(sql`
    with seen as (
      insert into ${threadReads} (user_id, thread_id, read_at) values (${viewer.id}, ${threadId}, ${seenUpTo.toISOString()})
      on conflict (user_id, thread_id) do update set read_at = greatest(${threadReads.readAt}, excluded.read_at)
    )
    update ${notifications} set read_at = now()
    where user_id = ${viewer.id} and thread_id = ${threadId} and read_at is null
    returning id`);
  if (updated.length > 0) await publishUnreadCount(viewer.id);
  return updated.length;
}
