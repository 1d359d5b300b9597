/** `npm run db:seed`: adds the German demo content to the configured database (safe to run again). */
import { withDatabase } from "./lib/database.ts";
import { seedDemo, demoAccounts, DEMO_PASSWORD } from "../db/seed/index.ts";
import { seedDeps } from "../app/models/seed.server.ts";
import { enqueueEverything } from "../search/indexer.ts";

await withDatabase(async (handle) => {
  const added = await seedDemo(handle, seedDeps());
  // The running site's indexer picks these up (or the next start does).
  await enqueueEverything(handle.db);
  console.log(
    `Demo-Inhalte: ${added.members} Mitglieder, ${added.categories} Themenräume, ${added.threads} Diskussionen , ${added.materials} Materialien und ${added.rounds} Dialogrunden neu angelegt (vorhandene bleiben unverändert).`,
  );
  console.log(`Demo-Zugänge (Passwort „${DEMO_PASSWORD}“):`);
  for (const a of demoAccounts) console.log(`  ${a.email.padEnd(26)} ${a.label}`);
});
