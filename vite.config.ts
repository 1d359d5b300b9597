import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { checkCssFiles, formatProblems } from "./scripts/check-css.ts";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  plugins: [
    {
      // A CSS syntax error fails the build instead of being a warning (esbuild recovers and minifies on).
      name: "check-css",
      async buildStart() {
        const problems = await checkCssFiles();
        if (problems.length > 0) this.error(`CSS-Fehler:\n${formatProblems(problems)}`);
      },
    },
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        // Off: see ADR 004/015 (a partial manifest per document request cost more than the whole one as a cached file).
        v3_lazyRouteDiscovery: false,
        // Without this, Vite discovers dependencies late on a cold dev start, reloads the page and breaks hydration.
        unstable_optimizeDeps: true,
      },
    }),
  ],
  build: { target: "es2022" },
  // Server-only packages reached through *.server.ts imports during the dependency scan; never bundled for browsers.
  optimizeDeps: { exclude: ["@node-rs/argon2", "@electric-sql/pglite", "postgres", "pg"] },
});
