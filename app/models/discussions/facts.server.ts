import { eq } from "drizzle-orm";
import { isUuid } from "../../schemas/values.ts";
import { posts, threads } from "../../../db/schema/index.ts";
import type { PostFacts, ThreadFacts } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";

type ThreadRow = Pick<typeof threads.$inferSelect, "authorId" | "type" | "locked" | "hiddenAt" | "deletedAt">;

export function threadFacts(row: ThreadRow): ThreadFacts {
  return {
    authorId: row.authorId,
    type: row.type,
    locked: row.locked,
    hidden: row.hiddenAt !== null,
    deleted: row.deletedAt !== null,
  };
}

export function postFacts(
  row: Pick<typeof posts.$inferSelect, "authorId" | "hiddenAt" | "deletedAt">,
  thread: ThreadFacts,
): PostFacts {
  return { authorId: row.authorId, hidden: row.hiddenAt !== null, deleted: row.deletedAt !== null, thread };
}

export async function loadThread(id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db().select().from(threads).where(eq(threads.id, id));
  return row ?? null;
}

/** A post with its thread, for permission checks. */
export async function loadPost(id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db()
    .select({ post: posts, thread: threads })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, id));
  return row ?? null;
}

export async function getThreadFacts(id: string): Promise<ThreadFacts | null> {
  const row = await loadThread(id);
  return row ? threadFacts(row) : null;
}

// Ids come from URLs and forms; anything that is not a UUID is simply "not found" (and never reaches SQL).
export { isUuid };

/** The post, if it belongs to the thread named in the URL; otherwise "not found" (ids from one thread never act on
 * another). */
export async function loadPostInThread(threadId: string, postId: string) {
  const found = await loadPost(postId);
  return found && found.post.threadId === threadId ? found : null;
}
