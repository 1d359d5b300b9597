/**
 * Worker thread of audioFacts.server.ts: reads an audio file's playing time with music-metadata. For an MP3 without a
 * Xing/VBR header that means walking every frame of the file, which is work the main thread must not do.
 *
 * Plain JavaScript on purpose: the worker starts without a TypeScript loader (under tsx, vitest and the production
 * server alike).
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseFile } from "music-metadata";

/** @type {{ filePaths: string[] }} */
const { filePaths } = workerData;
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);

// One file after the other; each result is posted at once, so what was read counts even if time runs out later.
for (const [index, filePath] of filePaths.entries()) {
  let duration = null;
  try {
    const metadata = await parseFile(filePath, { duration: true, skipCovers: true });
    const seconds = metadata.format.duration;
    if (typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0) duration = seconds;
  } catch {
    // Not readable as audio: the duration stays unknown.
  }
  port.postMessage({ index, duration });
}
port.postMessage({ done: true });
