import { and, asc, eq, sql } from "drizzle-orm";
import { postRevisions, posts, reactions, threads, users } from "../../../db/schema/index.ts";
import { can, isModerator, type Actor } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { writeAudit } from "../audit.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import type { RenderedBody } from "./body.server.ts";
import { mentionedHandles, type RichDoc } from "../richtext.server.ts";
import { loadPost, loadPostInThread, loadThread, postFacts, threadFacts } from "./facts.server.ts";
import { broadcastThreadChange, notifyMentions, notifyReply } from "./fanout.server.ts";
import { notify } from "./notifications.server.ts";
import { discardSentDraft, type DraftStamp } from "./drafts.server.ts";
import { enqueueSearch, indexSoon } from "../search/outbox.server.ts";
import { claimImages, removePostImages, removeThreadImages } from "../images/images.server.ts";

export function replyDraftKey(threadId: string, parentId: string | null): string {
  return `reply:${threadId}:${parentId ?? "thread"}`;
}

export async function createReply(
  actor: Actor,
  input: {
    threadId: string;
    parentId: string | null;
    body: RenderedBody;
    anonymous: boolean;
    draft?: DraftStamp | null;
  },
): Promise<{ id: string }> {
  const thread = await loadThread(input.threadId);
  if (!thread || !thread.openingPostId) throw new NotFoundError();
  if (!can(actor, "reply", { type: "thread", thread: threadFacts(thread) })) {
    throw new InputError(
      "body",
      thread.locked
        ? "Diese Diskussion ist geschlossen. Antworten sind nicht mehr möglich."
        : "Hier kannst du nicht antworten.",
    );
  }
  const parentId = input.parentId ?? thread.openingPostId;
  const parent = await loadPost(parentId);
  if (!parent || parent.post.threadId !== thread.id) {
    throw new InputError("parentId", "Der Beitrag, auf den du antworten willst, gehört nicht zu dieser Diskussion.");
  }
  if (parent.post.deletedAt || (parent.post.hiddenAt && !isModerator(actor))) {
    throw new InputError("parentId", "Auf diesen Beitrag kann nicht mehr geantwortet werden.");
  }
  const now = new Date();
  const id = await db().transaction(async (tx) => {
    const [row] = await tx
      .insert(posts)
      .values({
        threadId: thread.id,
        parentId,
        authorId: actor.id,
        anonymous: input.anonymous,
        depth: parent.post.depth + 1,
        body: input.body.doc,
        bodyHtml: input.body.html,
        bodyText: input.body.text,
        createdAt: now,
      })
      .returning({ id: posts.id });
    await claimImages(tx, { postId: row.id }, input.body.doc, actor);
    await tx
      .update(threads)
      .set({ replyCount: sql`${threads.replyCount} + 1`, lastActivityAt: now })
      .where(eq(threads.id, thread.id));
    await discardSentDraft(tx, actor.id, replyDraftKey(thread.id, input.parentId), input.draft ?? null);
    await enqueueSearch(tx, "reply", [row.id]);
    return row.id;
  });
  indexSoon();
  broadcastThreadChange(thread.id, id, "reply");
  await notifyReply({
    threadId: thread.id,
    postId: id,
    parentId,
    authorId: actor.id,
    anonymous: input.anonymous,
    handles: input.body.mentions,
  });
  return { id };
}

/** Authors edit their posts; the previous version is kept as a revision readers can view. */
export async function editPost(
  actor: Actor,
  postId: string,
  input: { body: RenderedBody; title?: string; draft?: DraftStamp | null },
): Promise<void> {
  const found = await loadPost(postId);
  if (!found) throw new NotFoundError();
  const { post, thread } = found;
  if (!can(actor, "edit", { type: "post", post: postFacts(post, threadFacts(thread)) })) throw new ForbiddenError();
  const isOpening = post.parentId === null;
  await db().transaction(async (tx) => {
    await tx.insert(postRevisions).values({
      postId,
      title: isOpening ? thread.title : null,
      body: post.body,
      bodyHtml: post.bodyHtml,
      editorId: post.editedAt ? actor.id : post.authorId,
      createdAt: post.editedAt ?? post.createdAt,
    });
    await tx
      .update(posts)
      .set({ body: input.body.doc, bodyHtml: input.body.html, bodyText: input.body.text, editedAt: new Date() })
      .where(eq(posts.id, postId));
    // Pictures the edit removed stay with the post (its earlier versions show them) until the post is deleted.
    await claimImages(tx, { postId }, input.body.doc, actor);
    if (isOpening && input.title && input.title !== thread.title) {
      await tx.update(threads).set({ title: input.title, updatedAt: new Date() }).where(eq(threads.id, thread.id));
    }
    await discardSentDraft(tx, actor.id, `edit:${postId}`, input.draft ?? null);
    // The opening post is the thread's document; a new title also changes every reply's.
    if (isOpening) await enqueueSearch(tx, "thread", [thread.id]);
    else await enqueueSearch(tx, "reply", [postId]);
  });
  indexSoon();
  broadcastThreadChange(thread.id, postId, "edit");
  await notifyMentions({
    threadId: thread.id,
    postId,
    actorId: post.anonymous ? null : actor.id,
    authorId: actor.id,
    // Only people newly mentioned by this edit hear about it.
    handles: input.body.mentions.filter((h) => !mentionedHandles(post.body as RichDoc).includes(h)),
  });
}

