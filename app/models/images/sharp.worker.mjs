/**
 * The one worker thread that runs sharp (libvips) for every picture on the site (ADR 031): pictures in posts and
 * materials, and profile pictures. Started and fed by sharp.server.ts; it lives as long as the server and takes jobs
 * as they come (sharp spreads each over libuv's threads). A worker is never ended in the middle of a job (sharp's
 * native code must not be torn down while it works): a pipeline that takes too long is stopped by sharp's own
 * `timeout` instead, and a picture over its pixel limit is refused from its header before anything is decoded (a small
 * file can declare a huge image: a decompression bomb). No output carries EXIF, GPS, XMP or any other metadata (sharp
 * writes none unless asked).
 *
 * Jobs (`op`):
 * - "renditions": a picture for a post or material (a file) → upright JPEG renditions `<outDir>/<id>-<width>.jpg`.
 * - "normalize": a profile picture's bytes → upright, at most 1024 px, WebP.
 * - "squares": a square of a normalised profile picture → the stored sizes, WebP.
 * Every answer is `{ job, ok: true, ... }` or `{ job, ok: false, code }`, code one of "pixels", "timeout",
 * "unreadable" (the main thread turns it into a German message; the library's English text never reaches anyone).
 *
 * Plain JavaScript on purpose (like pdfText.worker.mjs): it starts without a TypeScript loader.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import { parentPort } from "node:worker_threads";
import sharp from "sharp";

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
// libvips' operation cache keeps decoded images for reuse; every job here is a new picture.
sharp.cache(false);

/** @param {number} maxPixels */
const readOptions = (maxPixels) => ({
  limitInputPixels: maxPixels,
  failOn: /** @type {const} */ ("error"),
  animated: false,
});

class Refusal extends Error {
  /** @param {"pixels" | "timeout" | "unreadable"} code */
  constructor(code) {
    super(code);
    this.code = code;
  }
}

/** What went wrong, as a code (never the library's English text). */
function code(error) {
  if (error instanceof Refusal) return error.code;
  const message = String(error?.message ?? error);
  if (/pixel limit/i.test(message)) return "pixels";
  if (/timeout/i.test(message)) return "timeout";
  return "unreadable";
}

/**
 * A picture in a post or material: the header first (pixels), then turned upright by its EXIF orientation, scaled to
 * the largest width once, and every rendition encoded from those raw pixels (raw pixels have no metadata to carry).
 * @param {{ input: string, outDir: string, id: string, widths: number[], maxWidth: number, maxPixels: number, timeoutSeconds: number }} job
 */
async function renditions(job) {
  const options = readOptions(job.maxPixels);
  const meta = await sharp(job.input, options).metadata();
  if (!meta.width || !meta.height) throw new Refusal("unreadable");
  if (meta.width * meta.height > job.maxPixels) throw new Refusal("pixels");
  const upright = (meta.orientation ?? 1) >= 5;
  const largest = Math.min(upright ? meta.height : meta.width, job.maxWidth);
  const { data, info } = await sharp(job.input, options)
    .rotate()
    .resize({ width: largest, withoutEnlargement: true })
    // JPEG renditions have no transparency: a transparent background becomes white, as on the page.
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw()
    .timeout({ seconds: job.timeoutSeconds })
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  // The same list as renditionWidths() in app/domain/images.ts: the standard widths below this one, and this one.
  const widths = [...job.widths.filter((w) => w < info.width), info.width];
  // JPEG rather than WebP: every browser shows it, and encoding costs a fifth of WebP's (the 1-second budget for a
  // 5 MB photo on a busy two-core server). Progressive, so a slow phone sees the picture early.
  try {
    const files = await Promise.all(
      widths.map(async (w) => {
        let pipeline = sharp(data, raw);
        if (w < info.width) pipeline = pipeline.resize({ width: w });
        const out = await pipeline
          .jpeg({ quality: 80, progressive: true })
          .timeout({ seconds: job.timeoutSeconds })
          .toFile(path.join(job.outDir, `${job.id}-${w}.jpg`));
        return { width: out.width, height: out.height, size: out.size };
      }),
    );
    return { width: info.width, height: info.height, renditions: files };
  } catch (error) {
    // Remove what this job wrote before it failed.
    await Promise.all(widths.map((w) => fsp.rm(path.join(job.outDir, `${job.id}-${w}.jpg`), { force: true })));
    throw error;
  }
}

/**
 * A profile picture: upright, at most `maxSide` px, WebP.
 * @param {{ input: Uint8Array, maxPixels: number, maxSide: number, timeoutSeconds: number }} job
 */
async function normalize(job) {
  const options = readOptions(job.maxPixels);
  const meta = await sharp(job.input, options).metadata();
  const { data, info } = await sharp(job.input, options)
    .timeout({ seconds: job.timeoutSeconds })
    .autoOrient()
    .resize({ width: job.maxSide, height: job.maxSide, fit: "inside", withoutEnlargement: true })
    .webp({ quality: 86 })
    .toBuffer({ resolveWithObject: true });
  return { source: data, width: info.width, height: info.height, format: meta.format };
}

/**
 * The chosen square of a normalised profile picture in every stored size, as WebP.
 * @param {{ source: Uint8Array, square: { left: number, top: number, size: number }, sizes: number[], timeoutSeconds: number }} job
 */
async function squares(job) {
  const { square } = job;
  const base = sharp(job.source)
    .timeout({ seconds: job.timeoutSeconds })
    .extract({ left: square.left, top: square.top, width: square.size, height: square.size });
  const files = await Promise.all(job.sizes.map((px) => base.clone().resize(px, px).webp({ quality: 82 }).toBuffer()));
  return { files };
}

const ops = { renditions, normalize, squares };

port.on("message", async (/** @type {{ job: number, op: keyof typeof ops }} */ message) => {
  try {
    const run = ops[message.op];
    if (!run) throw new Error(`unknown op ${message.op}`);
    const result = await run(/** @type {any} */ (message));
    port.postMessage({ job: message.job, ok: true, ...result });
  } catch (error) {
    port.postMessage({ job: message.job, ok: false, code: code(error) });
  }
});
