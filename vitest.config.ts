import { defineConfig } from "vitest/config";
import Interleave from "./tests/setup/sequencer.ts";

// No Remix plugin here: it must not run under vitest (see DESIGN.md).
const common = {
  setupFiles: ["tests/setup/console.ts"],
  // Two files run at once on two cores: a test that takes 25 s alone can take twice that beside a browser file.
  testTimeout: 60_000,
  hookTimeout: 90_000,
};

export default defineConfig({
  test: {
    // One throwaway PostgreSQL 15 for the whole run; the DB suite on PostgreSQL, the cluster tests use it.
    globalSetup: ["tests/setup/postgres.ts"],
    // Vitest would run one file at a time on two cores (cores − 1); most files wait on a server, a database or
    // Chromium much of the time. Two at once, browser files spread among the others (tests/setup/sequencer.ts).
    maxWorkers: 2,
    sequence: { sequencer: Interleave },
    reporters: ["default"],
    projects: [
      { test: { ...common, name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        test: {
          ...common,
          name: "db:pglite",
          include: ["tests/db/**/*.test.ts"],
          env: { TEST_DB: "pglite" },
        },
      },
      {
        test: {
          ...common,
          name: "db:postgres",
          include: ["tests/db/**/*.test.ts"],
          // How drizzle's queries reach PGlite has nothing to run against PostgreSQL.
          exclude: ["tests/db/pglite-*.test.ts"],
          env: { TEST_DB: "postgres" },
        },
      },
      { test: { ...common, name: "http", include: ["tests/http/**/*.test.ts"] } },
      {
        test: {
          ...common,
          name: "browser",
          include: ["tests/e2e/**/*.test.ts"],
          // The long journeys take ~50 s beside another file (discussions-xss timed out at 60 s in CI).
          testTimeout: 120_000,
        },
      },
    ],
  },
});
