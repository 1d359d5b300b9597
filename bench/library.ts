/**
 * How fast is the material library? 500 published materials of every type are seeded straight into the database,
 * the production server runs as its own process, and autocannon reads the library's first page (/materialien) as a
 * logged-in member at 10 and at 50 connections: first on the embedded PGlite, then on PostgreSQL 15. Then a 200 MB
 * video file is attached to a published material and downloaded over loopback with Range requests (whole file from
 * byte 0, large ranges and small ranges at random offsets), reading every body to the end.
 *
 * Budgets: 10 connections p95 < 100 ms; 50 connections no errors; ranged download >= 200 MB/s.
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import { materialFiles, materials, users } from "../db/schema/index.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { hashPassword } from "../app/models/accounts/password.server.ts";
import { insertUser } from "../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../app/models/discussions/body.server.ts";
import { listLibrary } from "../app/models/library/materials.server.ts";
import { parseLibraryQuery } from "../app/schemas/library.ts";
import { materialTypes, LIBRARY_PAGE_SIZE } from "../app/domain/library/types.ts";
import { audiences, competenceAreas, ilbSteps } from "../app/domain/taxonomy.ts";
import type { Cluster } from "../tests/setup/pgcluster.ts";
import { forEachEngine } from "./lib/engines.ts";
import { assertBuilt, login, spawnServer, type ChildServer } from "./lib/server.ts";
import {
  cleanups,
  log,
  mulberry32,
  percentile,
  round,
  runBenchmark,
  machineReport,
  loadAverage,
  referenceWorkMs,
} from "./lib/run.ts";
import { profile, warmAndLoad } from "./lib/load.ts";
import { openBenchDatabase } from "./lib/database.ts";

const MATERIALS = 500;
const PASSWORD = "bench-passwort-2026";
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONCURRENCY = [10, 50];
const BIG_FILE_MB = Number(process.env.BENCH_FILE_MB ?? 200);
const BUDGET = { p95At10: 100, downloadMBps: 200 };
const MB = 1024 * 1024;

// ---------------------------------------------------------------- seed

const topics = [
  "Lerngespräch",
  "Lernlandkarte",
  "Selbstvereinbarung",
  "Transfer",
  "eAkte",
  "Führungskräfte",
  "Reflexion",
  "Lerntandem",
  "Zwischengespräch",
  "Lernweg",
];
const kinds = ["Methodenkarte", "Checkliste", "Leitfaden", "Hintergrund", "Praxisbeispiel", "OnePager", "Vorlage"];
const tagPool = [
  "lerngespraech",
  "einstieg",
  "eakte",
  "transfer",
  "reflexion",
  "selbstvereinbarung",
  "fuehrung",
  "methoden",
  "digital",
  "tandem",
];
const summaries = [
  "Ein kurzer Überblick für den Alltag in der Lernbegleitung, mit Beispielen aus Jobcentern und Agenturen.",
  "Fragen, die im Gespräch weiterhelfen, und Hinweise, woran man merkt, dass der Lernweg trägt.",
  "Was sich in mehreren Dialogrunden bewährt hat – zum Ausdrucken, Weitergeben und Anpassen.",
  "Eine Schritt-für-Schritt-Hilfe für Lernbegleiterinnen und Lernbegleiter, die neu im Netzwerk sind.",
];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];

interface Seeded {
  readerEmail: string;
  bigMaterialId: string;
  byType: Record<string, number>;
  /** listLibrary (the page's main model call) timed in this process against the seeded database. */
  modelMs: { median: number; p95: number };
  ms: number;
}

/**
 * A moderator, a reader, and 500 published materials (every type, taxonomy, tags, a rich-text body, publication
 * dates over two years), inserted in batches of 100; one short video gets the big file later.
 */
