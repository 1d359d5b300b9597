/**
 * A throwaway PostgreSQL 15 cluster (for the test run and for benchmarks): initdb + pg_ctl into a temp dir, random
 * port, fsync off. Runs as the `postgres` user when we are root (initdb refuses root).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export function findPgBin(): string | null {
  const candidates = [process.env.PG_BIN, "/usr/lib/postgresql/15/bin"].filter(Boolean) as string[];
  for (const dir of candidates) if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  return null;
}

export interface Cluster {
  /** URL of the `postgres` database (for CREATE DATABASE). */
  adminUrl: string;
  stop: () => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const bin = findPgBin();
  if (!bin)
    throw new Error("PostgreSQL 15 fehlt: apt-get install -y postgresql (oder PG_BIN auf das bin-Verzeichnis setzen)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-pg-"));
  const dataDir = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = path.join(bin, cmd);
    const result = asRoot
      ? spawnSync("runuser", ["-u", "postgres", "--", full, ...args], { encoding: "utf8" })
      : spawnSync(full, args, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${cmd} fehlgeschlagen: ${result.stderr || result.stdout}`);
  };
  let started = false;
  const stop = () => {
    try {
      if (started) run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } finally {
      started = false;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
    fs.chmodSync(dir, 0o755);
    run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-N"]);
    const port = await freePort();
    run("pg_ctl", [
      "-D",
      dataDir,
      "-l",
      path.join(dir, "log.txt"),
      "-w",
      "-t",
      "30",
      "start",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    ]);
    started = true;
    return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
