/**
 * The authorisation matrix of the Kollegiale Fallberatung over real HTTP and real sockets: for every consultation
 * page, route-data request, JSON endpoint, form action and socket room, a member outside the group, a moderator
 * and an admin get 404 (or a refused join) and not one byte of case text. Participants get everything, live.
 */
import { sql } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { connected, decodeHtml, emitAck, get, nextEvent, openSocket, postForm, type TestSocket } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const sockets: TestSocket[] = [];

interface SeededCase {
  id: string;
  topic: string;
  situation: string;
  tried: string;
  key_question: string;
  seats_open: boolean;
}
const cases: Record<"finished" | "live" | "open", SeededCase> = {} as never;

/** Distinctive pieces of a case's text; none may appear in anything an outsider receives. */
function secrets(c: SeededCase, withTopic: boolean): string[] {
  const pieces = [c.situation.slice(0, 40), c.situation.slice(-40), c.tried.slice(0, 40), c.key_question.slice(0, 40)];
  return withTopic ? [...pieces, c.topic] : pieces;
}

function expectNoCaseText(body: string, c: SeededCase, where: string, withTopic = true) {
  const decoded = decodeHtml(body);
  for (const needle of secrets(c, withTopic))
    expect(decoded.includes(needle), `${where} contains „${needle}“`).toBe(false);
}

const outsiders = {
  // Takes part in the open request only (as its case giver), so the two running ones are not hers.
  member: "mitglied5@example.org",
  moderator: "moderation@example.org",
  admin: "admin@example.org",
};

/** Every form action on a consultation page. */
const intents: Record<string, string>[] = [
  { intent: "agree" },
  { intent: "decline" },
  { intent: "invite", handle: "jonas-wagner" },
  { intent: "role", userId: "00000000-0000-0000-0000-000000000000", role: "moderation" },
  { intent: "seats", open: "1" },
  { intent: "withdraw", confirm: "on" },
  { intent: "advance", phase: "schluesselfrage" },
  { intent: "extend" },
  { intent: "method", method: "hypothesen" },
  { intent: "contribute", kind: "question", body: "Darf ich mitlesen?" },
  { intent: "takeaway", takeaway: "Nichts" },
  { intent: "consent", consent: "1" },
  {
    intent: "learningDraft",
    learningTitle: "Ein Titel hier",
    learningText: "Ein Text, der lang genug ist, um gespeichert zu werden.",
    target: "best_practice",
  },
  {
    intent: "publish",
    learningTitle: "Ein Titel hier",
    learningText: "Ein Text, der lang genug ist, um veröffentlicht zu werden.",
    target: "best_practice",
    category: "methoden",
    approve: "on",
  },
];

async function socketOf(email: string): Promise<{ socket: TestSocket; events: { event: string; payload: unknown }[] }> {
  const socket = openSocket(url, { cookie: cookies[email] });
  sockets.push(socket);
  const events: { event: string; payload: unknown }[] = [];
  (socket as unknown as Socket).onAny((event: string, payload: unknown) => events.push({ event, payload }));
  await connected(socket);
  return { socket, events };
}

