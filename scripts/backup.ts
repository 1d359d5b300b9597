/**
 * `npm run backup -- DATEI`: the embedded database and DATA_DIR's files (uploads, mails) in one archive.
 * Server stopped: the archive is made here. Server running: it holds the directory's lock, so it is asked to make the
 * archive through the socket in DATA_DIR (ADR 043) and this writes what it sends.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { env, EnvError } from "../app/env.server.ts";
import { backupDataDir } from "../db/backup.ts";
import { DataDirLockedError } from "../db/lock.ts";
import { BACKUP_SOCKET } from "../server/backup.ts";

/** Asks the running server; resolves with the number of files in the archive. */
async function backupFromServer(dataDir: string, file: string): Promise<{ files: number; bytes: number }> {
  const socketPath = path.join(path.resolve(dataDir), BACKUP_SOCKET);
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.request({ socketPath, method: "POST", path: "/backup" }, resolve);
    request.on("error", (error) =>
      reject(
        new Error(
          `Der laufende Server ist über ${socketPath} nicht erreichbar (${(error as NodeJS.ErrnoException).code ?? error.message}).`,
        ),
      ),
    );
    request.end();
  });
  if (response.statusCode !== 200) {
    let text = "";
    for await (const chunk of response) text += chunk;
    throw new Error(text || `Der Server hat mit ${response.statusCode} geantwortet.`);
  }
  const out = path.resolve(file);
  const partial = `${out}.teil`;
  try {
    await pipeline(response, fs.createWriteStream(partial));
    const bytes = fs.statSync(partial).size;
    if (bytes !== Number(response.headers["content-length"]))
      throw new Error("Die Verbindung zum Server brach während der Sicherung ab.");
    fs.renameSync(partial, out);
    return { files: Number(response.headers["x-backup-files"] ?? 0), bytes };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

const file = process.argv[2];
if (!file || file.startsWith("-")) {
  console.error("Aufruf: npm run backup -- DATEI.tar");
  process.exit(1);
}
try {
  const config = env();
  if (config.DATABASE_URL) {
    throw new Error(
      "Mit DATABASE_URL liegt die Datenbank in PostgreSQL: sichere sie mit pg_dump und DATA_DIR (Uploads) mit einem Dateibackup.",
    );
  }
  let result: { files: number; bytes: number };
  let live = false;
  try {
    result = await backupDataDir(config.DATA_DIR, file);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    live = true;
    result = await backupFromServer(config.DATA_DIR, file);
  }
  const size = (result.bytes / 1024 / 1024).toLocaleString("de-DE", { maximumFractionDigits: 1 });
  console.log(
    `Sicherung geschrieben${live ? " (vom laufenden Server)" : ""}: ${file} (Datenbank und ${result.files} Dateien, ${size} MB).`,
  );
} catch (error) {
  console.error(error instanceof EnvError ? error.message : (error as Error).message);
  process.exitCode = 1;
}
