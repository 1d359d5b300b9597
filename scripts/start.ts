/** `npm start`: builds the site if the build is missing or older than the sources, then serves in production mode. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildEntry = path.join(root, "build/server/index.js");

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

// db/ is bundled into the server build too.
const sources = ["app", "db", "public", "vite.config.ts", "package.json"].map((p) => path.join(root, p));
const stale = !fs.existsSync(buildEntry) || Math.max(...sources.map(newestMtime)) > fs.statSync(buildEntry).mtimeMs;
if (stale) {
  console.log("Baue die Seite (einmalig nach Änderungen) …");
  const result = spawnSync("npx", ["remix", "vite:build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.NODE_ENV = "production";
const { main } = await import("../server/index.ts");
await main();
