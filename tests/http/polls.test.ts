/**
 * Polls over real HTTP and real sockets, as a browser without JavaScript would use them: a poll asked with a new
 * discussion, votes as plain form POSTs answered with the page and a status message, refusals with a German message
 * that change nothing, a double submit counted once, no voter's name or id in any page or route data for members,
 * moderators and admins, and live totals (counts only) reaching another member's open page over socket.io.
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
  errorMessages,
  get,
  nextEvent,
  openSocket,
  postForm,
  renderedPart,
  type TestSocket,
} from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const sockets: TestSocket[] = [];

/** The voter, created for this file, so their name appears nowhere else on the site. */
const voter = {
  email: "ottilie@example.org",
  displayName: "Ottilie Stimmgeberin",
  handle: "ottilie-stimmgeberin",
  id: "",
};

async function newThread(cookie: string, fields: Record<string, string>): Promise<Response> {
  return postForm(
    url,
    "/diskussionen/neu",
    {
      type: "question",
      category: "methoden",
      title: "Wann passt euch das Verbundtreffen?",
      body: "Wir planen das nächste Treffen.",
      ...fields,
    },
    { cookie },
  );
}

async function threadWithPoll(cookie: string, fields: Record<string, string> = {}) {
  const response = await newThread(cookie, {
    pollQuestion: "Welcher Tag passt euch?",
    pollOptions: "Montag\nMittwoch\nFreitag",
    ...fields,
  });
  await response.body?.cancel();
  expect(response.status).toBe(302);
  const threadId = (response.headers.get("location") ?? "").replace("/diskussionen/", "");
  const rows = await server.database.rows<{ poll_id: string; option_id: string; label: string }>(
    sql`select p.id as poll_id, o.id as option_id, o.label from polls p join poll_options o on o.poll_id = p.id where p.thread_id = ${threadId} order by o.position`,
  );
  expect(rows.map((r) => r.label)).toEqual(["Montag", "Mittwoch", "Freitag"]);
  const option = (label: string) => rows.find((r) => r.label === label)!.option_id;
  return { threadId, pollId: rows[0].poll_id, option };
}

