/**
 * `npm run build`: Remix's build (build/client, build/server) and the server's (build/node, scripts/build-server.mjs).
 * With `--if-stale` (what `npm start` runs first) only when a build is missing or older than the sources.
 * Plain JavaScript, so that it runs before anything is compiled.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputs = ["build/server/index.js", "build/node/server.js"].map((p) => path.join(root, p));
const sources = [
  "app",
  "db",
  "server",
  "search",
  "public",
  "vite.config.ts",
  "package.json",
  "scripts/build.mjs",
  "scripts/build-server.mjs",
].map((p) => path.join(root, p));

function newestMtime(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function stale() {
  if (!outputs.every((file) => fs.existsSync(file))) return true;
  const built = Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs));
  return Math.max(...sources.map(newestMtime)) > built;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!process.argv.includes("--if-stale") || stale()) {
  if (process.argv.includes("--if-stale")) console.log("Baue die Seite (einmalig nach Änderungen) …");
  run("npx", ["remix", "vite:build"]);
  run(process.execPath, [path.join(root, "scripts/build-server.mjs")]);
}
