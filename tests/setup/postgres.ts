/**
 * Starts a throwaway PostgreSQL 15 for the test run and stops and removes it afterwards.
 * Tests get its URL with inject("postgresUrl").
 */
import type { TestProject } from "vitest/node";
import { startCluster } from "./pgcluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startCluster();
  project.provide("postgresUrl", cluster.adminUrl);
  return async () => cluster.stop();
}
