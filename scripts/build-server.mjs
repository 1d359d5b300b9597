/**
 * Compiles the server (server/, and the app, db and search code it imports) into build/node/ with esbuild, next to
 * Remix's build/server and build/client: `node build/node/server.js` then runs without a TypeScript loader.
 *
 * Packages stay outside the bundle (they load from node_modules as before). Dynamic imports become chunks of their
 * own, so a cluster's primary process loads the small cluster module and not the whole site.
 *
 * Source files that locate things next to themselves through `import.meta.url` (the migrations folder, the seed's
 * sample files, the worker scripts) keep doing so: in the bundle, `import.meta.url` of such a file is rewritten to
 * the source file's address, relative to the bundle, so the build can move with the checkout.
 * Plain JavaScript on purpose: `npm start` runs it before anything is compiled.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "build/node");

/** @type {import("esbuild").Plugin} */
const sourceAddresses = {
  name: "source-addresses",
  setup(context) {
    context.onLoad({ filter: /\.(ts|tsx|mts|js|mjs)$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await fs.promises.readFile(args.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      // Chunks sit in build/node/ (flat), so the way back to the source is the same from each of them.
      const relative = path.relative(outdir, args.path).split(path.sep).join("/");
      const contents = source.replaceAll(
        "import.meta.url",
        `new URL(${JSON.stringify(relative)}, import.meta.url).href`,
      );
      const loader = /** @type {import("esbuild").Loader} */ (
        path.extname(args.path).slice(1).replace("mts", "ts").replace("mjs", "js")
      );
      return { contents, loader };
    });
  },
};

fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { server: "server/start.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  // Flat, so that every chunk is as far from the sources as server.js (see sourceAddresses).
  chunkNames: "[name]-[hash]",
  plugins: [sourceAddresses],
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`Server gebaut: build/node/server.js (${Math.round(bytes / 1024)} KB mit Quellkarten)`);
