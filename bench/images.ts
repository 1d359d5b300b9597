/**
 * Pictures in posts (issue 19). Two questions:
 *
 * 1. Processing: a 5 MB phone photo (4000×3000 JPEG with EXIF and GPS) becomes its renditions in the worker thread
 *    (process.server.ts, in the one sharp worker of sharp.server.ts) in < 1 s, while the event loop of this process is
 *    never delayed by more than 50 ms (perf_hooks.monitorEventLoopDelay, 10 ms resolution). The first run includes
 *    starting the worker; the budget is checked on the median of the warm runs and the event-loop delay over all of
 *    them. The same photo is also uploaded over HTTP to the production server (sniffing, limits, processing, insert)
 *    for the time a member waits.
 * 2. A thread page with 20 pictures (an opening post and 20 replies with one picture each, posted through the real
 *    forms) stays within the thread page's budget (bench/thread.ts): p95 < 100 ms at 10 connections, p95 < 500 ms and
 *    no errors at 50, on the embedded PGlite.
 *
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import zlib from "node:zlib";
import { setDatabase } from "../app/models/db.server.ts";
import { hashPassword } from "../app/models/accounts/password.server.ts";
import { insertUser } from "../app/models/accounts/users.server.ts";
import { saveCategory } from "../app/models/community/categories.server.ts";
import { processImage } from "../app/models/images/process.server.ts";
import { photoWithGps } from "../tests/setup/images.ts";
import { openBenchDatabase } from "./lib/database.ts";
import { warmAndLoad } from "./lib/load.ts";
import {
  cleanups,
  log,
  loadAverage,
  machineReport,
  percentile,
  referenceWorkMs,
  round,
  runBenchmark,
} from "./lib/run.ts";
import { assertBuilt, login, spawnServer } from "./lib/server.ts";

const PASSWORD = "bench-passwort-2026";
const RUNS = 6;
const PICTURES = 20;
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const BUDGET = { processMs: 1000, eventLoopDelayMs: 50, p95At10: 100, p95At50: 500 };

/** A photo of about 5 MB: the grain is raised until the JPEG is at least that large. */
async function fiveMegabytePhoto(): Promise<Buffer> {
  let photo = await photoWithGps(4000, 3000, { grain: 40, quality: 92 });
  for (let grain = 50; photo.length < 5 * 1024 * 1024 && grain <= 120; grain += 10)
    photo = await photoWithGps(4000, 3000, { grain, quality: 92 });
  return photo;
}

async function processing(photo: Buffer) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-bench-images-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const input = path.join(dir, "foto.jpg");
  fs.writeFileSync(input, photo);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const runs: number[] = [];
  let result: Awaited<ReturnType<typeof processImage>> | null = null;
  histogram.enable();
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = await processImage(input, dir, `lauf-${i}`, { maxPixels: 40_000_000 });
    runs.push(round(performance.now() - started));
    if (!result.ok) throw new Error(`Verarbeitung abgelehnt: ${result.reason}`);
  }
  histogram.disable();
  const warm = runs.slice(1).sort((a, b) => a - b);
  return {
    photo: {
      bytes: photo.length,
      megabytes: round(photo.length / 1024 / 1024, 2),
      pixels: "4000×3000",
      exifOrientation: 6,
    },
    result,
    coldMs: runs[0],
    warmMs: { median: round(percentile(warm, 50)), max: round(warm.at(-1)!) },
    runsMs: runs,
    eventLoopDelayMs: {
      max: round(histogram.max / 1e6),
      p99: round(histogram.percentile(99) / 1e6),
      mean: round(histogram.mean / 1e6),
    },
  };
}

async function upload(url: string, cookie: string, bytes: Buffer) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), "foto.jpg");
  const response = await fetch(`${url}/api/v1/bilder`, {
    method: "POST",
    headers: { Origin: url, Cookie: cookie },
    body: form,
  });
  const body = (await response.json()) as { id: string; src: string; width: number; height: number; error?: string };
  if (response.status !== 201) throw new Error(`Upload abgelehnt: ${response.status} ${body.error}`);
  return body;
}

