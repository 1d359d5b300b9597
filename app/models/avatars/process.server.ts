/**
 * The profile picture's image work, in one long-lived worker thread (picture.worker.mjs) that runs sharp. Jobs are
 * queued to it one at a time: pictures are small and rare, one worker keeps sharp's native memory in one place, and
 * the event loop only passes bytes. The worker is started on the first job and unref'd, so it never keeps a process
 * alive; if it dies, waiting jobs fail with a message and the next job starts a new one. It is never terminated in the
 * middle of a job (that can take the whole process down with libvips); sharp's own time limit ends a slow job.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
// Loaded in the main thread too: glibc must not unload libvips when a worker ends (sharp's advice for worker threads).
import "sharp";
import { PICTURE_SIZES } from "../../domain/avatars/avatars.ts";

const WORKER_NAME = "picture.worker.mjs";
const WORKER_DIR = path.join("app", "models", "avatars");
/** Longer than sharp's own limit in the worker (20 s): a job that never answers fails instead of waiting forever. */
const JOB_TIMEOUT_MS = 30_000;

export type ProcessFailure = "pixels" | "timeout" | "unreadable" | "busy";

export class PictureProcessingError extends Error {
  constructor(readonly code: ProcessFailure) {
    super(`picture processing failed: ${code}`);
  }
}

let workerPath: string | undefined;
/** The worker's file in the source tree, found by walking up from the bundle or the source (see pdfText.server.ts). */
function workerFile(): string {
  if (workerPath) return workerPath;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [path.join(dir, WORKER_NAME), path.join(dir, WORKER_DIR, WORKER_NAME)]) {
      if (fs.existsSync(candidate)) return (workerPath = candidate);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${WORKER_NAME} nicht gefunden`);
    dir = parent;
  }
}

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(code: ProcessFailure): void {
  for (const [id, job] of pending) {
    clearTimeout(job.timer);
    pending.delete(id);
    job.reject(new PictureProcessingError(code));
  }
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(workerFile(), { resourceLimits: { maxOldGenerationSizeMb: 256 } });
  started.unref();
  started.on("message", (message: { id: number; ok: boolean; code?: ProcessFailure } & Record<string, unknown>) => {
    const job = pending.get(message.id);
    if (!job) return;
    pending.delete(message.id);
    clearTimeout(job.timer);
    if (pending.size === 0) started.unref();
    if (message.ok) job.resolve(message);
    else job.reject(new PictureProcessingError(message.code ?? "unreadable"));
  });
  const gone = () => {
    if (worker === started) worker = null;
    failAll("busy");
  };
  started.on("error", (error) => {
    console.error("Profilbild-Worker beendet:", error.message);
    gone();
  });
  started.on("exit", gone);
  return (worker = started);
}

function run(job: Record<string, unknown>): Promise<Record<string, unknown>> {
  const w = ensureWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new PictureProcessingError("timeout"));
    }, JOB_TIMEOUT_MS);
    pending.set(id, { resolve, reject, timer });
    // Referenced while a job runs, so a script that awaits a picture is not ended under it.
    w.ref();
    w.postMessage({ id, ...job });
  });
}

const toBuffer = (bytes: unknown) => Buffer.from(bytes as Uint8Array);

/** The uploaded bytes, upright, without metadata, at most 1024 px, as WebP. */
export async function normalizePicture(input: Uint8Array, maxPixels: number): Promise<{ source: Buffer; width: number; height: number }> {
  const result = await run({ op: "normalize", input, maxPixels });
  return { source: toBuffer(result.source), width: Number(result.width), height: Number(result.height) };
}

/** The square (in the normalised picture's pixels) in every stored size, smallest first. */
export async function squarePictures(source: Uint8Array, square: { left: number; top: number; size: number }): Promise<Record<(typeof PICTURE_SIZES)[number], Buffer>> {
  const result = await run({ op: "squares", source, square, sizes: [...PICTURE_SIZES] });
  const files = (result.files as Uint8Array[]).map(toBuffer);
  return { 48: files[0], 96: files[1], 192: files[2] };
}
