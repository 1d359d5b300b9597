/**
 * The notification centre over real HTTP: the settings page (validation, nothing changed on bad input), opening a
 * notification marks it read (someone else's is a 404), and the one-click unsubscribe link — usable without login,
 * GET only asks, POST turns the type off, any tampered link is refused with a German message and changes nothing.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, errorMessages, get, postForm, renderedPart } from "./helpers.ts";
import { notify } from "../../app/models/discussions/notifications.server.ts";
import { unsubscribeUrl } from "../../app/models/notifications/unsubscribe.server.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

async function stored(userId: string): Promise<Record<string, string>> {
  const rows = await server.database.rows<{ group: string; delivery: string }>(
    sql`select "group", delivery from notification_settings where user_id = ${userId}`,
  );
  return Object.fromEntries(rows.map((r) => [r.group, r.delivery]));
}

/** The path and query of a signed link (the server has no PUBLIC_URL here, so the host part is not ours to use). */
async function link(userId: string, target: Parameters<typeof unsubscribeUrl>[1]): Promise<string> {
  const full = new URL(await unsubscribeUrl(userId, target));
  return full.pathname + full.search;
}

/** A mail program's one-click POST (RFC 8058): no cookie, no Origin, the fixed body. */
/** The option a settings form shows as chosen for a group. */
function checked(html: string, group: string): string | undefined {
  return html.match(new RegExp(`<input type="radio" id="${group}-(\\w+)"[^>]*checked=""`))?.[1];
}

function oneClick(path: string): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  for (const email of ["mitglied@example.org", "mitglied2@example.org"]) {
    cookies[email] = await loginCookie(url, email);
    const [row] = await server.database.rows<{ id: string }>(sql`select id from users where email = ${email}`);
    ids[email] = row.id;
  }
});

afterAll(async () => {
  await server?.close();
});

describe("settings page", () => {
  test("needs a login", async () => {
    const response = await get(url, "/benachrichtigungen/einstellungen");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/anmelden?weiter=%2Fbenachrichtigungen%2Feinstellungen");
  });

  test("shows every group with its current choice; bad input is a 400 with a German message and saves nothing", async () => {
    const cookie = cookies["mitglied@example.org"];
    const page = decodeHtml(renderedPart(await (await get(url, "/benachrichtigungen/einstellungen", cookie)).text()));
    for (const label of [
      "Erwähnungen",
      "Antworten auf deine Fragen und als Lösung markiert",
      "Dialogrunden",
      "Kollegiale Fallberatung",
      "Neue Materialien",
      "Bevorstehende Dialogrunden",
    ]) {
      expect(page).toContain(`<legend>${label}</legend>`);
    }
    expect(checked(page, "mentions")).toBe("immediate");
    expect(checked(page, "replies")).toBe("daily");
    expect(checked(page, "materials")).toBe("weekly");
    // Digest-only sources offer no "immediately".
    expect(page).not.toContain('id="materials-immediate"');

    const all = {
      replies: "weekly",
      mentions: "immediate",
      answers: "in_app",
      rounds: "immediate",
      cases: "immediate",
      bookmarks: "immediate",
      materials: "daily",
      upcoming_rounds: "off",
    };
    const bad = await postForm(
      url,
      "/benachrichtigungen/einstellungen",
      { ...all, materials: "immediate", mentions: "manchmal" },
      { cookie },
    );
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(errorMessages(html)).toEqual([
      "Bitte prüfe die markierten Angaben. Es wurde nichts gespeichert.",
      "Bitte wähle eine der angebotenen Möglichkeiten.",
      "Bitte wähle eine der angebotenen Möglichkeiten.",
    ]);
    expect(html).toMatch(/id="mentions-fehler"/);
    expect(html).toMatch(/id="materials-fehler"/);
    // What was chosen stays chosen.
    expect(checked(decodeHtml(renderedPart(html)), "replies")).toBe("weekly");
    expect(await stored(ids["mitglied@example.org"])).toEqual({});

    const ok = await postForm(url, "/benachrichtigungen/einstellungen", all, { cookie });
    expect(ok.status).toBe(200);
    expect(decodeHtml(await ok.text())).toContain("Deine Einstellungen sind gespeichert.");
    expect(await stored(ids["mitglied@example.org"])).toEqual({
      replies: "weekly",
      answers: "in_app",
      materials: "daily",
      upcoming_rounds: "off",
    });
  });
});

