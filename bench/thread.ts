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
import type { DatabaseHandle } from "../db/client.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { hashPassword } from "../app/models/accounts/password.server.ts";
import { insertUser } from "../app/models/accounts/users.server.ts";
import { saveCategory } from "../app/models/community/categories.server.ts";
import { renderMarkdown } from "../app/models/discussions/body.server.ts";
import { createReply, setReaction } from "../app/models/discussions/posts.server.ts";
import { createThread, getThreadView } from "../app/models/discussions/threads.server.ts";
import { castVote, pollForThread } from "../app/models/discussions/polls.server.ts";
import type { Actor } from "../app/auth/permissions.ts";
import type { Cluster } from "../tests/setup/pgcluster.ts";
import { forEachEngine } from "./lib/engines.ts";
import { processOutbox } from "../search/indexer.ts";
import { createEngine } from "../search/index.ts";
import { assertBuilt, login, root, spawnServer, type ChildServer } from "./lib/server.ts";
import { cleanups, log, mulberry32, percentile, round, runBenchmark, machineReport, loadAverage, referenceWorkMs } from "./lib/run.ts";
import { profile, warmAndLoad } from "./lib/load.ts";
import { openBenchDatabase } from "./lib/database.ts";

const REPLIES = 200;
const MEMBERS = 20;
const MAX_DEPTH = 8;
const PASSWORD = "bench-passwort-2026";
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONCURRENCY = [10, 50];
const BUDGET = { p95At10: 100, p95At50: 500, readerJsKb: 200 };

// ---------------------------------------------------------------- seed

const sentences = [
  "Bei uns hat sich bewährt, das erste Gespräch bewusst offen zu halten und erst danach eine Lernfrage zu formulieren.",
  "Wichtig ist mir, dass die Person selbst entscheidet, was sie lernen möchte – ich begleite nur.",
  "Wir arbeiten mit einer **Lernlandkarte** auf einer Seite; die hängt dann oft monatelang am Arbeitsplatz.",
  "Die Führungskraft sollte früh eingebunden werden, sonst fehlt später die Zeit im Tagesgeschäft.",
  "Eine kurze Reflexion nach jeder Etappe hilft, den Fortschritt *sichtbar* zu machen.",
  "Das klappt auch digital, zum Beispiel mit einem geteilten Whiteboard im Videotermin.",
  "Mir hilft die Checkliste aus den [Materialien](https://example.org/materialien/checkliste) sehr.",
  "Manchmal ist weniger mehr: dreißig Minuten reichen, wenn die Frage klar ist.",
];

function replyMarkdown(random: () => number, n: number, handles: string[]): string {
  const paragraphs: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let p = 0; p < count; p++) {
    const words: string[] = [];
    for (let s = 0; s < 2 + Math.floor(random() * 2); s++) words.push(sentences[Math.floor(random() * sentences.length)]);
    paragraphs.push(words.join(" "));
  }
  if (random() < 0.15) paragraphs.push("- erster Punkt\n- zweiter Punkt\n- dritter Punkt");
  if (random() < 0.1) paragraphs.push(`Was meinst du, @${handles[Math.floor(random() * handles.length)]}? (Beitrag ${n})`);
  return paragraphs.join("\n\n");
}

interface Seeded {
  threadId: string;
  readerEmail: string;
  /** getThreadView (the thread page's main model call) timed in this process against the seeded database. */
  modelMs: { median: number; p95: number };
  replies: number;
  maxDepth: number;
  depthHistogram: Record<number, number>;
  searchIndexing: { documents: number; ms: number };
  ms: number;
}

