/** `npm run search:reindex`: rebuilds the whole search index (PostgreSQL tables or Meilisearch) with a progress bar. */
import { env } from "../app/env.server.ts";
import { createEngine } from "../search/index.ts";
import { reindexAll } from "../search/indexer.ts";
import { withDatabase } from "./lib/database.ts";
import { progressBar } from "./lib/progress.ts";

await withDatabase(async (handle) => {
  const engine = createEngine(handle, env());
  const bar = progressBar("Suchindex ");
  const started = Date.now();
  const { total } = await reindexAll(handle, engine, ({ done, total }) => bar(done, total));
  console.log(
    `Suchindex neu aufgebaut (${engine.name === "postgres" ? "PostgreSQL" : "Meilisearch"}): ${total} Einträge (Diskussionen mit ihren Antworten, Materialien, Mitgliederprofile) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
});
