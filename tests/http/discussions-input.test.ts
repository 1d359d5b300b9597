/**
 * Discussions over real HTTP, the input side: bad input is refused with a 400 and a German message next to the field,
 * the form keeps what was typed, and nothing is stored. Also the reply tree (nesting, "antwortet …" below depth 6,
 * permalink anchors) and the list's paging and sort fallbacks.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, errorMessages, get, postForm, renderedPart, replyFormPart, threadIdsInList } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};

const TEN_MB = 10 * 1024 * 1024;
const doc = (...content: unknown[]) => JSON.stringify({ type: "doc", content });
const para = (text: string, marks?: unknown[]) => ({
  type: "paragraph",
  content: [{ type: "text", text, ...(marks ? { marks } : {}) }],
});

async function count(table: "threads" | "posts"): Promise<number> {
  const [row] = await server.database.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`);
  return row.n;
}

/** Everything stored about threads and posts, to prove a refused request changed nothing. */
async function snapshot(): Promise<string> {
  const rows = await server.database.rows(
    sql`select t.id, t.title, t.reply_count, t.last_activity_at, (select count(*)::int from posts p where p.thread_id = t.id) as posts
        from threads t order by t.id`,
  );
  return JSON.stringify(rows);
}

async function newThread(cookie: string, fields: Record<string, string>): Promise<string> {
  const response = await postForm(
    url,
    "/diskussionen/neu",
    { type: "question", category: "methoden", ...fields },
    { cookie },
  );
  const location = response.headers.get("location") ?? "";
  await response.body?.cancel();
  expect(response.status, `new thread "${fields.title}"`).toBe(302);
  return location.replace("/diskussionen/", "");
}

async function reply(
  cookie: string,
  threadId: string,
  parentId: string | null,
  body: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const response = await postForm(
    url,
    `/diskussionen/${threadId}`,
    { intent: "reply", parentId: parentId ?? "", body, ...extra },
    { cookie },
  );
  await response.body?.cancel();
  expect(response.status, `reply "${body}"`).toBe(302);
  const id = response.headers.get("location")?.match(/#beitrag-([0-9a-f-]{36})$/)?.[1];
  if (!id) throw new Error(`no post id in ${response.headers.get("location")}`);
  return id;
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  for (const [who, email] of Object.entries({
    sevgi: "mitglied@example.org",
    jonas: "mitglied2@example.org",
    petra: "qv@example.org",
    moderator: "moderation@example.org",
  })) {
    cookies[who] = await loginCookie(url, email);
  }
});

afterAll(async () => {
  await server?.close();
});

