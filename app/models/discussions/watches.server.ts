import { and, eq } from "drizzle-orm";
import { categories, categoryWatches, drafts, threadWatches } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { loadThread, threadFacts } from "./facts.server.ts";

export async function setThreadWatch(actor: Actor, threadId: string, on: boolean): Promise<void> {
  const thread = await loadThread(threadId);
  if (!thread) throw new NotFoundError();
  if (!can(actor, "view", { type: "thread", thread: threadFacts(thread) })) throw new ForbiddenError();
  if (on) await db().insert(threadWatches).values({ userId: actor.id, threadId }).onConflictDoNothing();
  else await db().delete(threadWatches).where(and(eq(threadWatches.userId, actor.id), eq(threadWatches.threadId, threadId)));
}

export async function setCategoryWatch(actor: Actor, categorySlug: string, on: boolean): Promise<void> {
  if (!can(actor, "read")) throw new ForbiddenError();
  const [category] = await db().select({ id: categories.id }).from(categories).where(eq(categories.slug, categorySlug));
  if (!category) throw new NotFoundError();
  if (on) await db().insert(categoryWatches).values({ userId: actor.id, categoryId: category.id }).onConflictDoNothing();
  else await db().delete(categoryWatches).where(and(eq(categoryWatches.userId, actor.id), eq(categoryWatches.categoryId, category.id)));
}

/** Draft keys name a place: a new thread, a reply to a post (or to the thread), or an edit. */
const DRAFT_KEY = /^(thread:new|reply:[0-9a-f-]{36}:([0-9a-f-]{36}|thread)|edit:[0-9a-f-]{36})$/;
const MAX_DRAFT_CHARS = 250_000;

export async function saveDraft(actor: Actor, key: string, content: unknown): Promise<void> {
  if (!DRAFT_KEY.test(key)) throw new InputError("key", "Unbekannter Entwurf.");
  const size = JSON.stringify(content ?? null).length;
  if (size > MAX_DRAFT_CHARS) throw new InputError("content", "Der Entwurf ist zu groß.");
  const now = new Date();
  await db()
    .insert(drafts)
    .values({ userId: actor.id, key, content: content as object, updatedAt: now })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.key], set: { content: content as object, updatedAt: now } });
}

export async function getDrafts(actor: Actor, keys: string[]): Promise<Record<string, unknown>> {
  const rows = await db().select({ key: drafts.key, content: drafts.content }).from(drafts).where(eq(drafts.userId, actor.id));
  return Object.fromEntries(rows.filter((r) => keys.some((k) => r.key === k || (k.endsWith("*") && r.key.startsWith(k.slice(0, -1))))).map((r) => [r.key, r.content]));
}

