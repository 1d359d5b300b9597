/**
 * Backup and restore of the embedded database and the uploads: one archive file (an uncompressed tar; the database
 * dump inside is gzip-compressed, uploads are mostly compressed formats already).
 *
 *   manifest.json       what this is, when, from which PostgreSQL major
 *   database.tar.gz     PGlite's own dump of its data directory (dumpDataDir)
 *   files/…             everything else in DATA_DIR (uploads/, mail/, …)
 *
 * With the server stopped, both take the data directory's exclusive lock. While the server runs, it makes the
 * archive itself (`writeArchive` with its own consistent snapshot, server/backup.ts, ADR 043): copying a live PGlite
 * directory from another process could copy half a write.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import * as tar from "tar";
import { PGLITE_PG_MAJOR, pgliteExtensions } from "./client.ts";
import { acquireDataDirLock } from "./lock.ts";

const FORMAT = "companion-network-backup";
const MANIFEST = "manifest.json";
const DUMP = "database.tar.gz";
/** Not part of a backup: the database has its own dump, and the lock belongs to the running process. */
const SKIP = new Set(["db", ".lock", ".backup.sock"]);

interface Manifest {
  format: typeof FORMAT;
  version: 1;
  createdAt: string;
  pgMajor: string;
  files: string[];
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

async function withStaging<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "lbn-backup-"));
  try {
    return await work(dir);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

export async function backupDataDir(dataDir: string, file: string): Promise<{ files: number; bytes: number }> {
  const dir = path.resolve(dataDir);
  const dbDir = path.join(dir, "db");
  if (!fs.existsSync(path.join(dbDir, "PG_VERSION")))
    throw new BackupError(`In ${dir} gibt es keine eingebettete Datenbank, die sich sichern ließe.`);
  const lock = acquireDataDirLock(dir);
  try {
    const client = await PGlite.create(dbDir, { extensions: pgliteExtensions });
    let dump: Blob;
    try {
      dump = await client.dumpDataDir("gzip");
    } finally {
      await client.close();
    }
    return await writeArchive(dir, Buffer.from(await dump.arrayBuffer()), file);
  } finally {
    lock.release();
  }
}

/**
 * The archive from a database dump (a gzip-compressed tar of PGlite's data directory) and DATA_DIR's other files,
 * copied after the dump was taken. Written beside the target and renamed, so a half archive never has its name.
 */
export async function writeArchive(
  dataDir: string,
  dump: Buffer,
  file: string,
): Promise<{ files: number; bytes: number }> {
  const dir = path.resolve(dataDir);
  const pgMajor = fs.readFileSync(path.join(dir, "db", "PG_VERSION"), "utf8").trim();
  const entries = (await fsp.readdir(dir)).filter((name) => !SKIP.has(name)).sort();
  const out = path.resolve(file);
  if (out.startsWith(dir + path.sep))
    throw new BackupError("Die Sicherung darf nicht im Datenverzeichnis selbst liegen.");
  await withStaging(async (staging) => {
    await fsp.writeFile(path.join(staging, DUMP), dump);
    const manifest: Manifest = {
      format: FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      pgMajor,
      files: entries,
    };
    await fsp.writeFile(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2));
    // Written beside the target first, then renamed: an interrupted backup never leaves a half archive under the name.
    const partial = `${out}.teil`;
    await tar.c({ file: partial, cwd: staging, portable: true }, [MANIFEST, DUMP]);
    if (entries.length > 0) await tar.r({ file: partial, cwd: dir, prefix: "files", portable: true }, entries);
    await fsp.rename(partial, out);
  });
  let files = 0;
  await tar.t({ file: out, onReadEntry: (e) => void (e.type === "File" && e.path.startsWith("files/") && files++) });
  return { files, bytes: fs.statSync(out).size };
}

/** True when the directory holds anything (a missing directory is empty). */
function hasContent(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).some((name) => name !== ".lock");
}

export async function restoreDataDir(
  file: string,
  dataDir: string,
  options: { force?: boolean } = {},
): Promise<{ files: number }> {
  const archive = path.resolve(file);
  if (!fs.existsSync(archive)) throw new BackupError(`Die Datei ${archive} gibt es nicht.`);
  const dir = path.resolve(dataDir);
  if (hasContent(dir) && !options.force) {
    throw new BackupError(
      `Das Datenverzeichnis ${dir} ist nicht leer. Mit --force wird sein Inhalt durch die Sicherung ersetzt.`,
    );
  }
  return withStaging(async (staging) => {
    // Read and check the manifest before touching anything in the data directory.
    await tar.x({ file: archive, cwd: staging, filter: (p) => p === MANIFEST || p === DUMP }).catch(() => {
      throw new BackupError(`${archive} ist keine Sicherung dieses Netzwerks.`);
    });
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await fsp.readFile(path.join(staging, MANIFEST), "utf8")) as Manifest;
    } catch {
      throw new BackupError(`${archive} ist keine Sicherung dieses Netzwerks.`);
    }
    if (manifest.format !== FORMAT || !fs.existsSync(path.join(staging, DUMP)))
      throw new BackupError(`${archive} ist keine Sicherung dieses Netzwerks.`);
    if (manifest.pgMajor !== PGLITE_PG_MAJOR) {
      throw new BackupError(
        `Die Sicherung stammt von PostgreSQL ${manifest.pgMajor}, diese Version braucht PostgreSQL ${PGLITE_PG_MAJOR}.`,
      );
    }
    const lock = acquireDataDirLock(dir);
    try {
      for (const name of await fsp.readdir(dir)) {
        if (name !== ".lock") await fsp.rm(path.join(dir, name), { recursive: true, force: true });
      }
      const dump = new Blob([await fsp.readFile(path.join(staging, DUMP))]);
      const client = await PGlite.create(path.join(dir, "db"), { extensions: pgliteExtensions, loadDataDir: dump });
      // A query proves the restored database opens and answers.
      await client.query("select 1");
      await client.close();
      let files = 0;
      await tar.x({
        file: archive,
        cwd: dir,
        strip: 1,
        filter: (p, entry) => {
          const inside = p.startsWith("files/") && !p.split("/").includes("..");
          if (inside && "type" in entry && entry.type === "File") files++;
          return inside;
        },
      });
      return { files };
    } finally {
      lock.release();
    }
  });
}
