/**
 * The Merkliste for reading offline (ADR 038): the member's bookmarked materials they may still see, with their files,
 * for the service worker to keep on the device. Only the acting member's own list, like everything in bookmarks.
 */
import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { bookmarks, materialFiles, materials } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import type { OfflineMaterial } from "../../sw/paths.ts";
import { db } from "../db.server.ts";
import { ForbiddenError } from "../errors.server.ts";
import { materialFacts } from "../library/materials.server.ts";

/** More than a Merkliste usually holds; the worker's size caps limit the files anyway. */
export const OFFLINE_MATERIALS_MAX = 50;

export async function offlineMaterials(actor: Actor): Promise<OfflineMaterial[]> {
  if (!can(actor, "read")) throw new ForbiddenError();
  const rows = await db()
    .select({
      id: materials.id,
      title: materials.title,
      status: materials.status,
      createdBy: materials.createdBy,
      suggestedBy: materials.suggestedBy,
    })
    .from(bookmarks)
    .innerJoin(materials, eq(materials.id, bookmarks.materialId))
    .where(and(eq(bookmarks.userId, actor.id), eq(bookmarks.kind, "material"), isNotNull(bookmarks.materialId)))
    .orderBy(desc(bookmarks.createdAt), desc(bookmarks.id))
    .limit(OFFLINE_MATERIALS_MAX);
  const visible = rows.filter((m) => can(actor, "view", { type: "material", material: materialFacts(m) }));
  if (visible.length === 0) return [];
  const files = await db()
    .select({ id: materialFiles.id, materialId: materialFiles.materialId, size: materialFiles.size })
    .from(materialFiles)
    .where(
      inArray(
        materialFiles.materialId,
        visible.map((m) => m.id),
      ),
    )
    .orderBy(asc(materialFiles.createdAt));
  return visible.map((m) => ({
    url: `/materialien/${m.id}`,
    title: m.title,
    files: files.filter((f) => f.materialId === m.id).map((f) => ({ url: `/dateien/${f.id}`, bytes: f.size })),
  }));
}
