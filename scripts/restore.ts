/** `npm run restore -- DATEI [--force]`: puts a backup back into DATA_DIR (an empty one, unless --force). */
import { env, EnvError } from "../app/env.server.ts";
import { restoreDataDir } from "../db/backup.ts";

const args = process.argv.slice(2);
const force = args.includes("--force");
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("Aufruf: npm run restore -- DATEI.tar [--force]   (bei gestopptem Server)");
  process.exit(1);
}
try {
  const config = env();
  if (config.DATABASE_URL)
    throw new Error("Mit DATABASE_URL liegt die Datenbank in PostgreSQL: spiele sie mit pg_restore/psql ein.");
  const { files } = await restoreDataDir(file, config.DATA_DIR, { force });
  console.log(
    `Sicherung eingespielt nach ${config.DATA_DIR}: Datenbank und ${files} Dateien. Der Server kann wieder starten.`,
  );
} catch (error) {
  console.error(error instanceof EnvError ? error.message : (error as Error).message);
  process.exitCode = 1;
}
