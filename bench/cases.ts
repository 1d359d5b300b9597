/**
 * How heavy is the Kollegiale Fallberatung? On a fresh embedded database (PGlite) this seeds 2,000 consultations:
 * 1,000 closed long ago (20 contributions each, due for the retention purge), 500 asynchronous ones whose phase
 * deadline has passed, 500 forming groups, and one running live consultation with 300 contributions. It times
 * `runCaseJobs` in this process (the minute tick: 200 deadlines per tick, reminders, then the daily purge), then
 * starts the production server on that database and reads the busy consultation's page as a participant with
 * autocannon at 10 connections.
 *
 * Budgets: a typical consultation page (60 entries) p95 < 150 ms at 10 connections; the purge of 1,000
 * consultations < 10 s. On a shared machine the latencies follow its load; the server's CPU time per request
 * (from /proc) is the steadier figure.
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openPglite } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { caseConsultations, caseContributions, caseParticipants } from "../db/schema/index.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { hashPassword } from "../app/models/accounts/password.server.ts";
import { insertUser } from "../app/models/accounts/users.server.ts";
import { runCaseJobs } from "../app/models/cases/jobs.server.ts";
import { assertBuilt, spawnServer } from "./lib/server.ts";
import { cleanups, log, percentile, round, runBenchmark } from "./lib/run.ts";
import { load, profile } from "./lib/load.ts";

const PASSWORD = "bench-passwort-2026";
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CLOSED = 1000;
const DUE_ASYNC = 500;
const FORMING = 500;
/** A typical live consultation (about 60 entries in 45 minutes) and a very busy one. */
const TYPICAL_CONTRIBUTIONS = 60;
const LIVE_CONTRIBUTIONS = 300;
const BUDGET = { pageP95Ms: 150, purgeMs: 10_000 };
const DAY = 86_400_000;

const text =
  "Eine Kollegin möchte ihre Lernzeit neben dem Tagesgeschäft schützen. Was hilft, ohne Druck aufzubauen? ".repeat(3);

