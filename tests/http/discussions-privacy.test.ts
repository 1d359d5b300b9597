/**
 * Anonymous posting over real HTTP and real sockets: the author of an anonymous post appears in no page, no route
 * data (Remix single fetch), no notification, no JSON and no socket payload that anyone else gets, moderators
 * included, until a moderator reveals it, which is audited. Plus the live thread room: new replies arrive as
 * `thread:changed`, hidden threads cannot be joined, the asker's notification badge updates.
 */
import { sql } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { loginCookie, startTestServer } from "../setup/server.ts";
import {
  connected,
  decodeHtml,
  emitAck,
  get,
  nextEvent,
  openSocket,
  postAction,
  postForm,
  renderedPart,
  replyFormPart,
  type TestSocket,
} from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const sockets: TestSocket[] = [];

/** The member who posts anonymously; created for this file, so their name appears nowhere else on the site. */
const hidden = { email: "quirin@example.org", displayName: "Quirin Verborgen", handle: "quirin-verborgen", id: "" };

/** Every trace of the anonymous author that must not leak (display name, its parts, handle, user id, e-mail). */
function expectNoTrace(text: string, where: string) {
  const decoded = decodeHtml(text);
  for (const needle of [hidden.displayName, "Quirin", "Verborgen", hidden.handle, hidden.id, hidden.email]) {
    expect(decoded.includes(needle), `${where} contains "${needle}"`).toBe(false);
  }
}

async function page(path: string, cookie: string): Promise<string> {
  const response = await get(url, path, cookie);
  expect(response.status, path).toBe(200);
  return response.text();
}

async function newThread(
  cookie: string,
  fields: Record<string, string>,
): Promise<{ threadId: string; openingId: string }> {
  const response = await postForm(
    url,
    "/diskussionen/neu",
    { type: "question", category: "lerngespraeche", ...fields },
    { cookie },
  );
  await response.body?.cancel();
  expect(response.status, `new thread "${fields.title}"`).toBe(302);
  const threadId = (response.headers.get("location") ?? "").replace("/diskussionen/", "");
  const [row] = await server.database.rows<{ id: string }>(
    sql`select opening_post_id as id from threads where id = ${threadId}`,
  );
  return { threadId, openingId: row.id };
}

async function reply(cookie: string, threadId: string, fields: Record<string, string>): Promise<string> {
  const response = await postForm(
    url,
    `/diskussionen/${threadId}`,
    { intent: "reply", parentId: "", ...fields },
    { cookie },
  );
  await response.body?.cancel();
  expect(response.status).toBe(302);
  return response.headers.get("location")!.split("#beitrag-")[1];
}