/** What an outsider's attempts could have changed in the running consultation. */
async function liveState() {
  const [row] = await server.database.rows<{
    phase: string;
    method: string | null;
    seats_open: boolean;
    ends: string;
    n: number;
    people: number;
  }>(
    sql`select phase, method, seats_open, phase_ends_at::text as ends,
      (select count(*)::int from case_contributions where case_id = ${cases.live.id}) as n,
      (select count(*)::int from case_participants where case_id = ${cases.live.id}) as people
      from case_consultations where id = ${cases.live.id}`,
  );
  return row;
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  const rows = await server.database.rows<SeededCase & { phase: string; closed: boolean }>(
    sql`select id, topic, situation, tried, key_question, seats_open, phase, closed_at is not null as closed from case_consultations`,
  );
  cases.finished = rows.find((r) => r.closed)!;
  cases.live = rows.find((r) => !r.closed && r.phase !== "casting")!;
  cases.open = rows.find((r) => r.seats_open)!;
  expect(Object.values(cases).every(Boolean)).toBe(true);
  for (const email of [
    ...Object.values(outsiders),
    "mitglied@example.org",
    "mitglied2@example.org",
    "qv@example.org",
  ]) {
    cookies[email] = await loginCookie(url, email);
  }
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

afterAll(async () => {
  await server?.close();
});

describe("outsiders: a member of another group, a moderator, an admin", () => {
  for (const [who, email] of Object.entries(outsiders)) {
    test(`${who} gets 404 and no case text from every page, data request, JSON endpoint and action`, async () => {
      const cookie = cookies[email];
      const before = await liveState();
      const targets = who === "member" ? [cases.finished, cases.live] : [cases.finished, cases.live, cases.open];
      for (const c of targets) {
        for (const path of [`/fallberatung/${c.id}`, `/fallberatung/${c.id}.data`, `/api/v1/fallberatung/${c.id}`]) {
          const response = await get(url, path, cookie);
          const body = await response.text();
          expect(response.status, `${who} ${path}`).toBe(404);
          expectNoCaseText(body, c, `${who} ${path}`);
        }
        for (const fields of intents) {
          const response = await postForm(url, `/fallberatung/${c.id}`, fields, { cookie });
          const body = await response.text();
          expect(response.status, `${who} POST ${fields.intent}`).toBe(404);
          expectNoCaseText(body, c, `${who} POST ${fields.intent}`);
        }
      }
      // Nothing changed through those attempts.
      expect(await liveState()).toEqual(before);

      // The overview, notifications and the moderators' pages show no case text; open seats show topic and time only.
      for (const path of [
        "/fallberatung",
        "/benachrichtigungen",
        "/moderation",
        "/moderation/meldungen",
        "/",
        "/diskussionen",
        "/materialien",
      ]) {
        const response = await get(url, path, cookie);
        const body = await response.text();
        expect([200, 403], `${who} ${path}`).toContain(response.status);
        expectNoCaseText(body, cases.finished, `${who} ${path}`);
        expectNoCaseText(body, cases.live, `${who} ${path}`);
        expectNoCaseText(body, cases.open, `${who} ${path}`, false);
      }
    });

    test(`${who} cannot join a consultation's live room`, async () => {
      const { socket, events } = await socketOf(email);
      for (const c of [cases.finished, cases.live]) {
        expect(await emitAck(socket, "room:join", { room: `case:${c.id}` })).toEqual({
          ok: false,
          error: "Kein Zutritt zu diesem Raum",
        });
      }
      expect(await emitAck(socket, "room:join", { room: "case:00000000-0000-0000-0000-000000000000" })).toEqual({
        ok: false,
        error: "Kein Zutritt zu diesem Raum",
      });
      expect(await emitAck(socket, "room:join", { room: "case:kein-uuid" })).toEqual({
        ok: false,
        error: "Kein Zutritt zu diesem Raum",
      });
      // A contribution in the running consultation reaches the group, not this socket. The positive signal: the
      // case giver's socket in the room hears the change; then a round trip on this socket (its answer travels on
      // the same connection after anything the server sent it before) shows what it had received by then.
      const giver = await socketOf("mitglied@example.org");
      expect(await emitAck(giver.socket, "room:join", { room: `case:${cases.live.id}` })).toEqual({ ok: true });
      const heard = nextEvent<{ caseId: string; change: string }>(giver.socket, "case:changed");
      const posted = await postForm(
        url,
        `/fallberatung/${cases.live.id}`,
        { intent: "contribute", kind: "question", body: `Frage von außen an ${who}?` },
        { cookie: cookies["qv@example.org"] },
      );
      expect(posted.status).toBe(302);
      expect(await heard).toEqual({ caseId: cases.live.id, change: "contribution" });
      expect((await emitAck(socket, "room:join", { room: `case:${cases.live.id}` })).ok).toBe(false);
      expect(events.filter((e) => e.event.startsWith("case:"))).toEqual([]);
      giver.socket.disconnect();
    });
  }
});

describe("participants", () => {
  test("read the consultation as page, route data and JSON", async () => {
    for (const email of ["mitglied@example.org", "mitglied2@example.org", "qv@example.org"]) {
      for (const c of [cases.finished, cases.live]) {
        const page = await get(url, `/fallberatung/${c.id}`, cookies[email]);
        expect(page.status, `${email} page`).toBe(200);
        expect(decodeHtml(await page.text())).toContain(c.situation.slice(0, 40));
        const json = await get(url, `/api/v1/fallberatung/${c.id}`, cookies[email]);
        expect(json.status).toBe(200);
        const view = (await json.json()) as { kind: string; situation: string; takeaway: string | null };
        expect(view.kind).toBe("full");
        expect(view.situation).toBe(c.situation);
        // The case giver's private takeaway is theirs alone.
        if (email !== "mitglied@example.org") expect(view.takeaway).toBeNull();
      }
    }
    const own = (await (
      await get(url, `/api/v1/fallberatung/${cases.finished.id}`, cookies["mitglied@example.org"])
    ).json()) as { takeaway: string };
    expect(own.takeaway.length).toBeGreaterThan(10);
    const other = await (await get(url, `/fallberatung/${cases.finished.id}`, cookies["qv@example.org"])).text();
    expect(decodeHtml(other)).not.toContain(own.takeaway);
  });

  test("follow the live room: changes arrive as ids only, presence lists who is there", async () => {
    const giver = await socketOf("mitglied@example.org");
    const moderation = await socketOf("mitglied2@example.org");
    const room = `case:${cases.live.id}`;
    expect(await emitAck(giver.socket, "room:join", { room })).toEqual({ ok: true });
    const presence = nextEvent<{ caseId: string; present: string[] }>(giver.socket, "case:presence");
    expect(await emitAck(moderation.socket, "room:join", { room })).toEqual({ ok: true });
    expect((await presence).present).toHaveLength(2);

    const changed = nextEvent<{ caseId: string; change: string }>(giver.socket, "case:changed");
    const response = await postForm(
      url,
      `/fallberatung/${cases.live.id}`,
      { intent: "contribute", kind: "question", body: "Eine Frage nur für die Gruppe?" },
      { cookie: cookies["qv@example.org"] },
    );
    expect(response.status).toBe(302);
    expect(await changed).toEqual({ caseId: cases.live.id, change: "contribution" });
    const everything = JSON.stringify([...giver.events, ...moderation.events]);
    expect(everything).not.toContain("Eine Frage nur für die Gruppe");

    // Gating over HTTP: the case giver cannot ask clarifying questions of themself, and gets a German message.
    const refused = await postForm(
      url,
      `/fallberatung/${cases.live.id}`,
      { intent: "contribute", kind: "question", body: "Ich frage mich selbst" },
      { cookie: cookies["mitglied@example.org"] },
    );
    expect(refused.status).toBe(400);
    expect(decodeHtml(await refused.text())).toContain(
      "Verständnisfragen stellen die Beratenden; du beantwortest sie.",
    );

    // Only the moderation advances; everyone in the room hears about it.
    const forbidden = await postForm(
      url,
      `/fallberatung/${cases.live.id}`,
      { intent: "advance", phase: "schluesselfrage" },
      { cookie: cookies["qv@example.org"] },
    );
    expect(forbidden.status).toBe(403);
    const phase = nextEvent<{ change: string }>(giver.socket, "case:changed");
    const advanced = await postForm(
      url,
      `/fallberatung/${cases.live.id}`,
      { intent: "advance", phase: "schluesselfrage" },
      { cookie: cookies["mitglied2@example.org"] },
    );
    expect(advanced.status).toBe(302);
    expect((await phase).change).toBe("phase");

    // Leaving updates presence.
    const left = nextEvent<{ present: string[] }>(giver.socket, "case:presence");
    moderation.socket.disconnect();
    expect((await left).present).toHaveLength(1);
  });
});