async function main() {
  assertBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-bench-cases-"));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const handle = await openPglite(dataDir);
  await runMigrations(handle);
  setDatabase(handle);
  const seedStart = Date.now();
  const passwordHash = await hashPassword(PASSWORD);
  const people = await handle.db.transaction(async (tx) => {
    const list = [];
    for (let i = 0; i < 6; i++)
      list.push(
        await insertUser(tx, {
          email: `fall${i}@bench.example`,
          displayName: `Person ${i}`,
          handle: `bench-fall-${i}`,
          passwordHash,
          role: "member",
        }),
      );
    return list;
  });
  const now = new Date();
  const base = {
    topic: "Lernzeit schützen",
    situation: text,
    tried: text,
    keyQuestion: "Wie schütze ich Lernzeit?",
    groupSize: 6,
    caseGiverId: people[0].id,
  };
  const insertCases = async (count: number, values: Partial<typeof caseConsultations.$inferInsert>) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 250) {
      const rows = Array.from({ length: Math.min(250, count - i) }, () => ({
        ...base,
        mode: "async" as const,
        asyncDays: 5,
        ...values,
      }));
      ids.push(
        ...(await handle.db.insert(caseConsultations).values(rows).returning({ id: caseConsultations.id })).map(
          (r) => r.id,
        ),
      );
    }
    for (let i = 0; i < ids.length; i += 250) {
      const slice = ids.slice(i, i + 250);
      await handle.db.insert(caseParticipants).values(
        slice.flatMap((caseId) =>
          people.map((p, j) => ({
            caseId,
            userId: p.id,
            role: j === 0 ? ("case_giver" as const) : j === 1 ? ("moderation" as const) : ("consultant" as const),
            agreedAt: now,
          })),
        ),
      );
    }
    return ids;
  };
  const closed = await insertCases(CLOSED, {
    phase: "abschluss",
    method: "hypothesen",
    closedAt: new Date(now.getTime() - 40 * DAY),
  });
  for (let i = 0; i < closed.length; i += 100) {
    const rows = closed.slice(i, i + 100).flatMap((caseId) =>
      Array.from({ length: 20 }, (_, k) => ({
        caseId,
        authorId: people[2 + (k % 4)].id,
        phase: "beratung" as const,
        kind: "contribution",
        prompt: "Hypothese",
        body: text,
      })),
    );
    await handle.db.insert(caseContributions).values(rows);
  }
  await insertCases(DUE_ASYNC, {
    phase: "beratung",
    phaseStartedAt: new Date(now.getTime() - 2 * DAY),
    phaseEndsAt: new Date(now.getTime() - 60_000),
  });
  await insertCases(FORMING, { phase: "casting", seatsOpen: true });
  const [typical, live] = await insertCases(2, {
    mode: "live",
    asyncDays: null,
    scheduledAt: now,
    phase: "beratung",
    method: "kopfstand",
    phaseStartedAt: now,
    phaseEndsAt: new Date(now.getTime() + 15 * 60_000),
  });
  for (const [caseId, count] of [
    [typical, TYPICAL_CONTRIBUTIONS],
    [live, LIVE_CONTRIBUTIONS],
  ] as const) {
    await handle.db.insert(caseContributions).values(
      Array.from({ length: count }, (_, k) => ({
        caseId,
        authorId: people[2 + (k % 4)].id,
        phase: "beratung" as const,
        kind: "contribution",
        prompt: k % 2 ? "Umkehrung" : "Verschlimmerung",
        body: text,
      })),
    );
  }
  const seedMs = Date.now() - seedStart;
  log(`Gesät in ${seedMs} ms`);

  // The jobs, as the minute tick runs them (quiet: the purge logs its counts on stdout, which carries the JSON).
  const quiet = console.log;
  console.log = () => {};
  const ticks: { ms: number; advanced: number; reminded: number; purged: number; contributionsDeleted: number }[] = [];
  try {
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      const result = await runCaseJobs(new Date(now.getTime() + i * 60_000));
      ticks.push({ ms: round(performance.now() - t), ...result });
    }
  } finally {
    console.log = quiet;
  }
  setDatabase(undefined);
  await handle.close();

  const server = await spawnServer({ DATA_DIR: dataDir, SEED_DEMO: "false" });
  cleanups.push(() => server.stop());
  const login = await fetch(`${server.url}/anmelden`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "fall3@bench.example", password: PASSWORD }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  // For comparison: the light overview page (/fallberatung) on the same server, one request at a time.
  const overview: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await (await fetch(`${server.url}/fallberatung`, { headers: { cookie } })).arrayBuffer();
    if (i >= 5) overview.push(performance.now() - t);
  }
  overview.sort((a, b) => a - b);
  const typicalPage = await measurePage(
    `${server.url}/fallberatung/${typical}`,
    cookie,
    TYPICAL_CONTRIBUTIONS,
    server.pid,
  );
  const busyPage = await measurePage(`${server.url}/fallberatung/${live}`, cookie, LIVE_CONTRIBUTIONS, server.pid);
  const purgeTick = ticks[0];
  const report = {
    engine: "pglite",
    seeded: {
      consultations: CLOSED + DUE_ASYNC + FORMING + 2,
      contributions: CLOSED * 20 + TYPICAL_CONTRIBUTIONS + LIVE_CONTRIBUTIONS,
      ms: seedMs,
    },
    jobTicks: ticks,
    overviewPageSequentialMedianMs: round(percentile(overview, 50)),
    consultationPage: { typical: typicalPage, busy: busyPage },
    budgets: {
      typicalPageP95Ms: {
        budget: BUDGET.pageP95Ms,
        measured: typicalPage.latencyMs.p95,
        ok: typicalPage.latencyMs.p95 < BUDGET.pageP95Ms && typicalPage.errors === 0 && typicalPage.non2xx === 0,
      },
      purgeMs: {
        budget: BUDGET.purgeMs,
        measured: purgeTick.ms,
        ok: purgeTick.ms < BUDGET.purgeMs && purgeTick.purged === CLOSED,
      },
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/** Sequential timings (HTML page and its route data alone), then autocannon at 10 connections. */
async function measurePage(url: string, cookie: string, contributions: number, pid: number) {
  const sequential = await profile(url, cookie, 20);
  await load(url, cookie, 10, 2);
  return {
    machineLoadAverage1m: round(os.loadavg()[0], 2),
    contributions,
    sequential,
    ...(await load(url, cookie, 10, DURATION_S, pid)),
  };
}

await runBenchmark(main);
