/**
 * The moderators' desk over real HTTP: who reaches which page, who may change roles, accounts and site settings,
 * that every refused request changes nothing, and that the audit log has no way to be edited.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, DEMO_PASSWORD, errorMessages, get, postForm, sessionAlive } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};

const deskPages = [
  "/moderation",
  "/moderation/meldungen",
  "/moderation/materialien",
  "/moderation/themen",
  "/moderation/themenpakete",
  "/moderation/suche",
  "/moderation/mitglieder",
  "/moderation/protokoll",
  "/moderation/einblicke",
];

async function userId(email: string): Promise<string> {
  const [row] = await server.database.rows<{ id: string }>(sql`select id from users where email = ${email}`);
  return row.id;
}

async function roleOf(email: string): Promise<string> {
  const [row] = await server.database.rows<{ role: string }>(sql`select role from users where email = ${email}`);
  return row.role;
}

async function auditCount(): Promise<number> {
  const [row] = await server.database.rows<{ n: number }>(sql`select count(*)::int as n from audit_log`);
  return row.n;
}

async function status(response: Response): Promise<number> {
  await response.body?.cancel();
  return response.status;
}

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  for (const who of ["admin", "moderation", "mitglied", "mitglied2", "qv"])
    cookies[who] = await loginCookie(url, `${who}@example.org`);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe("who reaches the desk", () => {
  test("logged out: every desk page sends to the login and comes back afterwards", async () => {
    for (const page of [...deskPages, "/moderation/einstellungen"]) {
      const response = await get(url, page);
      expect(await status(response), page).toBe(302);
      expect(response.headers.get("location")).toBe(`/anmelden?weiter=${encodeURIComponent(page)}`);
    }
  });

  test("members get 403 on every desk page; moderators see them all but the site settings; admins see everything", async () => {
    for (const page of [...deskPages, "/moderation/einstellungen"]) {
      expect(await status(await get(url, page, cookies.mitglied)), `member ${page}`).toBe(403);
      expect(await status(await get(url, page, cookies.admin)), `admin ${page}`).toBe(200);
    }
    for (const page of deskPages)
      expect(await status(await get(url, page, cookies.moderation)), `moderator ${page}`).toBe(200);
    expect(await status(await get(url, "/moderation/einstellungen", cookies.moderation))).toBe(403);
    // The settings tab is offered to admins only.
    const moderatorPage = await (await get(url, "/moderation", cookies.moderation)).text();
    expect(moderatorPage).toContain('href="/moderation/protokoll"');
    expect(moderatorPage).not.toContain('href="/moderation/einstellungen"');
    expect(await (await get(url, "/moderation", cookies.admin)).text()).toContain('href="/moderation/einstellungen"');
  });

  test("the member list shows accounts to moderators, but only admins get controls", async () => {
    const moderatorView = decodeHtml(
      await (await get(url, "/moderation/mitglieder?q=schneider", cookies.moderation)).text(),
    );
    expect(moderatorView).toContain("Sevgi Schneider");
    expect(moderatorView).not.toContain("Rolle ändern");
    const adminView = decodeHtml(await (await get(url, "/moderation/mitglieder?q=schneider", cookies.admin)).text());
    expect(adminView).toContain("Rolle ändern");
    expect(adminView).toContain("Deaktivieren");
  });
});

describe("roles and accounts", () => {
  test("only admins change roles; refusals change nothing and write nothing", async () => {
    const target = await userId("mitglied2@example.org");
    const before = await auditCount();
    for (const who of ["mitglied", "moderation"]) {
      const response = await postForm(
        url,
        "/moderation/mitglieder",
        { intent: "role", userId: target, role: "admin" },
        { cookie: cookies[who] },
      );
      expect(await status(response), who).toBe(403);
    }
    expect(await roleOf("mitglied2@example.org")).toBe("member");
    expect(await auditCount()).toBe(before);

    // An admin cannot change their own role (so the last admin can never demote themselves).
    const self = await postForm(
      url,
      "/moderation/mitglieder",
      { intent: "role", userId: await userId("admin@example.org"), role: "member" },
      { cookie: cookies.admin },
    );
    expect(await status(self)).toBe(403);
    expect(await roleOf("admin@example.org")).toBe("admin");

    const bad = await postForm(
      url,
      "/moderation/mitglieder",
      { intent: "role", userId: target, role: "chef" },
      { cookie: cookies.admin },
    );
    expect(bad.status).toBe(400);
    expect(errorMessages(await bad.text())).toContain("Bitte wähle eine Rolle.");

    const ok = await postForm(
      url,
      "/moderation/mitglieder",
      { intent: "role", userId: target, role: "moderator" },
      { cookie: cookies.admin },
    );
    expect(ok.status).toBe(200);
    expect(decodeHtml(await ok.text())).toContain("Die Rolle ist jetzt „Moderation“.");
    expect(await roleOf("mitglied2@example.org")).toBe("moderator");
    expect(await auditCount()).toBe(before + 1);
    const log = decodeHtml(await (await get(url, "/moderation/protokoll?art=user", cookies.moderation)).text());
    expect(log).toContain("Rolle von „Jonas Wagner“ geändert: Mitglied → Moderation");
  });

  test("deactivating a member ends their sessions and login; reactivating lets them in again", async () => {
    const target = await userId("qv@example.org");
    expect(await sessionAlive(url, cookies.qv)).toBe(true);
    const refused = await postForm(
      url,
      "/moderation/mitglieder",
      { intent: "deactivate", userId: target },
      { cookie: cookies.moderation },
    );
    expect(await status(refused)).toBe(403);
    expect(await sessionAlive(url, cookies.qv)).toBe(true);

    const done = await postForm(
      url,
      "/moderation/mitglieder",
      { intent: "deactivate", userId: target },
      { cookie: cookies.admin },
    );
    expect(await status(done)).toBe(200);
    expect(await sessionAlive(url, cookies.qv)).toBe(false);
    const login = await postForm(url, "/anmelden", { email: "qv@example.org", password: DEMO_PASSWORD });
    expect(login.status).toBe(400);
    expect(decodeHtml(await login.text())).toContain("E-Mail-Adresse oder Passwort stimmen nicht.");

    expect(
      await status(
        await postForm(
          url,
          "/moderation/mitglieder",
          { intent: "reactivate", userId: target },
          { cookie: cookies.admin },
        ),
      ),
    ).toBe(200);
    cookies.qv = await loginCookie(url, "qv@example.org");
    expect(await sessionAlive(url, cookies.qv)).toBe(true);
  });
});

describe("site settings", () => {
  test("only admins change them, and they take effect: name in header and title, welcome text, registration", async () => {
    const fields = {
      siteName: "Netzwerk der Lernbegleitung Nord",
      welcomeText: "Schön, dass du hier bist.\n\nFrag nach!",
      openRegistration: "on",
    };
    const before = await auditCount();
    for (const who of ["mitglied", "moderation"]) {
      expect(
        await status(await postForm(url, "/moderation/einstellungen", fields, { cookie: cookies[who] })),
        who,
      ).toBe(403);
    }
    expect(await auditCount()).toBe(before);
    expect(await status(await get(url, "/registrieren"))).toBe(404);

    const tooShort = await postForm(
      url,
      "/moderation/einstellungen",
      { ...fields, siteName: "N" },
      { cookie: cookies.admin },
    );
    expect(tooShort.status).toBe(400);
    const refusedPage = decodeHtml(await tooShort.text());
    expect(errorMessages(refusedPage)).toContain("Der Name braucht mindestens 3 Zeichen.");
    // What was typed stays in the form.
    expect(refusedPage).toContain("Frag nach!");

    expect(await status(await postForm(url, "/moderation/einstellungen", fields, { cookie: cookies.admin }))).toBe(200);
    expect(await auditCount()).toBe(before + 1);
    const start = decodeHtml(await (await get(url, "/")).text());
    expect(start).toContain("<title>Netzwerk der Lernbegleitung Nord</title>");
    expect(start).toContain("Schön, dass du hier bist.");
    const threads = decodeHtml(await (await get(url, "/diskussionen", cookies.mitglied)).text());
    expect(threads).toContain("<title>Diskussionen – Netzwerk der Lernbegleitung Nord</title>");
    expect(threads).toMatch(/site-header__brand[^>]*>Netzwerk der Lernbegleitung Nord</);
    expect(await status(await get(url, "/registrieren"))).toBe(200);

    // Closing registration again: the page is gone and a direct POST is refused.
    expect(
      await status(
        await postForm(
          url,
          "/moderation/einstellungen",
          { siteName: fields.siteName, welcomeText: "" },
          { cookie: cookies.admin },
        ),
      ),
    ).toBe(200);
    expect(await status(await get(url, "/registrieren"))).toBe(404);
    const post = await postForm(url, "/registrieren", {
      displayName: "Neu",
      handle: "neu-hier",
      email: "neu@example.org",
      password: "ein-gutes-passwort",
    });
    expect(await status(post)).toBe(404);
  });
});

describe('the usage counter behind "materials most used"', () => {
  test("a page view and a document download count per material and day, with no person column", async () => {
    const [file] = await server.database.rows<{ id: string; material_id: string }>(sql`
      select f.id, f.material_id from material_files f join materials m on m.id = f.material_id
      where m.status = 'published' and f.kind = 'document' limit 1`);
    const usage = async () => {
      const [row] = await server.database.rows<{ views: number; downloads: number }>(
        sql`select coalesce(sum(views), 0)::int as views, coalesce(sum(downloads), 0)::int as downloads from material_usage where material_id = ${file.material_id}`,
      );
      return row;
    };
    const before = await usage();
    expect(await status(await get(url, `/materialien/${file.material_id}`, cookies.mitglied))).toBe(200);
    const download = await get(url, `/dateien/${file.id}`, cookies.mitglied);
    expect(download.status).toBe(200);
    await download.arrayBuffer();
    // The download is counted once the response has finished.
    await expect.poll(usage, { timeout: 10_000 }).toEqual({ views: before.views + 1, downloads: before.downloads + 1 });
    const columns = await server.database.rows<{ column_name: string }>(
      sql`select column_name from information_schema.columns where table_name = 'material_usage' order by column_name`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(["day", "downloads", "material_id", "views"]);
  });
});

describe("the audit log cannot be edited", () => {
  test("its page has no action: any POST is refused and nothing changes", async () => {
    const [first] = await server.database.rows<{ id: number; action: string }>(
      sql`select id, action from audit_log order by id limit 1`,
    );
    const before = await auditCount();
    for (const who of ["admin", "moderation", "mitglied"]) {
      const response = await postForm(
        url,
        "/moderation/protokoll",
        { id: String(first.id), action: "geändert", intent: "delete" },
        { cookie: cookies[who] },
      );
      expect(await status(response), who).toBe(405);
    }
    expect(await auditCount()).toBe(before);
    const [after] = await server.database.rows<{ action: string }>(
      sql`select action from audit_log where id = ${first.id}`,
    );
    expect(after.action).toBe(first.action);
  });
});
