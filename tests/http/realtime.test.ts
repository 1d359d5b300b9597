/**
 * socket.io against the real server: the handshake needs this site's Origin and a live session, a socket sits in
 * its own user room, and every room join is authorised and validated on the server.
 */
import { sql } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import {
  connected,
  connectError,
  emitAck,
  nextEvent,
  openSocket,
  postForm,
  sessionAlive,
  type TestSocket,
} from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const ids: Record<string, string> = {};
const sockets: TestSocket[] = [];

/** Opens a socket and remembers it, so that every test leaves no connection behind. */
function socket(options: Parameters<typeof openSocket>[1] = {}): TestSocket {
  const s = openSocket(url, options);
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  const rows = await server.database.rows<{ id: string; email: string }>(sql`select id, email from users`);
  for (const row of rows) ids[row.email] = row.id;
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

afterAll(async () => {
  await server?.close();
});

describe("handshake", () => {
  test("without a session the socket gets connect_error and never joins a room", async () => {
    const anonymous = socket();
    const error = await connectError(anonymous);
    expect(error.message).toBe("Nicht angemeldet");
    expect(anonymous.connected).toBe(false);
    expect(anonymous.id).toBeUndefined();

    // A well-formed but unknown token is no better than none.
    const forged = socket({ cookie: `lbn_session=${"a".repeat(32)}` });
    expect((await connectError(forged)).message).toBe("Nicht angemeldet");

    // A refused socket cannot ask for anything: a join request never reaches the server, no ack comes back.
    await expect(
      (anonymous as unknown as Socket).timeout(300).emitWithAck("room:join", { room: "moderation" }),
    ).rejects.toThrow(/timed out/);
  });

  test("a handshake from a foreign Origin is refused, even with a valid session", async () => {
    const cookie = await loginCookie(url, "mitglied@example.org");
    const foreign = socket({ cookie, origin: "http://evil.example" });
    const error = await connectError(foreign);
    expect(foreign.connected).toBe(false);
    expect(error.message).toMatch(/websocket error|xhr poll error/);

    const foreignPolling = socket({ cookie, origin: "http://evil.example", transports: ["polling"] });
    await connectError(foreignPolling);
    expect(foreignPolling.connected).toBe(false);

    // The refusal itself is a plain 403, for polling and for the WebSocket upgrade alike.
    const poll = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { Origin: "http://evil.example", Cookie: cookie },
    });
    expect(poll.status).toBe(403);
    const noOrigin = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { Cookie: cookie } });
    expect(noOrigin.status).toBe(403);
    // Browsers send no Origin on a same-origin GET, but they do say where it came from.
    const crossSite = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { Cookie: cookie, "Sec-Fetch-Site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin" },
    });
    expect(sameSite.status).toBe(200);
    await sameSite.body?.cancel();
    // The same request from this site's own page gets through to the session check.
    const own = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: url, Cookie: cookie } });
    expect(own.status).toBe(200);
    expect(await own.text()).toMatch(/^0\{"sid":/);
  });

  test("with a session it connects into its own user room: logout on all devices ends and closes it", async () => {
    const cookie = await loginCookie(url, "mitglied@example.org");
    const mine = socket({ cookie });
    await connected(mine);
    expect(mine.connected).toBe(true);

    const otherCookie = await loginCookie(url, "mitglied2@example.org");
    const other = socket({ cookie: otherCookie });
    await connected(other);
    let otherEnded = false;
    other.on("session:ended", () => (otherEnded = true));

    // Logging out everywhere from another device of the same user reaches this socket through its user room.
    const secondDevice = await loginCookie(url, "mitglied@example.org");
    const ended = nextEvent<{ reason: string }>(mine, "session:ended");
    const closed = nextEvent<string>(mine, "disconnect");
    const logout = await postForm(url, "/abmelden", { everywhere: "1" }, { cookie: secondDevice });
    expect(logout.status).toBe(302);
    expect(await ended).toEqual({ reason: "logoutAll" });
    expect(await closed).toBe("io server disconnect");
    expect(mine.connected).toBe(false);
    expect(await sessionAlive(url, cookie)).toBe(false);

    // The other member's socket got nothing and stays connected.
    expect(otherEnded).toBe(false);
    expect(other.connected).toBe(true);
    expect(await emitAck(other, "room:join", { room: `user:${ids["mitglied2@example.org"]}` })).toEqual({ ok: true });

    // The old cookie cannot open a new socket.
    expect((await connectError(socket({ cookie }))).message).toBe("Nicht angemeldet");
  });
});