describe("a new thread with bad input", () => {
  const good = {
    type: "question",
    title: "Wie plant ihr die erste Woche?",
    category: "methoden",
    body: "Mich interessiert eure Erfahrung.",
  };

  /** Posts the form and checks: 400, the German message, the typed title kept, and nothing stored. */
  async function refused(fields: Record<string, string>, message: RegExp, kept = fields.title) {
    const before = await snapshot();
    const response = await postForm(url, "/diskussionen/neu", fields, { cookie: cookies.sevgi });
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    const messages = errorMessages(page);
    expect(messages, "the German message next to the field").toEqual(
      expect.arrayContaining([expect.stringMatching(message)]),
    );
    expect(messages).toContain("Bitte prüfe die markierten Angaben.");
    if (kept) {
      // The title field keeps what was typed (the rendered input, not only the serialized data).
      expect(decodeHtml(renderedPart(page))).toMatch(
        new RegExp(`name="title"[^>]*value="${kept.replace(/[?]/g, "\\?")}"`),
      );
    }
    expect(await snapshot(), "nothing stored").toBe(before);
    return page;
  }

  test("an empty title: 400 next to the title, the text kept", async () => {
    const page = await refused(
      { ...good, title: "   ", body: "Mein sorgfältig getippter Text" },
      /^Bitte gib einen Titel ein\.$/,
      "",
    );
    expect(decodeHtml(renderedPart(page))).toContain("Mein sorgfältig getippter Text");
  });

  test("an unknown room: 400 next to the room, the title kept", async () => {
    await refused(
      { ...good, title: "Frage in einem erfundenen Raum", category: "gibt-es-nicht" },
      /^Diesen Themenraum gibt es nicht/,
    );
  });

  test("a 10 MB body from the textarea: 400, nothing stored", async () => {
    await refused({ ...good, title: "Zehn Megabyte Text", body: "a".repeat(TEN_MB) }, /^Der Text ist zu lang/);
  });

  test("a 10 MB body as editor JSON: 400, nothing stored", async () => {
    await refused(
      { ...good, title: "Zehn Megabyte JSON", bodyJson: doc(para("b".repeat(TEN_MB))) },
      /^Der Text ist zu lang/,
    );
  });

  test("a refused oversized body is not echoed back in full (the refusal stays small)", async () => {
    const response = await postForm(
      url,
      "/diskussionen/neu",
      { ...good, title: "Zehn Megabyte Echo", body: "c".repeat(TEN_MB) },
      { cookie: cookies.sevgi },
    );
    const page = await response.text();
    expect(response.status).toBe(400);
    // Keeping the form is right; sending 10 MB of refused text back (twice: textarea and route data) is not.
    expect(page.length, "response size in characters").toBeLessThan(1_000_000);
  });

  test.each([
    [
      "an image node",
      doc(para("Bild:"), { type: "image", attrs: { src: "https://example.org/a.png" } }),
      /nicht erlaubte Formatierung/,
    ],
    ["a code mark", doc(para("rm -rf", [{ type: "code" }])), /nicht erlaubte Formatierung/],
    [
      "a level-1 heading",
      doc({ type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: "Groß" }] }),
      /Überschriften der Ebenen 2 bis 4/,
    ],
    [
      "a javascript: link",
      doc(para("klick", [{ type: "link", attrs: { href: "javascript:alert(1)" } }])),
      /^Links dürfen nur mit http/,
    ],
    [
      "a class attribute on a link",
      doc(para("klick", [{ type: "link", attrs: { href: "https://example.org", class: "x" } }])),
      /nicht erlaubte Formatierung/,
    ],
    ["a document that is not JSON", "{not json", /konnte nicht gelesen werden/],
  ])("editor JSON with %s: 400 with a German message, nothing stored", async (_name, bodyJson, message) => {
    await refused({ ...good, title: `Formatierungstest ${_name.replace(/[^a-z ]/gi, "")}`, bodyJson }, message);
  });

  test("a javascript: link in the textarea's Markdown keeps its text and loses the link", async () => {
    const id = await newThread(cookies.sevgi, {
      title: "Markdown mit gefährlichem Link",
      body: "Bitte [hier klicken](javascript:alert(1)) oder [dort](https://example.org/a).",
    });
    const [stored] = await server.database.rows<{ body_html: string }>(
      sql`select p.body_html from threads t join posts p on p.id = t.opening_post_id where t.id = ${id}`,
    );
    expect(stored.body_html).not.toMatch(/javascript:/i);
    expect(stored.body_html).toContain("hier klicken");
    expect(stored.body_html).toContain('href="https://example.org/a"');
    const page = await (await get(url, `/diskussionen/${id}`, cookies.jonas)).text();
    expect(page).not.toMatch(/href="javascript:/i);
  });

  test("an anonymous impulse by a member: refused (impulses are for moderators), nothing stored", async () => {
    await refused(
      { ...good, type: "impulse", anonymous: "on", title: "Impuls eines Mitglieds" },
      /^Impulse und Ankündigungen kann nur die Moderation/,
    );
  });

  test("a moderator's impulse cannot be anonymous: it is published under the moderator's name", async () => {
    const id = await newThread(cookies.moderator, {
      type: "impulse",
      anonymous: "on",
      title: "Impuls der Moderation",
      body: "Ein Denkanstoß.",
    });
    const [row] = await server.database.rows<{ anonymous: boolean }>(
      sql`select anonymous from threads where id = ${id}`,
    );
    expect(row.anonymous).toBe(false);
  });

  test("an unknown thread type and an unknown taxonomy value: 400 with German messages", async () => {
    await refused(
      { ...good, type: "umfrage", title: "Frage mit erfundener Art" },
      /^Bitte wähle, was für ein Beitrag das ist\.$/,
    );
    await refused(
      { ...good, ilbStep: "schritt-99", title: "Frage mit erfundenem Schritt" },
      /^Bitte wähle einen iLB-Schritt aus der Liste\.$/,
    );
  });
});

