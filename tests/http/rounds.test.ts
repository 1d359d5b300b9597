/**
 * Live dialogue rounds over HTTP and real socket.io clients on the embedded database: pages, calendar files,
 * the room's rules (who may join, who may host), queue order and floor handover, replay after a reconnect without
 * loss or duplicates, long-polling only, oversized and malformed payloads, and throttling of a flooding client.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq } from "drizzle-orm";
import { dialogueRounds, roundEvents, users } from "../../db/schema/index.ts";
import { loginCookie, startTestServer } from "../setup/server.ts";
import {
  connected,
  decodeHtml,
  errorMessages,
  get,
  nextEvent,
  openSocket,
  postForm,
  renderedPart,
  type TestSocket,
} from "./helpers.ts";
import { ask, openRound, recorder, until } from "./rounds-helpers.ts";
import { ahead, AHEAD_YEAR } from "../setup/dates.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let roundId: string;
let pastId: string;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const sockets: TestSocket[] = [];

function socketFor(who: string, transports?: ("websocket" | "polling")[]): TestSocket {
  const s = openSocket(server.url, { cookie: cookies[who], transports });
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.db;
  const [next] = await db.select().from(dialogueRounds).where(eq(dialogueRounds.status, "scheduled"));
  const [past] = await db.select().from(dialogueRounds).where(eq(dialogueRounds.status, "published"));
  roundId = next.id;
  pastId = past.id;
  const who = {
    host: "moderation@example.org",
    jonas: "mitglied2@example.org",
    petra: "qv@example.org",
    sevgi: "mitglied@example.org",
  };
  for (const [name, email] of Object.entries(who)) {
    cookies[name] = await loginCookie(server.url, email);
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    ids[name] = u.id;
  }
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
});

describe("pages", () => {
  test("the list shows upcoming and past rounds; the past one links its result", async () => {
    const response = await get(server.url, "/dialogrunden", cookies.sevgi);
    expect(response.status).toBe(200);
    const html = decodeHtml(await response.text());
    expect(html).toContain("KI im Arbeitsalltag");
    expect(html).toContain("eAkte im Alltag");
    expect(html).toContain("Zum Ergebnis in den Materialien");
    expect(html).not.toContain("Neue Dialogrunde");
  });

  test("members may not schedule (403); bad input comes back with German messages and the typed text", async () => {
    expect((await get(server.url, "/dialogrunden/neu", cookies.sevgi)).status).toBe(403);
    const bad = await postForm(
      server.url,
      "/dialogrunden/neu",
      {
        title: "Neue Runde zum Thema",
        startsAt: ahead("05-01T10:00"),
        endsAt: ahead("05-01T09:00"),
        registrationDeadline: "",
        capacity: "1",
      },
      { cookie: cookies.host },
    );
    expect(bad.status).toBe(400);
    const messages = errorMessages(await bad.text());
    expect(messages).toEqual(
      expect.arrayContaining([
        "Bitte gib an, bis wann man sich anmelden kann.",
        "Eine Dialogrunde braucht mindestens 2 Plätze.",
      ]),
    );
    const good = await postForm(
      server.url,
      "/dialogrunden/neu",
      {
        title: "Bürgergeld und Lernbegleitung",
        startsAt: ahead("05-01T10:00"),
        endsAt: ahead("05-01T11:30"),
        registrationDeadline: ahead("04-30T12:00"),
        capacity: "15",
        agenda: "Ankommen\nAustausch",
        hosts: "@sevgi-schneider",
      },
      { cookie: cookies.host },
    );
    expect(good.status).toBe(302);
    const location = good.headers.get("location")!;
    const page = decodeHtml(await (await get(server.url, location, cookies.sevgi)).text());
    expect(page).toContain("Bürgergeld und Lernbegleitung");
    expect(page).toContain("Sevgi Schneider");
    expect(renderedPart(page)).toContain(`01.05.${AHEAD_YEAR}, 10:00 bis 01.05.${AHEAD_YEAR}, 11:30 Uhr`);
  });

  test("one round as .ics (members only), unknown rounds 404", async () => {
    const response = await get(server.url, `/dialogrunden/${roundId}.ics`, cookies.sevgi);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/calendar");
    const text = (await response.text()).replace(/\r\n /g, "");
    expect(text).toContain("SUMMARY:Dialogrunde: KI im Arbeitsalltag");
    expect((await get(server.url, `/dialogrunden/${roundId}.ics`)).status).toBe(302);
    expect((await get(server.url, "/dialogrunden/00000000-0000-4000-8000-000000000000", cookies.sevgi)).status).toBe(
      404,
    );
  });

  test("personal calendar feed: token from the settings, revocable", async () => {
    const renew = await postForm(server.url, "/einstellungen", { intent: "calendarRenew" }, { cookie: cookies.jonas });
    const feedUrl = decodeHtml(await renew.text()).match(
      /(http:\/\/[^"\s]+\/feeds\/dialogrunden\.ics\?token=[a-z2-7]{32})/,
    )![1];
    const feed = await fetch(feedUrl.replace(/^http:\/\/[^/]+/, server.url));
    expect(feed.status).toBe(200);
    expect((await feed.text()).replace(/\r\n /g, "")).toContain(`dialogrunde-${roundId}@`);
    await (
      await postForm(server.url, "/einstellungen", { intent: "calendarRevoke" }, { cookie: cookies.jonas })
    ).body?.cancel();
    expect((await fetch(feedUrl.replace(/^http:\/\/[^/]+/, server.url))).status).toBe(404);
  });

  test("registering for a past round is refused with a German message", async () => {
    const response = await postForm(
      server.url,
      `/dialogrunden/${pastId}`,
      { intent: "register" },
      { cookie: cookies.sevgi },
    );
    expect(response.status).toBe(400);
    expect(errorMessages(await response.text())).toContain("Für diese Dialogrunde ist die Anmeldung geschlossen.");
  });
});

describe("live room", () => {
  let host: TestSocket;
  let jonas: TestSocket;
  let petra: TestSocket;
  let hostLog: ReturnType<typeof recorder>;
  let jonasLog: ReturnType<typeof recorder>;
  let petraLog: ReturnType<typeof recorder>;

  beforeAll(async () => {
    host = socketFor("host");
    jonas = socketFor("jonas");
    petra = socketFor("petra");
    [hostLog, jonasLog, petraLog] = [recorder(host), recorder(jonas), recorder(petra)];
    await Promise.all([connected(host), connected(jonas), connected(petra)]);
  });

  test("nobody joins before the host opens the room", async () => {
    const answer = await ask(jonas, "round:join", { roundId, since: 0 });
    expect(answer).toEqual({ ok: false, error: "Der Raum ist nicht geöffnet." });
    expect(jonasLog.errors.at(-1)).toMatchObject({ event: "round:join", message: "Der Raum ist nicht geöffnet." });
  });

  test("registrants and the host join; a member of no round is refused; presence lists who is here", async () => {
    await openRound(server.url, cookies.host, roundId);
    const presence = nextEvent<{ people: { name: string }[] }>(host, "round:presence", 10_000);
    for (const s of [host, jonas, petra]) expect((await ask(s, "round:join", { roundId, since: 0 })).ok).toBe(true);
    const sevgi = socketFor("sevgi");
    const sevgiLog = recorder(sevgi);
    await connected(sevgi);
    expect(await ask(sevgi, "round:join", { roundId, since: 0 })).toEqual({
      ok: false,
      error: "Der Raum ist für angemeldete Teilnehmende.",
    });
    expect(sevgiLog.errors).toHaveLength(1);
    // Not in the room: nothing she sends is stored.
    expect(await ask(sevgi, "round:chat", { roundId, text: "Hallo?", clientId: "s1" })).toMatchObject({
      ok: false,
      error: "Du bist nicht in diesem Raum.",
    });
    // Presence is sent in batches; the first list may be from before everyone joined.
    let people = (await presence).people.map((p) => p.name);
    host.on("round:presence", (p: { people: { name: string }[] }) => (people = p.people.map((x) => x.name)));
    await until(() => people.length === 3, 10_000, "three present");
    expect(people).toEqual(["Jonas Wagner", "Malte Meyer", "Petra Hoffmann"]);
  });

  test("malformed, oversized and unauthorised events are refused with an error event and change nothing", async () => {
    const before = await server.database.db.select().from(roundEvents).where(eq(roundEvents.roundId, roundId));
    expect(await ask(jonas, "round:chat", { roundId, text: 42, clientId: "x" })).toMatchObject({
      ok: false,
      error: "Ungültige Anfrage.",
    });
    expect(await ask(jonas, "round:chat", { roundId, text: "ä".repeat(2100), clientId: "big" })).toMatchObject({
      ok: false,
      error: "Die Nachricht ist zu lang (höchstens 4 KB).",
    });
    expect(await ask(jonas, "round:chat", { roundId: "nicht-da", text: "Hallo", clientId: "x" })).toMatchObject({
      ok: false,
    });
    expect(await ask(jonas, "round:host", { roundId, command: { action: "floor" } })).toMatchObject({
      ok: false,
      error: "Das dürfen nur die Gastgebenden der Runde.",
    });
    expect(await ask(jonas, "round:host", { roundId, command: { action: "remove", userId: ids.petra } })).toMatchObject(
      { ok: false },
    );
    expect(await ask(jonas, "round:notes", { roundId, text: "Mein Protokoll", clientId: "n1" })).toMatchObject({
      ok: false,
    });
    expect(jonasLog.errors.map((e) => e.event)).toEqual(
      expect.arrayContaining(["round:chat", "round:host", "round:notes"]),
    );
    const after = await server.database.db.select().from(roundEvents).where(eq(roundEvents.roundId, roundId));
    expect(after).toHaveLength(before.length);
  });

  test("queue order and floor handover: ordered by time, the host gives the floor to the next, hands go down", async () => {
    expect((await ask(petra, "round:hand", { roundId, raised: true })).ok).toBe(true);
    expect((await ask(jonas, "round:hand", { roundId, raised: true })).ok).toBe(true);
    await until(() => jonasLog.states.at(-1)?.queue.length === 2, 10_000, "queue of two");
    expect(jonasLog.states.at(-1)!.queue.map((q) => q.userId)).toEqual([ids.petra, ids.jonas]);

    expect((await ask(host, "round:host", { roundId, command: { action: "floor" } })).ok).toBe(true);
    await until(() => petraLog.states.at(-1)?.speakerId === ids.petra, 10_000, "Petra speaks");
    expect(petraLog.states.at(-1)!.queue.map((q) => q.userId)).toEqual([ids.jonas]);
    await until(() => petraLog.events.some((e) => e.kind === "floor" && e.ref === ids.petra), 10_000, "floor event");

    expect((await ask(jonas, "round:hand", { roundId, raised: false })).ok).toBe(true);
    await until(() => hostLog.states.at(-1)?.queue.length === 0, 10_000, "empty queue");
    expect(await ask(host, "round:host", { roundId, command: { action: "floor" } })).toMatchObject({
      ok: false,
      error: "Niemand hat sich gemeldet.",
    });
  });

  test("reconnect: a client that was away gets everything missed, in order, without duplicates", async () => {
    // Jonas has seen everything so far.
    const sent = await ask(jonas, "round:chat", { roundId, text: "Vor der Unterbrechung", clientId: "before" });
    await until(() => jonasLog.events.some((e) => e.seq === sent.seq), 10_000, "own message");
    const lastSeen = Math.max(...jonasLog.events.map((e) => e.seq));
    jonas.disconnect();

    const missed: number[] = [];
    for (let i = 1; i <= 8; i++)
      missed.push(
        (await ask(petra, "round:chat", { roundId, text: `Verpasst ${i}`, clientId: `m${i}` })).seq as number,
      );
    // A resend of the same message after a lost answer stores nothing new.
    expect((await ask(petra, "round:chat", { roundId, text: "Verpasst 8", clientId: "m8" })).seq).toBe(missed[7]);

    const back = socketFor("jonas");
    const backLog = recorder(back);
    await connected(back);
    const joined = await ask(back, "round:join", { roundId, since: lastSeen });
    expect(joined.ok).toBe(true);
    const replay = joined.events as { seq: number; text: string }[];
    // Live events after the join answer are merged by number, as the page does.
    const all = new Map<number, string>();
    for (const e of [...replay, ...backLog.events]) all.set(e.seq, e.text);
    const seqs = replay.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(replay.filter((e) => e.text.startsWith("Verpasst")).map((e) => e.text)).toEqual(
      missed.map((_, i) => `Verpasst ${i + 1}`),
    );
    expect(seqs[0]).toBe(lastSeen + 1);
    jonas = back;
    jonasLog = backLog;
  });

  test("long-polling only (proxies that block WebSockets): join, send, receive", async () => {
    const polling = socketFor("jonas", ["polling"]);
    const pollLog = recorder(polling);
    await connected(polling);
    expect((polling as unknown as { io: { engine: { transport: { name: string } } } }).io.engine.transport.name).toBe(
      "polling",
    );
    expect((await ask(polling, "round:join", { roundId, since: 0 })).ok).toBe(true);
    const fromPetra = await ask(petra, "round:chat", {
      roundId,
      text: "Hört ihr mich über Polling?",
      clientId: "poll-1",
    });
    await until(() => pollLog.events.some((e) => e.seq === fromPetra.seq), 10_000, "event over polling");
    const own = await ask(polling, "round:chat", { roundId, text: "Ja, über Polling", clientId: "poll-2" });
    expect(own.ok).toBe(true);
    await until(() => petraLog.events.some((e) => e.seq === own.seq), 10_000, "petra receives");
    polling.disconnect();
  });

  test("a client sending 50 messages a second is throttled; others are not affected", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ask(jonas, "round:chat", { roundId, text: `Flut ${i}`, clientId: `flood-${i}` }),
      ),
    );
    const accepted = results.filter((r) => r.ok).length;
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThan(20);
    expect(results.find((r) => !r.ok)?.error).toBe("Du sendest zu schnell. Bitte warte einen Moment.");
    // Someone else at the same moment (the host, who has sent little so far) gets through.
    const calm = await ask(host, "round:chat", { roundId, text: "Ich komme trotzdem durch", clientId: "calm" });
    expect(calm).toMatchObject({ ok: true });
    await until(() => petraLog.events.some((e) => e.seq === calm.seq), 10_000, "the calm message reaches Petra");
    const stored = await server.database.db
      .select()
      .from(roundEvents)
      .where(and(eq(roundEvents.roundId, roundId), eq(roundEvents.authorId, ids.jonas)));
    expect(stored.filter((r) => r.text.startsWith("Flut"))).toHaveLength(accepted);
  });

  test("mute and remove: a muted member cannot chat; a removed member is sent out and cannot rejoin", async () => {
    // A socket of its own: the send budget is per socket, so nothing here depends on what earlier tests sent.
    jonas = socketFor("jonas");
    await connected(jonas);
    expect((await ask(jonas, "round:join", { roundId, since: 0 })).ok).toBe(true);
    expect((await ask(host, "round:host", { roundId, command: { action: "mute", userId: ids.jonas } })).ok).toBe(true);
    expect(await ask(jonas, "round:chat", { roundId, text: "Still?", clientId: "muted" })).toMatchObject({
      ok: false,
      error: "Die Moderation hat deinen Chat stummgeschaltet.",
    });
    expect((await ask(host, "round:host", { roundId, command: { action: "unmute", userId: ids.jonas } })).ok).toBe(
      true,
    );
    expect((await ask(jonas, "round:chat", { roundId, text: "Wieder da", clientId: "unmuted" })).ok).toBe(true);

    const removed = nextEvent<{ roundId: string }>(jonas, "round:removed", 10_000);
    expect((await ask(host, "round:host", { roundId, command: { action: "remove", userId: ids.jonas } })).ok).toBe(
      true,
    );
    expect(await removed).toEqual({ roundId });
    expect(await ask(jonas, "round:chat", { roundId, text: "Bin noch da", clientId: "ghost" })).toMatchObject({
      ok: false,
    });
    expect(await ask(jonas, "round:join", { roundId, since: 0 })).toEqual({
      ok: false,
      error: "Du wurdest von der Moderation aus dieser Runde entfernt.",
    });
  });
});
