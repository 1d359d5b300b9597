/**
 * kill -9 under write load loses no acknowledged write, on the embedded database (PGlite in DATA_DIR) and on
 * PostgreSQL: a demo member posts replies concurrently, every reply answered with a redirect is recorded, the server
 * process is killed with SIGKILL mid-load, restarted on the same data, and every recorded reply must be there.
 */
import fs from "node:fs";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, test } from "vitest";
import { openPglite } from "../../db/client.ts";
import { createPostgresDatabase } from "../setup/db.ts";
import { loginCookie, spawnServer, tempDataDir, type ChildServer } from "../setup/server.ts";
import { get, postForm, runToExit, threadIdsInList } from "./helpers.ts";

const dirs: string[] = [];
const servers: ChildServer[] = [];

afterAll(async () => {
  for (const s of servers) if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill("SIGKILL");
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>): Promise<ChildServer> {
  const server = await spawnServer(env, 90_000);
  servers.push(server);
  return server;
}

/**
 * Posts replies from `writers` concurrent loops until `acknowledged` of them got their redirect, then kills the server
 * with SIGKILL while the loops keep sending. Returns the bodies of the acknowledged replies.
 */
async function writeAndKill(
  server: ChildServer,
  writers: number,
  killAfter: number,
): Promise<{ acked: string[]; sent: number }> {
  const cookie = await loginCookie(server.url, "mitglied@example.org");
  const threadId = threadIdsInList(await (await get(server.url, "/diskussionen", cookie)).text())[0];
  expect(threadId).toBeTruthy();
  const acked: string[] = [];
  let sent = 0;
  let killed = false;
  const exited = new Promise<void>((resolve) => server.process.once("exit", () => resolve()));
  const loop = async (writer: number) => {
    for (let i = 0; !killed; i++) {
      const body = `Dauerlast ${writer}-${i} ${Math.random().toString(36).slice(2)}`;
      sent++;
      try {
        const response = await postForm(
          server.url,
          `/diskussionen/${threadId}`,
          { intent: "reply", parentId: "", body },
          { cookie },
        );
        await response.body?.cancel();
        if (response.status === 302 || response.status === 303) acked.push(body);
        else if (!killed) throw new Error(`reply answered ${response.status}`);
      } catch (error) {
        if (!killed) throw error;
      }
      if (!killed && acked.length >= killAfter) {
        killed = true;
        server.process.kill("SIGKILL");
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => loop(w)));
  await exited;
  expect(server.process.signalCode).toBe("SIGKILL");
  return { acked, sent };
}

function missing(acked: string[], stored: string[]): string[] {
  const texts = stored.join("\n");
  return acked.filter((body) => !texts.includes(body));
}

describe("kill -9 under write load", () => {
  test("PGlite: every acknowledged reply survives, and the stale lock is taken over", async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const first = await serve({ DATA_DIR: dataDir });
    const { acked, sent } = await writeAndKill(first, 6, 40);
    expect(acked.length).toBeGreaterThanOrEqual(40);
    expect(sent).toBeGreaterThan(acked.length); // some were in flight when the process died

    // The restart opens the same directory (the dead process's lock is stale) and serves.
    const second = await serve({ DATA_DIR: dataDir });
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    await second.stop();
    const handle = await openPglite(dataDir);
    try {
      const rows = await handle.rows<{ text: string }>(
        sql`select body_html as text from posts where body_html like '%Dauerlast%'`,
      );
      expect(
        missing(
          acked,
          rows.map((r) => r.text),
        ),
      ).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 240_000);

  test("PostgreSQL: every acknowledged reply survives", async () => {
    const databaseUrl = await createPostgresDatabase();
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir };
    const first = await serve(env);
    const seeded = await runToExit("scripts/seed.ts", [], env, 120_000);
    expect(seeded.code, seeded.output).toBe(0);
    const { acked } = await writeAndKill(first, 6, 40);
    expect(acked.length).toBeGreaterThanOrEqual(40);

    const second = await serve(env);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    await second.stop();
    const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await client<
        { text: string }[]
      >`select body_html as text from posts where body_html like '%Dauerlast%'`;
      expect(
        missing(
          acked,
          rows.map((r) => r.text),
        ),
      ).toEqual([]);
    } finally {
      await client.end({ timeout: 5 });
    }
  }, 240_000);
});
