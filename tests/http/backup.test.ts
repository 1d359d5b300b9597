/**
 * `npm run backup` and `npm run restore` as an operator runs them: a site with demo content and an upload is backed
 * up, restored into a fresh directory, and the restored site serves the same content and file.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { openPglite } from "../../db/client.ts";
import { loginCookie, startTestServer, tempDataDir } from "../setup/server.ts";
import { get, runToExit } from "./helpers.ts";

const dirs: string[] = [];
function dir(): string {
  const d = tempDataDir();
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** What a restored site must hold again: counts of the main tables and the newest member's address. */
async function contentOf(dataDir: string) {
  const handle = await openPglite(dataDir);
  try {
    const [counts] = await handle.rows<{
      users: number;
      threads: number;
      posts: number;
      materials: number;
      audit: number;
    }>(sql`
      select (select count(*)::int from users) as users, (select count(*)::int from threads) as threads,
             (select count(*)::int from posts) as posts, (select count(*)::int from materials) as materials,
             (select count(*)::int from audit_log) as audit`);
    return counts;
  } finally {
    await handle.close();
  }
}

const upload = "uploads/0123456789abcdef0123456789abcdef";
const uploadBytes = Buffer.from("%PDF-1.4 Beispielinhalt eines OnePagers\n");

describe("backup and restore of the embedded database and the uploads", () => {
  test(
    "back up a site with content and uploads, restore it into a fresh directory, and it serves the same",
    { timeout: 240_000 },
    async () => {
      const source = dir();
      // A first start creates and seeds the database (demo content), like a real installation.
      const first = await startTestServer({ DATA_DIR: source });
      await first.close();
      fs.mkdirSync(path.join(source, "uploads"), { recursive: true });
      fs.writeFileSync(path.join(source, upload), uploadBytes);
      const before = await contentOf(source);
      expect(before.users).toBeGreaterThan(3);
      expect(before.threads).toBeGreaterThan(0);

      const archive = path.join(dir(), "sicherung.tar");
      const backup = await runToExit("scripts/backup.ts", [archive], { DATA_DIR: source }, 120_000);
      expect(backup.code, backup.output).toBe(0);
      expect(backup.output).toMatch(/Sicherung geschrieben: .*sicherung\.tar \(Datenbank und \d+ Dateien/);

      const target = path.join(dir(), "neu");
      const restore = await runToExit("scripts/restore.ts", [archive], { DATA_DIR: target }, 120_000);
      expect(restore.code, restore.output).toBe(0);
      expect(await contentOf(target)).toEqual(before);
      expect(fs.readFileSync(path.join(target, upload))).toEqual(uploadBytes);

      // The restored directory is a working site: the server starts on it and a demo member logs in.
      const server = await startTestServer({ DATA_DIR: target });
      try {
        const cookie = await loginCookie(server.url, "mitglied@example.org");
        const page = await get(server.url, "/diskussionen", cookie);
        expect(page.status).toBe(200);
      } finally {
        await server.close();
      }

      // A directory with content is not overwritten without --force …
      const refused = await runToExit("scripts/restore.ts", [archive], { DATA_DIR: source }, 60_000);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain("ist nicht leer. Mit --force");
      expect(fs.readFileSync(path.join(source, upload))).toEqual(uploadBytes);
      // … and with it, its content is replaced by the backup's (a file added since the backup is gone).
      fs.writeFileSync(path.join(source, "uploads", "nachher-hinzugefuegt"), "x");
      const forced = await runToExit("scripts/restore.ts", [archive, "--force"], { DATA_DIR: source }, 120_000);
      expect(forced.code, forced.output).toBe(0);
      expect(fs.existsSync(path.join(source, "uploads", "nachher-hinzugefuegt"))).toBe(false);
      expect(await contentOf(source)).toEqual(before);
    },
  );

  test(
    "restore refuses while the server uses the directory, and refuses a file that is no backup",
    { timeout: 120_000 },
    async () => {
      // (A backup while the server runs is taken by the server itself: tests/http/backup-live.test.ts.)
      const running = await startTestServer();
      try {
        const archive = path.join(dir(), "live.tar");
        const backup = await runToExit("scripts/backup.ts", [archive], { DATA_DIR: running.dataDir }, 120_000);
        expect(backup.code, backup.output).toBe(0);
        const result = await runToExit(
          "scripts/restore.ts",
          [archive, "--force"],
          { DATA_DIR: running.dataDir },
          60_000,
        );
        expect(result.code).toBe(1);
        expect(result.output).toContain("wird bereits von Prozess");
      } finally {
        await running.close();
      }
      const notABackup = path.join(dir(), "irgendwas.tar");
      fs.writeFileSync(notABackup, "kein Archiv");
      const target = path.join(dir(), "leer");
      const result = await runToExit("scripts/restore.ts", [notABackup], { DATA_DIR: target }, 60_000);
      expect(result.code).toBe(1);
      expect(result.output).toContain("ist keine Sicherung dieses Netzwerks");
      expect(fs.existsSync(path.join(target, "db"))).toBe(false);
    },
  );
});