describe("room joins", () => {
  let member: TestSocket;
  let memberId: string;

  beforeAll(async () => {
    memberId = ids["mitglied2@example.org"];
    const cookie = await loginCookie(url, "mitglied2@example.org");
    member = openSocket(url, { cookie });
    await connected(member);
  });
  afterAll(() => {
    member?.disconnect();
  });

  test("its own user room is allowed; another user's room, the moderators' room or an unknown room are refused", async () => {
    expect(await emitAck(member, "room:join", { room: `user:${memberId}` })).toEqual({ ok: true });

    const refused = { ok: false, error: "Kein Zutritt zu diesem Raum" };
    expect(await emitAck(member, "room:join", { room: `user:${ids["admin@example.org"]}` })).toEqual(refused);
    expect(await emitAck(member, "room:join", { room: "moderation" })).toEqual(refused);
    expect(await emitAck(member, "room:join", { room: "geheim:1" })).toEqual(refused);
    expect(await emitAck(member, "room:join", { room: `thread:${crypto.randomUUID()}` })).toEqual(refused);
    expect(await emitAck(member, "room:join", { room: `user:${memberId}:extra` })).toEqual(refused);
    expect(await emitAck(member, "room:join", { room: "user:" })).toEqual(refused);
    expect(member.connected).toBe(true);
  });

  test("a moderator may join the moderators' room", async () => {
    const cookie = await loginCookie(url, "moderation@example.org");
    const moderator = socket({ cookie });
    await connected(moderator);
    expect(await emitAck(moderator, "room:join", { room: "moderation" })).toEqual({ ok: true });
    expect(await emitAck(moderator, "room:leave", { room: "moderation" })).toEqual({ ok: true });
    expect(await emitAck(moderator, "room:join", { room: `user:${memberId}` })).toEqual({
      ok: false,
      error: "Kein Zutritt zu diesem Raum",
    });
  });

  test("malformed payloads are refused and do not break the connection", async () => {
    const invalid = { ok: false, error: "Ungültige Anfrage" };
    for (const payload of [
      `user:${memberId}`,
      { room: 42 },
      { room: "" },
      { room: "x".repeat(121) },
      null,
      {},
      [1, 2],
    ]) {
      expect(await emitAck(member, "room:join", payload), JSON.stringify(payload)).toEqual(invalid);
    }
    expect(await emitAck(member, "room:leave", { room: { $ne: 1 } })).toEqual(invalid);

    // Without an ack function the server ignores the event instead of failing.
    (member as unknown as { emit: (event: string, payload: unknown) => void }).emit("room:join", {
      room: "moderation",
    });
    // And a client-sent user id is never trusted: it is simply not part of the protocol.
    expect(
      await emitAck(member, "room:join", {
        room: `user:${ids["admin@example.org"]}`,
        userId: ids["admin@example.org"],
      }),
    ).toEqual({
      ok: false,
      error: "Kein Zutritt zu diesem Raum",
    });

    expect(member.connected).toBe(true);
    expect(await emitAck(member, "room:join", { room: `user:${memberId}` })).toEqual({ ok: true });
  });
});

describe("long-polling", () => {
  test("a client restricted to polling connects, joins, and is reached by logout on all devices", async () => {
    const cookie = await loginCookie(url, "admin@example.org");
    const polling = socket({ cookie, transports: ["polling"] });
    await connected(polling);
    expect(polling.io.engine.transport.name).toBe("polling");
    expect(await emitAck(polling, "room:join", { room: "moderation" })).toEqual({ ok: true });
    expect(await emitAck(polling, "room:join", { room: "geheim:1" })).toEqual({
      ok: false,
      error: "Kein Zutritt zu diesem Raum",
    });

    const ended = nextEvent<{ reason: string }>(polling, "session:ended");
    const closed = nextEvent<string>(polling, "disconnect");
    const logout = await postForm(url, "/abmelden", { everywhere: "1" }, { cookie });
    expect(logout.status).toBe(302);
    expect(await ended).toEqual({ reason: "logoutAll" });
    expect(await closed).toBe("io server disconnect");
  });

  test("a polling client without a session is refused", async () => {
    const anonymous = socket({ transports: ["polling"] });
    expect((await connectError(anonymous)).message).toBe("Nicht angemeldet");
  });
});