/** Earlier versions of a post, oldest first, followed by the current one. Hidden from nobody who can see the post. */
export async function listRevisions(viewer: Actor, postId: string) {
  const found = await loadPost(postId);
  if (!found) return null;
  const { post, thread } = found;
  if (!can(viewer, "view", { type: "post", post: postFacts(post, threadFacts(thread)) }) || post.deletedAt) return null;
  const revisions = await db()
    .select({
      id: postRevisions.id,
      title: postRevisions.title,
      html: postRevisions.bodyHtml,
      createdAt: postRevisions.createdAt,
    })
    .from(postRevisions)
    .where(eq(postRevisions.postId, postId))
    .orderBy(asc(postRevisions.createdAt), asc(postRevisions.id));
  return {
    thread: { id: thread.id, title: thread.title },
    postId,
    isOpening: post.parentId === null,
    versions: [
      ...revisions,
      {
        id: 0,
        title: post.parentId === null ? thread.title : null,
        html: post.bodyHtml,
        createdAt: post.editedAt ?? post.createdAt,
      },
    ],
  };
}

/**
 * Deletes a post. A reply with answers stays as a "gelöscht" placeholder (the page keeps it while it has visible
 * replies). The opening post deletes the whole thread, which its author may do only while nobody has replied.
 */
export async function deletePost(actor: Actor, postId: string): Promise<{ threadDeleted: boolean; threadId: string }> {
  const found = await loadPost(postId);
  if (!found) throw new NotFoundError();
  const { post, thread } = found;
  if (!can(actor, "delete", { type: "post", post: postFacts(post, threadFacts(thread)) })) throw new ForbiddenError();
  const isOpening = post.parentId === null;
  const byModerator = post.authorId !== actor.id;
  if (isOpening && thread.replyCount > 0 && !isModerator(actor)) {
    throw new InputError(
      "form",
      "Diese Diskussion hat schon Antworten. Bitte wende dich an die Moderation, wenn sie entfernt werden soll.",
    );
  }
  const now = new Date();
  await db().transaction(async (tx) => {
    await tx.update(posts).set({ deletedAt: now }).where(eq(posts.id, postId));
    if (isOpening) {
      await tx.update(threads).set({ deletedAt: now }).where(eq(threads.id, thread.id));
    } else {
      await tx
        .update(threads)
        .set({
          replyCount: sql`greatest(${threads.replyCount} - 1, 0)`,
          acceptedPostId: thread.acceptedPostId === postId ? null : thread.acceptedPostId,
        })
        .where(eq(threads.id, thread.id));
    }
    if (byModerator) {
      await writeAudit(tx, {
        actorId: actor.id,
        action: isOpening ? "thread.delete" : "post.delete",
        subjectType: "post",
        subjectId: postId,
        details: { threadId: thread.id },
      });
    }
    // Deleting the accepted answer also changes the thread ("answered").
    if (isOpening || thread.acceptedPostId === postId) await enqueueSearch(tx, "thread", [thread.id]);
    else await enqueueSearch(tx, "reply", [postId]);
  });
  indexSoon();
  // Pictures go with their post (and with a deleted thread, every picture in it).
  if (isOpening) await removeThreadImages(thread.id);
  else await removePostImages([postId]);
  broadcastThreadChange(thread.id, postId, "delete");
  return { threadDeleted: isOpening, threadId: thread.id };
}

