/** `npm run db:seed`: adds the German demo content to the configured database (safe to run again). */
import { env, EnvError } from "../app/env.server.ts";
import { openPglite, openPostgres } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { seedDemo, demoAccounts, DEMO_PASSWORD } from "../db/seed/index.ts";
import { seedDeps } from "../app/models/seed.server.ts";

try {
  const config = env();
  const handle = config.DATABASE_URL ? await openPostgres(config.DATABASE_URL, { max: 1 }) : await openPglite(config.DATA_DIR);
  try {
    await runMigrations(handle, config.DATABASE_URL);
    const added = await seedDemo(handle, seedDeps());
    console.log(`Demo-Inhalte: ${added.members} Mitglieder, ${added.categories} Themenräume, ${added.threads} Diskussionen und ${added.materials} Materialien neu angelegt (vorhandene bleiben unverändert).`);
    console.log(`Demo-Zugänge (Passwort „${DEMO_PASSWORD}“):`);
    for (const a of demoAccounts) console.log(`  ${a.email.padEnd(26)} ${a.label}`);
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof EnvError ? error.message : (error as Error).message);
  process.exit(1);
}
