/**
 * Merkliste over real HTTP, as a browser without JavaScript sends it: bookmarking a post, a thread and a material
 * with plain form POSTs, note and reminder on /merkliste, German refusals that change nothing, confirmation before
 * removing, content that became hidden showing nothing, and the list private to its member (another member, the
 * moderation and the admin see nothing of it, not in the page and not in the route data).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { AHEAD_YEAR } from "../setup/dates.ts";
import { decodeHtml, errorMessages, get, postAction, postForm, renderedPart } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

const rows = <T>(query: ReturnType<typeof sql>) => server.database.rows<T>(query);

async function page(path: string, cookie: string): Promise<string> {
  const response = await get(url, path, cookie);
  expect(response.status, path).toBe(200);
  return decodeHtml(renderedPart(await response.text()));
}

async function sevgisBookmarks() {
  return rows<{ id: string; kind: string; target_id: string; note: string; remind_at: Date | null }>(
    sql`select id::text, kind, target_id::text, note, remind_at from bookmarks where user_id = ${ids.sevgi} order by created_at`,
  );
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  const one = async (query: ReturnType<typeof sql>) => {
    const [row] = await rows<{ v: string }>(query);
    expect(row?.v, String(query)).toBeTruthy();
    return row.v;
  };
  ids.sevgi = await one(sql`select id::text as v from users where email = 'mitglied@example.org'`);
  const bystander = sql`p.author_id = (select id from users where email = 'mitglied2@example.org')`;
  ids.thread = await one(
    sql`select t.id::text as v from threads t where t.hidden_at is null and t.deleted_at is null and exists (select 1 from posts p where p.thread_id = t.id and p.parent_id is not null and ${bystander} and p.deleted_at is null and p.hidden_at is null) order by t.created_at limit 1`,
  );
  ids.post = await one(
    sql`select p.id::text as v from posts p where p.thread_id = ${ids.thread} and p.parent_id is not null and ${bystander} and p.deleted_at is null and p.hidden_at is null order by p.created_at limit 1`,
  );
  ids.otherThread = await one(
    sql`select id::text as v from threads where id <> ${ids.thread} and hidden_at is null and deleted_at is null limit 1`,
  );
  ids.material = await one(
    sql`select id::text as v from materials where status = 'published' order by created_at limit 1`,
  );
  ids.materialTitle = await one(sql`select title as v from materials where id = ${ids.material}`);
  ids.postText = await one(sql`select left(body_text, 40) as v from posts where id = ${ids.post}`);
  for (const [name, email] of Object.entries({
    sevgi: "mitglied@example.org",
    other: "mitglied5@example.org",
    moderation: "moderation@example.org",
    admin: "admin@example.org",
  })) {
    cookies[name] = await loginCookie(url, email);
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe("Merkliste over HTTP", () => {
  test("an empty list explains how to bookmark", async () => {
    const html = await page("/merkliste", cookies.sevgi);
    expect(html).toContain("<title>Merkliste");
    expect(html).toContain("Du hast dir noch nichts gemerkt.");
    expect(html).toContain("die Schaltfläche „Merken“");
    // Linked from the header on every page.
    expect(html).toMatch(/<a href="\/merkliste" class="site-header__user" aria-current="page">Merkliste<\/a>/);
  });

  test("bookmarks a post, a thread and a material with plain form posts (no JavaScript)", async () => {
    const before = await page(`/diskussionen/${ids.thread}`, cookies.sevgi);
    expect(before).toContain(
      `value="bookmark:1:${ids.post}" class="link-button bookmark" aria-pressed="false">Merken</button>`,
    );

    const post = await postForm(url, `/diskussionen/${ids.thread}`, postAction(`bookmark:1:${ids.post}`), {
      cookie: cookies.sevgi,
    });
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toBe(`/diskussionen/${ids.thread}#beitrag-${ids.post}`);
    const thread = await postForm(
      url,
      `/diskussionen/${ids.thread}`,
      { intent: "bookmark", on: "1" },
      { cookie: cookies.sevgi },
    );
    expect(thread.status).toBe(200);
    const threadPage = decodeHtml(renderedPart(await thread.text()));
    expect(threadPage).toMatch(/aria-pressed="true">Gemerkt<span class="visually-hidden"> \(Diskussion\)<\/span>/);
    expect(threadPage).toContain(
      `value="bookmark:0:${ids.post}" class="link-button bookmark" aria-pressed="true">Gemerkt</button>`,
    );

    const material = await postForm(
      url,
      `/materialien/${ids.material}`,
      { intent: "bookmark", on: "1" },
      { cookie: cookies.sevgi },
    );
    expect(material.status).toBe(200);
    expect(decodeHtml(renderedPart(await material.text()))).toMatch(
      /aria-pressed="true">Gemerkt<span class="visually-hidden"> \(Material\)<\/span>/,
    );

    expect((await sevgisBookmarks()).map((b) => [b.kind, b.target_id])).toEqual([
      ["post", ids.post],
      ["thread", ids.thread],
      ["material", ids.material],
    ]);
    const list = await page("/merkliste", cookies.sevgi);
    expect(list.indexOf(ids.materialTitle)).toBeGreaterThan(-1);
    expect(list).toContain(ids.postText.slice(0, 20));
    expect(list).toContain(`href="/diskussionen/${ids.thread}#beitrag-${ids.post}"`);
    // Filters: one kind, or those with a reminder.
    const materials = await page("/merkliste?art=materialien", cookies.sevgi);
    expect(materials).toContain(`href="/materialien/${ids.material}"`);
    expect(materials).not.toContain(`href="/diskussionen/${ids.thread}`);
    expect(await page("/merkliste?erinnerung=1", cookies.sevgi)).toContain("Hier gibt es keine Einträge.");
  });

  test("a note and a reminder day are kept; a past or impossible day is refused in German, keeping what was typed", async () => {
    const [post] = await sevgisBookmarks();
    const day = `${AHEAD_YEAR}-03-14`;
    const saved = await postForm(
      url,
      "/merkliste",
      { intent: "save", id: post.id, note: "Für das Teamtreffen", remindOn: day },
      { cookie: cookies.sevgi },
    );
    expect(saved.status).toBe(200);
    const html = decodeHtml(renderedPart(await saved.text()));
    expect(html).toContain("Gespeichert.");
    expect(html).toContain("Deine Notiz: Für das Teamtreffen");
    expect(html).toContain(`Erinnerung am 14.03.${AHEAD_YEAR}`);

    for (const [remindOn, message] of [
      ["2020-01-01", "Dieses Datum liegt in der Vergangenheit. Wähle heute oder einen späteren Tag."],
      [`${AHEAD_YEAR}-02-30`, "Bitte gib ein gültiges Datum an (TT.MM.JJJJ)."],
      ["morgen", "Bitte gib ein gültiges Datum an (TT.MM.JJJJ)."],
    ]) {
      const refused = await postForm(
        url,
        "/merkliste",
        { intent: "save", id: post.id, note: "Neue Notiz, getippt", remindOn },
        { cookie: cookies.sevgi },
      );
      expect(refused.status, remindOn).toBe(400);
      const text = await refused.text();
      expect(errorMessages(text)).toEqual([message]);
      // What was typed is still in the form, and the field is marked.
      expect(decodeHtml(renderedPart(text))).toContain("Neue Notiz, getippt</textarea>");
      expect(text).toContain(`id="merk-${post.id}-erinnerung" type="date" name="remindOn"`);
    }
    const [after] = await sevgisBookmarks();
    expect(after.note).toBe("Für das Teamtreffen");
    expect(new Date(after.remind_at!).toISOString()).toBe(new Date(`${day}T07:00:00Z`).toISOString());
    expect(await page("/merkliste?erinnerung=1", cookies.sevgi)).toContain(
      `href="/diskussionen/${ids.thread}#beitrag-${ids.post}"`,
    );
  });

  test("refuses foreign ids, ids of another thread, unknown filters and actions, changing nothing", async () => {
    const before = await sevgisBookmarks();
    const [post] = before;
    // A post id through another thread's page; an id that is no id; a thread bookmark of a thread that is not there.
    const elsewhere = await postForm(url, `/diskussionen/${ids.otherThread}`, postAction(`bookmark:1:${ids.post}`), {
      cookie: cookies.sevgi,
    });
    expect(elsewhere.status).toBe(404);
    const noId = await postForm(
      url,
      "/merkliste",
      { intent: "save", id: "nicht-da", note: "", remindOn: "" },
      { cookie: cookies.sevgi },
    );
    expect(noId.status).toBe(404);
    const nil = await postForm(
      url,
      `/diskussionen/00000000-0000-4000-8000-000000000000`,
      { intent: "bookmark", on: "1" },
      { cookie: cookies.sevgi },
    );
    expect(nil.status).toBe(404);
    const nilMaterial = await postForm(
      url,
      `/materialien/00000000-0000-4000-8000-000000000000`,
      { intent: "bookmark", on: "1" },
      { cookie: cookies.sevgi },
    );
    expect(nilMaterial.status).toBe(404);
    const unknown = await postForm(url, "/merkliste", { intent: "weg", id: post.id }, { cookie: cookies.sevgi });
    expect(unknown.status).toBe(400);
    expect(decodeHtml(await unknown.text())).toContain("Unbekannte Aktion.");
    const filter = await get(url, "/merkliste?art=personen", cookies.sevgi);
    expect(filter.status).toBe(400);
    expect(decodeHtml(await filter.text())).toContain("Diesen Filter gibt es nicht.");
    expect(await sevgisBookmarks()).toEqual(before);
  });

  test("private: another member, the moderation and the admin see nothing of it and cannot change it", async () => {
    const before = await sevgisBookmarks();
    const [post] = before;
    for (const who of ["other", "moderation", "admin"]) {
      const list = await page("/merkliste", cookies[who]);
      expect(list, who).toContain("Du hast dir noch nichts gemerkt.");
      expect(list, who).not.toContain("Teamtreffen");
      // Not by naming the entry either, not in the route data.
      const one = await page(`/merkliste?eintrag=${post.id}`, cookies[who]);
      expect(one, who).not.toContain("Teamtreffen");
      expect(one, who).toContain("Hier gibt es keine Einträge.");
      const data = await get(url, `/merkliste.data?eintrag=${post.id}`, cookies[who]);
      expect(data.status, who).toBe(200);
      expect(await data.text(), who).not.toContain("Teamtreffen");
      const save = await postForm(
        url,
        "/merkliste",
        { intent: "save", id: post.id, note: "überschrieben", remindOn: "" },
        { cookie: cookies[who] },
      );
      expect(save.status, who).toBe(404);
      const remove = await postForm(url, "/merkliste", { intent: "remove", id: post.id }, { cookie: cookies[who] });
      expect(remove.status, who).toBe(404);
      // Their thread page shows their own (empty) state.
      const thread = await page(`/diskussionen/${ids.thread}`, cookies[who]);
      expect(thread, who).toContain(
        `value="bookmark:1:${ids.post}" class="link-button bookmark" aria-pressed="false">Merken</button>`,
      );
    }
    expect(await sevgisBookmarks()).toEqual(before);
  });

  test("content hidden by the moderation shows as no longer available, without its text", async () => {
    const hide = await postForm(url, `/diskussionen/${ids.thread}`, postAction(`hide:1:${ids.post}`), {
      cookie: cookies.moderation,
    });
    expect(hide.status).toBe(302);
    try {
      const list = await page("/merkliste?art=beitraege", cookies.sevgi);
      expect(list).toContain("Nicht mehr verfügbar");
      expect(list).not.toContain(ids.postText.slice(0, 20));
      expect(list).not.toContain(`#beitrag-${ids.post}`);
      // The note is the member's own and stays.
      expect(list).toContain("Deine Notiz: Für das Teamtreffen");
    } finally {
      const restore = await postForm(url, `/diskussionen/${ids.thread}`, postAction(`hide:0:${ids.post}`), {
        cookie: cookies.moderation,
      });
      expect(restore.status).toBe(302);
    }
  });

  test("removing asks first, then takes the entry off", async () => {
    const [post] = await sevgisBookmarks();
    const ask = await page(`/merkliste?entfernen=${post.id}`, cookies.sevgi);
    expect(ask).toContain("Diesen Eintrag wirklich aus deiner Merkliste entfernen?");
    expect((await sevgisBookmarks()).length).toBe(3);
    const removed = await postForm(
      url,
      `/merkliste?entfernen=${post.id}`,
      { intent: "remove", id: post.id },
      { cookie: cookies.sevgi },
    );
    expect(removed.status).toBe(302);
    expect(removed.headers.get("location")).toBe("/merkliste?entfernt=1");
    expect(await page("/merkliste?entfernt=1", cookies.sevgi)).toContain(
      "Der Eintrag ist aus deiner Merkliste entfernt.",
    );
    expect((await sevgisBookmarks()).map((b) => b.kind)).toEqual(["thread", "material"]);
    // Taking the thread bookmark back through its button.
    const off = await postForm(
      url,
      `/diskussionen/${ids.thread}`,
      { intent: "bookmark", on: "0" },
      { cookie: cookies.sevgi },
    );
    expect(off.status).toBe(200);
    expect((await sevgisBookmarks()).map((b) => b.kind)).toEqual(["material"]);
  });
});