describe("a reply with bad input", () => {
  let threadId: string;
  let otherThreadReply: string;

  beforeAll(async () => {
    threadId = await newThread(cookies.sevgi, {
      title: "Frage für Antworttests",
      body: "Worauf achtet ihr beim Nachgespräch?",
    });
    const otherThread = await newThread(cookies.petra, {
      title: "Eine ganz andere Diskussion",
      body: "Anderes Thema.",
    });
    otherThreadReply = await reply(cookies.jonas, otherThread, null, "Antwort in der anderen Diskussion");
  });

  /** Posts the reply and checks: 400, the German message inside the reply form (#antworten), nothing stored. */
  async function refusedReply(fields: Record<string, string>, message: RegExp) {
    const before = await snapshot();
    const response = await postForm(
      url,
      `/diskussionen/${threadId}`,
      { intent: "reply", ...fields },
      { cookie: cookies.jonas },
    );
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(errorMessages(replyFormPart(page)), "the message is shown in the reply form").toEqual(
      expect.arrayContaining([expect.stringMatching(message)]),
    );
    expect(await snapshot(), "nothing stored").toBe(before);
    // Keeping the form is right; sending a 10 MB refusal back (textarea and route data) is not.
    expect(page.length, "response size in characters").toBeLessThan(1_000_000);
    return replyFormPart(page);
  }

  test("a reply to a post of another thread: 400, shown with the kept text, nothing stored", async () => {
    const form = await refusedReply(
      { parentId: otherThreadReply, body: "Meine lange getippte Antwort" },
      /gehört nicht zu dieser Diskussion/,
    );
    expect(form, "the typed text is kept in the reply form").toMatch(
      /<textarea [^>]*name="body"[^>]*>Meine lange getippte Antwort<\/textarea>/,
    );
  });

  test("an empty reply and a 10 MB reply: 400, the reply form shows the message", async () => {
    await refusedReply({ parentId: "", body: "   " }, /^Bitte schreib einen Text\.$/);
    await refusedReply({ parentId: "", body: "x".repeat(TEN_MB) }, /^Der Text ist zu lang/);
    await refusedReply({ parentId: "", bodyJson: doc(para("y".repeat(TEN_MB))) }, /^Der Text ist zu lang/);
  });

  test("a refused 10 MB reply is not echoed back in full, also not in the route data a script gets", async () => {
    const before = await snapshot();
    const response = await postForm(
      url,
      `/diskussionen/${threadId}.data`,
      { intent: "reply", parentId: "", body: "z".repeat(TEN_MB) },
      { cookie: cookies.jonas },
    );
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).toContain("Der Text ist zu lang");
    expect(body.length, "response size in characters").toBeLessThan(1_000_000);
    expect(await snapshot(), "nothing stored").toBe(before);
  });

  test("a reply with a disallowed node: 400, the reply form shows the message", async () => {
    await refusedReply(
      { parentId: "", bodyJson: doc({ type: "codeBlock", content: [{ type: "text", text: "x" }] }) },
      /nicht erlaubte Formatierung/,
    );
  });

  test("a reply to an unknown thread is a 404, and nothing is stored", async () => {
    const before = await count("posts");
    const response = await postForm(
      url,
      "/diskussionen/00000000-0000-4000-8000-000000000000",
      { intent: "reply", body: "Hallo" },
      { cookie: cookies.jonas },
    );
    await response.body?.cancel();
    expect(response.status).toBe(404);
    expect(await count("posts")).toBe(before);
  });

  test("an unknown intent: 400 with a German message", async () => {
    const response = await postForm(url, `/diskussionen/${threadId}`, { intent: "explode" }, { cookie: cookies.jonas });
    expect(response.status).toBe(400);
    expect(errorMessages(await response.text())).toContain("Unbekannte Aktion.");
  });
});

