/** The real server for HTTP, socket and browser tests: in this process, or as a child process like `npm start`. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { parseEnv } from "../../app/env.server.ts";
import { startServer, type RunningServer } from "../../server/index.ts";
import { appendTestLog } from "./logs.ts";

export const root = path.resolve(import.meta.dirname, "../..");

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "lbn-data-"));
}

/**
 * A new data directory holding a copy of the run's initialised and migrated embedded database (see postgres.ts): a
 * server started on it seeds as on an empty directory, without PGlite's initdb and the migrations.
 */
export function templateDataDir(): string {
  const dataDir = tempDataDir();
  fs.cpSync(inject("pgliteTemplate"), path.join(dataDir, "db"), { recursive: true });
  return dataDir;
}

/** Starts the production build in this process on a random port with a fresh embedded database (seeded). */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer & { dataDir: string }> {
  const dataDir = env.DATA_DIR ?? templateDataDir();
  const config = parseEnv({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, ...env });
  const server = await startServer({ quiet: true, config });
  return {
    ...server,
    dataDir,
    async close() {
      await server.close();
      if (!env.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs `server/index.ts` as its own process (as `npm start` does after building) and waits for its URL. */
export async function spawnServer(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/index.ts")], {
    cwd: root,
    // One process each unless a test asks for workers (with DATABASE_URL the default would be one per core).
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", WEB_CONCURRENCY: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  // Its log joins the run's logs, which are scanned for personal data at the end (tests/setup/logs.ts).
  child.once("close", () => appendTestLog(out));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), timeoutMs);
    const check = () => {
      const match = out.match(/läuft auf (http:\/\/localhost:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Logs in over HTTP like a browser form would and returns the session cookie ("name=value"). */
export async function loginCookie(baseUrl: string, email: string, password = "demo-passwort-2026"): Promise<string> {
  const response = await fetch(`${baseUrl}/anmelden`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
  const setCookie = response.headers.get("set-cookie");
  if (response.status !== 302 || !setCookie) throw new Error(`login failed for ${email}: ${response.status}`);
  return setCookie.split(";")[0];
}
