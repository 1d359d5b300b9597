/**
 * Worker thread of process.server.ts: all of sharp's work on a profile picture, so decoding a large photo never
 * holds up the server's event loop. Two jobs:
 * - "normalize": the uploaded bytes → the picture upright (EXIF orientation applied), at most 1024 px, as WebP, and
 *   without any metadata (sharp writes none unless asked: no EXIF, no GPS, no ICC comments, no XMP).
 * - "squares": a square of the normalised picture → the stored sizes, as WebP.
 * sharp's own limits guard each job: a pixel limit before anything is decoded, and a time limit.
 *
 * Plain JavaScript on purpose (like pdfText.worker.mjs): the worker starts without a TypeScript loader.
 */
import { parentPort } from "node:worker_threads";
import sharp from "sharp";

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
// Every picture is processed once; libvips' operation cache would only hold memory.
sharp.cache(false);

const SOURCE_MAX = 1024;
const TIMEOUT_SECONDS = 20;

/** @param {Uint8Array} input @param {number} maxPixels */
async function normalize(input, maxPixels) {
  const options = { limitInputPixels: maxPixels, failOn: /** @type {const} */ ("error"), animated: false };
  const meta = await sharp(input, options).metadata();
  const { data, info } = await sharp(input, options)
    .timeout({ seconds: TIMEOUT_SECONDS })
    .autoOrient()
    .resize({ width: SOURCE_MAX, height: SOURCE_MAX, fit: "inside", withoutEnlargement: true })
    .webp({ quality: 86 })
    .toBuffer({ resolveWithObject: true });
  return { source: data, width: info.width, height: info.height, format: meta.format };
}

/** @param {Uint8Array} source @param {{ left: number, top: number, size: number }} square @param {number[]} sizes */
async function squares(source, square, sizes) {
  const base = sharp(source).timeout({ seconds: TIMEOUT_SECONDS }).extract({ left: square.left, top: square.top, width: square.size, height: square.size });
  return Promise.all(sizes.map((px) => base.clone().resize(px, px).webp({ quality: 82 }).toBuffer()));
}

/** What went wrong, as a code the main thread turns into a German message (never the library's English text). */
function code(error) {
  const message = String(error?.message ?? error);
  if (/pixel limit/i.test(message)) return "pixels";
  if (/timeout/i.test(message)) return "timeout";
  return "unreadable";
}

port.on("message", async (job) => {
  try {
    if (job.op === "normalize") {
      const result = await normalize(job.input, job.maxPixels);
      port.postMessage({ id: job.id, ok: true, ...result });
    } else {
      const files = await squares(job.source, job.square, job.sizes);
      port.postMessage({ id: job.id, ok: true, files });
    }
  } catch (error) {
    port.postMessage({ id: job.id, ok: false, code: code(error) });
  }
});
