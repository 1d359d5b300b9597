import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { categories, categoryWatches, threads } from "../../../db/schema/index.ts";
import { can, isModerator, type Actor } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { writeAudit } from "../audit.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { requireId } from "../input.server.ts";
import { enqueueSearch, indexSoon } from "../search/outbox.server.ts";

export async function listCategories() {
  return db()
    .select({
      id: categories.id,
      slug: categories.slug,
      name: categories.name,
      description: categories.description,
      position: categories.position,
    })
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.name));
}

/**
 * The rooms page: every room with the number of discussions the viewer can see, the latest activity among them and
 * whether the viewer watches it. Hidden discussions count for moderators only, as in the room's own list.
 */
export async function listRooms(viewer: Actor) {
  const visible = isModerator(viewer)
    ? and(eq(threads.categoryId, categories.id), isNull(threads.deletedAt))
    : and(eq(threads.categoryId, categories.id), isNull(threads.deletedAt), isNull(threads.hiddenAt));
  return db()
    .select({
      id: categories.id,
      slug: categories.slug,
      name: categories.name,
      description: categories.description,
      threadCount: sql<number>`count(${threads.id})::int`,
      lastActivityAt: sql<string | null>`max(${threads.lastActivityAt})`,
      watching: sql<boolean>`exists (select 1 from ${categoryWatches} where ${categoryWatches.categoryId} = ${categories.id} and ${categoryWatches.userId} = ${viewer.id})`,
    })
    .from(categories)
    .leftJoin(threads, visible)
    .groupBy(categories.id)
    .orderBy(asc(categories.position), asc(categories.name));
}

export async function getCategory(slug: string, viewerId: string) {
  const [row] = await db()
    .select({
      id: categories.id,
      slug: categories.slug,
      name: categories.name,
      description: categories.description,
      watching: sql<boolean>`exists (select 1 from ${categoryWatches} where ${categoryWatches.categoryId} = ${categories.id} and ${categoryWatches.userId} = ${viewerId})`,
    })
    .from(categories)
    .where(eq(categories.slug, slug));
  return row ?? null;
}

export interface CategoryInput {
  slug: string;
  name: string;
  description: string;
}

/** Moderators manage the rooms; each change is audited. */
export async function saveCategory(actor: Actor, id: string | null, input: CategoryInput): Promise<{ id: string }> {
  if (!can(actor, "manageCategories")) throw new ForbiddenError();
  if (id !== null) requireId(id);
  const saved = await db().transaction(async (tx) => {
    const [clash] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, input.slug));
    if (clash && clash.id !== id) throw new InputError("slug", "Diese Adresse hat schon ein anderer Themenraum.");
    let savedId = id;
    if (id) {
      const [before] = await tx.select({ slug: categories.slug }).from(categories).where(eq(categories.id, id));
      const updated = await tx
        .update(categories)
        .set(input)
        .where(eq(categories.id, id))
        .returning({ id: categories.id });
      if (!before || updated.length === 0) throw new NotFoundError();
      // Search filters rooms by address: the room's threads and replies are re-indexed under the new one.
      if (before.slug !== input.slug) {
        const inRoom = await tx.select({ id: threads.id }).from(threads).where(eq(threads.categoryId, id));
        await enqueueSearch(
          tx,
          "thread",
          inRoom.map((t) => t.id),
        );
      }
    } else {
      const [{ max }] = await tx
        .select({ max: sql<number>`coalesce(max(${categories.position}), 0)::int` })
        .from(categories);
      const [row] = await tx
        .insert(categories)
        .values({ ...input, position: max + 1 })
        .returning({ id: categories.id });
      savedId = row.id;
    }
    await writeAudit(tx, {
      actorId: actor.id,
      action: id ? "category.update" : "category.create",
      subjectType: "category",
      subjectId: savedId!,
      details: input,
    });
    return { id: savedId! };
  });
  indexSoon();
  return saved;
}

/** Moves a room one place up or down in the order. */
export async function moveCategory(actor: Actor, id: string, direction: "up" | "down"): Promise<void> {
  if (!can(actor, "manageCategories")) throw new ForbiddenError();
  await db().transaction(async (tx) => {
    const all = await tx
      .select({ id: categories.id, position: categories.position })
      .from(categories)
      .orderBy(asc(categories.position), asc(categories.name));
    const index = all.findIndex((c) => c.id === id);
    const swap = direction === "up" ? index - 1 : index + 1;
    if (index < 0 || swap < 0 || swap >= all.length) return;
    [all[index], all[swap]] = [all[swap], all[index]];
    for (let i = 0; i < all.length; i++)
      await tx
        .update(categories)
        .set({ position: i + 1 })
        .where(eq(categories.id, all[i].id));
    await writeAudit(tx, {
      actorId: actor.id,
      action: "category.reorder",
      subjectType: "category",
      subjectId: id,
      details: { direction },
    });
  });
}

/** Only an empty room can be deleted; threads are moved first, so nothing disappears by accident. */
export async function deleteCategory(actor: Actor, id: string): Promise<void> {
  if (!can(actor, "manageCategories")) throw new ForbiddenError();
  requireId(id);
  await db().transaction(async (tx) => {
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(threads)
      .where(and(eq(threads.categoryId, id)));
    if (n > 0)
      throw new InputError(
        "form",
        `In diesem Themenraum gibt es noch ${n} ${n === 1 ? "Diskussion" : "Diskussionen"}. Verschiebe sie zuerst.`,
      );
    const deleted = await tx.delete(categories).where(eq(categories.id, id)).returning({ name: categories.name });
    if (deleted.length === 0) throw new NotFoundError();
    await writeAudit(tx, {
      actorId: actor.id,
      action: "category.delete",
      subjectType: "category",
      subjectId: id,
      details: { name: deleted[0].name },
    });
  });
}
