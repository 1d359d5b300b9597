/**
 * Starts a throwaway PostgreSQL 15 for the test run and stops and removes it afterwards.
 * Tests get its URL with inject("postgresUrl").
 *
 * Also initialises and migrates one embedded database (PGlite's initdb: 5–20 s of CPU, migrations ~2 s) that test
 * servers copy instead of initialising their own: inject("pgliteTemplate"). It holds no account, so a server on a
 * copy seeds the demo content as on a new directory (startup.test.ts covers a truly empty directory).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { startCluster } from "./pgcluster.ts";
import { openPostgres, pgliteExtensions } from "../../db/client.ts";
import { migrationsFolder, runMigrations } from "../../db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    pgliteTemplate: string;
    /** A migrated embedded database as a dumpDataDir() archive: DB test files load it (~1.4 s of CPU) instead of
     * PGlite's initdb and every migration (~10 s). */
    pgliteMigrated: string;
    /** A migrated database on the test PostgreSQL that DB test files copy (CREATE DATABASE … TEMPLATE). */
    postgresMigratedTemplate: string;
  }
}

export const MIGRATED_TEMPLATE = "t_migrated_template";

export default async function setup(project: TestProject) {
  const template = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-template-"));
  const migratedDump = path.join(template, "migrated.tar");
  const [cluster] = await Promise.all([
    startCluster(),
    (async () => {
      // Initialised and migrated once: test servers copy the directory (and seed it, as it holds no account), DB test
      // files load the same as an archive.
      const pg = await PGlite.create(path.join(template, "db"), { extensions: pgliteExtensions });
      await migrate(drizzle(pg), { migrationsFolder });
      fs.writeFileSync(migratedDump, Buffer.from(await (await pg.dumpDataDir("none")).arrayBuffer()));
      await pg.close();
    })(),
  ]);
  // A migrated PostgreSQL database as the template of every DB test file's database.
  const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${MIGRATED_TEMPLATE}`);
  await admin.end();
  const templateUrl = new URL(cluster.adminUrl);
  templateUrl.pathname = `/${MIGRATED_TEMPLATE}`;
  const handle = await openPostgres(templateUrl.toString(), { max: 1 });
  await runMigrations(handle, templateUrl.toString());
  await handle.close();
  project.provide("postgresUrl", cluster.adminUrl);
  project.provide("pgliteTemplate", path.join(template, "db"));
  project.provide("pgliteMigrated", migratedDump);
  project.provide("postgresMigratedTemplate", MIGRATED_TEMPLATE);
  return async () => {
    await cluster.stop();
    fs.rmSync(template, { recursive: true, force: true });
  };
}
