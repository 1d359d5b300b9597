/**
 * Picture processing off the event loop: one long-lived worker thread (process.worker.mjs) runs sharp, one job after
 * the other. Started on the first upload, restarted if it ever dies; while idle it does not keep the process alive.
 */
import { Worker } from "node:worker_threads";
// sharp's shared libraries must be loaded by the main thread as well: otherwise they are unloaded with a worker and a
// later worker crashes the process (sharp's documentation on worker threads).
import "sharp";
import { IMAGE_WIDTHS, MAX_IMAGE_WIDTH } from "../../domain/images.ts";
import { workerFile } from "../library/pdfText.server.ts";

export interface Rendition {
  width: number;
  height: number;
  size: number;
}

export type ProcessResult =
  | { ok: true; width: number; height: number; renditions: Rendition[] }
  | { ok: false; reason: "pixels" | "unreadable" | "timeout" };

interface Pending {
  resolve: (result: ProcessResult) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
let nextJob = 1;
const pending = new Map<number, Pending>();

function startWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(workerFile("process.worker.mjs", "app/models/images"), {
    // sharp's pixel buffers live outside the JavaScript heap; this bounds the rest.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  started.on("message", (message: { job: number } & ProcessResult) => {
    const job = pending.get(message.job);
    if (!job) return;
    pending.delete(message.job);
    if (pending.size === 0) started.unref();
    const { job: _, ...result } = message;
    job.resolve(result as ProcessResult);
  });
  const lost = (error: Error) => {
    if (worker === started) worker = null;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  started.on("error", lost);
  started.on("exit", () => lost(new Error("Bildverarbeitung beendet")));
  // Idle, the worker must not keep the process alive; while a job runs it must (see processImage). After the listeners:
  // adding a 'message' listener refs the worker's port again.
  started.unref();
  worker = started;
  return started;
}

/**
 * Renditions of the picture at `input` as `<outDir>/<id>-<width>.jpg`, at most `maxPixels` pixels in the source.
 * Resolves with the sizes, or with the reason the picture was refused (its renditions are then removed).
 */
export function processImage(input: string, outDir: string, id: string, options: { maxPixels: number; timeoutSeconds?: number }): Promise<ProcessResult> {
  const running = startWorker();
  const job = nextJob++;
  return new Promise<ProcessResult>((resolve, reject) => {
    pending.set(job, { resolve, reject });
    running.ref();
    running.postMessage({
      job,
      input,
      outDir,
      id,
      widths: [...IMAGE_WIDTHS],
      maxWidth: MAX_IMAGE_WIDTH,
      maxPixels: options.maxPixels,
      timeoutSeconds: options.timeoutSeconds ?? 20,
    });
  });
}
