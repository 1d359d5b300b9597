/**
 * Pictures in posts and material descriptions (issue 19): receiving them through the library's upload path (type
 * sniffed from the bytes, size limit while they arrive), processing them in a worker (process.server.ts), limits per
 * picture and per member and day, handing them to a post or material, serving them to who may read that, and removing
 * them with their post, material or account. Renditions live in DATA_DIR/uploads/bilder/<id>-<width>.jpg.
 */
import crypto from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { images, materials, posts, threads, users } from "../../../db/schema/index.ts";
import { can, isModerator, type Actor } from "../../auth/permissions.ts";
import { imageIdOf, imageSrc, renditionWidths } from "../../domain/images.ts";
import type { RichDoc, RichNode } from "../../domain/richtext/types.ts";
import { env } from "../../env.server.ts";
import { db, type Database } from "../db.server.ts";
import { ForbiddenError, InputError, TooManyError } from "../errors.server.ts";
import { postFacts, threadFacts } from "../discussions/facts.server.ts";
import {
  canReadMaterialFile,
  canUploadFiles,
  FileTooLargeError,
  formatMb,
  inAbout,
  receiveUpload,
  uploadLimits,
  uploadMessages,
  uploadsDir,
} from "../library/files.server.ts";
import { processImage } from "./process.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

const MB = 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Pictures nobody put into a post are kept this long (a draft may wait a few days), then swept. */
const UNCLAIMED_DAYS = 7;

export const imageMessages = {
  notAnImage: "Bitte wähle ein Bild aus (JPEG, PNG, GIF oder WebP).",
  unreadable:
    "Das Bild konnte nicht gelesen werden. Bitte speichere es noch einmal als JPEG oder PNG und lade es erneut hoch.",
  pixels: (mp: number) =>
    `Das Bild hat zu viele Bildpunkte (höchstens ${mp} Megapixel). Bitte verkleinere es und lade es erneut hoch.`,
  timeout: "Das Bild konnte nicht rechtzeitig verarbeitet werden. Bitte verkleinere es und lade es erneut hoch.",
  gone: "Ein Bild in deinem Text gibt es nicht mehr oder es gehört zu einem anderen Beitrag. Bitte entferne es und füge es noch einmal ein.",
  size: "Ein Bild in deinem Text hat nicht die gespeicherte Größe. Bitte entferne es und füge es noch einmal ein.",
} as const;

export function imagesDir(): string {
  return path.join(uploadsDir(), "bilder");
}

export interface StoredImage {
  id: string;
  /** What an image node in a document carries as `src`. */
  src: string;
  width: number;
  height: number;
}

interface ImageLimits {
  images: number;
  bytes: number;
  pixels: number;
}

function imageLimits(): ImageLimits {
  const config = env();
  return {
    images: config.UPLOAD_DAILY_IMAGES,
    bytes: Math.floor(config.UPLOAD_DAILY_IMAGES_MB * MB),
    pixels: config.UPLOAD_IMAGE_MAX_MEGAPIXELS * 1_000_000,
  };
}

/** The member's pictures of the last 24 hours that still exist (bytes as uploaded), by the database's clock. */
async function dailyUse(executor: Tx | Database, actorId: string) {
  const [row] = await executor
    .select({
      bytes: sql<number>`coalesce(sum(${images.originalSize}), 0)::float8`,
      count: sql<number>`count(*)::int`,
      freeInSeconds: sql<number>`coalesce(extract(epoch from min(${images.createdAt}) + interval '24 hours' - now()), 0)::float8`,
    })
    .from(images)
    .where(and(eq(images.uploadedBy, actorId), sql`${images.createdAt} > now() - interval '24 hours'`));
  return {
    bytes: Number(row.bytes),
    count: Number(row.count),
    freeInSeconds: Math.max(1, Math.ceil(Number(row.freeInSeconds))),
  };
}

/** Throws TooManyError (429) when the day's pictures are used up; otherwise the bytes that are left. */
function checkDaily(limits: ImageLimits, use: Awaited<ReturnType<typeof dailyUse>>): number {
  if (use.count >= limits.images || use.bytes >= limits.bytes) {
    const what = use.count >= limits.images ? `${limits.images} Bilder` : `Bilder mit ${formatMb(limits.bytes)} MB`;
    throw new TooManyError(
      `Du hast in den letzten 24 Stunden ${what} hochgeladen, mehr geht an einem Tag nicht. Bitte versuche es ${inAbout(use.freeInSeconds)} wieder.`,
      use.freeInSeconds,
    );
  }
  return limits.bytes - use.bytes;
}

const overDailyMessage = (limits: ImageLimits) => (left: number) =>
  `Das Bild ist größer als dein restliches Kontingent für Bilder: In den letzten 24 Stunden sind noch ${formatMb(left)} MB von ${formatMb(limits.bytes)} MB frei.`;

