/**
 * A flood of room:join from one member: refused beyond the rate (per socket and per member) with a German answer,
 * while the server keeps answering others. The server runs as its own process, as in production.
 */
import fs from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JOIN_LIMITS } from "../../server/realtime.ts";
import { loginCookie, spawnServer, tempDataDir, type ChildServer } from "../setup/server.ts";
import { connected, emitAck, openSocket, type TestSocket } from "./helpers.ts";

const who = { host: "moderation@example.org" };

describe("room:join flood", () => {
  // The server runs in a process of its own here, so /healthz measures the server, not this test's own client work.
  let child: ChildServer;
  let dataDir: string;
  let floods: TestSocket[] = [];

  beforeAll(async () => {
    dataDir = tempDataDir();
    child = await spawnServer({ DATA_DIR: dataDir }, 100_000);
  }, 120_000);

  afterAll(async () => {
    for (const s of floods) s.disconnect();
    await child?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("1,000 joins from one member are refused beyond the rate with a German answer, and /healthz stays fast", async () => {
    const cookie = await loginCookie(child.url, who.host);
    // A room whose facts are read from the database on every join that gets through (this thread does not exist).
    const room = "thread:00000000-0000-4000-8000-000000000000";
    floods = [0, 1, 2].map(() => openSocket(child.url, { cookie }));

    await Promise.all(floods.map(connected));
    // The same probe without a flood first: the machine's own pace is the yardstick.
    const quiet: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      await (await fetch(`${child.url}/healthz`)).body?.cancel();
      quiet.push(performance.now() - started);
    }
    const healthz: number[] = [];
    // This process sends the flood too: its own event-loop delay is part of every probe's time and is reported.
    const ownLoop = monitorEventLoopDelay({ resolution: 10 });
    ownLoop.enable();
    let flooding = true;
    const probe = (async () => {
      while (flooding) {
        const started = performance.now();
        const response = await fetch(`${child.url}/healthz`);
        await response.body?.cancel();
        healthz.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from(
        { length: 1000 },
        (_, i) =>
          (floods[i % 3] as unknown as Socket).timeout(30_000).emitWithAck("room:join", { room }) as Promise<{
            ok: boolean;
            error?: string;
          }>,
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    flooding = false;
    await probe;
    ownLoop.disable();
    const throttled = answers.filter((a) => a.error === "Zu viele Anfragen. Bitte warte einen Moment.").length;
    const passed = answers.filter((a) => a.error === "Kein Zutritt zu diesem Raum").length;
    console.log(
      `room:join flood: ${passed} reached the room check, ${throttled} refused in ${seconds.toFixed(2)} s; /healthz max ${Math.max(...healthz).toFixed(0)} ms over ${healthz.length} probes (without flood: max ${Math.max(...quiet).toFixed(0)} ms; this test process's own event-loop delay max ${(ownLoop.max / 1e6).toFixed(0)} ms)`,
    );
    expect(passed + throttled).toBe(1000);
    // Three sockets would allow three socket bursts; the member's own limit caps them together.
    expect(passed).toBeGreaterThan(0);
    expect(passed).toBeLessThanOrEqual(JOIN_LIMITS.user.burst + Math.ceil(seconds * JOIN_LIMITS.user.perSecond));
    expect(healthz.length).toBeGreaterThan(1);
    // 1,000 unthrottled joins kept /healthz waiting 1.7 s. This machine may be busy with other work, so the bound is
    // relative to its quiet pace, with 500 ms as the floor.
    expect(Math.max(...healthz)).toBeLessThan(Math.max(500, 4 * Math.max(...quiet)));
    // The sockets stay usable: once the bucket has refilled, a join reaches the room check again.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await emitAck(floods[0], "room:join", { room })).toEqual({
      ok: false,
      error: "Kein Zutritt zu diesem Raum",
    });
  });
});
