import { and, asc, eq, sql } from "drizzle-orm";
import { collectionItems, collections, materials } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { writeAudit } from "../audit.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { requireFieldId, requireId } from "../input.server.ts";

/** Themenpakete with the number of their published materials. */
export async function listCollections() {
  return db()
    .select({
      id: collections.id,
      slug: collections.slug,
      title: collections.title,
      description: collections.description,
      // Spelled out: inside the subquery a bare "id" would mean the material's id.
      count: sql<number>`(select count(*)::int from collection_items ci join materials m on m.id = ci.material_id where ci.collection_id = "collections"."id" and m.status = 'published')`,
    })
    .from(collections)
    .orderBy(asc(collections.position), asc(collections.title));
}

export async function getCollection(slug: string) {
  const [collection] = await db().select().from(collections).where(eq(collections.slug, slug));
  if (!collection) return null;
  const items = await db()
    .select({
      id: materials.id,
      title: materials.title,
      type: materials.type,
      summary: materials.summary,
      status: materials.status,
      position: collectionItems.position,
    })
    .from(collectionItems)
    .innerJoin(materials, eq(materials.id, collectionItems.materialId))
    .where(eq(collectionItems.collectionId, collection.id))
    .orderBy(asc(collectionItems.position));
  return { collection, items };
}

export async function saveCollection(
  actor: Actor,
  input: { id?: string | null; slug: string; title: string; description: string },
): Promise<{ id: string }> {
  if (!can(actor, "curate")) throw new ForbiddenError();
  if (input.id) requireId(input.id);
  return db().transaction(async (tx) => {
    const [clash] = await tx.select({ id: collections.id }).from(collections).where(eq(collections.slug, input.slug));
    if (clash && clash.id !== input.id)
      throw new InputError("slug", "Diese Adresse hat schon ein anderes Themenpaket.");
    let id = input.id ?? null;
    const values = { slug: input.slug, title: input.title, description: input.description };
    if (id) {
      const updated = await tx
        .update(collections)
        .set(values)
        .where(eq(collections.id, id))
        .returning({ id: collections.id });
      if (!updated.length) throw new NotFoundError();
    } else {
      const [{ max }] = await tx
        .select({ max: sql<number>`coalesce(max(${collections.position}), 0)::int` })
        .from(collections);
      [{ id }] = await tx
        .insert(collections)
        .values({ ...values, position: max + 1 })
        .returning({ id: collections.id });
    }
    await writeAudit(tx, {
      actorId: actor.id,
      action: input.id ? "collection.update" : "collection.create",
      subjectType: "collection",
      subjectId: id!,
      details: values,
    });
    return { id: id! };
  });
}

/** Adds a material at the end, removes it, or moves it one place up or down. */
export async function changeCollectionItem(
  actor: Actor,
  collectionId: string,
  materialId: string,
  change: "add" | "remove" | "up" | "down",
): Promise<void> {
  if (!can(actor, "curate")) throw new ForbiddenError();
  requireId(collectionId);
  requireFieldId(materialId, "materialId", "Dieses Material gibt es nicht.");
  await db().transaction(async (tx) => {
    const items = await tx
      .select({ materialId: collectionItems.materialId })
      .from(collectionItems)
      .where(eq(collectionItems.collectionId, collectionId))
      .orderBy(asc(collectionItems.position));
    let order = items.map((i) => i.materialId);
    if (change === "add") {
      if (order.includes(materialId)) throw new InputError("materialId", "Dieses Material ist schon im Themenpaket.");
      const [exists] = await tx.select({ id: materials.id }).from(materials).where(eq(materials.id, materialId));
      if (!exists) throw new InputError("materialId", "Dieses Material gibt es nicht.");
      order.push(materialId);
    } else if (change === "remove") {
      order = order.filter((id) => id !== materialId);
      await tx
        .delete(collectionItems)
        .where(and(eq(collectionItems.collectionId, collectionId), eq(collectionItems.materialId, materialId)));
    } else {
      const i = order.indexOf(materialId);
      const j = change === "up" ? i - 1 : i + 1;
      if (i < 0 || j < 0 || j >= order.length) return;
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let p = 0; p < order.length; p++) {
      await tx
        .insert(collectionItems)
        .values({ collectionId, materialId: order[p], position: p + 1 })
        .onConflictDoUpdate({
          target: [collectionItems.collectionId, collectionItems.materialId],
          set: { position: p + 1 },
        });
    }
    await writeAudit(tx, {
      actorId: actor.id,
      action: `collection.${change}`,
      subjectType: "collection",
      subjectId: collectionId,
      details: { materialId },
    });
  });
}
