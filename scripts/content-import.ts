/** `npm run content:import -- FILE`: validates the whole NDJSON file first; imports only if every line is valid. */
import fs from "node:fs";
import path from "node:path";
import { withDatabase } from "./lib/database.ts";
import { progressBar } from "./lib/progress.ts";
import { importContent, validateImport } from "../app/models/content/exchange.server.ts";

const file = process.argv[2];
if (!file) {
  console.error("Aufruf: npm run content:import -- DATEI.ndjson");
  process.exit(1);
}
if (!fs.existsSync(file)) {
  console.error(`Die Datei ${file} gibt es nicht.`);
  process.exit(1);
}

await withDatabase(async () => {
  const checked = await validateImport(fs.readFileSync(file, "utf8"), path.dirname(path.resolve(file)));
  if (!checked.ok) {
    console.error(`${checked.errors.length} Fehler in ${file}, nichts importiert:`);
    for (const e of checked.errors) console.error(`  Zeile ${e.line}: ${e.message}`);
    process.exitCode = 1;
    return;
  }
  const total = checked.items.length;
  const bar = progressBar();
  const progress = (done: number) => bar(done, total);
  const counts = await importContent(checked.items, progress);
  console.log(
    `Importiert: ${counts.members} Mitglieder, ${counts.categories} Themenräume, ${counts.threads} Diskussionen, ${counts.replies} Antworten, ${counts.polls} Umfragen, ${counts.materials} Materialien.`,
  );
});
