/**
 * How fast are the community insights? The search benchmark's data (100 000 replies in 5 000 threads, 5 000
 * materials) spread over 200 authors with 30 tags, plus 30 days of daily material usage (each published material used
 * on about one day in five: some 900 material-days a day, generous for ~700 members) and 30 days of search statistics
 * (2 000 distinct queries a day). Each insight query is timed in this process, then the production server
 * runs as its own process and a moderator loads /moderation/einblicke (all six queries and the page) one request at a
 * time. First on the embedded PGlite, then on PostgreSQL 15.
 *
 * Budget: page p95 < 1000 ms on PGlite and < 500 ms on PostgreSQL (a moderators-only page, opened now and then).
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import { sql } from "drizzle-orm";
import type { Cluster } from "../tests/setup/pgcluster.ts";
import { forEachEngine } from "./lib/engines.ts";
import { corpus, PASSWORD, seed, type Corpus } from "./lib/german.ts";
import { assertBuilt, login, spawnServer } from "./lib/server.ts";
import { cleanups, log, percentile, round, runBenchmark, machineReport, loadAverage } from "./lib/run.ts";
import { openBenchDatabase } from "./lib/database.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { weeklyActivity } from "../app/models/insights/activity.server.ts";
import { unansweredQuestions } from "../app/models/insights/unanswered.server.ts";
import { trendingTags } from "../app/models/insights/tags.server.ts";
import { materialsMostUsed } from "../app/models/insights/materials.server.ts";
import { roundAttendance } from "../app/models/insights/rounds.server.ts";
import { zeroResultSearches } from "../app/models/insights/searches.server.ts";
import type { DatabaseHandle } from "../db/client.ts";

const REPLIES = Number(process.env.BENCH_REPLIES ?? 100_000);
const MATERIALS = Number(process.env.BENCH_MATERIALS ?? 5_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30);
const BUDGET_P95_MS = { pglite: 1000, postgres: 500 };

const insights = {
  weeklyActivity,
  unansweredQuestions,
  trendingTags,
  materialsMostUsed,
  roundAttendance,
  zeroResultSearches,
};

/** Spreads the seeded content over many authors and tags and adds the aggregate counters the page reads. */
async function enrich(handle: DatabaseHandle) {
  await handle.db.execute(sql`
    insert into users (email, display_name, handle, password_hash)
    select 'autor' || i || '@bench.example', 'Autor ' || i, 'bench-autor-' || i, 'x' from generate_series(1, 200) i`);
  await handle.db.execute(sql`
    with authors as (select array_agg(id order by handle) as ids from users where handle like 'bench-autor-%')
    update posts set author_id = (select ids[1 + (abs(hashtext(posts.id::text)) % 200)] from authors)`);
  await handle.db.execute(sql`
    with authors as (select array_agg(id order by handle) as ids from users where handle like 'bench-autor-%')
    update threads set author_id = (select ids[1 + (abs(hashtext(threads.id::text)) % 200)] from authors),
                       tags = array['thema-' || (abs(hashtext(threads.id::text || 'a')) % 30), 'thema-' || (abs(hashtext(threads.id::text || 'b')) % 30)]`);
  // A tenth of the threads lands in the last twelve weeks, as in a lively network.
  await handle.db.execute(sql`
    update threads set created_at = now() - (abs(hashtext(id::text || 'c')) % (84 * 24)) * interval '1 hour'
    where abs(hashtext(id::text)) % 10 = 0`);
  await handle.db.execute(sql`
    update posts p set created_at = t.created_at + (abs(hashtext(p.id::text)) % 72) * interval '1 hour'
    from threads t where t.id = p.thread_id and abs(hashtext(t.id::text)) % 10 = 0`);
  await handle.db.execute(sql`
    insert into material_usage (material_id, day, views, downloads)
    select m.id, (now() at time zone 'Europe/Berlin')::date - d, abs(hashtext(m.id::text || d)) % 20, abs(hashtext(m.id::text || d || 'x')) % 5
    from materials m, generate_series(0, 29) d where m.status = 'published' and abs(hashtext(m.id::text || d || 'u')) % 5 = 0`);
  await handle.db.execute(sql`
    insert into search_query_stats (day, query, searches, zero_results)
    select (now() at time zone 'Europe/Berlin')::date - d, 'suche ' || q, 1 + q % 7, case when q % 4 = 0 then 1 + q % 3 else 0 end
    from generate_series(0, 29) d, generate_series(1, 2000) q`);
  if (handle.kind === "postgres") await handle.db.execute(sql`VACUUM ANALYZE`);
}

