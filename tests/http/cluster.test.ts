/**
 * Two server processes on one PostgreSQL database, as behind a load balancer: they migrate concurrently without
 * tripping over each other, share sessions, and broadcasts reach sockets on the other process (postgres adapter).
 */
import fs from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPostgresDatabase } from "../setup/db.ts";
import { loginCookie, spawnServer, tempDataDir, type ChildServer } from "../setup/server.ts";
import {
  connected,
  emitAck,
  nextEvent,
  openSocket,
  postForm,
  runToExit,
  sessionAlive,
  type TestSocket,
} from "./helpers.ts";

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
  const journal = JSON.parse(
    fs.readFileSync(new URL("../../db/migrations/meta/_journal.json", import.meta.url), "utf8"),
  );
  const applied = await sql`select hash from drizzle.__drizzle_migrations`;
  expect(applied).toHaveLength(journal.entries.length);
  const tables = await sql`select tablename from pg_tables where schemaname = 'public' order by tablename`;
  expect(tables.map((t) => t.tablename)).toEqual(
    expect.arrayContaining(["users", "sessions", "invitations", "socket_io_attachments"]),
  );
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

test("a role change and a password change made on server A close the member's sockets on server B within a second", async () => {
  const admin = await loginCookie(a.url, "admin@example.org");
  const [aylin] = await sql`select id from users where email = 'mitglied3@example.org'`;
  const setRole = async (role: string) => {
    const response = await postForm(
      a.url,
      "/moderation/mitglieder",
      { intent: "role", userId: aylin.id, role },
      { cookie: admin },
    );
    expect(response.status).toBe(200);
    await response.body?.cancel();
    return Date.now();
  };
  await setRole("moderator");
  const moderatorOnB = openSocket(b.url, { cookie: await loginCookie(b.url, "mitglied3@example.org") });
  sockets.push(moderatorOnB);
  await connected(moderatorOnB);
  expect(await emitAck(moderatorOnB, "room:join", { room: "moderation" })).toEqual({ ok: true });
  const changed = nextEvent<{ reason: string }>(moderatorOnB, "session:changed", 10_000);
  const closed = nextEvent<string>(moderatorOnB, "disconnect", 10_000).then(() => Date.now());
  const demotedAt = await setRole("member");
  expect(await changed).toEqual({ reason: "roleChanged" });
  const roleLag = (await closed) - demotedAt;
  console.log(`cluster: role change on A → socket on B closed ${roleLag} ms after the HTTP answer`);
  expect(roleLag).toBeLessThan(1000);

  const here = await loginCookie(a.url, "mitglied4@example.org");
  const elsewhere = openSocket(b.url, { cookie: await loginCookie(b.url, "mitglied4@example.org") });
  sockets.push(elsewhere);
  await connected(elsewhere);
  const ended = nextEvent<{ reason: string }>(elsewhere, "session:ended", 10_000);
  const gone = nextEvent<string>(elsewhere, "disconnect", 10_000).then(() => Date.now());
  const response = await postForm(
    a.url,
    "/einstellungen",
    { intent: "password", currentPassword: "demo-passwort-2026", newPassword: "ein-neues-passwort-2026" },
    { cookie: here },
  );
  expect(response.status).toBe(200);
  await response.body?.cancel();
  const changedAt = Date.now();
  expect(await ended).toEqual({ reason: "passwordChanged" });
  const passwordLag = (await gone) - changedAt;
  console.log(
    `cluster: password change on A → other session's socket on B closed ${passwordLag} ms after the HTTP answer`,
  );
  expect(passwordLag).toBeLessThan(1000);
  expect(await sessionAlive(a.url, here)).toBe(true);
});

test("login throttling counts across both processes: guesses split over A and B share the account's allowance", async () => {
  const statuses = await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      postForm(
        i % 2 ? a.url : b.url,
        "/anmelden",
        { email: "mitglied5@example.org", password: "falsch-geraten" },
        { headers: { "X-Forwarded-For": `192.0.2.${i + 1}` } },
      ).then(async (r) => (await r.body?.cancel(), r.status)),
    ),
  );
  // Five reach the password check; a wait that ends while the others are answered may let one or two more through.
  expect(statuses.filter((s) => s === 400).length).toBeGreaterThanOrEqual(5);
  expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(7);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
});
