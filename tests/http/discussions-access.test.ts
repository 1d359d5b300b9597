/**
 * Discussions over real HTTP, who may do what: members edit only their own posts and cannot moderate (every refused
 * request is a 403 and changes nothing in the database), moderators can, and hidden or deleted threads are closed to
 * members.
 *
 * The HTTP surface: buttons on posts belong to the thread page's one shared form (`intent=postAction`,
 * `aktion=<verb>:<args>:<postId>`); flagging and deleting are pages of their own under
 * /diskussionen/<id>/beitrag/<postId>/(melden|loeschen); dismissing reports lives in /moderation/meldungen.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, errorMessages, get, postAction, postForm, renderedPart, threadIdsInList } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const userIds: Record<string, string> = {};

async function newThread(
  cookie: string,
  fields: Record<string, string>,
): Promise<{ threadId: string; openingId: string }> {
  const response = await postForm(
    url,
    "/diskussionen/neu",
    { type: "question", category: "methoden", ...fields },
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

async function reply(cookie: string, threadId: string, body: string, parentId = ""): Promise<string> {
  const response = await postForm(url, `/diskussionen/${threadId}`, { intent: "reply", parentId, body }, { cookie });
  await response.body?.cancel();
  expect(response.status, `reply "${body}"`).toBe(302);
  return response.headers.get("location")!.split("#beitrag-")[1];
}

/** A thread action as a form on the thread page would send it; returns the status (body discarded). */
async function act(cookie: string, threadId: string, fields: Record<string, string>): Promise<number> {
  const response = await postForm(url, `/diskussionen/${threadId}`, fields, { cookie });
  await response.body?.cancel();
  return response.status;
}

/** A form on one of a post's own pages (…/beitrag/<postId>/melden, /loeschen); returns the response. */
function postPage(
  cookie: string,
  threadId: string,
  postId: string,
  page: "melden" | "loeschen",
  fields: Record<string, string> = {},
): Promise<Response> {
  return postForm(url, `/diskussionen/${threadId}/beitrag/${postId}/${page}`, fields, { cookie });
}

async function openFlags(postId: string): Promise<number> {
  const [row] = await server.database.rows<{ n: number }>(
    sql`select count(*)::int as n from flags where post_id = ${postId} and resolved_at is null`,
  );
  return row.n;
}

async function threadRow(id: string) {
  const [row] = await server.database.rows<{
    title: string;
    locked: boolean;
    pinned: boolean;
    category: string;
    hidden: boolean;
    deleted: boolean;
    accepted: string | null;
  }>(
    sql`select t.title, t.locked, t.pinned, c.slug as category, t.hidden_at is not null as hidden, t.deleted_at is not null as deleted,
               t.accepted_post_id as accepted
        from threads t join categories c on c.id = t.category_id where t.id = ${id}`,
  );
  return row;
}

async function postRow(id: string) {
  const [row] = await server.database.rows<{ body_html: string; hidden: boolean; deleted: boolean; revisions: number }>(
    sql`select body_html, hidden_at is not null as hidden, deleted_at is not null as deleted,
               (select count(*)::int from post_revisions r where r.post_id = p.id) as revisions
        from posts p where id = ${id}`,
  );
  return row;
}

async function auditCount(subjectId: string): Promise<number> {
  const [row] = await server.database.rows<{ n: number }>(
    sql`select count(*)::int as n from audit_log where subject_id = ${subjectId}`,
  );
  return row.n;
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
  for (const row of await server.database.rows<{ id: string; email: string }>(sql`select id, email from users`))
    userIds[row.email] = row.id;
});

afterAll(async () => {
  await server?.close();
});