/** 20 members and a moderator, a room, one question with 200 replies in a random tree, some reactions. */
async function seed(handle: DatabaseHandle): Promise<Seeded> {
  const started = Date.now();
  setDatabase(handle);
  try {
    const random = mulberry32(20_260_101);
    const passwordHash = await hashPassword(PASSWORD);
    const actors: Actor[] = [];
    const handles: string[] = [];
    await handle.db.transaction(async (tx) => {
      for (let i = 1; i <= MEMBERS; i++) {
        const n = String(i).padStart(2, "0");
        const { id } = await insertUser(tx, { email: `m${n}@bench.example`, displayName: `Mitglied ${n}`, handle: `mitglied-${n}`, passwordHash, role: "member" });
        actors.push({ id, role: "member" });
        handles.push(`mitglied-${n}`);
      }
    });
    const [moderator] = await handle.db.transaction(async (tx) => [
      await insertUser(tx, { email: "mod@bench.example", displayName: "Moderation", handle: "bench-moderation", passwordHash, role: "moderator" }),
    ]);
    await saveCategory({ id: moderator.id, role: "moderator" }, null, { name: "Lerngespräche", slug: "lerngespraeche", description: "Für den Benchmark." });

    const { id: threadId } = await createThread(actors[0], {
      categorySlug: "lerngespraeche",
      type: "question",
      title: "Wie startet ihr das erste Lerngespräch, wenn die Lernfrage noch unklar ist?",
      body: renderMarkdown(replyMarkdown(random, 0, handles)),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: ["lerngespraech", "einstieg"],
      // A poll on the page, with every member's vote, so its query and markup are part of what is measured.
      poll: { question: "Wie lange dauert euer erstes Gespräch?", options: ["30 Minuten", "45 Minuten", "60 Minuten", "Länger"], multiple: false, closesAt: null },
    });
    const poll = await pollForThread(actors[0], threadId, true);
    for (const [i, actor] of actors.entries()) await castVote(actor, threadId, poll!.id, [poll!.options[i % 4].id]);
    // Parents are picked among the opening post (parentId null) and earlier replies of depth < MAX_DEPTH,
    // favouring recent ones, so branches grow deep as in a lively discussion.
    const posts: { id: string | null; depth: number }[] = [{ id: null, depth: 0 }];
    const depthHistogram: Record<number, number> = {};
    const replyIds: string[] = [];
    for (let n = 1; n <= REPLIES; n++) {
      let parent = posts[0];
      if (random() > 0.25) {
        const candidates = posts.filter((p) => p.depth < MAX_DEPTH);
        const index = Math.floor(candidates.length * Math.sqrt(random()));
        parent = candidates[Math.min(index, candidates.length - 1)];
      }
      const author = actors[Math.floor(random() * MEMBERS)];
      const { id } = await createReply(author, {
        threadId,
        parentId: parent.id,
        body: renderMarkdown(replyMarkdown(random, n, handles)),
        anonymous: random() < 0.05,
      });
      const depth = parent.depth + 1;
      posts.push({ id, depth });
      replyIds.push(id);
      depthHistogram[depth] = (depthHistogram[depth] ?? 0) + 1;
    }
    // A few thanks and "helpful" marks, so counts and the reader's own reactions are on the page.
    for (let i = 0; i < 80; i++) {
      const actor = actors[Math.floor(random() * MEMBERS)];
      const postId = replyIds[Math.floor(random() * replyIds.length)];
      await setReaction(actor, postId, random() < 0.5 ? "thanks" : "helpful", true).catch(() => {}); // own posts are refused
    }
    // The posts went into the search outbox as they were written; in a running site the indexer takes them up one by
    // one. Indexing all of them here keeps that one-off batch out of the measured load (the server would start
    // with it otherwise, and compete with the first requests).
    const indexingStarted = Date.now();
    const indexed = await processOutbox(handle, createEngine(handle, {}));
    const indexingMs = Date.now() - indexingStarted;
    const reader = actors[1];
    const samples: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      await getThreadView(reader, threadId);
      // The first five warm up the query plans and the JIT.
      if (i >= 5) samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return {
      threadId,
      readerEmail: "m02@bench.example",
      modelMs: { median: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) },
      replies: REPLIES,
      maxDepth: Math.max(...Object.keys(depthHistogram).map(Number)),
      depthHistogram,
      searchIndexing: { documents: indexed, ms: indexingMs },
      ms: Date.now() - started,
    };
  } finally {
    setDatabase(undefined);
  }
}

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
    return { file: path.relative(path.join(root, "build/client"), file), bytes: content.length, gzipBytes: zlib.gzipSync(content).length };
  });
  files.sort((a, b) => b.gzipBytes - a.gzipBytes);
  const editorChunks = fs.readdirSync(path.join(root, "build/client/assets")).filter((f) => /RichTextEditor|editor/i.test(f) && f.endsWith(".js"));
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
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
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

  const server: ChildServer = await spawnServer({ DATA_DIR: dataDir, SEED_DEMO: "false", ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  cleanups.push(() => server.stop());
  log(`Server (pid ${server.pid}) auf ${server.url}`);
  try {
    const cookie = await login(server.url, PASSWORD, seeded.readerEmail);
    const pageUrl = `${server.url}/diskussionen/${seeded.threadId}`;
    const first = await fetch(pageUrl, { headers: { cookie } });
    const html = await first.text();
    // BENCH_SAVE_HTML=<dir> keeps the measured page for a closer look.
    if (process.env.BENCH_SAVE_HTML) fs.writeFileSync(path.join(process.env.BENCH_SAVE_HTML, `thread-${engine}.html`), html);
    const anchors = html.match(/id="beitrag-[0-9a-f-]{36}"/g)?.length ?? 0;
    if (first.status !== 200 || anchors !== seeded.replies + 1) {
      throw new Error(`Die Seite antwortet nicht wie erwartet: Status ${first.status}, ${anchors} Beiträge`);
    }

    const results = await warmAndLoad(pageUrl, cookie, { warmupS: WARMUP_S, durationS: DURATION_S, concurrency: CONCURRENCY, serverPid: server.pid });
    const timing = await profile(pageUrl, cookie);
    const browserJs = engine === "pglite" ? await readerJsInBrowser(pageUrl, cookie) : undefined;
    const serverErrors = server.output().match(/Unerwarteter Fehler|Error:/g)?.length ?? 0;
    return {
      engine,
      seed: { replies: seeded.replies, members: MEMBERS, maxDepth: seeded.maxDepth, depthHistogram: seeded.depthHistogram, searchIndexing: seeded.searchIndexing, seedMs: seeded.ms },
      getThreadViewInProcessMs: seeded.modelMs,
      page: { status: first.status, htmlBytes: Buffer.byteLength(html), gzipBytes: zlib.gzipSync(html).length, posts: anchors, poll: html.includes('id="umfrage"') },
      load: results,
      profile: timing,
      serverErrorLines: serverErrors,
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
    setup: { replies: REPLIES, members: MEMBERS, maxDepth: MAX_DEPTH, warmupS: WARMUP_S, durationS: DURATION_S, note: "autocannon runs in the bench process, the server in its own process, on the same machine" },
    budgets: { ...BUDGET, results: budgets, readerJsUnder200Kb: Math.max(js.gzipKb, browserKb) < BUDGET.readerJsKb, editorNotLoaded: !js.editorChunkLoaded && !editorInBrowser },
    engines: engines.map(({ html: _html, browserJs: _browserJs, ...rest }) => rest),
    readerJs: js,
    totalSeconds: round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