/** "Danke" and "Hilfreich": appreciation with counts, never a ranking. */
export async function setReaction(
  actor: Actor,
  postId: string,
  kind: "thanks" | "helpful",
  on: boolean,
): Promise<void> {
  const found = await loadPost(postId);
  if (!found) throw new NotFoundError();
  if (!can(actor, "react", { type: "post", post: postFacts(found.post, threadFacts(found.thread)) }))
    throw new ForbiddenError();
  await db().transaction(async (tx) => {
    if (on)
      await tx
        .insert(reactions)
        .values({ postId, userId: actor.id, kind, threadId: found.thread.id })
        .onConflictDoNothing();
    else
      await tx
        .delete(reactions)
        .where(and(eq(reactions.postId, postId), eq(reactions.userId, actor.id), eq(reactions.kind, kind)));
    const count = sql<number>`(select count(*)::int from ${reactions} where ${reactions.postId} = ${postId} and ${reactions.kind} = ${kind})`;
    await tx
      .update(posts)
      .set(kind === "thanks" ? { thanksCount: count } : { helpfulCount: count })
      .where(eq(posts.id, postId));
    // "Hilfreich" lifts a reply a little in search.
    if (kind === "helpful") await enqueueSearch(tx, "reply", [postId]);
  });
  indexSoon();
  broadcastThreadChange(found.thread.id, postId, "reaction");
}

/** The question's author (or a moderator) marks one reply as the answer; `postId: null` takes the mark back. */
export async function setAcceptedAnswer(actor: Actor, threadId: string, postId: string | null): Promise<void> {
  const thread = await loadThread(threadId);
  if (!thread) throw new NotFoundError();
  if (!can(actor, "acceptAnswer", { type: "thread", thread: threadFacts(thread) })) throw new ForbiddenError();
  let answerAuthor: string | null = null;
  if (postId) {
    const found = await loadPost(postId);
    if (
      !found ||
      found.post.threadId !== threadId ||
      found.post.parentId === null ||
      found.post.deletedAt ||
      found.post.hiddenAt
    ) {
      throw new InputError("postId", "Diese Antwort kann nicht als Lösung markiert werden.");
    }
    answerAuthor = found.post.authorId;
  }
  await db().transaction(async (tx) => {
    await tx.update(threads).set({ acceptedPostId: postId }).where(eq(threads.id, threadId));
    if (thread.authorId !== actor.id) {
      await writeAudit(tx, {
        actorId: actor.id,
        action: "thread.acceptAnswer",
        subjectType: "thread",
        subjectId: threadId,
        details: { postId },
      });
    }
    await enqueueSearch(tx, "thread", [threadId]);
  });
  indexSoon();
  broadcastThreadChange(threadId, postId, "answer");
  if (postId && answerAuthor && answerAuthor !== actor.id) {
    await notify([
      { userId: answerAuthor, type: "accepted", threadId, postId, actorId: thread.anonymous ? null : actor.id },
    ]);
  }
}

/** A moderator looks up who wrote an anonymous post. Every look is written to the audit log. */
export async function revealAuthor(actor: Actor, postId: string): Promise<{ name: string; handle: string } | null> {
  if (!can(actor, "revealAuthor")) throw new ForbiddenError();
  const found = await loadPost(postId);
  if (!found || !found.post.anonymous) throw new NotFoundError();
  const [author] = found.post.authorId
    ? await db()
        .select({ name: users.displayName, handle: users.handle })
        .from(users)
        .where(eq(users.id, found.post.authorId))
    : [];
  await writeAudit(db(), {
    actorId: actor.id,
    action: "post.revealAuthor",
    subjectType: "post",
    subjectId: postId,
    details: { threadId: found.thread.id },
  });
  return author ?? null;
}

/** The stored body (and title, for an opening post) for the edit form, if this member may edit it. */
export async function getPostForEdit(actor: Actor, postId: string) {
  const found = await loadPost(postId);
  if (!found) return null;
  const { post, thread } = found;
  if (!can(actor, "edit", { type: "post", post: postFacts(post, threadFacts(thread)) })) throw new ForbiddenError();
  return {
    threadId: thread.id,
    threadTitle: thread.title,
    postId,
    isOpening: post.parentId === null,
    body: post.body as RichDoc,
    text: post.bodyText,
  };
}

/**
 * The plain text of a post, for quote-reply, the reply form's excerpt and the confirmation pages, if the member may
 * see it (and, with `action`, may delete or report it): null when missing; ForbiddenError when the action is not allowed.
 */
export async function postQuote(
  viewer: Actor,
  threadId: string,
  postId: string,
  action: "view" | "delete" | "flag" = "view",
): Promise<{ text: string } | null> {
  const found = await loadPostInThread(threadId, postId);
  if (!found || found.post.deletedAt) return null;
  const facts = postFacts(found.post, threadFacts(found.thread));
  if (!can(viewer, "view", { type: "post", post: facts })) return null;
  if (action !== "view" && !can(viewer, action, { type: "post", post: facts })) throw new ForbiddenError();
  return { text: found.post.bodyText.slice(0, 1500) };
}