describe("a member and other people's posts", () => {
  let threadId: string;
  let openingId: string;
  let petrasReply: string;

  beforeAll(async () => {
    ({ threadId, openingId } = await newThread(cookies.jonas, {
      title: "Wie dokumentiert ihr Lernfortschritte?",
      body: "Ich suche Ideen.",
    }));
    petrasReply = await reply(cookies.petra, threadId, "Wir nutzen ein kurzes Lerntagebuch.");
  });

  test("cannot open the edit page of someone else's post (403) nor save an edit", async () => {
    for (const postId of [openingId, petrasReply]) {
      const page = await get(url, `/diskussionen/${threadId}/beitrag/${postId}/bearbeiten`, cookies.sevgi);
      expect(page.status).toBe(403);
      expect(decodeHtml(await page.text())).toContain("Fehler 403");

      const before = await postRow(postId);
      const response = await postForm(
        url,
        `/diskussionen/${threadId}/beitrag/${postId}/bearbeiten`,
        { title: "Von Sevgi übernommen", body: "Überschrieben von jemand anderem" },
        { cookie: cookies.sevgi },
      );
      await response.body?.cancel();
      expect(response.status).toBe(403);
      expect(await postRow(postId)).toEqual(before);
    }
    expect((await threadRow(threadId)).title).toBe("Wie dokumentiert ihr Lernfortschritte?");
    // The page offers no edit (nor delete) link for other people's posts.
    const page = decodeHtml(await (await get(url, `/diskussionen/${threadId}`, cookies.sevgi)).text());
    expect(page).not.toContain("/bearbeiten");
    expect(page).not.toContain("/loeschen");
  });

  test("the author can edit; the old version stays readable", async () => {
    const edit = await get(url, `/diskussionen/${threadId}/beitrag/${petrasReply}/bearbeiten`, cookies.petra);
    expect(edit.status).toBe(200);
    await edit.body?.cancel();
    const response = await postForm(
      url,
      `/diskussionen/${threadId}/beitrag/${petrasReply}/bearbeiten`,
      { body: "Wir nutzen ein Lerntagebuch mit drei Fragen." },
      { cookie: cookies.petra },
    );
    await response.body?.cancel();
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/diskussionen/${threadId}#beitrag-${petrasReply}`);
    expect((await postRow(petrasReply)).revisions).toBe(1);
    const versions = decodeHtml(
      await (await get(url, `/diskussionen/${threadId}/beitrag/${petrasReply}/versionen`, cookies.sevgi)).text(),
    );
    expect(versions).toContain("Wir nutzen ein kurzes Lerntagebuch.");
    expect(versions).toContain("Wir nutzen ein Lerntagebuch mit drei Fragen.");
  });

  test("cannot delete someone else's post, nor mark an answer on someone else's question", async () => {
    const deleting = await postPage(cookies.sevgi, threadId, petrasReply, "loeschen");
    await deleting.body?.cancel();
    expect(deleting.status).toBe(403);
    expect(await act(cookies.sevgi, threadId, postAction(`accept:${petrasReply}`))).toBe(403);
    expect(await postRow(petrasReply)).toMatchObject({ deleted: false });
    expect((await threadRow(threadId)).accepted).toBeNull();
    // Nor take back the mark the asker set ("accept:" with no post id).
    expect(await act(cookies.jonas, threadId, postAction(`accept:${petrasReply}`))).toBe(302);
    expect(await act(cookies.sevgi, threadId, postAction("accept:"))).toBe(403);
    expect((await threadRow(threadId)).accepted).toBe(petrasReply);
    expect(await act(cookies.jonas, threadId, postAction("accept:"))).toBe(302);
    expect((await threadRow(threadId)).accepted).toBeNull();
  });

  test("cannot hide, lock, pin, move or retitle: 403 and nothing changes", async () => {
    const thread = await threadRow(threadId);
    const reply = await postRow(petrasReply);
    // An open report on the reply, so that a refused dismissal has something it could have changed.
    const flag = await postPage(cookies.jonas, threadId, petrasReply, "melden", { reason: "Bitte einmal prüfen" });
    await flag.body?.cancel();
    expect(flag.status).toBe(200);
    expect(await openFlags(petrasReply)).toBe(1);
    const audits = (await auditCount(threadId)) + (await auditCount(petrasReply)) + (await auditCount(openingId));
    const attempts: Record<string, string>[] = [
      postAction(`hide:1:${petrasReply}`),
      postAction(`hide:1:${openingId}`),
      { intent: "lock", on: "1" },
      { intent: "pin", on: "1" },
      { intent: "move", categorySlug: "verbuende" },
      { intent: "retitle", title: "Ein Titel, den ein Mitglied setzt" },
    ];
    for (const fields of attempts)
      expect(await act(cookies.sevgi, threadId, fields), fields.aktion ?? fields.intent).toBe(403);
    // Dismissing reports is done in the moderators' queue.
    const dismiss = await postForm(
      url,
      "/moderation/meldungen",
      { intent: "dismiss", postId: petrasReply },
      { cookie: cookies.sevgi },
    );
    await dismiss.body?.cancel();
    expect(dismiss.status, "dismiss").toBe(403);
    expect(await openFlags(petrasReply)).toBe(1);
    expect(await threadRow(threadId)).toEqual(thread);
    expect(await postRow(petrasReply)).toEqual(reply);
    expect((await auditCount(threadId)) + (await auditCount(petrasReply)) + (await auditCount(openingId))).toBe(audits);
    // Members see no moderation tools (a moderator does, on the same page).
    const page = decodeHtml(await (await get(url, `/diskussionen/${threadId}`, cookies.sevgi)).text());
    for (const intent of ["lock", "pin", "move", "retitle"])
      expect(page).not.toContain(`name="intent" value="${intent}"`);
    for (const verb of ["hide", "reveal"]) expect(page).not.toContain(`name="aktion" value="${verb}:`);
    const moderator = decodeHtml(await (await get(url, `/diskussionen/${threadId}`, cookies.moderator)).text());
    expect(moderator).toContain(`name="aktion" value="hide:1:${petrasReply}"`);
    for (const intent of ["lock", "pin", "move", "retitle"])
      expect(moderator).toContain(`name="intent" value="${intent}"`);
  });

  test("cannot open the moderation pages, nor use their forms", async () => {
    for (const path of ["/moderation", "/moderation/meldungen", "/moderation/themen"]) {
      const response = await get(url, path, cookies.sevgi);
      expect(response.status, path).toBe(403);
      await response.body?.cancel();
    }
    const rooms = await server.database.rows(sql`select slug, name, position from categories order by slug`);
    const create = await postForm(
      url,
      "/moderation/themen",
      { name: "Raum eines Mitglieds", slug: "raum-eines-mitglieds", description: "" },
      { cookie: cookies.sevgi },
    );
    await create.body?.cancel();
    expect(create.status).toBe(403);
    const hide = await postForm(
      url,
      "/moderation/meldungen",
      { intent: "hide", postId: petrasReply },
      { cookie: cookies.sevgi },
    );
    await hide.body?.cancel();
    expect(hide.status).toBe(403);
    expect(await server.database.rows(sql`select slug, name, position from categories order by slug`)).toEqual(rooms);
    expect((await postRow(petrasReply)).hidden).toBe(false);
  });
});

