/** The production server as its own process (`node build/node/server.js`, as `npm start` runs it after building). */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");

export interface ChildServer {
  url: string;
  pid: number;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function assertBuilt(): void {
  for (const file of ["build/server/index.js", "build/client/assets", "build/node/server.js"]) {
    if (!fs.existsSync(path.join(root, file))) throw new Error(`${file} fehlt: bitte zuerst "npm run build" ausführen`);
  }
}

export async function spawnServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ChildServer> {
  // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of the server process there when it exits.
  const profiling = process.env.BENCH_CPU_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`]
    : [];
  // The young generation as `npm start` sizes it (fewer scavenges for pages that build large strings);
  // BENCH_SEMI_SPACE_MB=<n> tries another size side by side.
  const semiSpace = `--max-semi-space-size=${Number(process.env.BENCH_SEMI_SPACE_MB ?? 32)}`;
  const child = spawn(process.execPath, [...profiling, semiSpace, path.join(root, "build/node/server.js")], {
    cwd: root,
    // One process unless the benchmark asks for workers (bench/cluster.ts).
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", WEB_CONCURRENCY: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const hard = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(hard);
        resolve();
      });
      child.kill("SIGTERM");
    });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Server startete nicht:\n${out}`)), timeoutMs);
      const check = () => {
        const match = out.match(/läuft auf (http:\/\/localhost:\d+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace("localhost", "127.0.0.1"));
        }
      };
      child.stdout.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`Server beendet mit ${code}:\n${out}`));
      });
    });
    return { url, pid: child.pid!, process: child, output: () => out, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Logs in through the form like a browser and returns the session cookie. */
export async function login(url: string, password: string, email: string): Promise<string> {
  const response = await fetch(`${url}/anmelden`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
  const cookie = response.headers.get("set-cookie");
  if (response.status !== 302 || !cookie) throw new Error(`Anmeldung fehlgeschlagen: ${response.status}`);
  return cookie.split(";")[0];
}
