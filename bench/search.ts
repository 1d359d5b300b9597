/**
 * How fast is search? 100 000 replies (in 5 000 threads) and 5 000 materials of German-like text are written
 * straight into the database, the index is built with the same code as `npm run search:reindex`, the production
 * server runs as its own process, and a logged-in member asks GET /api/v1/search one request at a time for five
 * classes of queries: common words, rare words, phrases, typos, common words with a filter, and natural questions of
 * 5-8 words (issue 21). First on the
 * embedded PGlite, then on PostgreSQL 15.
 *
 * The text comes from a word-pair (Markov) model of the German source documents in ../shared/seeds, so word
 * frequencies, compounds and phrases look like the network's own language.
 *
 * Budget: p95 < 100 ms on PostgreSQL and < 200 ms on PGlite, for every class.
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { createPostgresEngine } from "../search/postgres.ts";
import { reindexAll } from "../search/indexer.ts";
import type { Cluster } from "../tests/setup/pgcluster.ts";
import { forEachEngine } from "./lib/engines.ts";
import { corpus, PASSWORD, queryClasses, seed, stopWordsOf, type Corpus } from "./lib/german.ts";
import { assertBuilt, login, spawnServer } from "./lib/server.ts";
import { cleanups, log, mulberry32, percentile, round, runBenchmark, machineReport, loadAverage } from "./lib/run.ts";
import { openBenchDatabase } from "./lib/database.ts";

const REPLIES = Number(process.env.BENCH_REPLIES ?? 100_000);
const THREADS = Math.max(1, Math.round(REPLIES / 20));
const MATERIALS = Number(process.env.BENCH_MATERIALS ?? 5_000);
const QUERIES_PER_CLASS = Number(process.env.BENCH_QUERIES ?? 40);
const BUDGET_P95_MS = { pglite: 200, postgres: 100 };

/** CPU time the server process has used so far (user + system), in ms, from /proc (Linux). */
function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

async function measure(url: string, cookie: string, queries: string[], pid?: number) {
  const cpuAtStart = pid ? cpuMs(pid) : null;
  const samples: number[] = [];
  let hits = 0;
  let zero = 0;
  let suggestions = 0;
  for (const query of queries) {
    const started = performance.now();
    const response = await fetch(`${url}/api/v1/search?${query}`, { headers: { cookie } });
    const body = (await response.json()) as { total: number; didYouMean: string | null };
    samples.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${query}: ${response.status}`);
    hits += body.total;
    if (body.total === 0) zero++;
    if (body.didYouMean) suggestions++;
  }
  samples.sort((a, b) => a - b);
  const cpuAtEnd = pid ? cpuMs(pid) : null;
  return {
    queries: queries.length,
    // The machine is shared: CPU time per query says what a query costs, whatever else was running.
    serverCpuMsPerQuery:
      cpuAtStart !== null && cpuAtEnd !== null ? round((cpuAtEnd - cpuAtStart) / queries.length) : null,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    max: round(samples[samples.length - 1]),
    meanHits: Math.round(hits / queries.length),
    zeroResultQueries: zero,
    withDidYouMean: suggestions,
  };
}

// ---------------------------------------------------------------- one engine

async function benchEngine(engine: "pglite" | "postgres", cluster: Cluster | null, c: Corpus) {
  log(`\n== ${engine} ==`);
  const { handle, dataDir, databaseUrl } = await openBenchDatabase(engine, cluster, "search");
  let seeded: Awaited<ReturnType<typeof seed>>;
  let index: { documents: number; seconds: number; documentsPerSecond: number };
  let stopWords: Set<string>;
  try {
    log("Säen …");
    seeded = await seed(handle, c, { replies: REPLIES, materials: MATERIALS });
    log(`Gesät in ${seeded.seedSeconds} s; Index aufbauen …`);
    const started = Date.now();
    let last = 0;
    await reindexAll(handle, createPostgresEngine(handle), ({ done, total }) => {
      if (done - last >= 500 || done === total) {
        last = done;
        log(`  ${done}/${total}`);
      }
    });
    const [{ n }] = await handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM search_documents`);
    const seconds = (Date.now() - started) / 1000;
    index = { documents: Number(n), seconds: round(seconds), documentsPerSecond: Math.round(Number(n) / seconds) };
    log(`Index: ${JSON.stringify(index)}`);
    if (engine === "postgres") await handle.db.execute(sql`VACUUM ANALYZE`);
    stopWords = await stopWordsOf(handle, c);
  } finally {
    await handle.close();
  }

  const server = await spawnServer({
    DATA_DIR: dataDir,
    SEED_DEMO: "false",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  cleanups.push(() => server.stop());
  log(`Server (pid ${server.pid}) auf ${server.url}`);
  try {
    const cookie = await login(server.url, PASSWORD, "leser@bench.example");
    const classes = queryClasses(c, mulberry32(7), QUERIES_PER_CLASS, stopWords);
    log("Aufwärmen …");
    await measure(server.url, cookie, queryClasses(c, mulberry32(99), 10, stopWords).common);
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (const [name, queries] of Object.entries(classes)) {
      results[name] = await measure(server.url, cookie, queries, server.pid);
      log(`  ${name}: ${JSON.stringify(results[name])}`);
    }
    return {
      engine,
      seeded,
      index,
      queries: results,
      budgetMet: Object.values(results).every((r) => r.p95 < BUDGET_P95_MS[engine]),
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  assertBuilt();
  const started = Date.now();
  const loadAtStart = loadAverage();
  const c = corpus();
  const engines = await forEachEngine((engine, cluster) => benchEngine(engine, cluster, c));
  const report = {
    benchmark: "search",
    date: new Date().toISOString(),
    machine: machineReport(loadAtStart),
    setup: {
      replies: REPLIES,
      threads: THREADS,
      materials: MATERIALS,
      queriesPerClass: QUERIES_PER_CLASS,
      request:
        "GET /api/v1/search (20 hits with snippets, total, all facets, spelling check), one at a time, as a logged-in member",
    },
    budgetP95Ms: BUDGET_P95_MS,
    engines,
    allBudgetsMet: engines.every((e) => e.budgetMet),
    totalSeconds: round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
