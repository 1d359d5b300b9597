/**
 * The profile picture's image work, done by the site's one sharp worker (app/models/images/sharp.server.ts, ADR 031):
 * the event loop only passes bytes.
 */
import { PICTURE_SIZES } from "../../domain/avatars/avatars.ts";
import { SharpFailure, sharpJob, type SharpFailureCode } from "../images/sharp.server.ts";

export type ProcessFailure = SharpFailureCode;
/** A refused or failed picture (its `code` says why); the one error class of the sharp worker. */
export const PictureProcessingError = SharpFailure;

/** The stored source of a profile picture is at most this wide and high. */
const SOURCE_MAX = 1024;

const toBuffer = (bytes: unknown) => Buffer.from(bytes as Uint8Array);

/** The uploaded bytes, upright, without metadata, at most 1024 px, as WebP. */
export async function normalizePicture(
  input: Uint8Array,
  maxPixels: number,
): Promise<{ source: Buffer; width: number; height: number }> {
  const result = await sharpJob("normalize", { input, maxPixels, maxSide: SOURCE_MAX });
  return { source: toBuffer(result.source), width: Number(result.width), height: Number(result.height) };
}

/** The square (in the normalised picture's pixels) in every stored size, smallest first. */
export async function squarePictures(
  source: Uint8Array,
  square: { left: number; top: number; size: number },
): Promise<Record<(typeof PICTURE_SIZES)[number], Buffer>> {
  const result = await sharpJob("squares", { source, square, sizes: [...PICTURE_SIZES] });
  const files = (result.files as Uint8Array[]).map(toBuffer);
  return { 48: files[0], 96: files[1], 192: files[2] };
}
