/**
 * WEB_CONCURRENCY=2 on PostgreSQL: one service of two workers behind one port (`node build/node/server.js`, as the
 * systemd unit runs it; ADR 041). Long-polling clients reach the worker that holds their session through the
 * primary's sticky routing and get live events published by the other worker; worker 1 alone runs the timed jobs; a
 * loader that throws answers 500 and ends no worker; SIGTERM to the group stops all of it with 0 within 10 s.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import postgres from "postgres";
import { io } from "socket.io-client";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPostgresDatabase } from "../setup/db.ts";
import { loginCookie, root, tempDataDir } from "../setup/server.ts";
import { connected, get, nextEvent, postForm, runToExit, type TestSocket } from "./helpers.ts";

let service: ChildProcess;
let url: string;
let out = "";
let sql: postgres.Sql;
const dataDir = tempDataDir();
const sockets: TestSocket[] = [];

beforeAll(async () => {
  const databaseUrl = await createPostgresDatabase();
  sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  service = spawn(process.execPath, ["build/node/server.js"], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      WEB_CONCURRENCY: "2",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  service.stdout!.on("data", (d) => (out += d));
  service.stderr!.on("data", (d) => (out += d));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${out}`)), 90_000);
    service.stdout!.on("data", () => {
      const match = /läuft auf (http:\/\/localhost:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    service.once("exit", (code) => reject(new Error(`service exited with ${code}:\n${out}`)));
  });
  const seeded = await runToExit("scripts/seed.ts", [], { DATABASE_URL: databaseUrl }, 120_000);
  expect(seeded.code, seeded.output).toBe(0);
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  if (service?.exitCode === null && service.signalCode === null) process.kill(-service.pid!, "SIGKILL");
  await sql?.end({ timeout: 5 });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("one service of two workers on one port; worker 1 alone runs the timed jobs", async () => {
  expect(out).toMatch(/Datenbank: PostgreSQL, 2 Worker/);
  expect(out.match(/Zeitgesteuerte Aufgaben und Suchindex laufen in Worker/g)).toHaveLength(1);
  expect(out).toContain("laufen in Worker 1");
  const health = await get(url, "/healthz");
  expect(health.status).toBe(200);
  await health.body?.cancel();
});

test("long-polling clients are routed to their worker and get live events published by the other worker", async () => {
  const cookie = await loginCookie(url, "mitglied@example.org");
  const poller = () => {
    const socket = io(url, {
      transports: ["polling"],
      extraHeaders: { origin: url, cookie },
      reconnection: false,
      forceNew: true,
    }) as TestSocket;
    sockets.push(socket);
    return socket;
  };
  // The primary gives a new client to the worker with fewer sockets: the second lands on the other worker.
  const first = poller();
  await connected(first);
  const second = poller();
  await connected(second);
  const workerOf = (socket: TestSocket) => (socket.io.engine as unknown as { id: string }).id[0];
  expect(new Set([workerOf(first), workerOf(second)])).toEqual(new Set(["1", "2"]));
  expect(first.io.engine.transport.name).toBe("polling");

  // Whichever worker answers the request publishes; the other worker's client gets it through PostgreSQL.
  const events = [first, second].map((socket) => nextEvent<{ count: number }>(socket, "notifications:unread", 10_000));
  const response = await postForm(url, "/benachrichtigungen", { intent: "all" }, { cookie });
  expect([200, 302, 303]).toContain(response.status);
  await response.body?.cancel();
  for (const event of await Promise.all(events)) expect(event).toEqual({ count: 0 });
  // Polls keep going to the right worker: both still connected after the event round trip.
  expect(first.connected && second.connected).toBe(true);
});

test("a loader that throws answers 500 and ends no worker", async () => {
  const cookie = await loginCookie(url, "mitglied2@example.org");
  const [thread] = await sql`select id from threads limit 1`;
  await sql`alter table polls rename to polls_away`;
  try {
    for (let i = 0; i < 4; i++) {
      const broken = await get(url, `/diskussionen/${thread.id}`, cookie);
      expect(broken.status).toBe(500);
      await broken.body?.cancel();
    }
  } finally {
    await sql`alter table polls_away rename to polls`;
  }
  const page = await get(url, `/diskussionen/${thread.id}`, cookie);
  expect(page.status).toBe(200);
  await page.body?.cancel();
  expect(out).not.toContain("endete unerwartet");
});

test("SIGTERM to the group stops the primary and both workers with 0 within 10 s", async () => {
  const exited = new Promise<number | null>((resolve) => service.once("exit", (code) => resolve(code)));
  const signalledAt = Date.now();
  process.kill(-service.pid!, "SIGTERM");
  expect(await exited).toBe(0);
  expect(Date.now() - signalledAt).toBeLessThan(10_000);
  expect(out).toContain("Worker 1 beendet, Datenbank geschlossen.");
  expect(out).toContain("Worker 2 beendet, Datenbank geschlossen.");
  expect(out).toContain("Server beendet, Datenbank geschlossen (2 Worker).");
  // The whole group is gone, the workers included.
  expect(() => process.kill(-service.pid!, 0)).toThrow();
});
