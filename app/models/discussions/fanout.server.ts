import { eq } from "drizzle-orm";
import { categoryWatches, posts, threads, threadWatches } from "../../../db/schema/index.ts";
import type { NotificationType } from "../../../db/schema/index.ts";
import { roomName, type ThreadChange } from "../../realtime/events.ts";
import { publish } from "../../realtime/hub.server.ts";
import { db } from "../db.server.ts";
import { resolveMentions } from "./body.server.ts";
import { notify, type NewNotification } from "./notifications.server.ts";

/** Tells open thread pages that something changed; they reload through their loader, which applies permissions. */
export function broadcastThreadChange(threadId: string, postId: string | null, change: ThreadChange): void {
  publish(roomName.thread(threadId), "thread:changed", { threadId, postId, change });
}

/** Notifications for members mentioned in a new thread or an edit. */
export async function notifyMentions(input: {
  threadId: string;
  postId: string | null;
  actorId: string | null;
  authorId: string;
  handles: string[];
}): Promise<void> {
  const mentioned = await resolveMentions(input.handles);
  await notify(
    mentioned
      .filter((m) => m.id !== input.authorId)
      .map((m) => ({
        userId: m.id,
        type: "mention" as const,
        threadId: input.threadId,
        postId: input.postId,
        actorId: input.actorId,
      })),
  );
}

/**
 * Who hears about a new reply: mentioned members ("mention"), the question's author ("answer": your question got an
 * answer), watchers of the thread or its room and the author of the post answered ("reply"). One notification per
 * person, the most specific kind winning; never the writer.
 */
export async function notifyReply(input: {
  threadId: string;
  postId: string;
  parentId: string;
  authorId: string;
  anonymous: boolean;
  handles: string[];
}): Promise<void> {
  const [thread] = await db()
    .select({ authorId: threads.authorId, type: threads.type, categoryId: threads.categoryId })
    .from(threads)
    .where(eq(threads.id, input.threadId));
  if (!thread) return;
  const [parent] = await db().select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, input.parentId));
  const threadWatchers = await db()
    .select({ userId: threadWatches.userId })
    .from(threadWatches)
    .where(eq(threadWatches.threadId, input.threadId));
  const roomWatchers = await db()
    .select({ userId: categoryWatches.userId })
    .from(categoryWatches)
    .where(eq(categoryWatches.categoryId, thread.categoryId));
  const mentioned = await resolveMentions(input.handles);

  const kinds = new Map<string, NotificationType>();
  const rank: Partial<Record<NotificationType, number>> = { reply: 0, answer: 1, mention: 2, accepted: 3 };
  const offer = (userId: string | null | undefined, type: NotificationType) => {
    if (!userId || userId === input.authorId) return;
    const current = kinds.get(userId);
    if (!current || (rank[type] ?? 0) > (rank[current] ?? 0)) kinds.set(userId, type);
  };
  for (const w of [...threadWatchers, ...roomWatchers]) offer(w.userId, "reply");
  offer(parent?.authorId, "reply");
  if (thread.type === "question") offer(thread.authorId, "answer");
  for (const m of mentioned) offer(m.id, "mention");

  const list: NewNotification[] = [...kinds].map(([userId, type]) => ({
    userId,
    type,
    threadId: input.threadId,
    postId: input.postId,
    actorId: input.anonymous ? null : input.authorId,
  }));
  await notify(list);
}
