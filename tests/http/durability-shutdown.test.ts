/**
 * A clean stop of the real `npm start` (npm → sh → node): systemd sends SIGTERM to every process of the group
 * at once, a terminal's Ctrl+C sends SIGINT to the group, `kill PID` reaches only the top. Each time the server closes
 * the database, removes DATA_DIR/.lock and exits with 0 (its last line says so), and the next start on the same
 * directory works.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { loginCookie, root, tempDataDir } from "../setup/server.ts";
import { get } from "./helpers.ts";

const dataDir = tempDataDir();
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) groupKill(child.pid!, "SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function groupKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` in a process group of its own, as systemd or a terminal runs it; resolves once it serves. */
async function npmStart(): Promise<Started> {
  const child = spawn("npm", ["start"], {
    cwd: root,
    detached: true,
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not serve:\n${out}`)), 90_000);
    child.stdout!.on("data", () => {
      const match = /läuft auf (http:\/\/localhost:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
  return { child, url, output: () => out, exited };
}

/** Waits until no process of the group is left (the server included, not only npm). */
async function groupGone(pid: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() > until) throw new Error(`process group ${pid} still alive after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopAndCheck(signal: NodeJS.Signals, target: "group" | "top") {
  const server = await npmStart();
  const health = await get(server.url, "/healthz");
  expect(health.status).toBe(200);
  await health.body?.cancel();
  expect(fs.existsSync(path.join(dataDir, ".lock"))).toBe(true);

  const pid = server.child.pid!;
  if (target === "group") process.kill(-pid, signal);
  else process.kill(pid, signal);
  const npm = await server.exited;
  await groupGone(pid);

  // npm itself ends with the server's exit code, or by the signal when it was signalled itself (npm's own way).
  if (npm.signal === null) expect(npm.code, server.output()).toBe(0);
  else expect(npm.signal).toBe(signal);
  // The server wrote this only after the database closed, right before exiting with 0.
  expect(server.output()).toContain("Server beendet, Datenbank geschlossen.");
  expect(fs.existsSync(path.join(dataDir, ".lock")), server.output()).toBe(false);
  expect(server.output()).not.toMatch(/^\s+at /m);
}

describe("npm start stops cleanly", () => {
  test("SIGTERM to the whole process group (systemd)", async () => {
    await stopAndCheck("SIGTERM", "group");
  }, 120_000);

  test("SIGINT to the whole process group (Ctrl+C in a terminal)", async () => {
    await stopAndCheck("SIGINT", "group");
  }, 120_000);

  test("SIGTERM to npm alone", async () => {
    await stopAndCheck("SIGTERM", "top");
  }, 120_000);

  test("the next start on the same data directory serves the same data", async () => {
    const server = await npmStart();
    // The demo member created on the first start can still log in: the database was closed, not torn.
    expect(await loginCookie(server.url, "mitglied@example.org")).toMatch(/^lbn_session=/);
    process.kill(-server.child.pid!, "SIGTERM");
    await server.exited;
    await groupGone(server.child.pid!);
    expect(server.output()).toContain("Server beendet, Datenbank geschlossen.");
    expect(fs.existsSync(path.join(dataDir, ".lock"))).toBe(false);
  }, 120_000);
});
