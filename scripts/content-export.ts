/** `npm run content:export -- FILE`: writes members, rooms, threads, replies and materials (files beside it). */
import fs from "node:fs";
import path from "node:path";
import { withDatabase } from "./lib/database.ts";
import { exportContent } from "../app/models/content/exchange.server.ts";

const file = process.argv[2];
if (!file) {
  console.error("Aufruf: npm run content:export -- DATEI.ndjson");
  process.exit(1);
}

await withDatabase(async () => {
  // Material files go into a folder beside the NDJSON file, named after it.
  const dirName = `${path.basename(file).replace(/\.[^.]*$/, "")}-dateien`;
  const lines = await exportContent({ dir: path.join(path.dirname(path.resolve(file)), dirName), relative: dirName });
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(""));
  console.log(`${lines.length} Zeilen nach ${file} geschrieben.`);
});
