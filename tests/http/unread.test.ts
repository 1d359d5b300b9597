/**
 * Unread over real HTTP (ADR 030): a reader's new discussions and replies in the room, the discussions list and the
 * rooms overview; the thread page's "Weiterlesen ab …" and its marker; "Alles als gelesen markieren" as a plain form
 * POST (no JavaScript), and refusals of rooms that do not exist.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, get, postForm, renderedPart } from "./helpers.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let url: string;
let writer: string;
let reader: string;
let readerId: string;

async function page(path: string, cookie: string): Promise<string> {
  const response = await get(url, path, cookie);
  expect(response.status, path).toBe(200);
  return decodeHtml(renderedPart(await response.text()));
}

/** The list item of one thread in a list page. */
function item(html: string, threadId: string): string {
  const start = html.lastIndexOf("<li", html.indexOf(`/diskussionen/${threadId}`));
  return html.slice(start, html.indexOf("</li>", html.indexOf('class="thread-list__count"', start)));
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  // Both join now: the demo content is older, so it counts as read for them (the baseline).
  await createUser({
    email: "wanda@example.org",
    displayName: "Wanda Schreibt",
    handle: "wanda-schreibt",
    password: "ein-gutes-passwort-2026",
  });
  readerId = (
    await createUser({
      email: "lena@example.org",
      displayName: "Lena Liest",
      handle: "lena-liest",
      password: "ein-gutes-passwort-2026",
    })
  ).id;
  writer = await loginCookie(url, "wanda@example.org", "ein-gutes-passwort-2026");
  reader = await loginCookie(url, "lena@example.org", "ein-gutes-passwort-2026");
});

afterAll(async () => {
  await server?.close();
});

describe("unread over HTTP", () => {
  test("counts in the room, the list and the overview; the thread opens at the first new reply; mark all read without JavaScript", async () => {
    const room = "/themen/lerngespraeche";
    expect(await page(room, reader)).toContain("Hier ist nichts neu für dich.");

    const created = await postForm(
      url,
      "/diskussionen/neu",
      {
        type: "question",
        category: "lerngespraeche",
        title: "Wer nutzt Lernlandkarten?",
        body: "Ich suche Beispiele.",
      },
      { cookie: writer },
    );
    await created.body?.cancel();
    expect(created.status).toBe(302);
    const threadId = created.headers.get("location")!.replace("/diskussionen/", "");

    let html = await page(room, reader);
    expect(html).toContain("Seit deinem letzten Besuch: 1 neue Diskussion.");
    expect(item(html, threadId)).toContain("Neue Diskussion");

    // The reader opens it, then the writer answers.
    const thread = await page(`/diskussionen/${threadId}`, reader);
    expect(thread).not.toContain('id="ungelesen"');
    expect(await page(room, reader)).toContain("Hier ist nichts neu für dich.");
    const replied = await postForm(
      url,
      `/diskussionen/${threadId}`,
      { intent: "reply", parentId: "", body: "Wir hängen sie ins Büro." },
      { cookie: writer },
    );
    await replied.body?.cancel();
    expect(replied.status).toBe(302);
    const replyId = replied.headers.get("location")!.split("#beitrag-")[1];

    html = await page(room, reader);
    expect(html).toContain("Seit deinem letzten Besuch: 1 neue Antwort.");
    expect(item(html, threadId)).toContain("1 neu");
    expect(item(html, threadId)).toContain(`href="/diskussionen/${threadId}#ungelesen"`);
    expect(item(html, threadId)).not.toContain("Neue Diskussion");
    const list = await page("/diskussionen", reader);
    expect(item(list, threadId)).toContain("1 neu");
    expect(list).toContain("Seit deinem letzten Besuch: 1 neue Antwort.");
    expect(await page("/themen", reader)).toContain('class="room-card__unread">1 neue Antwort<');
    // The writer sees nothing new: their own posts.
    expect(await page(room, writer)).toContain("Hier ist nichts neu für dich.");

    const opened = await page(`/diskussionen/${threadId}`, reader);
    expect(opened).toContain("1 neue Antwort seit deinem letzten Besuch.");
    expect(opened).toMatch(/<a href="#ungelesen">Weiterlesen ab der Antwort von Wanda Schreibt vom /);
    // The marker sits right before the new reply, with a way back to the start.
    expect(opened).toMatch(
      new RegExp(
        `<p id="ungelesen" class="unread-marker" tabindex="-1">Ab hier neu seit deinem letzten Besuch · <a href="#anfang">Zum Anfang der Diskussion</a></p><article id="beitrag-${replyId}"`,
      ),
    );
    expect(opened).toContain('id="anfang"');
    // Read now: the next view has no marker, the room nothing new.
    expect(await page(`/diskussionen/${threadId}`, reader)).not.toContain('id="ungelesen"');
    expect(await page(room, reader)).toContain("Hier ist nichts neu für dich.");

    // Another reply, then "Alles als gelesen markieren" as the form posts it without JavaScript.
    const again = await postForm(
      url,
      `/diskussionen/${threadId}`,
      { intent: "reply", parentId: "", body: "Und wir fotografieren sie." },
      { cookie: writer },
    );
    await again.body?.cancel();
    expect(await page(room, reader)).toContain("Seit deinem letzten Besuch: 1 neue Antwort.");
    const marked = await postForm(url, room, { intent: "alles-gelesen" }, { cookie: reader });
    expect(marked.status).toBe(200);
    const markedHtml = decodeHtml(renderedPart(await marked.text()));
    expect(markedHtml).toContain("Alles in diesem Raum ist als gelesen markiert.");
    expect(markedHtml).toContain("Hier ist nichts neu für dich.");
    expect(item(await page(room, reader), threadId)).not.toContain("neu<");
  });

  test("refuses marking a room that does not exist, and writes nothing", async () => {
    const count = async () =>
      (
        await server.database.rows<{ n: number }>(
          sql`select count(*)::int as n from category_reads where user_id = ${readerId}`,
        )
      )[0].n;
    const before = await count();
    for (const path of ["/themen/gibt-es-nicht", "/themen/%C3%BCber%20alles", `/themen/${"x".repeat(300)}`]) {
      const response = await postForm(url, path, { intent: "alles-gelesen" }, { cookie: reader });
      const text = await response.text();
      expect([400, 404], path).toContain(response.status);
      expect(text, path).toMatch(/nicht/i);
    }
    expect(await count()).toBe(before);
    // And without a session, nothing either: the login page.
    const anonymous = await postForm(url, "/themen/lerngespraeche", { intent: "alles-gelesen" });
    await anonymous.body?.cancel();
    expect(anonymous.status).toBe(302);
    expect(await count()).toBe(before);
  });
});
