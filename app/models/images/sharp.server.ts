/**
 * The one way this server runs sharp (ADR 031): a single long-lived worker thread (sharp.worker.mjs) for pictures in
 * posts and materials and for profile pictures alike, so that decoding a large photo never holds up the event loop
 * and sharp's native memory lives in one place. Started on the first job and unref'd while idle (it never keeps a
 * process alive); if it dies, waiting jobs fail and the next job starts a new one. It is never terminated in the
 * middle of a job (that can take the whole process down with libvips); sharp's own time limit ends a slow job, and a
 * job that never answers fails here after JOB_TIMEOUT_MS.
 */
import { Worker } from "node:worker_threads";
// Loaded in the main thread too: glibc must not unload libvips when a worker ends (sharp's advice for worker threads).
import "sharp";
import { workerFile } from "../library/pdfText.server.ts";
import { errorFields, log } from "../../log.server.ts";

/** sharp's own limit per pipeline in the worker. */
export const SHARP_TIMEOUT_SECONDS = 20;
/** Longer than sharp's own limit: a job that never answers fails instead of waiting forever. */
const JOB_TIMEOUT_MS = 30_000;

/** Why a picture could not be processed; "busy": the worker ended or did not answer in time. */
export type SharpFailureCode = "pixels" | "timeout" | "unreadable" | "busy";

export class SharpFailure extends Error {
  constructor(readonly code: SharpFailureCode) {
    super(`picture processing failed: ${code}`);
  }
}

export type SharpOp = "renditions" | "normalize" | "squares";

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

let worker: Worker | null = null;
let nextJob = 1;
const pending = new Map<number, Pending>();

function settle(job: number): Pending | undefined {
  const entry = pending.get(job);
  if (!entry) return undefined;
  pending.delete(job);
  clearTimeout(entry.timer);
  if (pending.size === 0) worker?.unref();
  return entry;
}

function startWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(workerFile("sharp.worker.mjs", "app/models/images"), {
    // sharp's pixel buffers live outside the JavaScript heap; this bounds the rest.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  started.on("message", (message: { job: number; ok: boolean; code?: SharpFailureCode } & Record<string, unknown>) => {
    const entry = settle(message.job);
    if (!entry) return;
    if (message.ok) entry.resolve(message);
    else entry.reject(new SharpFailure(message.code ?? "unreadable"));
  });
  const lost = (error?: Error) => {
    if (error) log().error(errorFields(error), "Bildverarbeitung beendet");
    if (worker === started) worker = null;
    for (const job of [...pending.keys()]) settle(job)?.reject(new SharpFailure("busy"));
  };
  started.on("error", lost);
  started.on("exit", () => lost());
  // Idle, the worker must not keep the process alive; while a job runs it must (see sharpJob). After the listeners:
  // adding a 'message' listener refs the worker's port again.
  started.unref();
  worker = started;
  return started;
}

/**
 * Runs one job in the worker. Resolves with the worker's answer; rejects with SharpFailure when the picture was
 * refused (pixels, unreadable, sharp's timeout) or the worker could not answer ("busy").
 */
export function sharpJob(op: SharpOp, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const running = startWorker();
  const job = nextJob++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(job)?.reject(new SharpFailure("timeout")), JOB_TIMEOUT_MS);
    pending.set(job, { resolve, reject, timer });
    // Referenced while a job runs, so a script that awaits a picture is not ended under it.
    running.ref();
    running.postMessage({ ...payload, timeoutSeconds: SHARP_TIMEOUT_SECONDS, job, op });
  });
}