describe("moderators", () => {
  let threadId: string;
  let openingId: string;
  let jonasReply: string;

  beforeAll(async () => {
    ({ threadId, openingId } = await newThread(cookies.sevgi, {
      title: "Thema für die Moderation",
      body: "Eine normale Frage.",
    }));
    jonasReply = await reply(cookies.jonas, threadId, "Eine Antwort, die gemeldet wird.");
  });

  test("see reports in the queue and the moderation pages", async () => {
    const form = await get(url, `/diskussionen/${threadId}/beitrag/${jonasReply}/melden`, cookies.petra);
    expect(form.status).toBe(200);
    expect(decodeHtml(renderedPart(await form.text()))).toContain('name="reason"');
    const flag = await postPage(cookies.petra, threadId, jonasReply, "melden", { reason: "Enthält persönliche Daten" });
    expect(flag.status).toBe(200);
    expect(decodeHtml(renderedPart(await flag.text()))).toContain("Die Moderation sieht sich den Beitrag an.");
    const queue = await get(url, "/moderation/meldungen", cookies.moderator);
    expect(queue.status).toBe(200);
    const page = decodeHtml(await queue.text());
    expect(page).toContain("Enthält persönliche Daten");
    expect(page).toContain(`#beitrag-${jonasReply}`);
    expect((await get(url, "/moderation/themen", cookies.moderator)).status).toBe(200);
  });

  test("lock, pin, move and retitle a thread, each audited", async () => {
    expect(await act(cookies.moderator, threadId, { intent: "lock", on: "1" })).toBe(302);
    expect(await act(cookies.moderator, threadId, { intent: "pin", on: "1" })).toBe(302);
    expect(await act(cookies.moderator, threadId, { intent: "move", categorySlug: "verbuende" })).toBe(302);
    expect(await act(cookies.moderator, threadId, { intent: "retitle", title: "Neuer Titel von der Moderation" })).toBe(
      302,
    );
    expect(await threadRow(threadId)).toMatchObject({
      locked: true,
      pinned: true,
      category: "verbuende",
      title: "Neuer Titel von der Moderation",
    });
    const actions = await server.database.rows<{ action: string; actor_id: string }>(
      sql`select action, actor_id from audit_log where subject_id = ${threadId} order by id`,
    );
    expect(actions.map((a) => a.action)).toEqual(["thread.lock", "thread.pin", "thread.move", "thread.retitle"]);
    expect(new Set(actions.map((a) => a.actor_id))).toEqual(new Set([userIds["moderation@example.org"]]));

    // A moderator's bad title is a 400 with a German message, the title unchanged.
    const bad = await postForm(
      url,
      `/diskussionen/${threadId}`,
      { intent: "retitle", title: "x" },
      { cookie: cookies.moderator },
    );
    expect(bad.status).toBe(400);
    expect(errorMessages(await bad.text())).toContain("Der Titel braucht mindestens 5 Zeichen.");
    expect((await threadRow(threadId)).title).toBe("Neuer Titel von der Moderation");
  });

  test("a locked thread refuses members' replies with a German message; the page says it is closed", async () => {
    const before = await server.database.rows(sql`select count(*)::int as n from posts where thread_id = ${threadId}`);
    const response = await postForm(
      url,
      `/diskussionen/${threadId}`,
      { intent: "reply", parentId: "", body: "Noch eine Antwort" },
      { cookie: cookies.petra },
    );
    expect(response.status).toBe(400);
    // The answer page no longer has a reply form; its place says why.
    expect(decodeHtml(renderedPart(await response.text()))).toContain("Diese Diskussion ist geschlossen.");
    expect(await server.database.rows(sql`select count(*)::int as n from posts where thread_id = ${threadId}`)).toEqual(
      before,
    );
    const page = decodeHtml(await (await get(url, `/diskussionen/${threadId}`, cookies.petra)).text());
    expect(page).toContain("Diese Diskussion ist geschlossen.");
    expect(page).not.toContain('name="intent" value="reply"');
    // Moderators may still answer in a locked thread.
    expect(
      await act(cookies.moderator, threadId, { intent: "reply", parentId: "", body: "Hinweis der Moderation" }),
    ).toBe(302);
    // The pinned thread leads the list.
    const list = threadIdsInList(await (await get(url, "/diskussionen", cookies.petra)).text());
    expect(list[0]).toBe(threadId);
  });

  test("hiding a reply: members no longer see its text, its author still does", async () => {
    expect(await act(cookies.moderator, threadId, postAction(`hide:1:${jonasReply}`))).toBe(302);
    expect((await postRow(jonasReply)).hidden).toBe(true);
    const petra = decodeHtml(await (await get(url, `/diskussionen/${threadId}`, cookies.petra)).text());
    expect(petra).not.toContain("Eine Antwort, die gemeldet wird.");
    const jonas = decodeHtml(await (await get(url, `/diskussionen/${threadId}`, cookies.jonas)).text());
    expect(jonas).toContain("Eine Antwort, die gemeldet wird.");
    // The open report was resolved by hiding.
    const [flag] = await server.database.rows<{ resolution: string }>(
      sql`select resolution from flags where post_id = ${jonasReply}`,
    );
    expect(flag.resolution).toBe("hidden");
  });

  test("a hidden thread is a 403 for members (page, data and actions) and open to moderators", async () => {
    expect(await act(cookies.moderator, threadId, postAction(`hide:1:${openingId}`))).toBe(302);
    expect((await threadRow(threadId)).hidden).toBe(true);
    for (const who of ["petra", "sevgi"]) {
      const page = await get(url, `/diskussionen/${threadId}`, cookies[who]);
      expect(page.status, who).toBe(403);
      const html = decodeHtml(await page.text());
      expect(html).toContain("Fehler 403");
      expect(html).not.toContain("Eine normale Frage.");
      const data = await get(url, `/diskussionen/${threadId}.data`, cookies[who]);
      expect(data.status).toBe(403);
      expect(await data.text()).not.toContain("Eine normale Frage.");
      // The post's own pages are no longer nested in the thread page: each must stay closed by itself.
      for (const sub of ["versionen", "melden", "loeschen", "bearbeiten"]) {
        for (const suffix of ["", ".data"]) {
          const path = `/diskussionen/${threadId}/beitrag/${openingId}/${sub}${suffix}`;
          const response = await get(url, path, cookies[who]);
          expect([403, 404], `${who}: ${path}`).toContain(response.status);
          expect(decodeHtml(await response.text()), `${who}: ${path}`).not.toContain("Eine normale Frage.");
        }
      }
    }
    expect(await act(cookies.petra, threadId, { intent: "watch", on: "1" })).toBe(403);
    expect(await act(cookies.petra, threadId, postAction(`react:thanks:1:${openingId}`))).toBe(403);
    expect(
      await server.database.rows(sql`select count(*)::int as n from reactions where post_id = ${openingId}`),
    ).toEqual([{ n: 0 }]);
    const posts = await server.database.rows(sql`select count(*)::int as n from posts where thread_id = ${threadId}`);
    expect([400, 403]).toContain(await act(cookies.petra, threadId, { intent: "reply", parentId: "", body: "Hallo?" }));
    expect(await server.database.rows(sql`select count(*)::int as n from posts where thread_id = ${threadId}`)).toEqual(
      posts,
    );
    // Not in members' lists; moderators see it, marked as hidden.
    expect(threadIdsInList(await (await get(url, "/diskussionen?sortierung=neu", cookies.petra)).text())).not.toContain(
      threadId,
    );
    const moderator = await get(url, `/diskussionen/${threadId}`, cookies.moderator);
    expect(moderator.status).toBe(200);
    expect(decodeHtml(await moderator.text())).toContain("Ausgeblendet");
    // Reporting is a page of its own now (…/beitrag/<id>/melden): a member who cannot see the thread cannot report
    // its posts either, and nothing is stored.
    const flags = await server.database.rows(sql`select count(*)::int as n from flags where post_id = ${openingId}`);
    const flag = await postPage(cookies.petra, threadId, openingId, "melden", { reason: "Ich sehe das gar nicht" });
    expect([403, 404], "flag").toContain(flag.status);
    expect(decodeHtml(await flag.text())).not.toContain("Eine normale Frage.");
    expect(
      await server.database.rows(sql`select count(*)::int as n from flags where post_id = ${openingId}`),
      "no report stored",
    ).toEqual(flags);
  });

  test("a deleted thread is a 403 for members, its author included", async () => {
    const { threadId: deleted, openingId: opening } = await newThread(cookies.sevgi, {
      title: "Versehentlich gestellte Frage",
      body: "Bitte ignorieren.",
    });
    // Deleting asks first: the confirmation page shows what would go.
    const confirm = await get(url, `/diskussionen/${deleted}/beitrag/${opening}/loeschen`, cookies.sevgi);
    expect(confirm.status).toBe(200);
    expect(decodeHtml(renderedPart(await confirm.text()))).toContain("Bitte ignorieren.");
    const response = await postPage(cookies.sevgi, deleted, opening, "loeschen");
    await response.body?.cancel();
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/diskussionen?geloescht=1");
    for (const who of ["jonas", "sevgi"]) {
      const page = await get(url, `/diskussionen/${deleted}`, cookies[who]);
      expect(page.status, who).toBe(403);
      expect(decodeHtml(await page.text())).not.toContain("Bitte ignorieren.");
      for (const sub of ["versionen", "melden", "loeschen", "bearbeiten"]) {
        const path = `/diskussionen/${deleted}/beitrag/${opening}/${sub}`;
        const subPage = await get(url, path, cookies[who]);
        expect([403, 404], `${who}: ${path}`).toContain(subPage.status);
        expect(decodeHtml(await subPage.text()), `${who}: ${path}`).not.toContain("Bitte ignorieren.");
      }
    }
    expect((await get(url, `/diskussionen/${deleted}`, cookies.moderator)).status).toBe(200);
  });

  test("a member cannot delete their thread once someone replied", async () => {
    const { threadId: answered, openingId: opening } = await newThread(cookies.sevgi, {
      title: "Frage mit Antwort",
      body: "Eine Frage.",
    });
    await reply(cookies.petra, answered, "Eine Antwort.");
    const response = await postPage(cookies.sevgi, answered, opening, "loeschen");
    expect(response.status).toBe(400);
    expect(errorMessages(await response.text()).join(" ")).toMatch(/schon Antworten/);
    expect((await threadRow(answered)).deleted).toBe(false);
  });
});

