/** `npm run bench -- NAME` runs bench/NAME.ts, which prints its figures as JSON. */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = import.meta.dirname;
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.slice(0, -3))
  .sort();
const name = process.argv[2];

if (!name || !/^[a-z0-9-]+$/.test(name) || !available.includes(name)) {
  console.error(`Aufruf: npm run bench -- NAME\nVerfügbar: ${available.join(", ") || "(keine)"}`);
  process.exit(2);
}

await import(pathToFileURL(path.join(dir, `${name}.ts`)).href);