describe("rooms", () => {
  test("watching a room works; watching an unknown room is a 404, not a server error", async () => {
    const watch = await postForm(url, "/themen/methoden", { watch: "1" }, { cookie: cookies.jonas });
    await watch.body?.cancel();
    expect(watch.status).toBe(200);
    const [row] = await server.database.rows<{ n: number }>(
      sql`select count(*)::int as n from category_watches w join categories c on c.id = w.category_id join users u on u.id = w.user_id
          where c.slug = 'methoden' and u.email = 'mitglied2@example.org'`,
    );
    expect(row.n).toBe(1);
    const response = await postForm(url, "/themen/gibt-es-nicht", { watch: "1" }, { cookie: cookies.jonas });
    await response.body?.cancel();
    expect(response.status).toBe(404);
  });
});

describe("the reply tree", () => {
  test("replies nest under what they answer; below depth 6 they name whom they answer; every post has an anchor", async () => {
    const threadId = await newThread(cookies.sevgi, {
      title: "Tiefe Unterhaltung über Lernwege",
      body: "Wie tief geht das?",
    });
    // A chain of eight replies, Jonas and Petra taking turns: 1 answers the thread, n+1 answers n.
    const chain: string[] = [];
    const authors = ["jonas", "petra"] as const;
    for (let i = 0; i < 8; i++) {
      chain.push(
        await reply(cookies[authors[i % 2]], threadId, chain.at(-1) ?? null, `Ebene ${i + 1} der Unterhaltung`),
      );
    }
    const sibling = await reply(cookies.petra, threadId, chain[0], "Zweite Antwort auf Ebene 1");

    const response = await get(url, `/diskussionen/${threadId}`, cookies.sevgi);
    expect(response.status).toBe(200);
    const page = decodeHtml(renderedPart(await response.text()));
    const [openingId] = (
      await server.database.rows<{ id: string }>(sql`select opening_post_id as id from threads where id = ${threadId}`)
    ).map((r) => r.id);
    for (const id of [openingId, ...chain, sibling]) expect(page).toContain(`id="beitrag-${id}"`);
    // Indentation follows the depth, capped at 6.
    chain.forEach((id, i) => {
      expect(page, `reply ${i + 1}`).toContain(
        `<li class="reply reply--depth-${Math.min(i + 1, 6)}"><article id="beitrag-${id}"`,
      );
    });
    expect(page).toContain(`<li class="reply reply--depth-2"><article id="beitrag-${sibling}"`);
    // The first reply's sub-tree holds the other seven of the chain and the sibling, collapsible without JavaScript.
    expect(page).toContain("8 Antworten auf diesen Beitrag");
    const section = (id: string) =>
      page.slice(page.indexOf(`id="beitrag-${id}"`), page.indexOf("</article>", page.indexOf(`id="beitrag-${id}"`)));
    // Replies 7 (Jonas) and 8 (Petra) sit at depth 6 and say whom they answer.
    expect(section(chain[6])).toContain("antwortet Petra Hoffmann");
    expect(section(chain[7])).toContain("antwortet Jonas Wagner");
    for (const id of chain.slice(0, 6)) expect(section(id)).not.toContain("antwortet");
    // The permalink of each post points at its anchor (relative to the thread page).
    for (const id of [openingId, ...chain, sibling]) {
      const start = page.indexOf(`<article id="beitrag-${id}"`);
      expect(page.slice(start, page.indexOf("</header>", start)), `permalink of ${id}`).toContain(
        `<a href="#beitrag-${id}" class="post__time">`,
      );
    }
  });

  test("a reply deeper than 6 to an anonymous post names nobody", async () => {
    const threadId = await newThread(cookies.sevgi, {
      title: "Tiefe Unterhaltung mit anonymem Beitrag",
      body: "Los geht's.",
    });
    const chain: string[] = [];
    for (let i = 0; i < 7; i++) {
      chain.push(
        await reply(
          cookies.jonas,
          threadId,
          chain.at(-1) ?? null,
          `Stufe ${i + 1}`,
          i === 5 ? { anonymous: "on" } : {},
        ),
      );
    }
    const page = decodeHtml(renderedPart(await (await get(url, `/diskussionen/${threadId}`, cookies.petra)).text()));
    expect(page).toContain("antwortet ein anonymes Mitglied");
  });
});

