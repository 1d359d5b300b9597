import { vitePlugin as remix } from "@remix-run/dev";
import { build, defineConfig, type Plugin } from "vite";
import { createHash } from "node:crypto";
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
    serviceWorker(),
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

/**
 * Builds app/sw/worker.ts into build/client/sw.js (ADR 038). The worker carries an id made from the names of the client
 * build's hashed files, so every build with other files is a new worker to the browser, which then drops the old caches.
 */
function serviceWorker(): Plugin {
  let ssr = false;
  return {
    name: "service-worker",
    apply: "build",
    configResolved(config) {
      ssr = !!config.build.ssr;
    },
    async generateBundle(_options, bundle) {
      if (ssr) return;
      const buildId = createHash("sha256").update(Object.keys(bundle).sort().join("\n")).digest("hex").slice(0, 12);
      const output = await build({
        configFile: false,
        logLevel: "warn",
        define: { __BUILD_ID__: JSON.stringify(buildId) },
        build: {
          write: false,
          target: "es2022",
          minify: true,
          lib: {
            entry: fileURLToPath(new URL("./app/sw/worker.ts", import.meta.url)),
            formats: ["iife"],
            name: "serviceWorker",
          },
        },
      });
      const chunk = [output]
        .flat()
        .flatMap((o) => ("output" in o ? o.output : []))
        .find((o) => o.type === "chunk");
      if (!chunk || chunk.type !== "chunk") return this.error("Service worker: the build produced no script");
      this.emitFile({ type: "asset", fileName: "sw.js", source: chunk.code });
    },
  };
}