async function timeQueries(handle: DatabaseHandle) {
  const [moderator] = await handle.rows<{ id: string }>(
    sql`select id from users where email = 'autorin@bench.example'`,
  );
  const actor = { id: moderator.id, role: "moderator" as const };
  setDatabase(handle);
  try {
    const result: Record<string, { p50: number; max: number }> = {};
    for (const [name, fn] of Object.entries(insights)) {
      await fn(actor);
      const samples: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        await fn(actor);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      result[name] = { p50: round(percentile(samples, 50)), max: round(samples[samples.length - 1]) };
      log(`  ${name}: ${JSON.stringify(result[name])}`);
    }
    return result;
  } finally {
    setDatabase(undefined);
  }
}

async function benchEngine(engine: "pglite" | "postgres", cluster: Cluster | null, c: Corpus) {
  log(`\n== ${engine} ==`);
  const { handle, dataDir, databaseUrl } = await openBenchDatabase(engine, cluster, "insights");
  let seeded: Awaited<ReturnType<typeof seed>>;
  let queries: Awaited<ReturnType<typeof timeQueries>>;
  try {
    log("Säen …");
    seeded = await seed(handle, c, { replies: REPLIES, materials: MATERIALS });
    log(`Gesät in ${seeded.seedSeconds} s; Autorinnen, Schlagwörter, Zähler …`);
    await enrich(handle);
    log("Abfragen einzeln:");
    queries = await timeQueries(handle);
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
    const cookie = await login(server.url, PASSWORD, "autorin@bench.example");
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REQUESTS + 3; i++) {
      const started = performance.now();
      const response = await fetch(`${server.url}/moderation/einblicke`, { headers: { cookie } });
      const html = await response.text();
      if (response.status !== 200) throw new Error(`/moderation/einblicke: ${response.status}`);
      // The first three warm the server up.
      if (i >= 3) samples.push(performance.now() - started);
      bytes = html.length;
    }
    samples.sort((a, b) => a - b);
    const page = {
      requests: samples.length,
      p50: round(percentile(samples, 50)),
      p95: round(percentile(samples, 95)),
      max: round(samples[samples.length - 1]),
      htmlBytes: bytes,
    };
    log(`  Seite: ${JSON.stringify(page)}`);
    return { engine, seeded, queries, page, budgetMet: page.p95 < BUDGET_P95_MS[engine] };
  } finally {
    await server.stop();
  }
}

async function main() {
  assertBuilt();
  const started = Date.now();
  const loadAtStart = loadAverage();
  const c = corpus();
  const engines = await forEachEngine((engine, cluster) => benchEngine(engine, cluster, c));
  const report = {
    benchmark: "insights",
    date: new Date().toISOString(),
    machine: machineReport(loadAtStart),
    setup: {
      replies: REPLIES,
      materials: MATERIALS,
      authors: 200,
      tags: 30,
      materialUsageRows: "each published material on ~1 in 5 of 30 days",
      searchStatRows: 60_000,
      request: "GET /moderation/einblicke (six insight queries, server-rendered page), one at a time, as a moderator",
    },
    budgetP95Ms: BUDGET_P95_MS,
    engines,
    allBudgetsMet: engines.every((e) => e.budgetMet),
    totalSeconds: round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