/** A connected socket of a logged-in member that records every event it receives. */
async function recordingSocket(
  cookie: string,
): Promise<{ socket: TestSocket; events: { event: string; payload: unknown }[] }> {
  const socket = openSocket(url, { cookie });
  sockets.push(socket);
  const events: { event: string; payload: unknown }[] = [];
  (socket as unknown as Socket).onAny((event: string, payload: unknown) => events.push({ event, payload }));
  await connected(socket);
  return { socket, events };
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  hidden.id = (
    await createUser({
      email: hidden.email,
      displayName: hidden.displayName,
      handle: hidden.handle,
      password: "geheimes-passwort-2026",
    })
  ).id;
  cookies.quirin = await loginCookie(url, hidden.email, "geheimes-passwort-2026");
  for (const [who, email] of Object.entries({
    sevgi: "mitglied@example.org",
    jonas: "mitglied2@example.org",
    petra: "qv@example.org",
    moderator: "moderation@example.org",
  })) {
    cookies[who] = await loginCookie(url, email);
  }
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

afterAll(async () => {
  await server?.close();
});

describe("anonymous posts", () => {
  let question: { threadId: string; openingId: string };
  let sevgisQuestion: { threadId: string; openingId: string };
  let anonymousReply: string;
  let sevgisAnswer: string;
  /** Everything the watchers' sockets received while the anonymous reply was posted. */
  const received: { event: string; payload: unknown }[] = [];

  beforeAll(async () => {
    question = await newThread(cookies.quirin, {
      title: "Anonyme Frage: wie sage ich Nein zu einer weiteren Lernbegleitung?",
      body: "Ich möchte das nicht unter meinem Namen fragen.",
      anonymous: "on",
    });
    sevgisQuestion = await newThread(cookies.sevgi, {
      title: "Welche Fragen stellt ihr im Abschlussgespräch?",
      body: "Ich sammle gute Fragen.",
    });
    sevgisAnswer = await reply(cookies.sevgi, question.threadId, {
      body: "Sag es früh und biete eine Alternative an.",
    });

    // Sevgi (the asker), Jonas (a reader in the room) and the moderator (in the room) listen while Quirin answers
    // Sevgi anonymously and mentions Jonas.
    const listeners = await Promise.all([
      recordingSocket(cookies.sevgi),
      recordingSocket(cookies.jonas),
      recordingSocket(cookies.moderator),
    ]);
    for (const { socket } of listeners.slice(1)) {
      expect(await emitAck(socket, "room:join", { room: `thread:${sevgisQuestion.threadId}` })).toEqual({ ok: true });
    }
    const badge = nextEvent<{ count: number }>(listeners[0].socket, "notifications:unread");
    const changed = nextEvent(listeners[1].socket, "thread:changed");
    anonymousReply = await reply(cookies.quirin, sevgisQuestion.threadId, {
      body: "Ich frage immer: Was nimmst du mit? Siehe auch @jonas-wagner.",
      anonymous: "on",
    });
    await Promise.all([badge, changed]);
    // Let the other expected events (the moderator's copy, Jonas's badge for the mention) arrive; then a round trip on
    // each socket: its answer travels on the same connection after anything the server had sent that socket before.
    const count = () => listeners.reduce((n, l) => n + l.events.length, 0);
    for (let waited = 0; count() < 4 && waited < 5_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    for (const l of listeners)
      expect(await emitAck(l.socket, "room:leave", { room: `thread:${sevgisQuestion.threadId}` })).toMatchObject({
        ok: true,
      });
    for (const l of listeners) received.push(...l.events);
    for (const l of listeners) l.socket.disconnect();
  });

  test("the socket payloads carry ids and the kind of change only", () => {
    const kinds = received.map((e) => e.event).sort();
    expect(kinds).toEqual(["notifications:unread", "notifications:unread", "thread:changed", "thread:changed"]);
    for (const { event, payload } of received) {
      if (event === "thread:changed") {
        expect(payload).toEqual({ threadId: sevgisQuestion.threadId, postId: anonymousReply, change: "reply" });
      } else {
        expect(Object.keys(payload as object)).toEqual(["count"]);
      }
      expectNoTrace(JSON.stringify(payload), `socket event ${event}`);
    }
  });

  test("no page, route data or list a member sees names the author", async () => {
    for (const [who, cookie] of [
      ["sevgi", cookies.sevgi],
      ["jonas", cookies.jonas],
    ] as const) {
      const thread = await page(`/diskussionen/${sevgisQuestion.threadId}`, cookie);
      expect(decodeHtml(renderedPart(thread))).toContain("Anonymes Mitglied");
      expect(decodeHtml(thread)).toContain("Ich frage immer: Was nimmst du mit?");
      expectNoTrace(thread, `${who}: thread page with the anonymous reply`);
      // Members get no button that asks for the author.
      expect(decodeHtml(thread)).not.toContain('name="aktion" value="reveal:');
      expectNoTrace(await page(`/diskussionen/${question.threadId}`, cookie), `${who}: anonymous question page`);
      // Remix single fetch: the route data a client-side navigation loads (it carries the posts' HTML).
      const data = await page(`/diskussionen/${sevgisQuestion.threadId}.data`, cookie);
      expect(decodeHtml(data), `${who}: thread .data carries the posts`).toContain(
        "Ich frage immer: Was nimmst du mit?",
      );
      expect(decodeHtml(data)).toContain("Anonymes Mitglied");
      expectNoTrace(data, `${who}: thread .data`);
      const questionData = await page(`/diskussionen/${question.threadId}.data`, cookie);
      expect(decodeHtml(questionData), `${who}: question .data carries the posts`).toContain(
        "Ich möchte das nicht unter meinem Namen fragen.",
      );
      expectNoTrace(questionData, `${who}: anonymous question .data`);
      // Replying to or quoting the anonymous post: the reply form at the bottom answers it and quotes it.
      const quote = await page(`/diskussionen/${sevgisQuestion.threadId}?antwort=${anonymousReply}&zitat=1`, cookie);
      expect(replyFormPart(quote)).toContain(`name="parentId" value="${anonymousReply}"`);
      expect(replyFormPart(quote)).toContain("Ich frage immer: Was nimmst du mit?");
      expectNoTrace(quote, `${who}: quote form`);
      expectNoTrace(
        await page(`/diskussionen/${sevgisQuestion.threadId}.data?antwort=${anonymousReply}&zitat=1`, cookie),
        `${who}: quote form .data`,
      );
      expectNoTrace(
        await page(`/diskussionen/${sevgisQuestion.threadId}/beitrag/${anonymousReply}/versionen`, cookie),
        `${who}: versions`,
      );
      for (const list of [
        "/diskussionen",
        "/diskussionen?sortierung=neu",
        "/diskussionen?sortierung=offen",
        "/themen/lerngespraeche",
        "/diskussionen.data",
        "/diskussionen?schlagwort=x",
      ]) {
        const html = await page(list, cookie);
        expectNoTrace(html, `${who}: ${list}`);
      }
    }
    // The list shows the anonymous question as such.
    const list = decodeHtml(await page("/diskussionen?sortierung=neu", cookies.sevgi));
    expect(list).toContain("Anonyme Frage: wie sage ich Nein");
    expect(list).toContain("Anonymes Mitglied");
  });

  test("notifications about the anonymous reply, the mention and the accepted answer name nobody", async () => {
    // Quirin, anonymous asker, accepts Sevgi's answer: Sevgi hears about it without learning who.
    const accept = await postForm(url, `/diskussionen/${question.threadId}`, postAction(`accept:${sevgisAnswer}`), {
      cookie: cookies.quirin,
    });
    await accept.body?.cancel();
    expect(accept.status).toBe(302);

    const sevgi = decodeHtml(await page("/benachrichtigungen", cookies.sevgi));
    expect(sevgi).toContain("Deine Frage hat eine Antwort von Ein Mitglied");
    expect(sevgi).toContain("Ein Mitglied hat deine Antwort als Lösung markiert");
    expectNoTrace(sevgi, "sevgi: notifications");
    expectNoTrace(await page("/benachrichtigungen.data", cookies.sevgi), "sevgi: notifications .data");

    const jonas = decodeHtml(await page("/benachrichtigungen", cookies.jonas));
    expect(jonas).toContain("Ein Mitglied hat dich erwähnt");
    expectNoTrace(jonas, "jonas: notifications");

    const stored = await server.database.rows<{ actor_id: string | null }>(
      sql`select actor_id from notifications
          where post_id = ${anonymousReply} or (post_id = ${sevgisAnswer} and type = 'accepted')`,
    );
    // Sevgi (answer), Jonas (mention), and Sevgi again (accepted): the anonymous actor was never stored.
    expect(stored.length).toBe(3);
    expect(stored.every((n) => n.actor_id === null)).toBe(true);
  });

  test("the member directory (JSON) carries no ids and links nobody to a post", async () => {
    for (const q of ["", "q", anonymousReply, sevgisQuestion.threadId, "anonym"]) {
      const response = await get(url, `/api/v1/members?q=${encodeURIComponent(q)}`, cookies.sevgi);
      expect(response.status).toBe(200);
      const members = (await response.json()) as Record<string, unknown>[];
      for (const m of members) expect(Object.keys(m).sort()).toEqual(["handle", "name"]);
      expect(JSON.stringify(members)).not.toContain(hidden.id);
      if (q.length > 1) expect(members, q).toEqual([]);
    }
  });

  test("the author sees their own post as theirs", async () => {
    const own = decodeHtml(renderedPart(await page(`/diskussionen/${sevgisQuestion.threadId}`, cookies.quirin)));
    expect(own).toContain("Du (anonym veröffentlicht)");
  });

  test("moderators do not see the author until they reveal it; revealing is audited", async () => {
    const thread = await page(`/diskussionen/${sevgisQuestion.threadId}`, cookies.moderator);
    expectNoTrace(thread, "moderator: thread page");
    expect(decodeHtml(thread)).toMatch(
      new RegExp(
        `name="aktion" value="reveal:${anonymousReply}"[^>]*>Verfassende Person anzeigen \\(wird protokolliert\\)<`,
      ),
    );
    const data = await page(`/diskussionen/${sevgisQuestion.threadId}.data`, cookies.moderator);
    expect(decodeHtml(data), "moderator: thread .data carries the posts").toContain(
      "Ich frage immer: Was nimmst du mit?",
    );
    expectNoTrace(data, "moderator: thread .data");
    expectNoTrace(
      await page(`/diskussionen/${sevgisQuestion.threadId}?antwort=${anonymousReply}&zitat=1`, cookies.moderator),
      "moderator: quote form",
    );
    expectNoTrace(await page(`/diskussionen/${question.threadId}`, cookies.moderator), "moderator: anonymous question");
    expectNoTrace(await page("/diskussionen?sortierung=neu", cookies.moderator), "moderator: list");

    const audit = () =>
      server.database.rows<{ action: string; actor_id: string; details: { threadId: string } }>(
        sql`select action, actor_id, details from audit_log where subject_id = ${anonymousReply}`,
      );
    expect(await audit()).toEqual([]);

    // A member asking to reveal is refused and leaves no trace either.
    const refused = await postForm(
      url,
      `/diskussionen/${sevgisQuestion.threadId}.data`,
      postAction(`reveal:${anonymousReply}`),
      { cookie: cookies.jonas },
    );
    expect(refused.status).toBe(403);
    expectNoTrace(await refused.text(), "member reveal response");
    const refusedPage = await postForm(
      url,
      `/diskussionen/${sevgisQuestion.threadId}`,
      postAction(`reveal:${anonymousReply}`),
      { cookie: cookies.sevgi },
    );
    expect(refusedPage.status).toBe(403);
    expectNoTrace(await refusedPage.text(), "member reveal page");
    expect(await audit()).toEqual([]);

    // The moderator's reveal (as the page's fetcher sends it) names the author and is written to the audit log.
    const reveal = await postForm(
      url,
      `/diskussionen/${sevgisQuestion.threadId}.data`,
      postAction(`reveal:${anonymousReply}`),
      { cookie: cookies.moderator },
    );
    expect(reveal.status).toBe(200);
    const body = await reveal.text();
    expect(body).toContain(hidden.displayName);
    const [moderator] = await server.database.rows<{ id: string }>(
      sql`select id from users where email = 'moderation@example.org'`,
    );
    const entry = {
      action: "post.revealAuthor",
      actor_id: moderator.id,
      details: { threadId: sevgisQuestion.threadId },
    };
    expect(await audit()).toEqual([entry]);
    // Without JavaScript the same button posts the page's form; the answer page says who it was, audited again.
    const revealPage = await postForm(
      url,
      `/diskussionen/${sevgisQuestion.threadId}`,
      postAction(`reveal:${anonymousReply}`),
      { cookie: cookies.moderator },
    );
    expect(revealPage.status).toBe(200);
    expect(decodeHtml(renderedPart(await revealPage.text()))).toContain(
      `Dieser anonyme Beitrag stammt von ${hidden.displayName}.`,
    );
    expect(await audit()).toEqual([entry, entry]);
    // Revealing once does not put the name into the page for later.
    expectNoTrace(
      await page(`/diskussionen/${sevgisQuestion.threadId}`, cookies.moderator),
      "moderator: thread page after reveal",
    );
  });

  test("the demo's anonymous question does not name Jonas either", async () => {
    const [demo] = await server.database.rows<{ id: string; author_id: string }>(
      sql`select id, author_id from threads where title like 'Wie geht ihr mit Überlastung um%'`,
    );
    for (const path of [`/diskussionen/${demo.id}`, `/diskussionen/${demo.id}.data`]) {
      const text = decodeHtml(await page(path, cookies.sevgi));
      for (const needle of ["Jonas Wagner", "jonas-wagner", demo.author_id])
        expect(text.includes(needle), `${path} contains ${needle}`).toBe(false);
    }
  });
});

describe("the live thread room", () => {
  test("a member in the room hears about a reply another member posts over HTTP", async () => {
    const { threadId } = await newThread(cookies.sevgi, { title: "Live-Frage zum Mitlesen", body: "Wer liest mit?" });
    const { socket } = await recordingSocket(cookies.petra);
    expect(await emitAck(socket, "room:join", { room: `thread:${threadId}` })).toEqual({ ok: true });
    const event = nextEvent(socket, "thread:changed");
    const postId = await reply(cookies.jonas, threadId, { body: "Ich lese mit!" });
    expect(await event).toEqual({ threadId, postId, change: "reply" });
  });

  test("the asker's socket gets the new unread count when someone answers", async () => {
    const { threadId } = await newThread(cookies.petra, { title: "Frage mit Glocke", body: "Klingelt es?" });
    const [before] = await server.database.rows<{ n: number }>(
      sql`select count(*)::int as n from notifications n join users u on u.id = n.user_id where u.email = 'qv@example.org' and n.read_at is null`,
    );
    const { socket } = await recordingSocket(cookies.petra);
    const badge = nextEvent<{ count: number }>(socket, "notifications:unread");
    await reply(cookies.jonas, threadId, { body: "Ja, es klingelt." });
    expect(await badge).toEqual({ count: before.n + 1 });
    // The header badge on the next page load agrees.
    const html = decodeHtml(renderedPart(await page("/diskussionen", cookies.petra)));
    expect(html).toContain(
      `<span class="badge badge--count">${before.n + 1}<span class="visually-hidden"> ungelesen</span>`,
    );
  });

  test("members cannot join the room of a hidden thread; moderators can; sockets in it hear no content", async () => {
    const { threadId, openingId } = await newThread(cookies.sevgi, {
      title: "Bald ausgeblendete Frage",
      body: "Etwas Heikles.",
    });
    const member = await recordingSocket(cookies.jonas);
    expect(await emitAck(member.socket, "room:join", { room: `thread:${threadId}` })).toEqual({ ok: true });
    // The positive signal: the member in the room hears that the thread changed by moderation (and nothing more).
    const heard = nextEvent(member.socket, "thread:changed");
    const hide = await postForm(url, `/diskussionen/${threadId}`, postAction(`hide:1:${openingId}`), {
      cookie: cookies.moderator,
    });
    await hide.body?.cancel();
    expect(hide.status).toBe(302);
    const other = await recordingSocket(cookies.petra);
    expect(await emitAck(other.socket, "room:join", { room: `thread:${threadId}` })).toEqual({
      ok: false,
      error: "Kein Zutritt zu diesem Raum",
    });
    const moderator = await recordingSocket(cookies.moderator);
    expect(await emitAck(moderator.socket, "room:join", { room: `thread:${threadId}` })).toEqual({ ok: true });
    // What reached the member who was in the room before: ids and the kind of change, never the text.
    expect(await heard).toEqual({ threadId, postId: openingId, change: "moderation" });
    expect(member.events.length).toBeGreaterThan(0);
    for (const { payload } of member.events) expect(JSON.stringify(payload)).not.toContain("Heikles");
    // Unknown and malformed thread rooms are refused as well.
    expect((await emitAck(other.socket, "room:join", { room: "thread:00000000-0000-4000-8000-000000000000" })).ok).toBe(
      false,
    );
    expect((await emitAck(other.socket, "room:join", { room: "thread:kein-uuid" })).ok).toBe(false);
  });
});
