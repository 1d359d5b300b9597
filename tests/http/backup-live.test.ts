/**
 * Backups while the server runs (ADR 043): `npm run backup` against a running server under continuous writes, restored
 * into a new directory, served again; every write acknowledged before the snapshot began is there, no transaction is
 * half there, every migration is recorded. And the nightly backup with its retention count.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openPglite } from "../../db/client.ts";
import { runNightlyBackup } from "../../server/backup.ts";
import { startTestServer, tempDataDir } from "../setup/server.ts";
import { get, runToExit } from "./helpers.ts";

const dirs: string[] = [];
function dir(): string {
  const d = tempDataDir();
  dirs.push(d);
  return d;
}
/** One server for the file (starting and seeding one is the expensive part). */
let server: Awaited<ReturnType<typeof startTestServer>>;
// Close is idempotent: the last test closes it early, afterAll again.
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const migrations = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, "../../db/migrations/meta/_journal.json"), "utf8"),
).entries.length as number;

describe("backup of a running server", () => {
  test(
    "nightly: due after BACKUP_TIME in Berlin, once a day, the newest BACKUP_KEEP kept",
    { timeout: 120_000 },
    async () => {
      const backups = dir();
      try {
        // Older nightly archives (names only matter for retention) and an unrelated file that stays.
        for (const day of ["2026-03-25", "2026-03-26", "2026-03-27"])
          fs.writeFileSync(path.join(backups, `netzwerk-${day}.tar`), "alt");
        fs.writeFileSync(path.join(backups, "notizen.txt"), "bleibt");
        const config = { DATA_DIR: server.dataDir, BACKUP_DIR: backups, BACKUP_KEEP: 2, BACKUP_TIME: "03:30" };
        // 28 March 2026, 02:29 UTC = 03:29 in Berlin (winter time): not yet.
        expect(await runNightlyBackup(server.database, config, new Date("2026-03-28T02:29:00Z"))).toBeNull();
        const done = await runNightlyBackup(server.database, config, new Date("2026-03-28T02:31:00Z"));
        expect(done?.file).toBe(path.join(backups, "netzwerk-2026-03-28.tar"));
        expect(done?.removed.sort()).toEqual(["netzwerk-2026-03-25.tar", "netzwerk-2026-03-26.tar"]);
        // Once a day: later that day nothing more.
        expect(await runNightlyBackup(server.database, config, new Date("2026-03-28T21:00:00Z"))).toBeNull();
        expect(fs.readdirSync(backups).sort()).toEqual([
          "netzwerk-2026-03-27.tar",
          "netzwerk-2026-03-28.tar",
          "notizen.txt",
        ]);
        // A real archive that restore accepts (its manifest and dump are checked before anything is touched).
        const restore = await runToExit(
          "scripts/restore.ts",
          [done!.file],
          { DATA_DIR: path.join(dir(), "nacht") },
          120_000,
        );
        expect(restore.code, restore.output).toBe(0);
      } finally {
        fs.rmSync(backups, { recursive: true, force: true });
      }
    },
  );

  test(
    "taken under write load, restored and served: nothing acknowledged before the snapshot is missing, nothing half",
    { timeout: 240_000 },
    async () => {
      const { database } = server;
      fs.mkdirSync(path.join(server.dataDir, "uploads"), { recursive: true });
      fs.writeFileSync(path.join(server.dataDir, "uploads", "beim-sichern"), "Inhalt einer Datei");
      // Each write is one transaction of two rows; acknowledged = its commit has resolved.
      await database.rows(sql`create table backup_probe (n int not null, half int not null, primary key (n, half))`);
      const acknowledged: number[] = [];
      let writing = true;
      const writer = (async () => {
        for (let n = 1; writing; n++) {
          await database.db.transaction(async (tx) => {
            await tx.execute(sql`insert into backup_probe values (${n}, 1)`);
            await tx.execute(sql`insert into backup_probe values (${n}, 2)`);
          });
          acknowledged.push(n);
        }
      })();
      try {
        while (acknowledged.length < 50) await new Promise((resolve) => setTimeout(resolve, 20));
        // The snapshot begins after the backup command starts and connects: all writes acknowledged now precede it.
        const beforeRequest = acknowledged.length;
        const archive = path.join(dir(), "im-betrieb.tar");
        const backup = await runToExit("scripts/backup.ts", [archive], { DATA_DIR: server.dataDir }, 120_000);
        const afterAnswer = acknowledged.length;
        expect(backup.code, backup.output).toBe(0);
        expect(backup.output).toMatch(
          /Sicherung geschrieben \(vom laufenden Server\): .*im-betrieb\.tar \(Datenbank und [1-9]\d* Dateien/,
        );
        // Writes went on while the backup ran (it was taken under load, and the server never stopped).
        expect(afterAnswer).toBeGreaterThan(beforeRequest);
        writing = false;
        await writer;

        const target = path.join(dir(), "wiederhergestellt");
        const restore = await runToExit("scripts/restore.ts", [archive], { DATA_DIR: target }, 120_000);
        expect(restore.code, restore.output).toBe(0);
        expect(fs.readFileSync(path.join(target, "uploads", "beim-sichern"), "utf8")).toBe("Inhalt einer Datei");

        const restored = await openPglite(target);
        try {
          const [probe] = await restored.rows<{ writes: number; max: number; half: number }>(sql`
          select count(distinct n)::int as writes, max(n)::int as max,
                 (select count(*)::int from (select n from backup_probe group by n having count(*) <> 2) h) as half
          from backup_probe`);
          expect(probe.half).toBe(0);
          expect(probe.writes).toBe(probe.max);
          expect(probe.max).toBeGreaterThanOrEqual(beforeRequest);
          expect(probe.max).toBeLessThanOrEqual(afterAnswer + 1);
          const [applied] = await restored.rows<{ n: number }>(
            sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
          );
          expect(applied.n).toBe(migrations);
        } finally {
          await restored.close();
        }
        // And the restored directory is a working site (after the first server is closed: the models hold one database).
        await server.close();
        const again = await startTestServer({ DATA_DIR: target });
        try {
          expect((await get(again.url, "/healthz/ready")).status).toBe(200);
          expect((await get(again.url, "/anmelden")).status).toBe(200);
        } finally {
          await again.close();
        }
      } finally {
        writing = false;
        await writer.catch(() => {});
      }
    },
  );
});
