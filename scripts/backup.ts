/** `npm run backup -- DATEI`: the embedded database and DATA_DIR's files (uploads, mails) in one archive. */
import { env, EnvError } from "../app/env.server.ts";
import { backupDataDir } from "../db/backup.ts";

const file = process.argv[2];
if (!file || file.startsWith("-")) {
  console.error("Aufruf: npm run backup -- DATEI.tar   (bei gestopptem Server)");
  process.exit(1);
}
try {
  const config = env();
  if (config.DATABASE_URL) {
    throw new Error("Mit DATABASE_URL liegt die Datenbank in PostgreSQL: sichere sie mit pg_dump und DATA_DIR (Uploads) mit einem Dateibackup.");
  }
  const { files, bytes } = await backupDataDir(config.DATA_DIR, file);
  console.log(`Sicherung geschrieben: ${file} (Datenbank und ${files} Dateien, ${(bytes / 1024 / 1024).toLocaleString("de-DE", { maximumFractionDigits: 1 })} MB).`);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : (error as Error).message);
  process.exitCode = 1;
}
