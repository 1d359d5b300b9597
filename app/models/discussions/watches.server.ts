import { and, eq } from "drizzle-orm";
import { categories, categoryWatches, threadWatches } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, NotFoundError } from "../errors.server.ts";
import { loadThread, threadFacts } from "./facts.server.ts";

export async function setThreadWatch(actor: Actor, threadId: string, on: boolean): Promise<void> {
  const thread = await loadThread(threadId);
  if (!thread) throw new NotFoundError();
  if (!can(actor, "view", { type: "thread", thread: threadFacts(thread) })) throw new ForbiddenError();
  if (on) await db().insert(threadWatches).values({ userId: actor.id, threadId }).onConflictDoNothing();
  else
    await db()
      .delete(threadWatches)
      .where(and(eq(threadWatches.userId, actor.id), eq(threadWatches.threadId, threadId)));
}

export async function setCategoryWatch(actor: Actor, categorySlug: string, on: boolean): Promise<void> {
  if (!can(actor, "read")) throw new ForbiddenError();
  const [category] = await db().select({ id: categories.id }).from(categories).where(eq(categories.slug, categorySlug));
  if (!category) throw new NotFoundError();
  if (on)
    await db().insert(categoryWatches).values({ userId: actor.id, categoryId: category.id }).onConflictDoNothing();
  else
    await db()
      .delete(categoryWatches)
      .where(and(eq(categoryWatches.userId, actor.id), eq(categoryWatches.categoryId, category.id)));
}
