/**
 * Backups while the server runs (ADR 043), embedded database only (PostgreSQL has pg_dump).
 *
 * - `npm run backup -- FILE` finds the data directory locked by a running server and asks it through
 *   `DATA_DIR/.backup.sock`: a Unix socket, mode 0600, in the directory the server owns. Only the server's own user
 *   (and root) can connect; nothing listens on the network, and no token needs keeping. The server takes a consistent
 *   snapshot of its database (`snapshotPglite`), adds DATA_DIR's files, and streams the archive back.
 * - With BACKUP_DIR set, a nightly backup at BACKUP_TIME (Berlin) into `BACKUP_DIR/netzwerk-YYYY-MM-DD.tar`, keeping
 *   the newest BACKUP_KEEP. A day's file that exists means that day is done, so a restart does not back up twice.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Env } from "../app/env.server.ts";
import { errorFields, log } from "../app/log.server.ts";
import { writeArchive } from "../db/backup.ts";
import type { DatabaseHandle } from "../db/client.ts";

export const BACKUP_SOCKET = ".backup.sock";
/** Linux's limit for a Unix socket's path (sun_path) is 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH = 107;

/** One archive at a time: a second request waits for nothing and is refused (409). */
let running: Promise<unknown> | null = null;

/** Writes an archive of the running database and DATA_DIR's files to `file`. */
export async function backupRunning(
  database: DatabaseHandle,
  dataDir: string,
  file: string,
): Promise<{ files: number; bytes: number }> {
  if (!database.snapshot) throw new Error("Nur die eingebettete Datenbank mit Datenverzeichnis lässt sich so sichern.");
  const dump = await database.snapshot();
  return writeArchive(dataDir, dump, file);
}

export async function startBackupChannel(
  database: DatabaseHandle,
  config: Env,
): Promise<{ close: () => Promise<void> }> {
  const closed = { close: async () => {} };
  if (!database.snapshot) return closed;
  const dataDir = path.resolve(config.DATA_DIR);
  const socketPath = path.join(dataDir, BACKUP_SOCKET);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    log().warn(
      { length: Buffer.byteLength(socketPath) },
      "Sicherung im Betrieb nicht verfügbar: der Pfad des Datenverzeichnisses ist zu lang",
    );
    return closed;
  }
  // Left behind by a server that did not end cleanly; we hold the directory's lock, so it is nobody's.
  fs.rmSync(socketPath, { force: true });
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/backup") {
      res.writeHead(404).end();
      return;
    }
    if (running) {
      res.writeHead(409, { "Content-Type": "text/plain; charset=utf-8" }).end("Es läuft bereits eine Sicherung.");
      return;
    }
    const work = (async () => {
      const staging = await fsp.mkdtemp(path.join(os.tmpdir(), "lbn-online-"));
      try {
        const started = performance.now();
        const file = path.join(staging, "backup.tar");
        const { files, bytes } = await backupRunning(database, dataDir, file);
        log().info({ files, bytes, ms: Math.round(performance.now() - started) }, "Sicherung im Betrieb erstellt");
        res.writeHead(200, {
          "Content-Type": "application/x-tar",
          "Content-Length": bytes,
          "X-Backup-Files": String(files),
        });
        await new Promise<void>((resolve, reject) => {
          const stream = fs.createReadStream(file);
          stream.on("error", reject);
          res.on("close", resolve);
          stream.pipe(res);
        });
      } catch (error) {
        log().error(errorFields(error), "Sicherung im Betrieb fehlgeschlagen");
        if (!res.headersSent)
          res
            .writeHead(500, { "Content-Type": "text/plain; charset=utf-8" })
            .end(`Die Sicherung ist fehlgeschlagen: ${(error as Error).message}`);
        else res.destroy();
      } finally {
        await fsp.rm(staging, { recursive: true, force: true });
      }
    })();
    running = work.finally(() => (running = null));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await running;
      fs.rmSync(socketPath, { force: true });
    },
  };
}

const berlin = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Berlin",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** Berlin's date and time of an instant as "YYYY-MM-DD" and "HH:MM" ("sv-SE" writes ISO order). */
export function berlinDayAndTime(now: Date): { day: string; time: string } {
  const [day, time] = berlin.format(now).split(" ");
  return { day, time };
}

const NIGHTLY = /^netzwerk-(\d{4}-\d{2}-\d{2})\.tar$/;

/** Deletes all but the newest `keep` nightly archives (by the date in their name); other files are left alone. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const nightly = (await fsp.readdir(dir))
    .filter((name) => NIGHTLY.test(name))
    .sort()
    .reverse();
  const removed = nightly.slice(keep);
  for (const name of removed) await fsp.rm(path.join(dir, name), { force: true });
  return removed;
}

/** The nightly backup if it is due at `now` (BACKUP_TIME passed in Berlin, today's file missing); null otherwise. */
export async function runNightlyBackup(
  database: DatabaseHandle,
  config: Pick<Env, "DATA_DIR" | "BACKUP_DIR" | "BACKUP_KEEP" | "BACKUP_TIME">,
  now: Date,
): Promise<{ file: string; removed: string[] } | null> {
  if (!config.BACKUP_DIR || !database.snapshot) return null;
  const { day, time } = berlinDayAndTime(now);
  if (time < config.BACKUP_TIME) return null;
  const dir = path.resolve(config.BACKUP_DIR);
  const file = path.join(dir, `netzwerk-${day}.tar`);
  if (fs.existsSync(file)) return null;
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const { files, bytes } = await backupRunning(database, path.resolve(config.DATA_DIR), file);
  const removed = await pruneBackups(dir, config.BACKUP_KEEP);
  log().info({ day, files, bytes, removed: removed.length }, "Nächtliche Sicherung erstellt");
  return { file, removed };
}

/** Checks each minute whether the nightly backup is due; a no-op without BACKUP_DIR or on PostgreSQL. */
export function startNightlyBackup(
  database: DatabaseHandle,
  config: Env,
  job: <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>,
): () => void {
  if (!config.BACKUP_DIR || !database.snapshot) return () => {};
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void job("nightly-backup", () => runNightlyBackup(database, config, new Date())).finally(() => (busy = false));
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