const vote = (cookie: string, threadId: string, fields: [string, string][]) =>
  fetch(`${url}/diskussionen/${threadId}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: url, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });

async function votes(pollId: string) {
  return server.database.rows<{ user_id: string; option_id: string }>(
    sql`select user_id, option_id from poll_votes where poll_id = ${pollId} order by user_id, option_id`,
  );
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  voter.id = (
    await createUser({
      email: voter.email,
      displayName: voter.displayName,
      handle: voter.handle,
      password: "stimm-passwort-2026",
    })
  ).id;
  cookies.voter = await loginCookie(url, voter.email, "stimm-passwort-2026");
  for (const [who, email] of Object.entries({
    author: "mitglied@example.org",
    member: "mitglied2@example.org",
    moderator: "moderation@example.org",
    admin: "admin@example.org",
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

describe("polls without JavaScript", () => {
  test("a poll asked with a new discussion shows as a fieldset of radio buttons with the totals", async () => {
    const { threadId, option } = await threadWithPoll(cookies.author);
    const html = decodeHtml(renderedPart(await (await get(url, `/diskussionen/${threadId}`, cookies.member)).text()));
    expect(html).toMatch(/<fieldset[^>]*><legend>Welcher Tag passt euch\?<\/legend>/);
    expect(html.match(/<input type="radio" name="option"/g)).toHaveLength(3);
    expect(html).toMatch(
      new RegExp(
        `<input type="radio" name="option" id="(umfrage-${option("Mittwoch")})"[^>]*value="${option("Mittwoch")}"/><label for="\\1">Mittwoch</label>`,
      ),
    );
    expect(html).toContain("0 Personen haben abgestimmt");
    expect(html).toContain('name="intent" value="vote"');
  });

  test("bad poll fields refuse the whole discussion in German and keep what was typed", async () => {
    const before = await server.database.rows<{ n: number }>(sql`select count(*)::int as n from threads`);
    for (const [fields, message] of [
      [{ pollQuestion: "Welcher Tag?", pollOptions: "Nur Montag" }, "mindestens 2 Antwortmöglichkeiten"],
      [
        { pollQuestion: "Welcher Tag?", pollOptions: "Montag\nDienstag", pollClosesAt: "2031-02-30T10:00" },
        "Dieses Datum gibt es nicht",
      ],
      [
        { pollQuestion: "Welcher Tag?", pollOptions: "Montag\nDienstag", pollClosesAt: "2020-01-01T10:00" },
        "in der Zukunft liegen",
      ],
    ] as const) {
      const response = await newThread(cookies.author, fields);
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(errorMessages(html).join(" ")).toContain(message);
      expect(decodeHtml(html)).toContain("Welcher Tag?");
    }
    expect(await server.database.rows<{ n: number }>(sql`select count(*)::int as n from threads`)).toEqual(before);
  });

  test("a vote is a plain form POST answered with the page and a status message; a double submit counts once", async () => {
    const { threadId, pollId, option } = await threadWithPoll(cookies.author);
    const fields: [string, string][] = [
      ["intent", "vote"],
      ["pollId", pollId],
      ["option", option("Freitag")],
    ];
    const [first, second] = await Promise.all([
      vote(cookies.voter, threadId, fields),
      vote(cookies.voter, threadId, fields),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const html = decodeHtml(renderedPart(await first.text()));
    await second.body?.cancel();
    expect(html).toMatch(/role="status"[^>]*>Danke, deine Stimme ist gezählt/);
    expect(html).toContain("1 Person hat abgestimmt");
    expect(html).toContain("1 Stimme (100 %)");
    expect(html).toContain("(deine Wahl)");
    expect(await votes(pollId)).toEqual([{ user_id: voter.id, option_id: option("Freitag") }]);

    // Changing the vote, then taking it back.
    expect(
      (
        await vote(cookies.voter, threadId, [
          ["intent", "vote"],
          ["pollId", pollId],
          ["option", option("Montag")],
        ])
      ).status,
    ).toBe(200);
    expect(await votes(pollId)).toEqual([{ user_id: voter.id, option_id: option("Montag") }]);
    const back = await vote(cookies.voter, threadId, [
      ["intent", "withdrawVote"],
      ["pollId", pollId],
    ]);
    expect(back.status).toBe(200);
    expect(decodeHtml(await back.text())).toContain("Deine Stimme ist zurückgenommen.");
    expect(await votes(pollId)).toEqual([]);
  });

  test("bad votes get a German message next to the poll and change nothing", async () => {
    const { threadId, pollId, option } = await threadWithPoll(cookies.author);
    const other = await threadWithPoll(cookies.author, { pollMultiple: "on" });
    expect(
      (
        await vote(cookies.member, threadId, [
          ["intent", "vote"],
          ["pollId", pollId],
          ["option", option("Montag")],
        ])
      ).status,
    ).toBe(200);
    const stored = await votes(pollId);
    const cases: [string, [string, string][], number, string][] = [
      [
        "unknown option",
        [
          ["pollId", pollId],
          ["option", crypto.randomUUID()],
        ],
        400,
        "gibt es in der Umfrage nicht",
      ],
      [
        "option of another poll",
        [
          ["pollId", pollId],
          ["option", other.option("Mittwoch")],
        ],
        400,
        "gibt es in der Umfrage nicht",
      ],
      [
        "two options on single choice",
        [
          ["pollId", pollId],
          ["option", option("Mittwoch")],
          ["option", option("Freitag")],
        ],
        400,
        "nur eine Antwort",
      ],
      [
        "the same option twice",
        [
          ["pollId", other.pollId],
          ["option", other.option("Montag")],
          ["option", other.option("Montag")],
        ],
        400,
        "nur einmal",
      ],
      [
        "poll id sent twice",
        [
          ["pollId", pollId],
          ["pollId", pollId],
          ["option", option("Mittwoch")],
        ],
        400,
        "Umfrage gibt es nicht",
      ],
      ["no option", [["pollId", pollId]], 400, "Bitte wähle eine Antwort"],
      [
        "an option that is no id",
        [
          ["pollId", pollId],
          ["option", "Montag"],
        ],
        400,
        "gibt es in der Umfrage nicht",
      ],
    ];
    for (const [what, fields, status, message] of cases) {
      const response = await vote(cookies.member, threadId, [["intent", "vote"], ...fields]);
      expect(response.status, what).toBe(status);
      const html = decodeHtml(renderedPart(await response.text()));
      expect(html, what).toMatch(new RegExp(`id="umfrage-fehler" class="field__error" role="alert">[^<]*${message}`));
    }
    // Another thread's poll through this thread's page: not found, nothing written.
    const foreign = await vote(cookies.member, threadId, [
      ["intent", "vote"],
      ["pollId", other.pollId],
      ["option", other.option("Montag")],
    ]);
    expect(foreign.status).toBe(404);
    await foreign.body?.cancel();
    expect(await votes(pollId)).toEqual(stored);
    expect(await votes(other.pollId)).toEqual([]);

    // Ended by its author: votes are refused with 409 and the page shows the result.
    expect(
      (
        await vote(cookies.member, threadId, [
          ["intent", "closePoll"],
          ["pollId", pollId],
        ])
      ).status,
    ).toBe(403);
    const closed = await vote(cookies.author, threadId, [
      ["intent", "closePoll"],
      ["pollId", pollId],
    ]);
    expect(closed.status).toBe(200);
    await closed.body?.cancel();
    const late = await vote(cookies.member, threadId, [
      ["intent", "vote"],
      ["pollId", pollId],
      ["option", option("Freitag")],
    ]);
    expect(late.status).toBe(409);
    const lateHtml = decodeHtml(renderedPart(await late.text()));
    expect(lateHtml).toContain("Diese Umfrage ist beendet. Abstimmen ist nicht mehr möglich.");
    expect(lateHtml).toContain("Umfrage (beendet)");
    expect(lateHtml).not.toContain('name="intent" value="vote"');
    expect(await votes(pollId)).toEqual(stored);
  });

  test("no page or route data names a voter, for members, the poll's author, moderators and admins", async () => {
    const { threadId, pollId, option } = await threadWithPoll(cookies.author, { pollMultiple: "on" });
    expect(
      (
        await vote(cookies.voter, threadId, [
          ["intent", "vote"],
          ["pollId", pollId],
          ["option", option("Montag")],
          ["option", option("Freitag")],
        ])
      ).status,
    ).toBe(200);
    for (const who of ["author", "member", "moderator", "admin"]) {
      for (const path of [`/diskussionen/${threadId}`, `/diskussionen/${threadId}.data`]) {
        const response = await get(url, path, cookies[who]);
        expect(response.status, `${who} ${path}`).toBe(200);
        const text = decodeHtml(await response.text());
        for (const needle of [voter.displayName, "Ottilie", "Stimmgeberin", voter.handle, voter.id, voter.email]) {
          expect(text.includes(needle), `${who}: ${path} contains "${needle}"`).toBe(false);
        }
        // The totals are there, as counts.
        expect(text, `${who} ${path}`).toMatch(
          path.endsWith(".data") ? /Welcher Tag passt euch\?/ : /1 Person hat abgestimmt/,
        );
      }
    }
  });
});

describe("live totals", () => {
  test("a vote updates the totals in another member's open thread page, with counts only", async () => {
    const { threadId, pollId, option } = await threadWithPoll(cookies.author);
    const socket = openSocket(url, { cookie: cookies.member });
    sockets.push(socket);
    const events: { event: string; payload: unknown }[] = [];
    (socket as unknown as Socket).onAny((event: string, payload: unknown) => events.push({ event, payload }));
    await connected(socket);
    expect(await emitAck(socket, "room:join", { room: `thread:${threadId}` })).toEqual({ ok: true });
    const totals = nextEvent(socket, "poll:totals");
    expect(
      (
        await vote(cookies.voter, threadId, [
          ["intent", "vote"],
          ["pollId", pollId],
          ["option", option("Mittwoch")],
        ])
      ).status,
    ).toBe(200);
    expect(await totals).toEqual({
      threadId,
      pollId,
      voters: 1,
      options: [
        { id: option("Montag"), votes: 0 },
        { id: option("Mittwoch"), votes: 1 },
        { id: option("Freitag"), votes: 0 },
      ],
    });
    // A round trip on the same connection: anything else the server sent for the vote has arrived before its answer.
    expect(await emitAck(socket, "room:leave", { room: `thread:${threadId}` })).toMatchObject({ ok: true });
    expect(events.map((e) => e.event)).toEqual(["poll:totals"]);
    const text = JSON.stringify(events);
    for (const needle of [voter.displayName, voter.handle, voter.id, voter.email]) expect(text).not.toContain(needle);
  });
});