describe("the notifications page", () => {
  test("a notification's link marks it read and leads to its thread; someone else's is a 404; one or all can be marked read", async () => {
    const sevgi = ids["mitglied@example.org"];
    const [thread] = await server.database.rows<{ id: string; post: string }>(
      sql`select id, opening_post_id as post from threads order by created_at limit 1`,
    );
    await notify([
      {
        userId: sevgi,
        type: "mention",
        threadId: thread.id,
        postId: thread.post,
        actorId: ids["mitglied2@example.org"],
      },
      { userId: sevgi, type: "mention", threadId: thread.id, postId: null, actorId: null },
    ]);
    const mine = await server.database.rows<{ id: number; read: boolean }>(
      sql`select id, read_at is not null as read from notifications where user_id = ${sevgi} order by id desc limit 2`,
    );
    const [second, first] = mine.map((m) => Number(m.id));
    const list = decodeHtml(
      renderedPart(await (await get(url, "/benachrichtigungen", cookies["mitglied@example.org"])).text()),
    );
    expect(list).toContain(`href="/benachrichtigungen/${first}"`);
    expect(list).toContain("Jonas Wagner hat dich erwähnt");

    const other = await get(url, `/benachrichtigungen/${first}`, cookies["mitglied2@example.org"]);
    expect(other.status).toBe(404);
    expect((await get(url, "/benachrichtigungen/keine-zahl", cookies["mitglied@example.org"])).status).toBe(404);

    const opened = await get(url, `/benachrichtigungen/${first}`, cookies["mitglied@example.org"]);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`/diskussionen/${thread.id}#beitrag-${thread.post}`);
    const readState = async () =>
      Object.fromEntries(
        (
          await server.database.rows<{ id: number; read: boolean }>(
            sql`select id, read_at is not null as read from notifications where id in (${first}, ${second})`,
          )
        ).map((r) => [Number(r.id), r.read]),
      );
    expect(await readState()).toEqual({ [first]: true, [second]: false });

    const one = await postForm(
      url,
      "/benachrichtigungen",
      { intent: "one", id: String(second) },
      { cookie: cookies["mitglied@example.org"] },
    );
    expect(one.status).toBe(200);
    expect(await readState()).toEqual({ [first]: true, [second]: true });
    const bad = await postForm(
      url,
      "/benachrichtigungen",
      { intent: "alles-löschen" },
      { cookie: cookies["mitglied@example.org"] },
    );
    expect(bad.status).toBe(400);
  });
});

describe("one-click unsubscribe", () => {
  test("GET asks with a button and changes nothing; a mail program's POST without login or Origin turns the type off", async () => {
    const jonas = ids["mitglied2@example.org"];
    const path = await link(jonas, "mentions");
    const page = await get(url, path);
    expect(page.status).toBe(200);
    const html = decodeHtml(renderedPart(await page.text()));
    expect(html).toContain("Möchtest du „Erwähnungen“ abbestellen?");
    expect(html).toContain("Ja, abbestellen");
    expect(await stored(jonas)).toEqual({});

    const done = await oneClick(path);
    expect(done.status).toBe(200);
    expect(decodeHtml(await done.text())).toContain("„Erwähnungen“ ist abbestellt.");
    expect(await stored(jonas)).toEqual({ mentions: "off" });
    // Other POSTs without Origin are still refused (the exemption is this one path).
    const elsewhere = await fetch(`${url}/benachrichtigungen`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies["mitglied2@example.org"] },
      body: new URLSearchParams({ intent: "all" }),
    });
    expect(elsewhere.status).toBe(403);
  });

  test("a digest's link lists what it turns off, turns exactly those off, and afterwards says there is nothing left", async () => {
    const email = "qv@example.org";
    const [row] = await server.database.rows<{ id: string }>(sql`select id from users where email = ${email}`);
    const path = await link(row.id, "digest_weekly");
    const page = decodeHtml(renderedPart(await (await get(url, path)).text()));
    expect(page).toContain("Möchtest du „Wöchentliche Zusammenfassung“ abbestellen?");
    expect(page).toContain("<li>Neue Materialien</li><li>Bevorstehende Dialogrunden</li>");
    expect((await oneClick(path)).status).toBe(200);
    expect(await stored(row.id)).toEqual({ materials: "off", upcoming_rounds: "off" });
    const again = decodeHtml(renderedPart(await (await get(url, path)).text()));
    expect(again).toContain("Die „Wöchentliche Zusammenfassung“ ist bereits abbestellt");
    expect(again).not.toContain("Ja, abbestellen");
  });

  test("tampered links are refused with a German message and change nothing", async () => {
    const jonas = ids["mitglied2@example.org"];
    const sevgi = ids["mitglied@example.org"];
    const good = new URL(`${url}${await link(jonas, "answers")}`);
    const variant = (change: Record<string, string | null>) => {
      const copy = new URL(good);
      for (const [k, v] of Object.entries(change)) {
        if (v === null) copy.searchParams.delete(k);
        else copy.searchParams.set(k, v);
      }
      return copy.pathname + copy.search;
    };
    const sig = good.searchParams.get("sig")!;
    const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    const tampered = [
      variant({ sig: flipped }), // changed signature
      variant({ art: "rounds" }), // another type with this type's signature
      variant({ art: "digest_weekly" }),
      variant({ m: sevgi }), // another member
      variant({ sig: null }),
      variant({ art: "<script>" }),
    ];
    const before = { jonas: await stored(jonas), sevgi: await stored(sevgi) };
    for (const path of tampered) {
      const shown = await get(url, path);
      expect(shown.status, path).toBe(400);
      expect(decodeHtml(await shown.text())).toContain(
        "Dieser Abmeldelink ist ungültig oder unvollständig. Es wurde nichts geändert.",
      );
      const posted = await oneClick(path);
      expect(posted.status, path).toBe(400);
      expect(decodeHtml(await posted.text())).toContain("Abbestellen nicht möglich");
    }
    expect({ jonas: await stored(jonas), sevgi: await stored(sevgi) }).toEqual(before);
  });
});
