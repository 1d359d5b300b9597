/**
 * Profile pictures (ADR 028): a member uploads a picture and chooses a square of it; we keep it turned upright and
 * without metadata (EXIF, GPS) and serve the square in three sizes to logged-in members only. Type from the bytes,
 * never from the name; size and pixel limits before any decoding; the image work in a worker thread.
 */
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { profilePictures, users } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { cleanCrop, squareCrop, type Crop, type PictureSize } from "../../domain/avatars/avatars.ts";
import { sniff, SNIFF_BYTES } from "../../domain/library/sniff.ts";
import { env } from "../../env.server.ts";
import { forgetMemberName } from "../accounts/names.server.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import { normalizePicture, PictureProcessingError, squarePictures } from "./process.server.ts";

const MB = 1024 * 1024;
/** 50 megapixels: every phone photo, but no decompression bomb (a 50 MP picture decodes to ~200 MB). */
export const PICTURE_MAX_PIXELS = 50_000_000;
/** Smaller than this cannot fill the largest square (192 px) even remotely. */
export const PICTURE_MIN_SIDE = 64;

const formats = "JPEG, PNG, WebP oder GIF";

export function pictureMaxBytes(): number {
  return Math.floor(env().UPLOAD_MAX_IMAGE_MB * MB);
}

export const pictureMessages = {
  missing: "Bitte wähle ein Bild aus.",
  unsupported: `Diese Datei ist kein Bild, das wir verwenden können. Bitte wähle ein Foto im Format ${formats}.`,
  tooLarge: (max: number) =>
    `Das Bild ist zu groß (höchstens ${(max / MB).toLocaleString("de-DE", { maximumFractionDigits: 1 })} MB). Bitte wähle ein kleineres.`,
  pixels: "Das Bild hat zu viele Bildpunkte (höchstens 50 Megapixel). Bitte verkleinere es vorher.",
  tooSmall: `Das Bild ist zu klein (mindestens ${PICTURE_MIN_SIDE} × ${PICTURE_MIN_SIDE} Bildpunkte).`,
  unreadable:
    "Das Bild konnte nicht gelesen werden – vielleicht ist die Datei beschädigt. Bitte versuche es mit einer anderen.",
  busy: "Das Bild konnte gerade nicht verarbeitet werden. Bitte versuche es gleich noch einmal.",
  noPicture: "Du hast noch kein Profilbild. Bitte lade zuerst eines hoch.",
} as const;

function failure(error: unknown): never {
  if (!(error instanceof PictureProcessingError)) throw error;
  const message =
    error.code === "pixels"
      ? pictureMessages.pixels
      : error.code === "unreadable"
        ? pictureMessages.unreadable
        : pictureMessages.busy;
  throw new InputError("picture", message);
}

function assertOwn(actor: Actor): void {
  if (!can(actor, "editProfile", { type: "user", id: actor.id })) throw new ForbiddenError();
}

const newStamp = () => crypto.randomBytes(6).toString("hex");

/** Stores a new picture for the actor (replacing any earlier one) with the chosen square; returns its stamp. */
export async function setProfilePicture(
  actor: Actor,
  input: { bytes: Uint8Array; crop: Partial<Crop> },
): Promise<string> {
  assertOwn(actor);
  const { bytes } = input;
  if (bytes.length === 0) throw new InputError("picture", pictureMessages.missing);
  const max = pictureMaxBytes();
  if (bytes.length > max) throw new InputError("picture", pictureMessages.tooLarge(max));
  if (sniff(bytes.subarray(0, SNIFF_BYTES))?.kind !== "image")
    throw new InputError("picture", pictureMessages.unsupported);
  const normal = await normalizePicture(bytes, PICTURE_MAX_PIXELS).catch(failure);
  if (normal.width < PICTURE_MIN_SIDE || normal.height < PICTURE_MIN_SIDE)
    throw new InputError("picture", pictureMessages.tooSmall);
  const crop = cleanCrop(input.crop);
  const files = await squarePictures(normal.source, squareCrop(normal.width, normal.height, crop)).catch(failure);
  const stamp = newStamp();
  const now = new Date();
  const row = {
    stamp,
    source: normal.source,
    sourceWidth: normal.width,
    sourceHeight: normal.height,
    focusX: crop.x,
    focusY: crop.y,
    zoom: crop.zoom,
    small: files[48],
    medium: files[96],
    large: files[192],
    updatedAt: now,
  };
  await db().transaction(async (tx) => {
    // The account may have been deleted while the picture was processed: then there is nobody to store it for.
    const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for("update");
    if (!owner) throw new ForbiddenError();
    await tx
      .insert(profilePictures)
      .values({ userId: actor.id, createdAt: now, ...row })
      .onConflictDoUpdate({ target: profilePictures.userId, set: { ...row, createdAt: now } });
  });
  forgetMemberName(actor.id);
  return stamp;
}

