/**
 * How fast does a live dialogue round deliver chat? 300 socket.io clients join one round, 20 of them together send
 * 20 chat messages a second for BENCH_DURATION_S seconds (default 60). For every message and every client the time
 * from sending to arrival is taken; messages lost = deliveries expected (messages × clients) minus deliveries seen.
 * Three setups: the embedded PGlite, PostgreSQL 15, and two server processes on PostgreSQL (clients split across
 * both, broadcasts through the postgres adapter). Also the servers' resident memory (now and peak).
 *
 * Budget: p99 < 250 ms, nothing lost. The clients run in this process on the same (shared) machine, so their own
 * work is part of the figures. Prints one JSON document on stdout; progress goes to stderr.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { io, type Socket } from "socket.io-client";
import { openPglite, openPostgres, type DatabaseHandle } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { hashPassword } from "../app/models/accounts/password.server.ts";
import { insertUser } from "../app/models/accounts/users.server.ts";
import { createSession } from "../app/models/accounts/sessions.server.ts";
import { createRound, registerForRound } from "../app/models/rounds/rounds.server.ts";
import { openRoom } from "../app/models/rounds/host.server.ts";
import type { Actor } from "../app/auth/permissions.ts";
import { startCluster, type Cluster } from "../tests/setup/pgcluster.ts";
import { assertBuilt, spawnServer, type ChildServer } from "./lib/server.ts";
import { cleanups, log, round, runBenchmark, machineReport, loadAverage } from "./lib/run.ts";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 300);
const RATE = 20;
const SENDERS = 20;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const DRAIN_MS = 10_000;
const BUDGET = { p99Ms: 250, lost: 0 };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The round, its host and CLIENTS registered members, each with a session (no password logins needed). */
async function seed(handle: DatabaseHandle): Promise<{ roundId: string; tokens: string[] }> {
  setDatabase(handle);
  try {
    const passwordHash = await hashPassword("bench-passwort-2026");
    const members: Actor[] = [];
    await handle.db.transaction(async (tx) => {
      for (let i = 1; i <= CLIENTS; i++) {
        const n = String(i).padStart(3, "0");
        const { id } = await insertUser(tx, {
          email: `t${n}@bench.example`,
          displayName: `Teilnehmende ${n}`,
          handle: `teilnehmende-${n}`,
          passwordHash,
          role: "member",
        });
        members.push({ id, role: "member" });
      }
    });
    const [moderator] = await handle.db.transaction(async (tx) => [
      await insertUser(tx, {
        email: "mod@bench.example",
        displayName: "Moderation",
        handle: "bench-moderation",
        passwordHash,
        role: "moderator",
      }),
    ]);
    const host: Actor = { id: moderator.id, role: "moderator" };
    const startsAt = new Date(Date.now() + 3_600_000);
    const { id: roundId } = await createRound(host, {
      title: "Benchmark-Runde",
      description: "",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      registrationDeadline: new Date(startsAt.getTime() - 60_000),
      capacity: CLIENTS,
      conferenceUrl: null,
      orientation: false,
      hosts: [],
      agenda: [],
    });
    for (const m of members) await registerForRound(m, roundId);
    await openRoom(host, roundId);
    const tokens: string[] = [];
    for (const m of members) tokens.push((await createSession(m.id)).token);
    return { roundId, tokens };
  } finally {
    setDatabase(undefined);
  }
}

function rss(pid: number): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? NaN);
  return { rssMb: round(kb("VmRSS") / 1024), peakRssMb: round(kb("VmHWM") / 1024) };
}

type Client = Socket;

async function connectAll(servers: ChildServer[], tokens: string[], roundId: string) {
  const clients: Client[] = [];
  const batch = 25;
  for (let i = 0; i < tokens.length; i += batch) {
    const group = tokens.slice(i, i + batch).map((token, j) => {
      const server = servers[(i + j) % servers.length];
      const socket = io(server.url, {
        transports: ["websocket"],
        extraHeaders: { origin: server.url, cookie: `lbn_session=${token}` },
        reconnection: false,
        forceNew: true,
        timeout: 20_000,
      });
      clients.push(socket);
      return new Promise<void>((resolve, reject) => {
        socket.once("connect", () => {
          socket
            .timeout(20_000)
            .emitWithAck("round:join", { roundId, since: 0 })
            .then(
              (answer: { ok: boolean; error?: string }) => (answer.ok ? resolve() : reject(new Error(answer.error))),
              reject,
            );
        });
        socket.once("connect_error", reject);
      });
    });
    await Promise.all(group);
  }
  cleanups.push(() => clients.forEach((c) => c.disconnect()));
  return clients;
}

