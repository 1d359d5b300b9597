/**
 * A fresh, migrated database per test file, on the engine the project selects (TEST_DB=pglite|postgres),
 * installed as the app's database so model functions use it.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import postgres from "postgres";
import { openPglite, openPostgres, type DatabaseHandle } from "../../db/client.ts";
import { runMigrations } from "../../db/migrate.ts";
import { setDatabase } from "../../app/models/db.server.ts";

export const engine = (process.env.TEST_DB ?? "pglite") as "pglite" | "postgres";

/** Creates an empty PostgreSQL database on the test server and returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const adminUrl = inject("postgresUrl");
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function openTestDatabase(): Promise<{ handle: DatabaseHandle; url?: string }> {
  if (engine === "pglite") {
    const handle = await openPglite(null);
    await runMigrations(handle);
    return { handle };
  }
  const url = await createPostgresDatabase();
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