async function postForm(
  url: string,
  pathname: string,
  cookie: string,
  fields: Record<string, string>,
): Promise<Response> {
  return fetch(`${url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: url, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

async function threadPage(photo: Buffer) {
  const { handle, dataDir } = await openBenchDatabase("pglite", null, "images");
  try {
    setDatabase(handle);
    const passwordHash = await hashPassword(PASSWORD);
    const [writer, reader, moderator] = await handle.db.transaction(async (tx) => [
      await insertUser(tx, {
        email: "bilder@bench.example",
        displayName: "Bilder Mitglied",
        handle: "bilder-mitglied",
        passwordHash,
        role: "member",
      }),
      await insertUser(tx, {
        email: "leser@bench.example",
        displayName: "Lesendes Mitglied",
        handle: "lesendes-mitglied",
        passwordHash,
        role: "member",
      }),
      await insertUser(tx, {
        email: "mod@bench.example",
        displayName: "Moderation",
        handle: "bench-moderation",
        passwordHash,
        role: "moderator",
      }),
    ]);
    void writer;
    void reader;
    await saveCategory({ id: moderator.id, role: "moderator" }, null, {
      name: "Fotoprotokolle",
      slug: "fotoprotokolle",
      description: "Für den Benchmark.",
    });
  } finally {
    setDatabase(undefined);
    await handle.close();
  }

  const server = await spawnServer({
    DATA_DIR: dataDir,
    SEED_DEMO: "false",
    UPLOAD_DAILY_IMAGES: "100",
    UPLOAD_DAILY_IMAGES_MB: "1000",
  });
  cleanups.push(() => server.stop());
  try {
    const cookie = await login(server.url, PASSWORD, "bilder@bench.example");
    const uploadStarted = performance.now();
    const big = await upload(server.url, cookie, photo);
    const uploadMs = round(performance.now() - uploadStarted);
    void big;
    const created = await postForm(server.url, "/diskussionen/neu", cookie, {
      type: "best_practice",
      category: "fotoprotokolle",
      title: "Fotoprotokoll vom Fachtag: 20 Flipcharts",
      body: "Hier kommen die Flipcharts vom Fachtag, eines pro Antwort.",
    });
    const threadPath = created.headers.get("location");
    if (created.status !== 302 || !threadPath) throw new Error(`Diskussion nicht angelegt: ${created.status}`);
    log(`${PICTURES} Bilder hochladen und als Antworten posten …`);
    for (let i = 1; i <= PICTURES; i++) {
      const picture = await upload(server.url, cookie, await photoWithGps(1600 + i * 10, 1200, { grain: 20 }));
      const doc = {
        type: "doc",
        content: [
          { type: "paragraph", content: [{ type: "text", text: `Flipchart ${i}: die Ergebnisse der Arbeitsgruppe.` }] },
          {
            type: "image",
            attrs: {
              src: picture.src,
              alt: `Flipchart ${i} mit den Ergebnissen der Arbeitsgruppe`,
              width: picture.width,
              height: picture.height,
            },
          },
        ],
      };
      const replied = await postForm(server.url, threadPath, cookie, {
        intent: "reply",
        parentId: "",
        body: "",
        bodyJson: JSON.stringify(doc),
      });
      if (replied.status !== 302) throw new Error(`Antwort ${i} nicht gespeichert: ${replied.status}`);
    }
    const readerCookie = await login(server.url, PASSWORD, "leser@bench.example");
    const pageUrl = `${server.url}${threadPath}`;
    const first = await fetch(pageUrl, { headers: { cookie: readerCookie } });
    const html = await first.text();
    const pictures = html.match(/<img class="beitragsbild"[^>]*srcset="[^"]+"[^>]*>/g)?.length ?? 0;
    if (first.status !== 200 || pictures !== PICTURES)
      throw new Error(`Die Seite zeigt ${pictures} Bilder (Status ${first.status})`);
    const results = await warmAndLoad(pageUrl, readerCookie, {
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      concurrency: [10, 50],
      serverPid: server.pid,
    });
    return {
      uploadOf5MbPhotoMs: uploadMs,
      page: {
        status: first.status,
        pictures,
        htmlBytes: Buffer.byteLength(html),
        gzipBytes: zlib.gzipSync(html).length,
      },
      load: results,
      serverErrorLines: server.output().match(/Unerwarteter Fehler|Error:/g)?.length ?? 0,
    };
  } finally {
    await server.stop();
  }
}

async function main() {
  assertBuilt();
  const started = Date.now();
  const loadAtStart = loadAverage();
  const referenceAtStart = referenceWorkMs();
  log("Foto von 5 MB erzeugen …");
  const photo = await fiveMegabytePhoto();
  log(`Verarbeiten (${RUNS} Läufe) …`);
  const processed = await processing(photo);
  log(
    JSON.stringify({
      coldMs: processed.coldMs,
      warmMs: processed.warmMs,
      eventLoopDelayMs: processed.eventLoopDelayMs,
    }),
  );
  const page = await threadPage(photo);
  const at10 = page.load.find((r) => r.connections === 10)!;
  const at50 = page.load.find((r) => r.connections === 50)!;
  const report = {
    benchmark: "images",
    date: new Date().toISOString(),
    machine: machineReport(loadAtStart, referenceAtStart),
    budgets: {
      ...BUDGET,
      processedUnder1s: processed.warmMs.median < BUDGET.processMs,
      eventLoopDelayUnder50ms: processed.eventLoopDelayMs.max <= BUDGET.eventLoopDelayMs,
      threadPageP95At10Under100ms: at10.latencyMs.p95 < BUDGET.p95At10,
      threadPageNoErrorsAt50: at50.errors + at50.timeouts + at50.non2xx === 0,
      threadPageP95At50Under500ms: at50.latencyMs.p95 < BUDGET.p95At50,
    },
    processing: processed,
    threadWith20Pictures: page,
    totalSeconds: round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
