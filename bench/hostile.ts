/**
 * `npm run bench -- hostile`: the hostile-input corpus of tests/http/hostile-lib.ts (every loader and action of the
 * build, bad paths, queries, bodies, content types) against the production server as its own process, as anonymous,
 * member, other member, moderator and admin at once, plus three chunked 100 MB bodies. The server process carries
 * an event-loop probe (bench/lib/loop-probe.mjs). Before the measured run every page is visited once as each actor.
 *
 * Budget: 0 × 5xx, 0 exits, no event-loop delay over 100 ms while the corpus runs one attacker at a time (as the test
 * suite sends it), after the same corpus from all five at once (reported as allAtOnce, without a delay budget).
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { openPglite } from "../db/client.ts";
import { demoIds, routeTargets, runShots, shotsFor, type RunResult } from "../tests/http/hostile-lib.ts";
import { assertBuilt, login, root, spawnServer, type ChildServer } from "./lib/server.ts";
import { cleanupAll, cleanups, log } from "./lib/run.ts";

const PASSWORD = "demo-passwort-2026";
const ACTORS = [null, "mitglied@example.org", "mitglied2@example.org", "moderation@example.org", "admin@example.org"];

assertBuilt();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-hostile-"));
cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// First start seeds the demo; its ids (random per seed) are read while no server holds the directory.
log("Demo-Daten anlegen …");
const seeding = await spawnServer({ DATA_DIR: dataDir }, 300_000);
await seeding.stop();
const handle = await openPglite(dataDir);
const ids = new Map<string | null, Record<string, string[]>>();
for (const actor of ACTORS) ids.set(actor, await demoIds(handle, actor));
await handle.close();

const probe = pathToProbe();
type Sample = { maxMs: number; gcMaxMs: number; gcKind: string; rss: number; at: number };
const samples: Sample[] = [];
// A control: an idle Node process with the same probe. What it sees is the machine (other processes, the
// hypervisor), not the server; a delay the server shares with it was not caused by a request.
const controlSamples: Sample[] = [];
const control = spawn(process.execPath, ["--import", probe, "-e", "setInterval(() => {}, 60_000)"], {
  stdio: ["ignore", "pipe", "ignore"],
});
control.stdout.on("data", (data: Buffer) => {
  for (const m of data.toString().matchAll(/LOOP_PROBE (\{[^\n]*\})/g)) controlSamples.push(JSON.parse(m[1]));
});
cleanups.push(() => void control.kill());
let exits = 0;
let server = await start();

async function start(): Promise<ChildServer> {
  const child = await spawnServer(
    { DATA_DIR: dataDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${probe}`.trim() },
    300_000,
  );
  child.process.stdout!.on("data", (data: Buffer) => {
    for (const m of data.toString().matchAll(/LOOP_PROBE (\{[^\n]*\})/g)) samples.push(JSON.parse(m[1]));
  });
  child.process.once("exit", (code, signal) => {
    if (!stopping) {
      exits++;
      log(`Server beendet (${code ?? signal}) – Neustart`);
      restarting = start().then((s) => (server = s));
    }
  });
  return child;
}
let stopping = false;
let restarting: Promise<ChildServer> | null = null;
cleanups.push(async () => {
  stopping = true;
  await (await (restarting ?? Promise.resolve(server))).stop();
});

function pathToProbe(): string {
  return path.join(root, "bench/lib/loop-probe.mjs");
}

const targets = await routeTargets();
const cookies = new Map<string | null, string | undefined>();
for (const actor of ACTORS) cookies.set(actor, actor ? await login(server.url, PASSWORD, actor) : undefined);

// A server that has shown each page once: the first render of a page compiles its code (up to 300 ms for the start
// page), which is not something a client's input causes. One plain visit per page and actor, not measured.
log("Jede Seite einmal aufrufen …");
for (const actor of ACTORS) {
  const visits = shotsFor(targets, ids.get(actor)!).filter(
    (s) => s.label.endsWith(" GET static") || s.label.endsWith(" GET real ids"),
  );
  await runShots(server.url, visits, { cookie: cookies.get(actor) });
}

const shotLists = new Map(
  ACTORS.map((actor) => [actor, shotsFor(targets, ids.get(actor)!, { skipActions: actor ? ["routes/abmelden"] : [] })]),
);
const timeline: { label: string; start: number; end: number }[] = [];
const run = (actor: string | null) =>
  runShots(server.url, shotLists.get(actor)!, { cookie: cookies.get(actor), timeline });

// First all five at once (no budget: a delay there also counts requests queued behind one another, and the first
// request on each code path pays its compilation and query planning, up to ~140 ms once per process). Then the
// budget: the same corpus one attacker at a time, as the test suite sends it; a delay there is what one request holds
// the loop for.
log(`Korpus: ${targets.length} Routen, ${ACTORS.length} Rollen gleichzeitig …`);
const together = await phase(() => Promise.all(ACTORS.map(run)));
log(`… und ${ACTORS.length} Rollen nacheinander …`);
const floods: { status: number; sentMb: number }[] = [];
const alone = await phase(async () => {
  const results: RunResult[] = [];
  for (const actor of ACTORS) results.push(await run(actor));
  for (let i = 0; i < 3; i++) floods.push(await chunkedFlood(server.url, "/anmelden", 100 * 1024 * 1024));
  return results;
});

async function phase(send: () => Promise<RunResult[]>) {
  const startedAt = Date.now();
  const results = await send();
  const endedAt = Date.now();
  await new Promise((r) => setTimeout(r, 600)); // the probe's last interval
  const during = samples.filter((s) => s.at >= startedAt && s.at <= endedAt + 300);
  const controlDuring = controlSamples.filter((s) => s.at >= startedAt && s.at <= endedAt + 300);
  return {
    results,
    durationS: Math.round((endedAt - startedAt) / 100) / 10,
    maxEventLoopDelayMs: Math.max(0, ...during.map((s) => s.maxMs)),
    controlMaxDelayMs: Math.max(0, ...controlDuring.map((s) => s.maxMs)),
    peakRssMb: Math.round(Math.max(0, ...during.map((s) => s.rss)) / 1024 / 1024),
    // Each delay over 60 ms with the answers under way in its interval (the last eight).
    delaysOver60Ms: during
      .filter((s) => s.maxMs > 60)
      .map((s) => ({
        ms: s.maxMs,
        gcMs: s.gcMaxMs,
        gcKind: s.gcKind,
        controlMs: Math.max(0, ...controlDuring.filter((c) => Math.abs(c.at - s.at) <= 250).map((c) => c.maxMs)),
        atS: Math.round((s.at - startedAt) / 100) / 10,
        underWay: timeline
          .filter((t) => t.start < s.at && t.end > s.at - 250 - s.maxMs)
          .slice(-8)
          .map((t) => `${t.label} (${t.end - t.start} ms)`),
      })),
  };
}

const results = [...alone.results, ...together.results];
const byStatus: Record<number, number> = {};
for (const r of results)
  for (const [status, n] of Object.entries(r.byStatus)) byStatus[Number(status)] = (byStatus[Number(status)] ?? 0) + n;
const errors = results.flatMap((r) => r.errors);
const summary = ({ results: _, ...rest }: typeof alone) => rest;
const report = {
  benchmark: "hostile",
  routes: targets.length,
  actors: ACTORS.map((a) => a ?? "anonym"),
  requestsSent: results.reduce((n, r) => n + r.sent, 0) + floods.length,
  byStatus,
  serverErrors5xx: errors.length,
  firstErrors: errors.slice(0, 10),
  chunkedFloods: floods,
  processExits: exits,
  maxEventLoopDelayMs: alone.maxEventLoopDelayMs,
  peakRssMb: Math.max(alone.peakRssMb, together.peakRssMb),
  oneAtATime: summary(alone),
  allAtOnce: summary(together),
  slowestAnswers: results
    .flatMap((r) => r.slowest)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8),
  budget: { serverErrors5xx: 0, processExits: 0, maxEventLoopDelayMs: 100 },
};
const withinBudget = report.serverErrors5xx === 0 && report.processExits === 0 && report.maxEventLoopDelayMs <= 100;
console.log(JSON.stringify({ ...report, withinBudget }, null, 2));
await cleanupAll();

/** A chunked POST over a raw socket until the server answers: status and how much was sent by then. */
function chunkedFlood(url: string, pathname: string, max: number): Promise<{ status: number; sentMb: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunk = `${(64 * 1024).toString(16)}\r\n${"a".repeat(64 * 1024)}\r\n`;
    let sent = 0;
    let answer = "";
    let stop = false;
    socket.on("error", () => {});
    socket.on("data", (d) => {
      answer += d.toString("latin1");
      stop = true;
    });
    socket.on("close", () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), sentMb: Math.round(sent / 1024 / 1024) }),
    );
    socket.on("connect", () => {
      socket.write(
        `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${url}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          "Transfer-Encoding: chunked\r\n\r\n6\r\nemail=\r\n",
      );
      const pump = () => {
        while (!stop && sent < max) {
          sent += 64 * 1024;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
        if (sent >= max && !stop) socket.end("0\r\n\r\n");
      };
      pump();
    });
  });
}