describe("the thread page's posts on a full page load", () => {
  test("stand in the document once, in place and as UTF-8; route data carries them for later navigations", async () => {
    const body = "Im Gespräch – „Lernlandkarte“ 🙂 und <b>kein HTML</b> & mehr";
    const { threadId, openingId } = await newThread(cookies.jonas, {
      title: "Seitenaufbau mit Sonderzeichen",
      body: "Eröffnung – mit Gedankenstrich",
    });
    const first = await reply(cookies.petra, threadId, body);
    const second = await reply(cookies.sevgi, threadId, `${body} (zweite)`, first);

    const response = await get(url, `/diskussionen/${threadId}`, cookies.sevgi);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // Invalid UTF-8 (a block cut or copied wrongly) throws here.
    const html = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    expect(html).not.toContain("<!--server-html");
    for (const id of [openingId, first, second]) expect(html.split(`id="beitrag-${id}"`).length - 1, id).toBe(1);
    expect(html.split("Im Gespräch – „Lernlandkarte“ 🙂 und &lt;b&gt;kein HTML&lt;/b&gt; &amp; mehr").length - 1).toBe(
      2,
    );
    // Opening post first, then the replies' section, with the nested reply inside the first one's <details>.
    const openingAt = html.indexOf(`id="beitrag-${openingId}"`);
    const repliesAt = html.indexOf('id="antworten-titel"');
    expect(openingAt).toBeGreaterThan(html.indexOf("<h1>Seitenaufbau mit Sonderzeichen</h1>"));
    expect(repliesAt).toBeGreaterThan(openingAt);
    expect(html.indexOf(`id="beitrag-${first}"`)).toBeGreaterThan(repliesAt);
    expect(html.indexOf(`id="beitrag-${second}"`)).toBeGreaterThan(
      html.indexOf('<details open class="reply__children">'),
    );
    // Not a second time in the hydration data.
    expect(html.split("Eröffnung – mit Gedankenstrich").length - 1).toBe(1);
    // Remix's data scripts stand inside the body; the document ends once, at its very end (ADR 037).
    expect(html.endsWith("</body></html>")).toBe(true);
    expect(html.split("</html>").length - 1).toBe(1);
    expect(html.indexOf("streamController.close()")).toBeGreaterThan(html.indexOf(`id="beitrag-${second}"`));

    const data = decodeHtml(await (await get(url, `/diskussionen/${threadId}.data`, cookies.sevgi)).text());
    expect(data).toContain(`beitrag-${second}`);
    expect(data).toContain("Eröffnung – mit Gedankenstrich");
  });
});