async function measure(clients: Client[], roundId: string) {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let unknown = 0;
  for (const client of clients) {
    client.on("round:event", (p: { event: { kind: string; text: string } }) => {
      if (p.event.kind !== "chat") return;
      const t0 = sentAt.get(p.event.text);
      if (t0 === undefined) unknown++;
      else latencies.push(performance.now() - t0);
    });
  }
  const senders = clients.slice(0, SENDERS);
  let sent = 0;
  let acked = 0;
  let refused = 0;
  const ackLatencies: number[] = [];
  const total = RATE * DURATION_S;
  const interval = 1000 / RATE;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      // Catch up if the timer fell behind, so the rate holds on a busy machine.
      const due = Math.min(total, Math.floor((performance.now() - started) / interval) + 1);
      while (sent < due) {
        const n = sent++;
        const text = `Nachricht ${n} – Bench`;
        const sender = senders[n % SENDERS];
        const t0 = performance.now();
        sentAt.set(text, t0);
        sender
          .timeout(30_000)
          .emitWithAck("round:chat", { roundId, text, clientId: `b${n}` })
          .then(
            (answer: { ok: boolean }) => {
              if (answer.ok) {
                acked++;
                ackLatencies.push(performance.now() - t0);
              } else refused++;
            },
            () => refused++,
          );
      }
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(1, interval / 2));
    };
    tick();
  });
  const sendingMs = performance.now() - started;
  const expected = () => acked * clients.length;
  const drainStart = performance.now();
  while ((latencies.length < expected() || acked + refused < sent) && performance.now() - drainStart < DRAIN_MS) {
    await new Promise((r) => setTimeout(r, 100));
  }
  latencies.sort((a, b) => a - b);
  ackLatencies.sort((a, b) => a - b);
  return {
    messagesSent: sent,
    messagesStored: acked,
    messagesRefused: refused,
    sendRatePerS: round(sent / (sendingMs / 1000)),
    deliveriesExpected: sent * clients.length,
    deliveriesSeen: latencies.length,
    messagesLost: sent * clients.length - latencies.length,
    duplicatesOrUnknown: unknown,
    deliveryLatencyMs: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? NaN),
    },
    ackLatencyMs: { p50: round(percentile(ackLatencies, 50)), p99: round(percentile(ackLatencies, 99)) },
  };
}

async function scenario(name: "pglite" | "postgres" | "postgres-2-processes", cluster: Cluster | null) {
  log(`\n== ${name} ==`);
  const dataDirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "lbn-bench-rounds-")));
  cleanups.push(() => dataDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  let databaseUrl: string | undefined;
  let handle: DatabaseHandle;
  if (cluster) {
    const dbName = `bench_rounds_${name.replace(/-/g, "_")}`;
    const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    databaseUrl = cluster.adminUrl.replace(/\/postgres$/, `/${dbName}`);
    handle = await openPostgres(databaseUrl, { max: 4 });
  } else {
    handle = await openPglite(dataDirs[0]);
  }
  let seeded: Awaited<ReturnType<typeof seed>>;
  const seedStart = Date.now();
  try {
    await runMigrations(handle, databaseUrl);
    seeded = await seed(handle);
  } finally {
    await handle.close();
  }
  log(`Gesät: ${CLIENTS} Angemeldete in ${Date.now() - seedStart} ms`);
  const count = name === "postgres-2-processes" ? 2 : 1;
  const servers: ChildServer[] = [];
  for (let i = 0; i < count; i++) {
    const server = await spawnServer({
      DATA_DIR: dataDirs[i],
      SEED_DEMO: "false",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    cleanups.push(() => server.stop());
    servers.push(server);
    log(`Server (pid ${server.pid}) auf ${server.url}`);
  }
  try {
    const connectStart = Date.now();
    const clients = await connectAll(servers, seeded.tokens, seeded.roundId);
    log(
      `${clients.length} Clients verbunden und im Raum (${Date.now() - connectStart} ms); ${RATE} Nachrichten/s für ${DURATION_S} s …`,
    );
    await new Promise((r) => setTimeout(r, 1500)); // presence lists settle
    const result = await measure(clients, seeded.roundId);
    log(`  ${JSON.stringify(result)}`);
    const memory = servers.map((s) => ({ pid: s.pid, ...rss(s.pid) }));
    for (const c of clients) c.disconnect();
    const serverErrors = servers.reduce(
      (n, s) => n + (s.output().match(/Unerwarteter Fehler|Error:/g)?.length ?? 0),
      0,
    );
    return {
      setup: name,
      serverProcesses: count,
      clients: clients.length,
      ...result,
      serverMemory: memory,
      serverErrorLines: serverErrors,
    };
  } finally {
    for (const s of servers) await s.stop();
  }
}

async function main() {
  assertBuilt();
  const loadAtStart = loadAverage();
  const results = [];
  results.push(await scenario("pglite", null));
  log("\nPostgreSQL 15 starten …");
  const cluster = await startCluster();
  cleanups.push(() => cluster.stop());
  results.push(await scenario("postgres", cluster));
  results.push(await scenario("postgres-2-processes", cluster));
  const report = {
    benchmark: "rounds",
    date: new Date().toISOString(),
    machine: machineReport(loadAtStart),
    setup: {
      clients: CLIENTS,
      senders: SENDERS,
      messagesPerSecond: RATE,
      durationS: DURATION_S,
      note: "clients run in the bench process; servers in their own processes; one shared machine",
    },
    results,
    budget: results.map((r) => ({
      setup: r.setup,
      p99Under250ms: r.deliveryLatencyMs.p99 < BUDGET.p99Ms,
      nothingLost: r.messagesLost === BUDGET.lost,
    })),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
