/**
 * Worker thread of process.server.ts: turns one uploaded picture into JPEG renditions with sharp (libvips), off the
 * server's event loop. It lives as long as the server and takes one job after the other (a worker is never ended in
 * the middle of a job: sharp's native code must not be torn down while it works; a pipeline that takes too long is
 * stopped by sharp's own timeout instead).
 *
 * Per job: the header is read first and a picture over `maxPixels` is refused before anything is decoded (a small
 * file can declare a huge image: a decompression bomb). The picture is turned upright by its EXIF orientation, scaled
 * to the largest width once, and every rendition is encoded from those pixels: no rendition carries EXIF, GPS, XMP or
 * any other metadata (sharp writes none unless asked, and raw pixels have none to carry).
 *
 * Plain JavaScript on purpose (like pdfText.worker.mjs): it starts without a TypeScript loader.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import { parentPort } from "node:worker_threads";
import sharp from "sharp";

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
// The cache keeps decoded images for reuse; every job here is a new picture.
sharp.cache(false);

/**
 * @param {{ input: string, outDir: string, id: string, widths: number[], maxWidth: number, maxPixels: number, timeoutSeconds: number }} job
 *   `widths`: the standard rendition widths; `maxWidth`: the largest of them.
 */
async function processImage(job) {
  const options = { limitInputPixels: job.maxPixels, failOn: /** @type {const} */ ("error"), animated: false };
  let meta;
  try {
    meta = await sharp(job.input, options).metadata();
  } catch (error) {
    const message = String(/** @type {Error} */ (error)?.message ?? "");
    return { ok: false, reason: /pixel limit/i.test(message) ? "pixels" : "unreadable" };
  }
  if (!meta.width || !meta.height) return { ok: false, reason: "unreadable" };
  if (meta.width * meta.height > job.maxPixels) return { ok: false, reason: "pixels" };
  const upright = (meta.orientation ?? 1) >= 5;
  const width = upright ? meta.height : meta.width;
  const height = upright ? meta.width : meta.height;
  const largest = Math.min(width, job.maxWidth);

  const { data, info } = await sharp(job.input, options)
    .rotate()
    .resize({ width: largest, withoutEnlargement: true })
    // JPEG renditions have no transparency: a transparent background becomes white, as on the page.
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw()
    .timeout({ seconds: job.timeoutSeconds })
    .toBuffer({ resolveWithObject: true })
    ;
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  // The same list as renditionWidths() in app/domain/images.ts: the standard widths below this one, and this one.
  const widths = [...job.widths.filter((w) => w < info.width), info.width];
  // JPEG rather than WebP: every browser shows it, and encoding costs a fifth of WebP's (the 1-second budget for a
  // 5 MB photo on a busy two-core server). Progressive, so a slow phone sees the picture early.
  const renditions = await Promise.all(
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
  return { ok: true, width: info.width, height: info.height, renditions };
}

port.on("message", async (/** @type {{ job: number } & Parameters<typeof processImage>[0]} */ message) => {
  try {
    const result = await processImage(message);
    port.postMessage({ job: message.job, ...result });
  } catch (error) {
    // Remove what this job wrote before it failed.
    const written = (await fsp.readdir(message.outDir).catch(() => [])).filter((name) => name.startsWith(`${message.id}-`));
    await Promise.all(written.map((name) => fsp.rm(path.join(message.outDir, name), { force: true })));
    const reason = /timeout/i.test(String(error?.message ?? "")) ? "timeout" : "unreadable";
    port.postMessage({ job: message.job, ok: false, reason });
  }
});
