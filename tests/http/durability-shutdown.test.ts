/**
 * A clean stop of the real `npm start` (npm, which execs `node build/node/server.js`; ADR 041): systemd sends SIGTERM
 * to every process of the group at once, a terminal's Ctrl+C sends SIGINT to the group, `kill PID` reaches only the
 * top. Each time a request under way is answered, a connected socket is told to reconnect, no new connection is taken,
 * the database closes, DATA_DIR/.lock goes, and the process exits with 0 within 10 s; the next start on the same
 * directory serves the same data, and the told socket reconnects to it by itself. Errors that escape a request leave
 * the server running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, describe, expect, test } from "vitest";
import { loginCookie, root, templateDataDir } from "../setup/server.ts";
import { connected, get, nextEvent, openSocket, type TestSocket } from "./helpers.ts";

const dataDir = templateDataDir();
const started: ChildProcess[] = [];
const sockets: TestSocket[] = [];
const strayErrors = path.join(root, "tests/http/fixtures/stray-errors.mjs");

afterAll(() => {
  for (const socket of sockets) socket.disconnect();
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) groupKill(child.pid!, "SIGKILL");
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
  /** The server process (node), from its start line. */
  serverPid: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A command in a process group of its own, as systemd or a terminal runs it; resolves once it serves. */
async function startService(command: string, args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(command, args, {
    cwd: root,
    detached: true,
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const [url, serverPid] = await new Promise<[string, number]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not serve:\n${out}`)), 120_000);
    child.stdout!.on("data", () => {
      const match = /läuft auf (http:\/\/localhost:\d+) \(.*Prozess (\d+)\)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve([match[1], Number(match[2])]);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${out}`));
    });
  });
  return { child, url, serverPid, output: () => out, exited };
}

const npmStart = (env: Record<string, string> = {}) => startService("npm", ["start"], env);

