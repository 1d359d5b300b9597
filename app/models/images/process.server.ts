/**
 * Renditions of a picture in a post or material, made by the site's one sharp worker (sharp.server.ts, ADR 031).
 */
import { IMAGE_WIDTHS, MAX_IMAGE_WIDTH } from "../../domain/images.ts";
import { SharpFailure, sharpJob } from "./sharp.server.ts";

export interface Rendition {
  width: number;
  height: number;
  size: number;
}

export type ProcessResult =
  | { ok: true; width: number; height: number; renditions: Rendition[] }
  | { ok: false; reason: "pixels" | "unreadable" | "timeout" };

/**
 * Renditions of the picture at `input` as `<outDir>/<id>-<width>.jpg`, at most `maxPixels` pixels in the source.
 * Resolves with the sizes, or with the reason the picture was refused (its renditions are then removed).
 */
export async function processImage(
  input: string,
  outDir: string,
  id: string,
  options: { maxPixels: number },
): Promise<ProcessResult> {
  try {
    const answer = await sharpJob("renditions", {
      input,
      outDir,
      id,
      widths: [...IMAGE_WIDTHS],
      maxWidth: MAX_IMAGE_WIDTH,
      maxPixels: options.maxPixels,
    });
    return {
      ok: true,
      width: Number(answer.width),
      height: Number(answer.height),
      renditions: answer.renditions as Rendition[],
    };
  } catch (error) {
    if (!(error instanceof SharpFailure)) throw error;
    // A worker that ended or did not answer: for the member, the picture could not be processed in time.
    return { ok: false, reason: error.code === "busy" ? "timeout" : error.code };
  }
}
