/**
 * A fresh, migrated database per test file, on the engine the project selects (TEST_DB=pglite|postgres),
 * installed as the app's database so model functions use it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import postgres from "postgres";
import { openPglite, openPostgres, type DatabaseHandle } from "../../db/client.ts";
import { runMigrations } from "../../db/migrate.ts";
import { setDatabase } from "../../app/models/db.server.ts";

export const engine = (process.env.TEST_DB ?? "pglite") as "pglite" | "postgres";

/** Creates a PostgreSQL database on the test server (empty, or a copy of the run's migrated template) and returns
 * its URL. */
export async function createPostgresDatabase(options: { migrated?: boolean } = {}): Promise<string> {
  const adminUrl = inject("postgresUrl");
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(
    options.migrated
      ? `create database ${name} template ${inject("postgresMigratedTemplate")}`
      : `create database ${name}`,
  );
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function openTestDatabase(): Promise<{ handle: DatabaseHandle; url?: string }> {
  // Both start from the run's migrated templates (tests/setup/postgres.ts); the migrator then finds nothing to do,
  // which still checks that the templates are current.
  if (engine === "pglite") {
    const handle = await openPglite(null, { loadDataDir: new Blob([fs.readFileSync(inject("pgliteMigrated"))]) });
    await runMigrations(handle);
    return { handle };
  }
  const url = await createPostgresDatabase({ migrated: true });
  const handle = await openPostgres(url, { max: 4 });
  await runMigrations(handle, url);
  return { handle, url };
}

/** Call at the top of a DB test file. */
export function useTestDatabase(): { handle: () => DatabaseHandle; url: () => string | undefined } {
  let handle: DatabaseHandle | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    ({ handle, url } = await openTestDatabase());
    setDatabase(handle);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await handle?.close();
  });
  return {
    url: () => url,
    handle: () => {
      if (!handle) throw new Error("database not open yet");
      return handle;
    },
  };
}
