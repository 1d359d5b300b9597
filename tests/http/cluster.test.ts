/**
 * Two server processes on one PostgreSQL database, as behind a load balancer: they migrate concurrently without
 * tripping over each other, share sessions, and broadcasts reach sockets on the other process (postgres adapter).
 */
import fs from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPostgresDatabase } from "../setup/db.ts";
import { loginCookie, spawnServer, tempDataDir, type ChildServer } from "../setup/server.ts";
import { connected, nextEvent, openSocket, postForm, runToExit, sessionAlive, type TestSocket } from "./helpers.ts";

let databaseUrl: string;
let sql: postgres.Sql;
let a: ChildServer;
let b: ChildServer;
const dataDirs: string[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  databaseUrl = await createPostgresDatabase();
  sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const env = () => {
    const dir = tempDataDir();
    dataDirs.push(dir);
    // SEED_DEMO stays at its default (true): with DATABASE_URL the server must still not seed.
    return { DATABASE_URL: databaseUrl, DATA_DIR: dir };
  };
  // Both start at the same moment against the empty database, so both run the migrations concurrently.
  [a, b] = await Promise.all([spawnServer(env()), spawnServer(env())]);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all([a?.stop(), b?.stop()]);
  await sql?.end({ timeout: 5 });
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

test("both processes migrate the same empty database concurrently without errors", async () => {
  for (const server of [a, b]) {
    expect(server.output()).toContain("Datenbank: PostgreSQL");
    expect(server.output()).not.toMatch(/fehler|error|already exists|duplicate/i);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "postgres" });
  }
  expect(a.url).not.toBe(b.url);

  // Each migration is recorded exactly once.
  const journal = JSON.parse(fs.readFileSync(new URL("../../db/migrations/meta/_journal.json", import.meta.url), "utf8"));
  const applied = await sql`select hash from drizzle.__drizzle_migrations`;
  expect(applied).toHaveLength(journal.entries.length);
  const tables = await sql`select tablename from pg_tables where schemaname = 'public' order by tablename`;
  expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(["users", "sessions", "invitations", "socket_io_attachments"]));
});

test("no demo content is seeded automatically on PostgreSQL", async () => {
  const [{ n }] = await sql`select count(*)::int as n from users`;
  expect(n).toBe(0);
  for (const server of [a, b]) expect(server.output()).not.toContain("Demo-Inhalte angelegt");
  const login = await postForm(a.url, "/anmelden", { email: "admin@example.org", password: "demo-passwort-2026" });
  expect(login.status).toBe(400);
  await login.body?.cancel();
});

test("after seeding, sessions are shared and logout on all devices via server A reaches a socket on server B", async () => {
  const seeded = await runToExit("scripts/seed.ts", [], { DATABASE_URL: databaseUrl });
  for (const server of [a, b]) expect(server.process.exitCode, server.output()).toBeNull();
  expect(seeded.code, seeded.output).toBe(0);
  expect(seeded.output).toContain("Demo-Inhalte:");

  // A session made on A is valid on B: the database holds it, not the process.
  const cookieA = await loginCookie(a.url, "mitglied@example.org");
  const cookieB = await loginCookie(b.url, "mitglied@example.org");
  expect(await sessionAlive(b.url, cookieA)).toBe(true);

  const onA = openSocket(a.url, { cookie: cookieA });
  const onB = openSocket(b.url, { cookie: cookieB });
  const bystanderCookie = await loginCookie(b.url, "mitglied2@example.org");
  const bystander = openSocket(b.url, { cookie: bystanderCookie });
  sockets.push(onA, onB, bystander);
  await Promise.all([connected(onA), connected(onB), connected(bystander)]);
  let bystanderEnded = false;
  bystander.on("session:ended", () => (bystanderEnded = true));

  const endedA = nextEvent<{ reason: string }>(onA, "session:ended", 10_000);
  const endedB = nextEvent<{ reason: string }>(onB, "session:ended", 10_000);
  const closedB = nextEvent<string>(onB, "disconnect", 10_000);
  const logout = await postForm(a.url, "/abmelden", { everywhere: "1" }, { cookie: cookieA });
  expect(logout.status).toBe(302);

  expect(await endedB).toEqual({ reason: "logoutAll" });
  expect(await endedA).toEqual({ reason: "logoutAll" });
  // disconnectSockets crosses processes too.
  expect(await closedB).toBe("io server disconnect");
  expect(onB.connected).toBe(false);

  expect(await sessionAlive(b.url, cookieB)).toBe(false);
  expect(await sessionAlive(a.url, cookieA)).toBe(false);
  expect(bystanderEnded).toBe(false);
  expect(bystander.connected).toBe(true);
  expect(await sessionAlive(b.url, bystanderCookie)).toBe(true);
});
