/** `npm run content:export -- FILE`: writes members, rooms, threads and replies in the exchange format. */
import fs from "node:fs";
import { withDatabase } from "./lib/database.ts";
import { exportContent } from "../app/models/content/exchange.server.ts";

const file = process.argv[2];
if (!file) {
  console.error("Aufruf: npm run content:export -- DATEI.ndjson");
  process.exit(1);
}

await withDatabase(async () => {
  const lines = await exportContent();
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(""));
  console.log(`${lines.length} Zeilen nach ${file} geschrieben.`);
});
