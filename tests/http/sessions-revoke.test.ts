/**
 * Open sockets lose what HTTP withdrew: a role change, a password change, a deactivation or a logout reaches the
 * member's sockets within a second (real socket.io clients, the real server); a socket that missed the close is
 * stopped by the re-check before privileged events. (Across two processes on PostgreSQL: tests/http/cluster.test.ts;
 * the room:join flood: tests/http/socket-flood.test.ts.)
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dialogueRounds, users } from "../../db/schema/index.ts";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { connected, DEMO_PASSWORD, emitAck, nextEvent, openSocket, postForm, type TestSocket } from "./helpers.ts";
import { ask, openRound } from "./rounds-helpers.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let roundId: string;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const sockets: TestSocket[] = [];
const who = {
  admin: "admin@example.org",
  host: "moderation@example.org",
  jonas: "mitglied2@example.org",
  aylin: "mitglied3@example.org",
  sevgi: "mitglied@example.org",
  petra: "qv@example.org",
};

async function socketOf(cookie: string): Promise<TestSocket> {
  const socket = openSocket(server.url, { cookie });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

async function setRole(userId: string, role: string): Promise<number> {
  const response = await postForm(
    server.url,
    "/moderation/mitglieder",
    { intent: "role", userId, role },
    { cookie: cookies.admin },
  );
  await response.body?.cancel();
  expect(response.status).toBe(200);
  return Date.now();
}

/** Resolves with the moment the server closed the socket (and checks that it was the server). */
function closedAt(socket: TestSocket): Promise<number> {
  return nextEvent<string>(socket, "disconnect", 10_000).then((reason) => {
    expect(reason).toBe("io server disconnect");
    return Date.now();
  });
}

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.db;
  const [next] = await db.select().from(dialogueRounds).where(eq(dialogueRounds.status, "scheduled"));
  roundId = next.id;
  for (const [name, email] of Object.entries(who)) {
    cookies[name] = await loginCookie(server.url, email);
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    ids[name] = u.id;
  }
  await openRound(server.url, cookies.host, roundId);
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
});

describe("rights withdrawn over HTTP end on open sockets", () => {
  let jonas: TestSocket;

  beforeAll(async () => {
    jonas = await socketOf(cookies.jonas);
    expect((await ask(jonas, "round:join", { roundId, since: 0 })).ok).toBe(true);
  });

  test("a demoted moderator's sockets close within a second; new ones are not let into moderation nor may host", async () => {
    await setRole(ids.aylin, "moderator");
    const aylin = await socketOf(cookies.aylin);
    expect(await emitAck(aylin, "room:join", { room: "moderation" })).toEqual({ ok: true });
    expect((await ask(aylin, "round:join", { roundId, since: 0 })).ok).toBe(true);

    const told = nextEvent<{ reason: string }>(aylin, "session:changed", 10_000);
    const closed = closedAt(aylin);
    const demotedAt = await setRole(ids.aylin, "member");
    expect(await told).toEqual({ reason: "roleChanged" });
    const lag = (await closed) - demotedAt;
    console.log(`role change → socket closed: ${lag} ms after the HTTP answer`);
    expect(lag).toBeLessThan(1000);

    // Her page reconnects with the session, which is still valid, and now has a member's rights.
    const again = await socketOf(cookies.aylin);
    expect(await emitAck(again, "room:join", { room: "moderation" })).toEqual({
      ok: false,
      error: "Kein Zutritt zu diesem Raum",
    });
    expect(await ask(again, "round:join", { roundId, since: 0 })).toMatchObject({ ok: false });
    expect(await ask(again, "round:host", { roundId, command: { action: "remove", userId: ids.jonas } })).toMatchObject(
      { ok: false },
    );
    expect((await ask(jonas, "round:since", { roundId, since: 0 })).ok).toBe(true);
  });

  test("a socket that missed the close is stopped by the re-check before host commands and room joins", async () => {
    await setRole(ids.aylin, "moderator");
    const hosting = await socketOf(cookies.aylin);
    const joining = await socketOf(cookies.aylin);
    expect((await ask(hosting, "round:join", { roundId, since: 0 })).ok).toBe(true);
    // The demotion written without any message to the sockets: as if the close had been lost between processes.
    await server.database.db.update(users).set({ role: "member" }).where(eq(users.id, ids.aylin));
    // A passed re-check holds for up to a second (the promised reaction time); after that it reads the role again.
    await new Promise((r) => setTimeout(r, 1100));

    const hostingClosed = closedAt(hosting);
    const removal = await ask(hosting, "round:host", { roundId, command: { action: "remove", userId: ids.jonas } });
    expect(removal).toMatchObject({ ok: false });
    await hostingClosed;
    // Jonas is still in the room: events in it still answer him.
    expect((await ask(jonas, "round:since", { roundId, since: 0 })).ok).toBe(true);

    const joiningClosed = closedAt(joining);
    expect(await emitAck(joining, "room:join", { room: "moderation" })).toEqual({
      ok: false,
      error: "Deine Anmeldung hat sich geändert. Bitte lade die Seite neu.",
    });
    await joiningClosed;
  });

  test("a password change closes the sockets of the member's other sessions within a second, not this one's", async () => {
    const here = cookies.sevgi;
    const elsewhere = await loginCookie(server.url, who.sevgi);
    const mine = await socketOf(here);
    const theirs = await socketOf(elsewhere);
    const told = nextEvent<{ reason: string }>(theirs, "session:ended", 10_000);
    const closed = closedAt(theirs);
    const response = await postForm(
      server.url,
      "/einstellungen",
      { intent: "password", currentPassword: DEMO_PASSWORD, newPassword: "ein-neues-passwort-2026" },
      { cookie: here },
    );
    expect(response.status).toBe(200);
    await response.body?.cancel();
    const changedAt = Date.now();
    expect(await told).toEqual({ reason: "passwordChanged" });
    const lag = (await closed) - changedAt;
    console.log(`password change → other session's socket closed: ${lag} ms after the HTTP answer`);
    expect(lag).toBeLessThan(1000);
    // This device's socket still answers.
    expect(await emitAck(mine, "room:join", { room: `user:${ids.sevgi}` })).toEqual({ ok: true });
  });

  test("deactivation and logout close the member's sockets within a second", async () => {
    const petra = await socketOf(cookies.petra);
    const ended = nextEvent<{ reason: string }>(petra, "session:ended", 10_000);
    const closed = closedAt(petra);
    const response = await postForm(
      server.url,
      "/moderation/mitglieder",
      { intent: "deactivate", userId: ids.petra },
      { cookie: cookies.admin },
    );
    expect(response.status).toBe(200);
    await response.body?.cancel();
    const deactivatedAt = Date.now();
    expect(await ended).toEqual({ reason: "deactivated" });
    expect((await closed) - deactivatedAt).toBeLessThan(1000);

    const device = await loginCookie(server.url, who.jonas);
    const jonasElsewhere = await socketOf(device);
    const loggedOut = nextEvent<{ reason: string }>(jonasElsewhere, "session:ended", 10_000);
    const gone = closedAt(jonasElsewhere);
    const logout = await postForm(server.url, "/abmelden", {}, { cookie: device });
    expect(logout.status).toBe(302);
    const loggedOutAt = Date.now();
    expect(await loggedOut).toEqual({ reason: "logout" });
    expect((await gone) - loggedOutAt).toBeLessThan(1000);
    expect(jonas.connected).toBe(true);
  });
});