/** Waits until no process of the group is left (the server included, not only npm); returns the time it took. */
async function groupGone(pid: number, timeoutMs = 20_000): Promise<number> {
  const start = Date.now();
  while (groupAlive(pid)) {
    if (Date.now() - start > timeoutMs) throw new Error(`process group ${pid} still alive after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - start;
}

/**
 * A login whose request is under way: the headers are sent with "Expect: 100-continue", and once the server has
 * answered "100 Continue" (it has taken the request) the body waits for `finish()`. Resolves with the raw answer.
 */
async function requestUnderWay(url: string): Promise<{ finish: () => Promise<string> }> {
  const { port } = new URL(url);
  const body = new URLSearchParams({ email: "mitglied2@example.org", password: "demo-passwort-2026" }).toString();
  const socket = net.connect(Number(port), "127.0.0.1");
  let received = "";
  const ended = new Promise<string>((resolve, reject) => {
    socket.on("data", (d) => (received += d));
    socket.on("end", () => resolve(received));
    socket.on("error", reject);
  });
  socket.write(
    `POST /anmelden HTTP/1.1\r\nHost: localhost:${port}\r\nOrigin: ${url}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
  );
  await new Promise<void>((resolve, reject) => {
    const check = () => received.includes("100 Continue") && (socket.off("data", check), resolve());
    socket.on("data", check);
    socket.once("error", reject);
  });
  return {
    finish: () => {
      socket.write(body);
      return ended;
    },
  };
}

/** Checks a stop by `signal` to the whole group while a request is under way and a socket is connected. */
async function stopUnderLoad(server: Started, signal: NodeJS.Signals) {
  const cookie = await loginCookie(server.url, "mitglied@example.org");
  const socket = openSocket(server.url, { cookie });
  sockets.push(socket);
  await connected(socket);
  const told = nextEvent<{ reconnect: boolean }>(socket, "server:restarting", 10_000);
  const closed = nextEvent<string>(socket, "disconnect", 10_000);
  const pending = await requestUnderWay(server.url);
  expect(fs.existsSync(path.join(dataDir, ".lock"))).toBe(true);

  const pid = server.child.pid!;
  const before = server.output().length;
  const signalledAt = Date.now();
  process.kill(-pid, signal);
  expect(await told).toEqual({ reconnect: true });
  // "transport close" is the reason socket.io-client reconnects after; a server-side disconnect would keep it away.
  expect(await closed).toBe("transport close");
  // No new connections while the request is still being answered.
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  const answer = await pending.finish();
  expect(answer).toMatch(/HTTP\/1\.1 302 Found/);
  expect(answer).toMatch(/set-cookie: lbn_session=/i);
  expect(answer).toMatch(/connection: close/i);

  await server.exited;
  await groupGone(pid);
  expect(Date.now() - signalledAt).toBeLessThan(10_000);
  expect(server.output()).toContain("Server beendet, Datenbank geschlossen.");
  expect(fs.existsSync(path.join(dataDir, ".lock")), server.output()).toBe(false);
  // Nothing went wrong while stopping (the first test provokes stack traces before the signal, on purpose).
  expect(server.output().slice(before)).not.toMatch(/^\s+at /m);
  expect(server.output()).not.toMatch(/hart beendet/);
}

describe("npm start stops cleanly", () => {
  test("npm execs node; errors that escape a request leave it running; SIGTERM to the whole group (systemd)", async () => {
    const server = await npmStart({ NODE_OPTIONS: `--import=${strayErrors}` });
    // No wrapper between npm and the server: npm's child is node running the build, not a shell or tsx.
    const stat = fs.readFileSync(`/proc/${server.serverPid}/stat`, "utf8").split(")").pop()!.trim().split(" ");
    expect(Number(stat[1])).toBe(server.child.pid);
    expect(fs.readFileSync(`/proc/${server.serverPid}/cmdline`, "utf8").split("\0")).toContain("build/node/server.js");

    process.kill(server.serverPid, "SIGUSR2");
    const logged = Date.now() + 10_000;
    while (!(server.output().includes("Testfehler: abgelehnt") && server.output().includes("Testfehler: geworfen"))) {
      if (Date.now() > logged) throw new Error(`no stray-error lines:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    // One structured line per stray error: the message and the error in the same JSON line (ADR 043).
    const line = server
      .output()
      .split("\n")
      .find((l) => l.includes("Testfehler: abgelehnt"));
    expect(JSON.parse(line!)).toMatchObject({
      msg: expect.stringContaining("der Server läuft weiter"),
      err: { message: "Testfehler: abgelehnt" },
    });
    const health = await get(server.url, "/healthz");
    expect(health.status).toBe(200);
    await health.body?.cancel();
    expect(server.child.exitCode).toBeNull();

    await stopUnderLoad(server, "SIGTERM");
  }, 180_000);

  test("SIGINT to the whole process group (Ctrl+C in a terminal)", async () => {
    await stopUnderLoad(await npmStart(), "SIGINT");
  }, 120_000);

  test("SIGTERM to npm alone", async () => {
    const server = await npmStart();
    const pid = server.child.pid!;
    process.kill(pid, "SIGTERM");
    const npm = await server.exited;
    await groupGone(pid);
    // npm ends with the server's exit code, or by the signal when it was signalled itself (npm's own way).
    if (npm.signal === null) expect(npm.code, server.output()).toBe(0);
    else expect(npm.signal).toBe("SIGTERM");
    expect(server.output()).toContain("Server beendet, Datenbank geschlossen.");
    expect(fs.existsSync(path.join(dataDir, ".lock")), server.output()).toBe(false);
  }, 120_000);

  test("a socket told to reconnect finds the next process on the same port and data (started as the systemd unit does)", async () => {
    const first = await npmStart();
    const port = new URL(first.url).port;
    const cookie = await loginCookie(first.url, "mitglied@example.org");
    const socket = io(first.url, {
      transports: ["websocket"],
      extraHeaders: { origin: first.url, cookie },
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      forceNew: true,
    }) as TestSocket;
    sockets.push(socket);
    await connected(socket);
    const told = nextEvent(socket, "server:restarting", 10_000);
    process.kill(-first.child.pid!, "SIGTERM");
    await told;
    await first.exited;
    await groupGone(first.child.pid!);

    const reconnected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const second = await startService(process.execPath, ["--max-semi-space-size=32", "build/node/server.js"], {
      PORT: port,
    });
    await reconnected;
    expect(socket.connected).toBe(true);
    // The demo member created on the first start can still log in: the database was closed, not torn.
    expect(await loginCookie(second.url, "mitglied2@example.org")).toMatch(/^lbn_session=/);

    process.kill(-second.child.pid!, "SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.output()).toContain("Server beendet, Datenbank geschlossen.");
    expect(fs.existsSync(path.join(dataDir, ".lock"))).toBe(false);
  }, 120_000);
});
