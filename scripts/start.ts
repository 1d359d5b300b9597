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

/**
 * The process that leads our process group (npm, for `npm start`), or null when that is us or unknown (not Linux).
 * When only npm is signalled (`kill <pid>`), it forwards the signal to its shell, which dies without passing it on:
 * the server would run on as an orphan holding DATA_DIR's lock. So the server stops when that leader is gone.
 */
function groupLeader(): number | null {
  try {
    // /proc/self/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so read after the last ")".
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(")").pop()!.trim().split(" ");
    const pgrp = Number(fields[2]);
    return Number.isInteger(pgrp) && pgrp > 1 && pgrp !== process.pid ? pgrp : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

process.env.NODE_ENV = "production";
const { main } = await import("../server/index.ts");
const leader = groupLeader();
if (leader !== null) {
  const watch = setInterval(() => {
    if (alive(leader)) return;
    clearInterval(watch);
    process.kill(process.pid, "SIGTERM"); // the same clean stop as a signal from outside
  }, 500);
  watch.unref();
}
await main();