async function seed(handle: DatabaseHandle): Promise<Seeded> {
  const started = Date.now();
  setDatabase(handle);
  try {
    const random = mulberry32(20_260_202);
    const passwordHash = await hashPassword(PASSWORD);
    const [moderator] = await handle.db.transaction(async (tx) => [
      await insertUser(tx, {
        email: "mod@bench.example",
        displayName: "Moderation",
        handle: "bench-moderation",
        passwordHash,
        role: "moderator",
      }),
      await insertUser(tx, {
        email: "leser@bench.example",
        displayName: "Lesende Person",
        handle: "bench-leser",
        passwordHash,
        role: "member",
      }),
    ]);
    const body = renderMarkdown(
      "Dieses Material hilft im **Lerngespräch**.\n\n- Ziel klären\n- Lernweg besprechen\n- Selbstvereinbarung festhalten\n\nMehr dazu in den [Materialien](/materialien).",
    );
    const byType: Record<string, number> = {};
    const now = Date.now();
    const rows: (typeof materials.$inferInsert)[] = [];
    for (let i = 0; i < MATERIALS; i++) {
      const type = materialTypes[i % materialTypes.length];
      byType[type] = (byType[type] ?? 0) + 1;
      const publishedAt = new Date(now - Math.floor(random() * 730) * 86_400_000 - i * 1000);
      const tags = [...new Set([pick(random, tagPool), pick(random, tagPool), pick(random, tagPool)])].slice(
        0,
        1 + Math.floor(random() * 3),
      );
      rows.push({
        type,
        status: "published",
        title: `${pick(random, kinds)}: ${pick(random, topics)} im Alltag (${String(i + 1).padStart(3, "0")})`,
        summary: pick(random, summaries),
        body: body.doc,
        bodyHtml: body.html,
        bodyText: body.text,
        transcript:
          type === "podcast" || type === "short_video"
            ? "Transkript: Willkommen zu dieser Folge. Heute geht es um Lerngespräche."
            : "",
        ilbStep: random() < 0.8 ? pick(random, Object.keys(ilbSteps)) : null,
        competenceArea: random() < 0.7 ? pick(random, Object.keys(competenceAreas)) : null,
        audience: random() < 0.7 ? pick(random, Object.keys(audiences)) : null,
        tags,
        source: "Benchmark",
        licence: "intern",
        publishedAt,
        lastReviewedAt: publishedAt,
        reviewDueAt: new Date(publishedAt.getTime() + 365 * 86_400_000).toISOString().slice(0, 10),
        createdBy: moderator.id,
        viewCount: Math.floor(random() * 200),
        createdAt: publishedAt,
      });
    }
    const ids: { id: string; type: string }[] = [];
    for (let i = 0; i < rows.length; i += 100) {
      ids.push(
        ...(await handle.db
          .insert(materials)
          .values(rows.slice(i, i + 100))
          .returning({ id: materials.id, type: materials.type })),
      );
    }
    const bigMaterialId = ids.find((r) => r.type === "short_video")!.id;

    const query = parseLibraryQuery(new URL("http://x/materialien"));
    const samples: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      const page = await listLibrary(query);
      if (page.total !== MATERIALS || page.materials.length !== LIBRARY_PAGE_SIZE)
        throw new Error(`listLibrary: ${page.total} / ${page.materials.length}`);
      // The first five warm up the query plans and the JIT.
      if (i >= 5) samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return {
      readerEmail: "leser@bench.example",
      bigMaterialId,
      byType,
      modelMs: { median: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) },
      ms: Date.now() - started,
    };
  } finally {
    setDatabase(undefined);
  }
}

/**
 * The big file, written once per run: an MP4 `ftyp` box (the upload sniffer's signature for video/mp4) followed by
 * zero bytes; each engine's DATA_DIR gets a hard link to it (a copy if linking fails).
 */
function writeBigFile(dir: string, megabytes: number): { file: string; size: number; head: Buffer } {
  const file = path.join(dir, "gross.mp4");
  const ftyp = Buffer.from("0000001c667479706973736f6d0000020069736f6d69736f326d703431", "hex");
  const size = megabytes * MB;
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, ftyp, 0, ftyp.length, 0);
    const zeros = Buffer.alloc(8 * MB);
    for (let at = ftyp.length; at < size; at += zeros.length)
      fs.writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
  } finally {
    fs.closeSync(fd);
  }
  return { file, size, head: ftyp };
}

async function attachBigFile(
  handle: DatabaseHandle,
  dataDir: string,
  materialId: string,
  big: { file: string; size: number },
): Promise<string> {
  const storageName = crypto.randomBytes(16).toString("hex");
  const uploads = path.join(dataDir, "uploads");
  fs.mkdirSync(uploads, { recursive: true });
  const target = path.join(uploads, storageName);
  try {
    fs.linkSync(big.file, target);
  } catch {
    fs.copyFileSync(big.file, target);
  }
  const [moderator] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, "mod@bench.example"));
  const [row] = await handle.db
    .insert(materialFiles)
    .values({
      materialId,
      kind: "video",
      mime: "video/mp4",
      storageName,
      originalName: "grosses-video.mp4",
      size: big.size,
      uploadedBy: moderator.id,
    })
    .returning({ id: materialFiles.id });
  return row.id;
}