async function removeRenditions(id: string, width: number | null): Promise<void> {
  if (!UUID.test(id)) return;
  const dir = imagesDir();
  const names =
    width !== null
      ? renditionWidths(width).map((w) => `${id}-${w}.jpg`)
      : (await fsp.readdir(dir).catch(() => [] as string[])).filter((name) => name.startsWith(`${id}-`));
  await Promise.all(names.map((name) => fsp.rm(path.join(dir, name), { force: true }).catch(() => {})));
}

/**
 * Receives one picture (the multipart part), makes its renditions and records it as the actor's picture that belongs
 * to nothing yet. Refusals: ForbiddenError, InputError("file") for anything that is not a readable picture,
 * FileTooLargeError (413) over the size or pixel limit or what is left of the day's bytes, TooManyError (429) when the
 * day's pictures are used up. In every failure nothing stays on disk or in the database.
 */
export async function storeImage(
  actor: Actor | null,
  input: { stream: Readable; filename: string | null | undefined },
): Promise<StoredImage> {
  input.stream.on("error", () => {});
  if (!actor) throw new ForbiddenError(uploadMessages.notLoggedIn);
  if (!canUploadFiles(actor)) throw new ForbiddenError(uploadMessages.forbidden);
  const limits = imageLimits();
  const leftBytes = checkDaily(limits, await dailyUse(db(), actor.id));
  return receiveUpload(
    {
      stream: input.stream,
      filename: input.filename,
      limits: uploadLimits(),
      leftBytes,
      overQuota: overDailyMessage(limits),
      kinds: ["image"],
      unsupported: imageMessages.notAnImage,
    },
    async ({ tmpPath, size }) => {
      const id = crypto.randomUUID();
      await fsp.mkdir(imagesDir(), { recursive: true });
      let kept = false;
      try {
        const result = await processImage(tmpPath, imagesDir(), id, { maxPixels: limits.pixels });
        if (!result.ok) {
          if (result.reason === "pixels") throw new FileTooLargeError(imageMessages.pixels(limits.pixels / 1_000_000));
          throw new InputError("file", result.reason === "timeout" ? imageMessages.timeout : imageMessages.unreadable);
        }
        const storedSize = result.renditions.reduce((sum, r) => sum + r.size, 0);
        await db().transaction(async (tx) => {
          // Parallel uploads each passed the first check: lock the member, then count again.
          await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for("update");
          const left = checkDaily(limits, await dailyUse(tx, actor.id));
          if (size > left) throw new FileTooLargeError(overDailyMessage(limits)(left));
          await tx.insert(images).values({
            id,
            uploadedBy: actor.id,
            width: result.width,
            height: result.height,
            originalSize: size,
            storedSize,
          });
        });
        kept = true;
        return { id, src: imageSrc(id), width: result.width, height: result.height };
      } finally {
        if (!kept) await removeRenditions(id, null);
      }
    },
  );
}

/** Removes a picture of the actor's that belongs to nothing yet (a discarded or broken-off upload). */
export async function discardImage(actor: Actor, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const rows = await db()
    .delete(images)
    .where(and(eq(images.id, id), eq(images.uploadedBy, actor.id), isNull(images.postId), isNull(images.materialId)))
    .returning({ id: images.id, width: images.width });
  for (const row of rows) await removeRenditions(row.id, row.width);
  return rows.length > 0;
}

/** The image nodes of a document, in order. */
export function imageNodes(doc: RichDoc | RichNode | null | undefined): RichNode[] {
  const found: RichNode[] = [];
  const walk = (node: RichNode | null | undefined) => {
    if (!node || typeof node !== "object") return;
    if (node.type === "image") found.push(node);
    if (Array.isArray(node.content)) for (const child of node.content) walk(child);
  };
  walk(doc);
  return found;
}

/**
 * Gives the pictures of a document to a post or material, inside the caller's transaction: each must be the actor's
 * own picture that belongs to nothing yet, or already belong to this very post or material (an edit). Its size in the
 * document must be the recorded one (no layout shift, no stretched pictures). Throws InputError("body") otherwise, so
 * the caller's transaction rolls back and the form keeps what was typed.
 */
export async function claimImages(
  tx: Tx,
  owner: { postId: string } | { materialId: string },
  doc: RichDoc,
  actor: Actor,
  field = "body",
): Promise<void> {
  const nodes = imageNodes(doc);
  if (nodes.length === 0) return;
  const ids = [...new Set(nodes.map((n) => imageIdOf(n.attrs?.src)))];
  if (ids.some((id) => id === null)) throw new InputError(field, imageMessages.gone);
  const mine = "postId" in owner ? eq(images.postId, owner.postId) : eq(images.materialId, owner.materialId);
  const free = and(isNull(images.postId), isNull(images.materialId), eq(images.uploadedBy, actor.id));
  const rows = await tx
    .select({ id: images.id, width: images.width, height: images.height })
    .from(images)
    .where(and(inArray(images.id, ids as string[]), or(mine, free)))
    .for("update");
  if (rows.length !== ids.length) throw new InputError(field, imageMessages.gone);
  const sizes = new Map(rows.map((r) => [r.id, r]));
  for (const node of nodes) {
    const row = sizes.get(imageIdOf(node.attrs?.src)!);
    if (!row || row.width !== node.attrs?.width || row.height !== node.attrs?.height)
      throw new InputError(field, imageMessages.size);
  }
  await tx
    .update(images)
    .set("postId" in owner ? { postId: owner.postId } : { materialId: owner.materialId })
    .where(inArray(images.id, ids as string[]));
}

