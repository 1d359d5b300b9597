import { env, EnvError } from "../../app/env.server.ts";
import { openPglite, openPostgres, type DatabaseHandle } from "../../db/client.ts";
import { runMigrations } from "../../db/migrate.ts";
import { setDatabase } from "../../app/models/db.server.ts";

/** Opens the configured database (migrated) for a CLI, runs `work`, closes it; errors are printed, exit code 1. */
export async function withDatabase(work: (handle: DatabaseHandle) => Promise<void>): Promise<void> {
  try {
    const config = env();
    const handle = config.DATABASE_URL
      ? await openPostgres(config.DATABASE_URL, { max: 2 })
      : await openPglite(config.DATA_DIR);
    try {
      await runMigrations(handle, config.DATABASE_URL);
      setDatabase(handle);
      await work(handle);
    } finally {
      setDatabase(undefined);
      await handle.close();
    }
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : (error as Error).message);
    process.exitCode = 1;
  }
}
