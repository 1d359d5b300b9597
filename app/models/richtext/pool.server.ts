/**
 * Rich text off the event loop: one long-lived worker thread (worker.mjs) parses and renders every post, reply,
 * edit and material description that arrives (job.server.ts), one after the other. A job that takes longer than its budget
 * (a text built to be slow) is refused with a German message and the worker is replaced, so the next member's post
 * is not held up for longer than that. Started with the server (`startRichTextWorker`) or by the first job; while
 * idle it does not keep the process alive.
 */
import { Worker } from "node:worker_threads";
import { workerFile } from "../library/pdfText.server.ts";
import type { BodyJob, BodyResult } from "./job.server.ts";

/** Measured: a 50,000-character list of the allowed size takes ~1 s on a loaded machine; ordinary posts ~1–5 ms. */
const JOB_BUDGET_MS = 3_000;
const TOO_COMPLEX =
  "Der Text ist zu aufwendig aufgebaut, um ihn zu verarbeiten. Bitte kürze ihn oder teile ihn in mehrere Beiträge auf.";
const FAILED = "Der Text konnte gerade nicht verarbeitet werden. Bitte versuche es noch einmal.";

interface Queued {
  id: number;
  job: BodyJob;
  budgetMs: number;
  resolve: (result: BodyResult) => void;
}

let worker: Worker | null = null;
let ready = false;
let running: (Queued & { timer: NodeJS.Timeout }) | null = null;
const queue: Queued[] = [];
let nextId = 1;

function finish(result: BodyResult) {
  const job = running;
  if (!job) return;
  clearTimeout(job.timer);
  running = null;
  job.resolve(result);
}

function replaceWorker(result: BodyResult) {
  const old = worker;
  const started = ready;
  worker = null;
  ready = false;
  finish(result);
  old?.removeAllListeners();
  void old?.terminate().catch(() => {});
  // A worker that died while loading would die again: the waiting posts get the message now, the next one tries anew.
  if (!started) for (const job of queue.splice(0)) job.resolve({ ok: false, message: FAILED });
  else if (queue.length > 0) startRichTextWorker();
}

function dispatch() {
  if (!worker || !ready || running) return;
  const next = queue.shift();
  if (!next) {
    worker.unref();
    return;
  }
  worker.ref();
  running = { ...next, timer: setTimeout(() => replaceWorker({ ok: false, message: TOO_COMPLEX }), next.budgetMs) };
  worker.postMessage({ id: next.id, job: next.job });
}

/** Starts the worker (at server start, so that the first post does not wait for it to load). */
export function startRichTextWorker(): void {
  if (worker) return;
  const started = new Worker(workerFile("worker.mjs", "app/models/richtext"), {
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  worker = started;
  started.on("message", (message: { ready?: true; id?: number; result?: BodyResult }) => {
    if (worker !== started) return;
    if (message.ready) ready = true;
    else if (running && message.id === running.id && message.result) finish(message.result);
    dispatch();
  });
  // A crash (or the heap limit) ends the job it had with a message to try again; the next job gets a new worker.
  started.on("error", () => worker === started && replaceWorker({ ok: false, message: FAILED }));
  started.on("exit", () => worker === started && replaceWorker({ ok: false, message: FAILED }));
  if (queue.length === 0) started.unref();
}

/** The body of a post as the worker parses, checks and renders it, within `budgetMs` of the worker's time. */
export function renderOffThread(job: BodyJob, budgetMs = JOB_BUDGET_MS): Promise<BodyResult> {
  return new Promise((resolve) => {
    queue.push({ id: nextId++, job, budgetMs, resolve });
    startRichTextWorker();
    worker!.ref();
    dispatch();
  });
}