/** Deletes pictures (rows, then bytes) chosen by `where`; returns how many. Run outside any transaction. */
async function removeWhere(where: ReturnType<typeof and>): Promise<number> {
  const rows = await db().delete(images).where(where).returning({ id: images.id, width: images.width });
  for (const row of rows) await removeRenditions(row.id, row.width);
  return rows.length;
}

/** The pictures of deleted posts (a deleted opening post takes its thread's). Call after the deletion committed. */
export async function removePostImages(postIds: string[]): Promise<number> {
  const ids = postIds.filter((id) => UUID.test(id));
  return ids.length ? removeWhere(inArray(images.postId, ids)) : 0;
}

/** The pictures of every post of a deleted thread. Call after the deletion committed. */
export async function removeThreadImages(threadId: string): Promise<number> {
  if (!UUID.test(threadId)) return 0;
  return removeWhere(
    inArray(images.postId, db().select({ id: posts.id }).from(posts).where(eq(posts.threadId, threadId))),
  );
}

export async function removeMaterialImages(materialId: string): Promise<number> {
  return UUID.test(materialId) ? removeWhere(eq(images.materialId, materialId)) : 0;
}

/** Files of pictures whose rows are already gone (account deletion removes the rows in its transaction). */
export async function removeImageFiles(rows: { id: string; width: number }[]): Promise<void> {
  for (const row of rows) await removeRenditions(row.id, row.width);
}

/** The sweep: pictures nobody put into a post or material within UNCLAIMED_DAYS. */
export async function deleteUnclaimedImages(
  olderThan: Date = new Date(Date.now() - UNCLAIMED_DAYS * DAY),
): Promise<number> {
  return removeWhere(and(isNull(images.postId), isNull(images.materialId), lt(images.createdAt, olderThan)));
}

export interface ImageFile {
  path: string;
  /** Members-only content; the serving route sets the cache headers from this. */
  id: string;
}

/**
 * One rendition to serve, or null when there is none (unknown picture or width, deleted post); ForbiddenError when
 * the actor may not see where the picture belongs: the post's thread, the material, or, before it belongs anywhere,
 * only its uploader (and moderators).
 */
export async function getImageFile(actor: Actor, id: string, width: number): Promise<ImageFile | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db()
    .select({
      width: images.width,
      uploadedBy: images.uploadedBy,
      postId: images.postId,
      materialId: images.materialId,
      post: { authorId: posts.authorId, hiddenAt: posts.hiddenAt, deletedAt: posts.deletedAt },
      thread: {
        authorId: threads.authorId,
        type: threads.type,
        locked: threads.locked,
        hiddenAt: threads.hiddenAt,
        deletedAt: threads.deletedAt,
      },
      material: { status: materials.status, createdBy: materials.createdBy, suggestedBy: materials.suggestedBy },
    })
    .from(images)
    .leftJoin(posts, eq(posts.id, images.postId))
    .leftJoin(threads, eq(threads.id, posts.threadId))
    .leftJoin(materials, eq(materials.id, images.materialId))
    .where(eq(images.id, id));
  if (!row || !renditionWidths(row.width).includes(width)) return null;
  let allowed: boolean;
  if (row.postId && row.post && row.thread) {
    if (row.post.deletedAt) return null;
    const post = postFacts(
      row.post as Parameters<typeof postFacts>[0],
      threadFacts(row.thread as Parameters<typeof threadFacts>[0]),
    );
    allowed = can(actor, "view", { type: "post", post });
  } else if (row.materialId && row.material) {
    allowed = canReadMaterialFile(actor, row.material as Parameters<typeof canReadMaterialFile>[1]);
  } else {
    allowed = row.uploadedBy === actor.id || isModerator(actor);
  }
  if (!allowed) throw new ForbiddenError("Dieses Bild kannst du nicht sehen.");
  return { path: path.join(imagesDir(), `${id}-${width}.jpg`), id };
}

/** The member's pictures for the data export: the record and the largest rendition's file. */
export async function imagesOf(executor: Database, userId: string) {
  const rows = await executor
    .select({
      id: images.id,
      width: images.width,
      height: images.height,
      postId: images.postId,
      materialId: images.materialId,
      createdAt: images.createdAt,
    })
    .from(images)
    .where(eq(images.uploadedBy, userId))
    .orderBy(images.createdAt);
  return rows.map((row) => ({
    ...row,
    file: path.join(imagesDir(), `${row.id}-${Math.max(...renditionWidths(row.width))}.jpg`),
  }));
}
