/** A fresh, migrated database for one engine of a benchmark, with its DATA_DIR; both are removed at the end. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openPglite, openPostgres, type DatabaseHandle } from "../../db/client.ts";
import { runMigrations } from "../../db/migrate.ts";
import type { Cluster } from "../../tests/setup/pgcluster.ts";
import { cleanups } from "./run.ts";

export async function openBenchDatabase(
  engine: "pglite" | "postgres",
  cluster: Cluster | null,
  name: string,
): Promise<{ handle: DatabaseHandle; dataDir: string; databaseUrl: string | undefined }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `lbn-bench-${name}-`));
  // BENCH_KEEP_DATA=1 keeps an embedded database's DATA_DIR for a closer look afterwards (its path goes to stderr).
  if (process.env.BENCH_KEEP_DATA && engine === "pglite")
    cleanups.push(() => console.error(`DATA_DIR behalten: ${dataDir}`));
  else cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  let handle: DatabaseHandle;
  if (engine === "postgres") {
    const admin = postgres(cluster!.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database bench_${name}`);
    await admin.end();
    databaseUrl = cluster!.adminUrl.replace(/\/postgres$/, `/bench_${name}`);
    handle = await openPostgres(databaseUrl, { max: 4 });
  } else {
    handle = await openPglite(dataDir);
  }
  try {
    await runMigrations(handle, databaseUrl);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { handle, dataDir, databaseUrl };
}