// ---------------------------------------------------------------- measuring

interface Transfer {
  status: number;
  bytes: number;
  ms: number;
  contentRange: string | null;
  head: Buffer;
}

/** One GET over a kept-alive loopback connection, reading the body to the end without keeping it. */
function get(url: string, headers: Record<string, string>, agent: http.Agent): Promise<Transfer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(url, { headers: { ...headers, "accept-encoding": "identity" }, agent }, (response) => {
      let bytes = 0;
      let head = Buffer.alloc(0);
      response.on("data", (chunk: Buffer) => {
        if (head.length < 32) head = Buffer.concat([head, chunk.subarray(0, 32 - head.length)]);
        bytes += chunk.length;
      });
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          bytes,
          ms: performance.now() - started,
          contentRange: (response.headers["content-range"] as string) ?? null,
          head,
        }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

/**
 * Ranged downloads of the big file, one after another (as a player or podcast app does): the whole file from
 * byte 0, 64 MB ranges at random offsets, and 1 MB ranges at random offsets (seek latency). Every answer must be
 * 206 with the asked-for Content-Range and exactly that many bytes.
 */
async function downloads(baseUrl: string, cookie: string, fileId: string, big: { size: number; head: Buffer }) {
  const url = `${baseUrl}/dateien/${fileId}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const random = mulberry32(7);
  const problems: string[] = [];
  const run = async (label: string, start: number, end: number | null) => {
    const last = end ?? big.size - 1;
    const result = await get(url, { cookie, range: `bytes=${start}-${end ?? ""}` }, agent);
    const expected = last - start + 1;
    if (result.status !== 206) problems.push(`${label}: Status ${result.status}`);
    else if (result.bytes !== expected) problems.push(`${label}: ${result.bytes} statt ${expected} Bytes`);
    else if (result.contentRange !== `bytes ${start}-${last}/${big.size}`)
      problems.push(`${label}: Content-Range ${result.contentRange}`);
    else if (start === 0 && !result.head.subarray(0, big.head.length).equals(big.head.subarray(0, result.head.length)))
      problems.push(`${label}: falsche Bytes am Anfang`);
    return result;
  };
  const summarize = (results: Transfer[]) => {
    const bytes = results.reduce((a, r) => a + r.bytes, 0);
    const ms = results.reduce((a, r) => a + r.ms, 0);
    const each = results.map((r) => round(r.bytes / MB / (r.ms / 1000)));
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    return {
      requests: results.length,
      megabytes: round(bytes / MB),
      MBps: round(bytes / MB / (ms / 1000)),
      perRequestMBps: each,
      medianMs: round(percentile(times, 50)),
      maxMs: round(times.at(-1) ?? NaN),
    };
  };
  try {
    // One warm-up read of the whole file fills the page cache, so the figures are about the server, not the disk.
    await run("Aufwärmen", 0, null);
    const whole: Transfer[] = [];
    for (let i = 0; i < 5; i++) whole.push(await run(`bytes=0- #${i + 1}`, 0, null));
    const large: Transfer[] = [];
    const span = 64 * MB;
    for (let i = 0; i < 6; i++) {
      const start = Math.floor(random() * (big.size - span));
      large.push(await run(`64 MB ab ${start}`, start, start + span - 1));
    }
    const small: Transfer[] = [];
    for (let i = 0; i < 20; i++) {
      const start = Math.floor(random() * (big.size - MB));
      small.push(await run(`1 MB ab ${start}`, start, start + MB - 1));
    }
    const all = [...whole, ...large];
    const bytes = all.reduce((a, r) => a + r.bytes, 0);
    const ms = all.reduce((a, r) => a + r.ms, 0);
    return {
      fileMB: round(big.size / MB),
      wholeFileFromByte0: summarize(whole),
      ranges64MBRandomOffsets: summarize(large),
      ranges1MBRandomOffsets: summarize(small),
      /** Bytes of the whole-file and 64 MB reads over the time they took, sequentially. */
      MBps: round(bytes / MB / (ms / 1000)),
      problems,
    };
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------- one engine

async function benchEngine(
  engine: "pglite" | "postgres",
  cluster: Cluster | null,
  big: { file: string; size: number; head: Buffer },
) {
  log(`\n== ${engine} ==`);
  const { handle, dataDir, databaseUrl } = await openBenchDatabase(engine, cluster, "library");
  let seeded: Seeded;
  let fileId: string;
  try {
    seeded = await seed(handle);
    fileId = await attachBigFile(handle, dataDir, seeded.bigMaterialId, big);
  } finally {
    await handle.close();
  }
  log(`Gesät: ${MATERIALS} Materialien in ${seeded.ms} ms; listLibrary im Prozess: ${JSON.stringify(seeded.modelMs)}`);

  const server: ChildServer = await spawnServer({
    DATA_DIR: dataDir,
    SEED_DEMO: "false",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  cleanups.push(() => server.stop());
  log(`Server (pid ${server.pid}) auf ${server.url}`);
  try {
    const cookie = await login(server.url, PASSWORD, seeded.readerEmail);
    const pageUrl = `${server.url}/materialien`;
    const first = await fetch(pageUrl, { headers: { cookie } });
    const html = await first.text();
    if (process.env.BENCH_SAVE_HTML)
      fs.writeFileSync(path.join(process.env.BENCH_SAVE_HTML, `library-${engine}.html`), html);
    const cards = html.match(/class="card material-card"/g)?.length ?? 0;
    if (
      first.status !== 200 ||
      cards !== LIBRARY_PAGE_SIZE ||
      !html.replace(/<!-- -->/g, "").includes(`${MATERIALS} Materialien`)
    ) {
      throw new Error(
        `Die Seite antwortet nicht wie erwartet: Status ${first.status}, ${cards} Materialien auf der Seite`,
      );
    }

    const results = await warmAndLoad(pageUrl, cookie, {
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      concurrency: CONCURRENCY,
      serverPid: server.pid,
    });
    const timing = await profile(pageUrl, cookie);
    log(`Downloads (${BIG_FILE_MB} MB) …`);
    const download = await downloads(server.url, cookie, fileId, big);
    log(`  ${download.MBps} MB/s`);
    const serverErrors = server.output().match(/Unerwarteter Fehler|Error:/g)?.length ?? 0;
    return {
      engine,
      seed: { materials: MATERIALS, byType: seeded.byType, seedMs: seeded.ms },
      listLibraryInProcessMs: seeded.modelMs,
      page: {
        status: first.status,
        htmlBytes: Buffer.byteLength(html),
        gzipBytes: zlib.gzipSync(html).length,
        materialsShown: cards,
      },
      load: results,
      profile: timing,
      download,
      serverErrorLines: serverErrors,
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
  const bigDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-bench-file-"));
  cleanups.push(() => fs.rmSync(bigDir, { recursive: true, force: true }));
  log(`Große Datei (${BIG_FILE_MB} MB) schreiben …`);
  const big = writeBigFile(bigDir, BIG_FILE_MB);

  const engines = await forEachEngine((engine, cluster) => benchEngine(engine, cluster, big));

  const budgets = engines.map((e) => {
    const at10 = e.load.find((r) => r.connections === 10)!;
    const at50 = e.load.find((r) => r.connections === 50)!;
    return {
      engine: e.engine,
      p95At10ConnectionsUnder100ms: at10.latencyMs.p95 < BUDGET.p95At10,
      noErrorsAt50Connections: at50.errors + at50.timeouts + at50.non2xx === 0,
      downloadAtLeast200MBps: e.download.MBps >= BUDGET.downloadMBps && e.download.problems.length === 0,
    };
  });
  const report = {
    benchmark: "library",
    date: new Date().toISOString(),
    machine: machineReport(loadAtStart, referenceAtStart),
    setup: {
      materials: MATERIALS,
      page: "/materialien (first page, 24 of 500, newest first)",
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      fileMB: BIG_FILE_MB,
      note: "autocannon and the download client run in the bench process, the server in its own process, on the same machine (loopback)",
    },
    budgets: {
      ...BUDGET,
      results: budgets,
      allMet: budgets.every(
        (b) => b.p95At10ConnectionsUnder100ms && b.noErrorsAt50Connections && b.downloadAtLeast200MBps,
      ),
    },
    engines,
    totalSeconds: round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
