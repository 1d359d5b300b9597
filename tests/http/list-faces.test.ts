/**
 * Faces in lists over real HTTP (ADR 028, issue 19 point 2): the thread lists (/diskussionen, /themen/:slug) show the
 * thread's author and the last reply's author, the notification centre who acted, the search page who wrote a hit.
 * A member with a picture gets their picture (fixed size, lazy, decorative), one without their initials on their
 * colour; anonymous authors stay a plain disc with no trace of who they are.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { plainPng } from "../setup/photos.ts";
import { get, postForm } from "./helpers.ts";
import { colourIndex, initials } from "../../app/domain/avatars/avatars.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const people: Record<string, { id: string; name: string }> = {};
let stamp = "";
let thread = "";
const WORD = "Gesichterprobe";

/** Waits until the in-process indexer has applied everything written so far. */
const indexed = () => globalThis.__companionSearch!.indexer!.drain();

async function page(path: string, cookie: string): Promise<string> {
  const response = await get(url, path, cookie);
  expect(response.status, path).toBe(200);
  return response.text();
}

/** The markup of the list entry (li) that contains `needle`. */
function entry(html: string, marker: string, needle: string): string {
  const parts = html.split(marker).slice(1);
  const found = parts.find((p) => p.includes(needle));
  expect(found, `an entry with "${needle}"`).toBeDefined();
  return found!.slice(0, found!.indexOf("</li>"));
}

/** The picture as React renders Avatar: 32 CSS px from the 48 px file, 96 px on 2x screens, lazy, decorative. */
const pictureOf = (who: string) =>
  `<img class="avatar avatar--s" src="/profilbilder/${people[who].id}/48.webp?v=${stamp}" srcSet="/profilbilder/${people[who].id}/96.webp?v=${stamp} 2x" width="32" height="32" alt="" loading="lazy" decoding="async"/>`;
const initialsOf = (who: string) =>
  `<span class="avatar avatar--s avatar--c${colourIndex(people[who].id)}" data-initials="${initials(people[who].name)}" aria-hidden="true"></span>`;

async function reply(cookie: string, fields: Record<string, string>): Promise<void> {
  const response = await postForm(
    url,
    `/diskussionen/${thread}`,
    { intent: "reply", parentId: "", ...fields },
    { cookie },
  );
  await response.body?.cancel();
  expect(response.status).toBe(302);
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  for (const [who, email] of Object.entries({
    sevgi: "mitglied@example.org",
    jonas: "mitglied2@example.org",
    petra: "qv@example.org",
  })) {
    cookies[who] = await loginCookie(url, email);
    const [row] = await server.database.rows<{ id: string; name: string }>(
      sql`select id, display_name as name from users where email = ${email}`,
    );
    people[who] = row;
  }
  // Sevgi has a picture; Jonas and Petra show initials.
  const form = new FormData();
  form.set("intent", "upload");
  form.set("picture", new Blob([Buffer.from(await plainPng(300, 300))], { type: "image/png" }), "ich.png");
  const uploaded = await fetch(`${url}/einstellungen/profilbild`, {
    method: "POST",
    headers: { Cookie: cookies.sevgi, Origin: url },
    body: form,
  });
  expect(uploaded.status).toBe(200);
  await uploaded.body?.cancel();
  [{ stamp }] = await server.database.rows<{ stamp: string }>(
    sql`select stamp from profile_pictures where user_id = ${people.sevgi.id}`,
  );

  // Jonas asks, Sevgi answers (Jonas is notified), Jonas answers her (she is notified).
  const created = await postForm(
    url,
    "/diskussionen/neu",
    {
      type: "question",
      category: "lerngespraeche",
      title: `Wer hat Erfahrung mit der ${WORD}?`,
      body: "Ich suche Beispiele aus euren Lerngesprächen.",
    },
    { cookie: cookies.jonas },
  );
  expect(created.status).toBe(302);
  thread = created.headers.get("location")!.replace("/diskussionen/", "");
  await reply(cookies.sevgi, { body: `Ja, die ${WORD} machen wir jeden Monat.` });
  const [sevgisReply] = await server.database.rows<{ id: string }>(
    sql`select id from posts where thread_id = ${thread} and author_id = ${people.sevgi.id}`,
  );
  await reply(cookies.jonas, { parentId: sevgisReply.id, body: "Danke, das probiere ich aus." });
  await indexed();
});

