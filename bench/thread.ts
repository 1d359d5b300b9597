/**
 * How fast is a long thread page? A thread with 200 nested replies (a random tree up to depth 8) by 20 members, and a
 * poll every member voted in, is seeded through the model functions, the production server runs as its own process,
 * and autocannon reads the page as a logged-in member at 10 and at 50 connections: first on the embedded PGlite, then
 * on PostgreSQL 15. Also the JavaScript a reader downloads for the page (gzipped), which must not include the editor.
 *
 * Budgets: 10 connections p95 < 100 ms; 50 connections no errors and p95 < 500 ms; reader JS < 200 KB gzipped.
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { chromium } from "playwright-core";
import type { Cluster } from "../tests/setup/pgcluster.ts";
import { forEachEngine } from "./lib/engines.ts";
import { MAX_DEPTH, MEMBERS, PASSWORD, REPLIES, seed, type Seeded } from "./lib/thread-seed.ts";
import { assertBuilt, login, root, spawnServer, type ChildServer } from "./lib/server.ts";
import { cleanups, log, round, runBenchmark, machineReport, loadAverage, referenceWorkMs } from "./lib/run.ts";
import { peakRssMb, profile, warmAndLoad } from "./lib/load.ts";
import { openBenchDatabase } from "./lib/database.ts";

const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONCURRENCY = [10, 50];
const BUDGET = { p95At10: 100, p95At50: 500, readerJsKb: 200 };

// ---------------------------------------------------------------- seed

// ---------------------------------------------------------------- measuring

/** The JavaScript the thread page makes a reader's browser load: module preloads and imports in the HTML. */
function readerJs(html: string) {
  const assets = new Set<string>();
  for (const m of html.matchAll(/<link rel="modulepreload" href="([^"]+\.js)"/g)) assets.add(m[1]);
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    for (const i of m[1].matchAll(/import(?:\s*\(\s*|\s+[^"']*?)["']([^"']+\.js)["']/g)) assets.add(i[1]);
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)) assets.add(m[1]);
  const files = [...assets].map((href) => {
    const file = path.join(root, "build/client", new URL(href, "http://x").pathname);
    const content = fs.readFileSync(file);
    return {
      file: path.relative(path.join(root, "build/client"), file),
      bytes: content.length,
      gzipBytes: zlib.gzipSync(content).length,
    };
  });
  files.sort((a, b) => b.gzipBytes - a.gzipBytes);
  const editorChunks = fs
    .readdirSync(path.join(root, "build/client/assets"))
    .filter((f) => /RichTextEditor|editor/i.test(f) && f.endsWith(".js"));
  const gzipTotal = files.reduce((a, f) => a + f.gzipBytes, 0);
  return {
    files,
    totalBytes: files.reduce((a, f) => a + f.bytes, 0),
    gzipBytes: gzipTotal,
    gzipKb: round(gzipTotal / 1024),
    editorChunks,
    editorChunkLoaded: files.some((f) => editorChunks.includes(path.basename(f.file))),
  };
}

/**
 * The same, measured in a real Chromium: every script the page fetches until the network is idle, which adds what
 * loads right after hydration (e.g. the socket.io client for the live room) to what the HTML lists.
 */
async function readerJsInBrowser(pageUrl: string, cookie: string) {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) return { skipped: `${executablePath} fehlt` };
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  cleanups.push(() => browser.close());
  try {
    const context = await browser.newContext();
    const [name, value] = cookie.split("=");
    await context.addCookies([{ name, value, url: pageUrl }]);
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.add(new URL(response.url()).pathname);
    });
    await page.goto(pageUrl, { waitUntil: "networkidle" });
    await page.waitForTimeout(500);
    const files = [...scripts].map((pathname) => {
      const content = fs.readFileSync(path.join(root, "build/client", pathname));
      return { file: pathname.slice(1), gzipBytes: zlib.gzipSync(content).length };
    });
    files.sort((a, b) => b.gzipBytes - a.gzipBytes);
    const gzipBytes = files.reduce((a, f) => a + f.gzipBytes, 0);
    return {
      files,
      gzipBytes,
      gzipKb: round(gzipBytes / 1024),
      editorChunkLoaded: files.some((f) => /RichTextEditor/.test(f.file)),
    };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- one engine

async function benchEngine(engine: "pglite" | "postgres", cluster: Cluster | null) {
  log(`\n== ${engine} ==`);
  const { handle, dataDir, databaseUrl } = await openBenchDatabase(engine, cluster, "thread");
  let seeded: Seeded;
  try {
    seeded = await seed(handle);
  } finally {
    await handle.close();
  }
  log(`Gesät: ${seeded.replies} Antworten, Tiefe bis ${seeded.maxDepth}, in ${seeded.ms} ms`);

  const server: ChildServer = await spawnServer({
    DATA_DIR: dataDir,
    SEED_DEMO: "false",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  cleanups.push(() => server.stop());
  log(`Server (pid ${server.pid}) auf ${server.url}`);
  try {
    const cookie = await login(server.url, PASSWORD, seeded.readerEmail);
    const pageUrl = `${server.url}/diskussionen/${seeded.threadId}`;
    const first = await fetch(pageUrl, { headers: { cookie } });
    const html = await first.text();
    // BENCH_SAVE_HTML=<dir> keeps the measured page for a closer look.
    if (process.env.BENCH_SAVE_HTML)
      fs.writeFileSync(path.join(process.env.BENCH_SAVE_HTML, `thread-${engine}.html`), html);
    const anchors = html.match(/id="beitrag-[0-9a-f-]{36}"/g)?.length ?? 0;
    if (first.status !== 200 || anchors !== seeded.replies + 1) {
      throw new Error(`Die Seite antwortet nicht wie erwartet: Status ${first.status}, ${anchors} Beiträge`);
    }

    const results = await warmAndLoad(pageUrl, cookie, {
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      concurrency: CONCURRENCY,
      serverPid: server.pid,
    });
    const timing = await profile(pageUrl, cookie);
    // The server's peak resident memory over the whole run (budget, ADR 042: 350 MB on PGlite, 250 MB on PostgreSQL).
    const peakRss = peakRssMb(server.pid)[0];
    const browserJs = engine === "pglite" ? await readerJsInBrowser(pageUrl, cookie) : undefined;
    const serverErrors = server.output().match(/Unerwarteter Fehler|Error:/g)?.length ?? 0;
    return {
      engine,
      seed: {
        replies: seeded.replies,
        members: MEMBERS,
        maxDepth: seeded.maxDepth,
        depthHistogram: seeded.depthHistogram,
        searchIndexing: seeded.searchIndexing,
        seedMs: seeded.ms,
      },
      getThreadViewInProcessMs: seeded.modelMs,
      page: {
        status: first.status,
        htmlBytes: Buffer.byteLength(html),
        gzipBytes: zlib.gzipSync(html).length,
        posts: anchors,
        poll: html.includes('id="umfrage"'),
      },
      load: results,
      profile: timing,
      serverErrorLines: serverErrors,
      serverPeakRssMb: peakRss,
      html,
      browserJs,
    };
  } finally {
    await server.stop();
    log(`Server (pid ${server.pid}) beendet`);
  }
}

// ---------------------------------------------------------------- main

async function main() {
  assertBuilt();
  const started = Date.now();
  // Other work on the machine skews the figures; the load average says how busy it was.
  const loadAtStart = loadAverage();
  const referenceAtStart = referenceWorkMs();
  const engines = await forEachEngine((engine, cluster) => benchEngine(engine, cluster));

  const js = { ...readerJs(engines[0].html), inBrowser: engines[0].browserJs };
  const inBrowser = engines[0].browserJs;
  const browserKb: number = inBrowser && "gzipKb" in inBrowser ? (inBrowser.gzipKb as number) : js.gzipKb;
  const editorInBrowser = !!inBrowser && "editorChunkLoaded" in inBrowser && inBrowser.editorChunkLoaded;
  const budgets = engines.map((e) => {
    const at10 = e.load.find((r) => r.connections === 10)!;
    const at50 = e.load.find((r) => r.connections === 50)!;
    return {
      engine: e.engine,
      p95At10ConnectionsUnder100ms: at10.latencyMs.p95 < BUDGET.p95At10,
      noErrorsAt50Connections: at50.errors + at50.timeouts + at50.non2xx === 0,
      p95At50ConnectionsUnder500ms: at50.latencyMs.p95 < BUDGET.p95At50,
    };
  });
  const report = {
    benchmark: "thread",
    date: new Date().toISOString(),
    machine: machineReport(loadAtStart, referenceAtStart),
    setup: {
      replies: REPLIES,
      members: MEMBERS,
      maxDepth: MAX_DEPTH,
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      note: "autocannon runs in the bench process, the server in its own process, on the same machine",
    },
    budgets: {
      ...BUDGET,
      results: budgets,
      readerJsUnder200Kb: Math.max(js.gzipKb, browserKb) < BUDGET.readerJsKb,
      editorNotLoaded: !js.editorChunkLoaded && !editorInBrowser,
    },
    engines: engines.map(({ html: _html, browserJs: _browserJs, ...rest }) => rest),
    readerJs: js,
    totalSeconds: round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
