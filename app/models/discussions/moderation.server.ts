import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { categories, flags, posts, threads, users } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { writeAudit } from "../audit.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { requireId } from "../input.server.ts";
import { loadPost, loadThread, postFacts, threadFacts } from "./facts.server.ts";
import { broadcastThreadChange } from "./fanout.server.ts";
import { enqueueSearch, indexSoon } from "../search/outbox.server.ts";

export const FLAG_REASON_MAX = 500;

/** Any member reports a post with a reason; it lands in the moderators' queue. One open report per person and post. */
export async function flagPost(actor: Actor, postId: string, reason: string): Promise<void> {
  const found = await loadPost(postId);
  if (!found) throw new NotFoundError();
  if (!can(actor, "flag", { type: "post", post: postFacts(found.post, threadFacts(found.thread)) }))
    throw new ForbiddenError();
  const text = reason.trim();
  if (text.length < 3)
    throw new InputError("reason", "Bitte beschreib kurz, was an diesem Beitrag nicht in Ordnung ist.");
  if (text.length > FLAG_REASON_MAX)
    throw new InputError("reason", `Bitte fasse dich kürzer (höchstens ${FLAG_REASON_MAX} Zeichen).`);
  const [open] = await db()
    .select({ id: flags.id })
    .from(flags)
    .where(and(eq(flags.postId, postId), eq(flags.reporterId, actor.id), isNull(flags.resolvedAt)));
  if (open) return;
  await db().insert(flags).values({ postId, reporterId: actor.id, reason: text });
}

export async function listOpenFlags(actor: Actor) {
  if (!can(actor, "hide")) throw new ForbiddenError();
  return db()
    .select({
      id: flags.id,
      reason: flags.reason,
      createdAt: flags.createdAt,
      postId: posts.id,
      threadId: threads.id,
      threadTitle: threads.title,
      excerpt: sql<string>`left(${posts.bodyText}, 300)`,
      postHidden: sql<boolean>`${posts.hiddenAt} is not null`,
      reporterName: users.displayName,
    })
    .from(flags)
    .innerJoin(posts, eq(posts.id, flags.postId))
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .leftJoin(users, eq(users.id, flags.reporterId))
    .where(isNull(flags.resolvedAt))
    .orderBy(asc(flags.createdAt))
    .limit(100);
}

/** Hides or restores a post (the opening post hides the whole thread). Resolves open reports on it. */
export async function setPostHidden(actor: Actor, postId: string, hidden: boolean): Promise<void> {
  if (!can(actor, "hide")) throw new ForbiddenError();
  const found = await loadPost(postId);
  if (!found) throw new NotFoundError();
  const now = new Date();
  await db().transaction(async (tx) => {
    await tx
      .update(posts)
      .set({ hiddenAt: hidden ? now : null })
      .where(eq(posts.id, postId));
    if (found.post.parentId === null) {
      await tx
        .update(threads)
        .set({ hiddenAt: hidden ? now : null })
        .where(eq(threads.id, found.thread.id));
    }
    await tx
      .update(flags)
      .set({ resolvedAt: now, resolvedBy: actor.id, resolution: hidden ? "hidden" : "restored" })
      .where(and(eq(flags.postId, postId), isNull(flags.resolvedAt)));
    await writeAudit(tx, {
      actorId: actor.id,
      action: hidden ? "post.hide" : "post.restore",
      subjectType: "post",
      subjectId: postId,
      details: { threadId: found.thread.id },
    });
    if (found.post.parentId === null) await enqueueSearch(tx, "thread", [found.thread.id]);
    else await enqueueSearch(tx, "reply", [postId]);
  });
  indexSoon();
  broadcastThreadChange(found.thread.id, postId, "moderation");
}

export async function dismissFlags(actor: Actor, postId: string): Promise<void> {
  if (!can(actor, "hide")) throw new ForbiddenError();
  requireId(postId);
  await db().transaction(async (tx) => {
    const resolved = await tx
      .update(flags)
      .set({ resolvedAt: new Date(), resolvedBy: actor.id, resolution: "dismissed" })
      .where(and(eq(flags.postId, postId), isNull(flags.resolvedAt)))
      .returning({ id: flags.id });
    if (resolved.length > 0) {
      await writeAudit(tx, {
        actorId: actor.id,
        action: "flag.dismiss",
        subjectType: "post",
        subjectId: postId,
        details: { flags: resolved.length },
      });
    }
  });
}

export type ThreadModeration =
  | { action: "lock"; value: boolean }
  | { action: "pin"; value: boolean }
  | { action: "move"; categorySlug: string }
  | { action: "retitle"; title: string };

/** Lock, pin, move to another room or retitle a thread; each is written to the audit log. */
export async function moderateThread(actor: Actor, threadId: string, change: ThreadModeration): Promise<void> {
  if (!can(actor, "hide")) throw new ForbiddenError();
  const thread = await loadThread(threadId);
  if (!thread) throw new NotFoundError();
  await db().transaction(async (tx) => {
    let details: Record<string, unknown> = {};
    if (change.action === "lock") {
      await tx.update(threads).set({ locked: change.value }).where(eq(threads.id, threadId));
      details = { locked: change.value };
    } else if (change.action === "pin") {
      await tx.update(threads).set({ pinned: change.value }).where(eq(threads.id, threadId));
      details = { pinned: change.value };
    } else if (change.action === "move") {
      const [target] = await tx
        .select({ id: categories.id })
        .from(categories)
        .where(eq(categories.slug, change.categorySlug));
      if (!target) throw new InputError("categorySlug", "Diesen Themenraum gibt es nicht.");
      await tx.update(threads).set({ categoryId: target.id }).where(eq(threads.id, threadId));
      details = { from: thread.categoryId, to: target.id };
    } else {
      await tx.update(threads).set({ title: change.title, updatedAt: new Date() }).where(eq(threads.id, threadId));
      details = { from: thread.title, to: change.title };
    }
    await writeAudit(tx, {
      actorId: actor.id,
      action: `thread.${change.action}`,
      subjectType: "thread",
      subjectId: threadId,
      details,
    });
    // Room and title are part of the thread's and every reply's document.
    if (change.action === "move" || change.action === "retitle") await enqueueSearch(tx, "thread", [threadId]);
  });
  indexSoon();
  broadcastThreadChange(threadId, null, "moderation");
}
