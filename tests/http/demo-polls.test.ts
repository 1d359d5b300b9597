/**
 * The demo data's polls (ADR 032) over real HTTP: an ended poll in the question about the first conversation shows its
 * result, an open one in the question about managers takes the demo member's vote without JavaScript; and the content
 * export carries both with their totals and nothing about who voted.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, get, postForm } from "./helpers.ts";
import { exportContent } from "../../app/models/content/exchange.server.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let url: string;
let sevgi: string;

const threadOf = async (ref: string) =>
  (await server.database.rows<{ id: string }>(sql`select id from threads where import_ref = ${ref}`))[0].id;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  sevgi = await loginCookie(url, "mitglied@example.org");
});
afterAll(async () => {
  await server?.close();
});

describe("demo polls", () => {
  it("shows the ended poll's result and lets the demo member vote in the open one", async () => {
    const ended = decodeHtml(
      await (await get(url, `/diskussionen/${await threadOf("demo-erstes-gespraech")}`, sevgi)).text(),
    );
    expect(ended).toContain("Wie lange dauert bei euch das erste Lerngespräch?");
    expect(ended).toContain("Umfrage (beendet)");
    expect(ended).toContain("4 Personen haben abgestimmt");
    expect(ended).toContain("3 Stimmen (75 %)");

    const thread = await threadOf("demo-fuehrungskraefte");
    const open = decodeHtml(await (await get(url, `/diskussionen/${thread}`, sevgi)).text());
    expect(open).toContain("Was hat bei euch Führungskräfte am ehesten überzeugt?");
    expect(open).toContain("3 Personen haben abgestimmt (mehrere Antworten je Person möglich)");
    const [poll] = await server.database.rows<{ id: string; option: string }>(
      sql`select p.id, o.id as option from polls p join poll_options o on o.poll_id = p.id where p.thread_id = ${thread} and o.position = 0`,
    );
    const voted = await postForm(
      url,
      `/diskussionen/${thread}`,
      { intent: "vote", pollId: poll.id, option: poll.option },
      { cookie: sevgi },
    );
    expect(voted.status).toBe(200);
    expect(decodeHtml(await voted.text())).toContain("4 Personen haben abgestimmt");
  });

  it("exports both demo polls with totals, never who voted", async () => {
    const lines = (await exportContent()).map((l) => JSON.parse(l) as Record<string, unknown>);
    const polls = lines.filter((l) => l.kind === "poll");
    expect(polls.map((p) => p.question).sort()).toEqual([
      "Was hat bei euch Führungskräfte am ehesten überzeugt?",
      "Wie lange dauert bei euch das erste Lerngespräch?",
    ]);
    for (const p of polls)
      expect(Object.keys(p).sort()).toEqual([
        "closesAt",
        "kind",
        "multiple",
        "options",
        "question",
        "thread",
        "voters",
      ]);
    const first = polls.find((p) => p.question === "Wie lange dauert bei euch das erste Lerngespräch?")!;
    expect(first).toMatchObject({
      multiple: false,
      voters: 4,
      options: [
        { label: "bis 30 Minuten", votes: 1 },
        { label: "30 bis 60 Minuten", votes: 3 },
        { label: "länger als eine Stunde", votes: 0 },
      ],
    });
    // No poll line names anyone: no member's id, e-mail or handle appears in them.
    const members = await server.database.rows<{ id: string; email: string; handle: string }>(
      sql`select id, email, handle from users`,
    );
    const text = JSON.stringify(polls);
    for (const m of members) for (const trace of [m.id, m.email, m.handle]) expect(text).not.toContain(trace);
  });
});
