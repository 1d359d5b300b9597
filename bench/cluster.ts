/**
 * All cores on PostgreSQL (ADR 041): the 200-reply thread page at 50 connections, served by one process and by a
 * service of two workers (WEB_CONCURRENCY=2, `node build/node/server.js`), alternating in the same run so that the
 * machine's other load falls on both alike. Budget: two workers ≥ 1.6× the requests per second of one, p97.5 < 200 ms.
 * Reports the CPU per request of the whole process tree (primary and workers), each process's peak RSS, and the
 * machine's load. `BENCH_ROUNDS` (default 2) pairs, `BENCH_DURATION_S` (default 10) seconds each.
 */
import { startCluster } from "../tests/setup/pgcluster.ts";
import { openBenchDatabase } from "./lib/database.ts";
import { load, peakRssMb } from "./lib/load.ts";
import { cleanups, log, loadAverage, machineReport, referenceWorkMs, round, runBenchmark } from "./lib/run.ts";
import { assertBuilt, login, spawnServer } from "./lib/server.ts";
import { PASSWORD, seed } from "./lib/thread-seed.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const CONNECTIONS = 50;
const BUDGET = { ratio: 1.6, p97_5Ms: 200 };

async function measure(workers: 1 | 2, env: Record<string, string>, threadId: string, email: string) {
  const server = await spawnServer({ ...env, WEB_CONCURRENCY: String(workers) });
  cleanups.push(() => server.stop());
  try {
    const cookie = await login(server.url, PASSWORD, email);
    const url = `${server.url}/diskussionen/${threadId}`;
    await load(url, cookie, CONNECTIONS, WARMUP_S);
    const loadBefore = loadAverage()[0];
    const result = await load(url, cookie, CONNECTIONS, DURATION_S, server.pid);
    const peak = peakRssMb(server.pid);
    log(
      `  ${workers} Worker: ${result.requestsPerSecond} req/s, p97.5 ${result.latencyMs.p97_5} ms, ${result.serverCpuMsPerRequest} ms CPU/Anfrage, RSS ${peak.join("/")} MB`,
    );
    return { workers, ...result, peakRssMb: peak, loadAverage1m: loadBefore };
  } finally {
    await server.stop();
  }
}

async function main() {
  assertBuilt();
  const started = Date.now();
  const loadAtStart = loadAverage();
  const referenceAtStart = referenceWorkMs();
  log("PostgreSQL 15 starten …");
  const cluster = await startCluster();
  cleanups.push(() => cluster.stop());
  const { handle, dataDir, databaseUrl } = await openBenchDatabase("postgres", cluster, "cluster");
  const seeded = await seed(handle).finally(() => handle.close());
  const env = { DATA_DIR: dataDir, SEED_DEMO: "false", DATABASE_URL: databaseUrl! };
  const runs: Awaited<ReturnType<typeof measure>>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    log(`Runde ${r + 1}/${ROUNDS}`);
    for (const workers of r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const))
      runs.push(await measure(workers, env, seeded.threadId, seeded.readerEmail));
  }
  const of = (n: number) => runs.filter((run) => run.workers === n);
  const mean = (values: number[]) => round(values.reduce((a, b) => a + b, 0) / values.length);
  const rps1 = mean(of(1).map((run) => run.requestsPerSecond));
  const rps2 = mean(of(2).map((run) => run.requestsPerSecond));
  const p97_5With2 = Math.max(...of(2).map((run) => run.latencyMs.p97_5));
  const report = {
    benchmark: "cluster",
    date: new Date().toISOString(),
    machine: machineReport(loadAtStart, referenceAtStart),
    setup: {
      connections: CONNECTIONS,
      durationS: DURATION_S,
      rounds: ROUNDS,
      page: "200-reply thread with a poll, logged in",
      note: "autocannon, PostgreSQL 15 and the server on the same 2 cores",
    },
    requestsPerSecond: { oneWorker: rps1, twoWorkers: rps2, ratio: round(rps2 / rps1, 2) },
    p97_5MsWithTwoWorkers: p97_5With2,
    budgets: {
      ratioAtLeast1_6: rps2 / rps1 >= BUDGET.ratio,
      p97_5Under200ms: p97_5With2 < BUDGET.p97_5Ms,
      peakRssPerWorkerUnder250Mb: of(2).every((run) => run.peakRssMb.slice(1).every((mb) => mb < 250)),
    },
    runs,
    totalSeconds: round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
