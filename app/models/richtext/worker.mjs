/**
 * Worker thread of richtext/pool.server.ts: parses and renders posts (job.server.ts) off the server's event loop. A long
 * Markdown list or a deeply nested document of the allowed size takes the parser and renderer hundreds of
 * milliseconds, during which the main thread would answer nobody.
 *
 * Plain JavaScript that registers tsx itself: the job code is the same TypeScript the server uses, and a worker must not
 * depend on how its parent process was started.
 */
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { runBodyJob } = await import("./job.server.ts");
const { prepareRichText } = await import("../richtext.server.ts");
prepareRichText();

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
port.on("message", (/** @type {{ id: number, job: import("./job.server.ts").BodyJob }} */ message) => {
  let result;
  try {
    result = runBodyJob(message.job);
  } catch {
    result = { ok: false, message: "Der Text konnte nicht verarbeitet werden. Bitte versuche es noch einmal." };
  }
  port.postMessage({ id: message.id, result });
});
port.postMessage({ ready: true });
