/**
 * Two server processes on one PostgreSQL serve the same live round (postgres adapter): clients on both see each
 * other's messages, the floor and the presence list, and concurrent messages from both get distinct, gap-free numbers.
 */
import fs from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPostgresDatabase } from "../setup/db.ts";
import { loginCookie, spawnServer, tempDataDir, type ChildServer } from "../setup/server.ts";
import { connected, openSocket, runToExit, type TestSocket } from "./helpers.ts";
import { ask, openRound, recorder, until } from "./rounds-helpers.ts";

let sql: postgres.Sql;
let a: ChildServer;
let b: ChildServer;
let roundId: string;
const ids: Record<string, string> = {};
const dataDirs: string[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  const databaseUrl = await createPostgresDatabase();
  sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const env = () => {
    const dir = tempDataDir();
    dataDirs.push(dir);
    return { DATABASE_URL: databaseUrl, DATA_DIR: dir };
  };
  a = await spawnServer(env(), 60_000);
  b = await spawnServer(env(), 60_000);
  const seeded = await runToExit("scripts/seed.ts", [], { DATABASE_URL: databaseUrl }, 60_000);
  expect(seeded.code, seeded.output).toBe(0);
  [{ id: roundId }] = await sql`select id from dialogue_rounds where status = 'scheduled' limit 1`;
  for (const row of await sql`select id, email from users`) ids[row.email] = row.id;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all([a?.stop(), b?.stop()]);
  await sql?.end({ timeout: 5 });
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function client(server: ChildServer, email: string) {
  const socket = openSocket(server.url, { cookie: await loginCookie(server.url, email) });
  sockets.push(socket);
  const log = recorder(socket);
  await connected(socket);
  return { socket, log };
}

test("clients on two processes share one room: chat, floor, presence, and one numbering", async () => {
  const hostCookie = await loginCookie(b.url, "moderation@example.org");
  await openRound(b.url, hostCookie, roundId);
  const jonas = await client(a, "mitglied2@example.org");
  const petra = await client(b, "qv@example.org");
  const host = await client(b, "moderation@example.org");
  let people: string[] = [];
  jonas.socket.on("round:presence", (p: { people: { name: string }[] }) => (people = p.people.map((x) => x.name)));
  for (const c of [jonas, petra, host])
    expect((await ask(c.socket, "round:join", { roundId, since: 0 })).ok).toBe(true);

  // Presence on A includes the people connected to B.
  await until(() => people.length === 3, 15_000, "presence across processes");
  expect(people).toEqual(["Jonas Wagner", "Malte Meyer", "Petra Hoffmann"]);

  const fromA = await ask(jonas.socket, "round:chat", { roundId, text: "Grüße von Server A", clientId: "a1" });
  const fromB = await ask(petra.socket, "round:chat", { roundId, text: "Grüße von Server B", clientId: "b1" });
  await until(() => petra.log.events.some((e) => e.seq === fromA.seq), 15_000, "A → B");
  await until(() => jonas.log.events.some((e) => e.seq === fromB.seq), 15_000, "B → A");

  // The hand is raised on A, the host on B gives the floor, the speaker on A hears it.
  expect((await ask(jonas.socket, "round:hand", { roundId, raised: true })).ok).toBe(true);
  await until(() => host.log.states.at(-1)?.queue[0]?.userId === ids["mitglied2@example.org"], 15_000, "queue on B");
  expect((await ask(host.socket, "round:host", { roundId, command: { action: "floor" } })).ok).toBe(true);
  await until(() => jonas.log.states.at(-1)?.speakerId === ids["mitglied2@example.org"], 15_000, "floor on A");

  // Both processes write at the same time: every number once, no gaps, and every client sees every message once.
  const sends = await Promise.all([
    ...Array.from({ length: 8 }, (_, i) =>
      ask(jonas.socket, "round:chat", { roundId, text: `A ${i}`, clientId: `pa${i}` }),
    ),
    ...Array.from({ length: 8 }, (_, i) =>
      ask(petra.socket, "round:chat", { roundId, text: `B ${i}`, clientId: `pb${i}` }),
    ),
  ]);
  expect(sends.every((s) => s.ok)).toBe(true);
  const seqs = sends.map((s) => s.seq as number).sort((x, y) => x - y);
  expect(new Set(seqs).size).toBe(16);
  expect(seqs.at(-1)! - seqs[0]).toBe(15);
  for (const c of [jonas, petra, host]) {
    await until(() => seqs.every((s) => c.log.events.some((e) => e.seq === s)), 15_000, "all messages everywhere");
    const seen = c.log.events.map((e) => e.seq);
    expect(new Set(seen).size).toBe(seen.length);
  }
  const [{ n }] = await sql`select count(*)::int as n from round_events where round_id = ${roundId} and kind = 'chat'`;
  expect(n).toBe(18);
}, 90_000);