describe("the discussion list", () => {
  beforeAll(async () => {
    // Enough threads for three pages of 25.
    for (let i = 1; i <= 40; i++) {
      await newThread(cookies.petra, {
        type: "best_practice",
        title: `Praxisbeispiel Nummer ${i}`,
        body: `Beispiel ${i}.`,
      });
    }
  });

  async function listIds(query: string): Promise<string[]> {
    const response = await get(url, `/diskussionen${query}`, cookies.jonas);
    expect(response.status, query).toBe(200);
    return threadIdsInList(await response.text());
  }

  test("page 2 continues page 1 without overlap and is the same on every load", async () => {
    const expected = (
      await server.database.rows<{ id: string }>(
        sql`select id from threads where deleted_at is null and hidden_at is null order by created_at desc, id desc`,
      )
    ).map((r) => r.id);
    const one = await listIds("?sortierung=neu");
    const two = await listIds("?sortierung=neu&seite=2");
    expect(one).toEqual(expected.slice(0, 25));
    expect(two).toEqual(expected.slice(25, 50));
    expect(await listIds("?sortierung=neu&seite=2")).toEqual(two);
    // The "aktiv" order is stable too, across loads.
    expect(await listIds("?seite=2")).toEqual(await listIds("?sortierung=aktiv&seite=2"));
  });

  test("unknown sort orders and page numbers fall back instead of failing", async () => {
    const active = await listIds("?sortierung=aktiv");
    expect(active).toHaveLength(25);
    expect(await listIds("?sortierung=quatsch")).toEqual(active);
    expect(await listIds("?sortierung=aktiv&seite=abc")).toEqual(active);
    expect(await listIds("?sortierung=aktiv&seite=-3")).toEqual(active);
    expect(await listIds("?art=erfunden")).toEqual(active);
    // Past the last page: an empty page, not an error.
    expect(await listIds("?seite=999")).toEqual([]);
  });

  test("filters: type and tag", async () => {
    const practice = await listIds("?art=best_practice&sortierung=neu");
    expect(practice.length).toBe(25);
    const types = await server.database.rows<{ type: string }>(
      sql`select distinct type from threads where id in (${sql.join(
        practice.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
    expect(types).toEqual([{ type: "best_practice" }]);

    const [{ tag }] = await server.database.rows<{ tag: string }>(
      sql`select tag from (select unnest(tags) as tag from threads where deleted_at is null) t group by tag order by count(*) desc, tag limit 1`,
    );
    const tagged = (
      await server.database.rows<{ id: string }>(
        sql`select id from threads where ${tag} = any(tags) and deleted_at is null and hidden_at is null order by created_at desc, id desc`,
      )
    ).map((r) => r.id);
    expect(tagged.length).toBeGreaterThan(0);
    expect(await listIds(`?schlagwort=${encodeURIComponent(tag)}&sortierung=neu`)).toEqual(tagged.slice(0, 25));
  });
});