afterAll(async () => {
  await server?.close();
});

describe("faces in thread lists", () => {
  it("shows the author's initials and the last reply's author in both lists", async () => {
    for (const path of ["/diskussionen", "/themen/lerngespraeche"]) {
      const item = entry(await page(path, cookies.petra), '<li class="thread-list__item', WORD);
      // Jonas started it and wrote the last reply: his initials, each time beside his name.
      expect(item).toContain(`<span class="person">${initialsOf("jonas")}<span>${people.jonas.name}</span></span>`);
      expect(item).toMatch(
        /letzte Antwort von<\/span><span class="person"><span class="avatar avatar--s avatar--c\d" data-initials/,
      );
    }
  });

  it("shows the picture of a last reply's author who has one, lazy, sized and decorative", async () => {
    // Sevgi answers last now.
    await reply(cookies.sevgi, { body: "Und wir schreiben die Ergebnisse auf eine Seite." });
    const item = entry(await page("/diskussionen", cookies.petra), '<li class="thread-list__item', WORD);
    expect(item).toContain(
      `letzte Antwort von</span><span class="person">${pictureOf("sevgi")}<span>${people.sevgi.name}</span></span>`,
    );
  });

  it("keeps an anonymous last reply anonymous: a plain disc, no name, no picture", async () => {
    await reply(cookies.sevgi, { body: "Eine Frage dazu stelle ich lieber ohne Namen.", anonymous: "on" });
    const item = entry(await page("/diskussionen", cookies.petra), '<li class="thread-list__item', WORD);
    expect(item).toContain(
      'letzte Antwort von</span><span class="person"><span class="avatar avatar--s avatar--none" aria-hidden="true"></span><span>Anonymes Mitglied</span></span>',
    );
    expect(item).not.toContain(people.sevgi.id);
    expect(item.match(/<span>[^<]*<\/span>/g)).not.toContain(`<span>${people.sevgi.name}</span>`);
  });
});

describe("faces in notifications", () => {
  it("shows who acted: Sevgi's picture to Jonas, Jonas's initials to Sevgi", async () => {
    const forJonas = entry(
      await page("/benachrichtigungen", cookies.jonas),
      '<li class="notification',
      `${people.sevgi.name}`,
    );
    expect(forJonas).toContain(pictureOf("sevgi"));
    const forSevgi = entry(
      await page("/benachrichtigungen", cookies.sevgi),
      '<li class="notification',
      `${people.jonas.name} hat geantwortet`,
    );
    expect(forSevgi).toContain(initialsOf("jonas"));
  });
});

describe("faces in search hits", () => {
  it("shows who wrote a thread or reply hit, and the member of a member hit", async () => {
    const html = await page(`/suche?q=${WORD}`, cookies.petra);
    const threadHit = entry(html, '<li class="search-hit', `href="/diskussionen/${thread}"`);
    expect(threadHit).toContain(`<span class="person">${initialsOf("jonas")}<span>${people.jonas.name}</span></span>`);
    const replyHit = entry(html, '<li class="search-hit', "Antwort in");
    expect(replyHit).toContain(`<span class="person">${pictureOf("sevgi")}<span>${people.sevgi.name}</span></span>`);

    const members = await page(`/suche?q=${encodeURIComponent(people.sevgi.name)}&type=member`, cookies.petra);
    const memberHit = entry(members, '<li class="search-hit', `${people.sevgi.name}</a>`);
    expect(memberHit).toContain(`<h3 class="search-hit__title search-hit__title--person">${pictureOf("sevgi")}`);
  });
});
