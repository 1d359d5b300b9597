/**
 * Starts a throwaway PostgreSQL 15 for the test run and stops and removes it afterwards.
 * Tests get its URL with inject("postgresUrl").
 *
 * Also initialises one empty embedded database (PGlite's initdb: 5–20 s of CPU, about half of a test server's start)
 * that test servers copy instead of initialising their own: inject("pgliteTemplate"). It is never migrated, so a
 * server on a copy sees a new database (migrations, demo content) exactly as on an empty directory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { startCluster } from "./pgcluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const template = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-template-"));
  const [cluster] = await Promise.all([
    startCluster(),
    PGlite.create(path.join(template, "db")).then((pg) => pg.close()),
  ]);
  project.provide("postgresUrl", cluster.adminUrl);
  project.provide("pgliteTemplate", path.join(template, "db"));
  return async () => {
    await cluster.stop();
    fs.rmSync(template, { recursive: true, force: true });
  };
}
