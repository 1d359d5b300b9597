import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { env } from "../../env.server.ts";

const MAX_CHARS = 200_000;
/** pdf.js on a hostile file can take a lot of memory; a worker over this limit ends (and the text is what arrived). */
const WORKER_HEAP_MB = 512;
/** Parallel extractions; more uploads wait for a turn (the quota bounds how many a member can start). */
const MAX_WORKERS = 2;
const WORKER_NAME = "pdfText.worker.mjs";
const WORKER_DIR = path.join("app", "models", "library");

export interface PdfTextBudget {
  /** Only the first pages are read. */
  maxPages: number;
  /** After this the worker is ended; the text of the pages read so far is kept. */
  maxMs: number;
}

export function pdfTextBudget(): PdfTextBudget {
  const config = env();
  return { maxPages: config.UPLOAD_PDF_TEXT_MAX_PAGES, maxMs: config.UPLOAD_PDF_TEXT_MAX_SECONDS * 1000 };
}

const workerPaths = new Map<string, string>();

/**
 * A worker's file in the source tree. From source (tsx, tests) it lies next to its module; the Remix server bundle
 * (build/server/assets/…) has no copy of it, so the search walks up to the project directory that holds it.
 * `dir` is the file's directory relative to the project. Also used by the image worker.
 */
export function workerFile(name: string = WORKER_NAME, dir: string = WORKER_DIR): string {
  const known = workerPaths.get(name);
  if (known) return known;
  let here = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [path.join(here, name), path.join(here, dir, name)]) {
      if (fs.existsSync(candidate)) {
        workerPaths.set(name, candidate);
        return candidate;
      }
    }
    const parent = path.dirname(here);
    if (parent === here) throw new Error(`${name} nicht gefunden`);
    here = parent;
  }
}

let running = 0;
const waiting: (() => void)[] = [];

async function turn(): Promise<() => void> {
  if (running >= MAX_WORKERS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    running--;
    waiting.shift()?.();
  };
}

/**
 * The text inside a PDF (one-pagers, guides), so that search finds what a document says. pdf.js runs in a worker
 * thread within a page and time budget: a huge or slow PDF gives the text of the pages read until then. A PDF without
 * a text layer, or one pdf.js cannot read, simply has no text: the upload itself never fails because of this.
 */
export async function pdfText(filePath: string, budget: PdfTextBudget = pdfTextBudget()): Promise<string | null> {
  const release = await turn();
  const parts: string[] = [];
  let length = 0;
  try {
    await new Promise<void>((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(workerFile(), {
          workerData: { filePath, maxPages: budget.maxPages },
          resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
          // pdf.js warns about odd fonts on the console; nobody reads that.
          stdout: true,
          stderr: true,
        });
      } catch {
        return resolve();
      }
      worker.stdout.resume();
      worker.stderr.resume();
      const done = () => {
        clearTimeout(timer);
        worker.removeAllListeners("message");
        void worker.terminate().catch(() => {});
        resolve();
      };
      const timer = setTimeout(done, budget.maxMs);
      worker.on("message", (message: { text?: string; done?: boolean }) => {
        if (typeof message.text === "string") {
          parts.push(message.text);
          length += message.text.length;
        }
        if (message.done || length >= MAX_CHARS) done();
      });
      // An unreadable PDF (the worker throws), the heap limit, or the end: keep what arrived.
      worker.on("error", done);
      worker.on("exit", done);
    });
  } finally {
    release();
  }
  const clean = parts.join(" ").replace(/\s+/g, " ").trim().slice(0, MAX_CHARS);
  return clean || null;
}