/** Another square of the picture the actor already has (no new upload). */
export async function changeCrop(actor: Actor, input: Partial<Crop>): Promise<string> {
  assertOwn(actor);
  const [current] = await db()
    .select({
      source: profilePictures.source,
      width: profilePictures.sourceWidth,
      height: profilePictures.sourceHeight,
      stamp: profilePictures.stamp,
    })
    .from(profilePictures)
    .where(eq(profilePictures.userId, actor.id));
  if (!current) throw new InputError("picture", pictureMessages.noPicture);
  const crop = cleanCrop(input);
  const files = await squarePictures(current.source, squareCrop(current.width, current.height, crop)).catch(failure);
  const stamp = newStamp();
  // Only the picture the square was computed from: a new upload in between wins.
  const updated = await db()
    .update(profilePictures)
    .set({
      stamp,
      focusX: crop.x,
      focusY: crop.y,
      zoom: crop.zoom,
      small: files[48],
      medium: files[96],
      large: files[192],
      updatedAt: new Date(),
    })
    .where(eq(profilePictures.userId, actor.id))
    .returning({ stamp: profilePictures.stamp });
  if (updated.length === 0) throw new InputError("picture", pictureMessages.noPicture);
  forgetMemberName(actor.id);
  return stamp;
}

/** Removes the actor's picture; from then on the initials show. True when there was one. */
export async function removeProfilePicture(actor: Actor): Promise<boolean> {
  assertOwn(actor);
  const gone = await db()
    .delete(profilePictures)
    .where(eq(profilePictures.userId, actor.id))
    .returning({ stamp: profilePictures.stamp });
  forgetMemberName(actor.id);
  return gone.length > 0;
}

/** What the settings page needs about the actor's own picture. */
export async function ownPicture(
  actor: Actor,
): Promise<{ stamp: string; crop: Crop; width: number; height: number } | null> {
  const [row] = await db()
    .select({
      stamp: profilePictures.stamp,
      x: profilePictures.focusX,
      y: profilePictures.focusY,
      zoom: profilePictures.zoom,
      width: profilePictures.sourceWidth,
      height: profilePictures.sourceHeight,
    })
    .from(profilePictures)
    .where(eq(profilePictures.userId, actor.id));
  return row
    ? { stamp: row.stamp, crop: { x: row.x, y: row.y, zoom: row.zoom }, width: row.width, height: row.height }
    : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PictureFileSize = PictureSize | "source";

/**
 * One stored size of a member's picture, for a logged-in viewer (null: no such picture). The uncropped source only
 * for its own member: what they cut away stays theirs.
 */
export async function pictureFile(
  viewer: Actor | null,
  userId: string,
  size: PictureFileSize,
): Promise<{ bytes: Buffer; stamp: string } | null> {
  if (!viewer || !can(viewer, "read")) throw new ForbiddenError("Profilbilder sehen nur angemeldete Mitglieder.");
  if (!UUID.test(userId)) return null;
  if (size === "source" && viewer.id !== userId) return null;
  const column =
    size === "source"
      ? profilePictures.source
      : size === 48
        ? profilePictures.small
        : size === 96
          ? profilePictures.medium
          : profilePictures.large;
  const [row] = await db()
    .select({ bytes: column, stamp: profilePictures.stamp })
    .from(profilePictures)
    .where(eq(profilePictures.userId, userId));
  return row ?? null;
}
