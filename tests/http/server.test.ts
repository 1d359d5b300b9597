/**
 * The production server over real HTTP: German pages, security headers, login with rate limiting, the Origin
 * check, invitations, open registration, error pages, logout and the settings form.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer, tempDataDir } from "../setup/server.ts";
import { DEMO_PASSWORD, get, postForm, sessionAlive, sessionFrom } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** The HTML of a page with the entities and text-joining comments React writes taken out again. */
async function html(response: Response): Promise<string> {
  const text = await response.text();
  return text
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The invitation link the moderation page shows once after creating it. */
function invitationPath(page: string): string {
  const match = page.match(/\/einladung\/([a-z2-7]{32})/);
  if (!match) throw new Error("no invitation link on the page");
  return match[0];
}

const THIRTY_DAYS = 30 * 24 * 60 * 60;

// Both servers of this file use one data directory in turn: reopening it is much faster than creating a database.
const dataDir = tempDataDir();
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("invitation-only site (default configuration)", () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer({ DATA_DIR: dataDir });
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  test("the start page is German, with security headers and a nonce CSP without foreign hosts", async () => {
    const response = await get(url, "/");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/^<!DOCTYPE html><html lang="de">/);
    expect(page).toContain("Das Lernbegleitungs-Netzwerk");
    expect(page).toContain("Anmelden");

    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain("unsafe-eval");
    // No third-party host anywhere: every source is 'self', a nonce, data:/blob: or 'none'.
    expect(csp).not.toMatch(/https?:|\*|\.[a-z]{2,}\b/i);
    expect(csp.match(/script-src[^;]*/)?.[0]).not.toContain("unsafe-inline");

    const scripts = page.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // Scripts come from this site only.
    expect(page).not.toMatch(/<script[^>]+src="(https?:)?\/\//);
    // Remix's data scripts (after the app in React's output) are moved into the body: nothing after </html> (ADR 037).
    expect(page).toMatch(/streamController\.close\(\);<\/script><!--\/\$--><!--\/\$--><\/body><\/html>$/);

    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("x-powered-by")).toBeNull();

    // Every response gets its own nonce.
    const again = await get(url, "/");
    await again.body?.cancel();
    expect(again.headers.get("content-security-policy")).not.toContain(nonce);
  });

  test("the favicon and the built assets are served as files; page paths are not looked up as files", async () => {
    const icon = await get(url, "/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await icon.text()).toContain("<svg");
    const page = await (await get(url, "/")).text();
    const asset = page.match(/\/assets\/[\w.-]+\.js/)?.[0];
    expect(asset).toBeTruthy();
    const script = await get(url, asset!);
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    await script.body?.cancel();
    // A missing static file gets a short plain 404 (ADR 033); a missing page the site's 404 page.
    const missing = await get(url, "/favicon.png");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await missing.text()).toBe("Nicht gefunden.");
    const page404 = await get(url, "/favicon");
    expect(page404.status).toBe(404);
    expect(await page404.text()).toContain("Seite nicht gefunden");
  });

  test("/healthz reports the embedded database as JSON", async () => {
    const response = await get(url, "/healthz");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({ status: "ok", database: "pglite" });
    expect(typeof body.latencyMs).toBe("number");
  });

  test("a wrong password gives 400 with a German message, keeps the e-mail and sets no cookie", async () => {
    const headers = { "X-Forwarded-For": "192.0.2.10" };
    const wrong = await postForm(
      url,
      "/anmelden",
      { email: "admin@example.org", password: "falsch-falsch" },
      { headers },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const page = await html(wrong);
    expect(page).toContain('lang="de"');
    expect(page).toContain("E-Mail-Adresse oder Passwort stimmen nicht.");
    expect(page).toContain('value="admin@example.org"');

    // An unknown address gets exactly the same answer, so the form does not reveal who has an account.
    const unknown = await postForm(
      url,
      "/anmelden",
      { email: "niemand@example.org", password: "falsch-falsch" },
      { headers },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.headers.getSetCookie()).toEqual([]);
    expect(await html(unknown)).toContain("E-Mail-Adresse oder Passwort stimmen nicht.");

    // A malformed address is a field error, in German.
    const malformed = await postForm(url, "/anmelden", { email: "kein-at-zeichen", password: "x" }, { headers });
    expect(malformed.status).toBe(400);
    expect(await html(malformed)).toContain("Das ist keine gültige E-Mail-Adresse.");
  });

  test("the right password sets an HttpOnly, SameSite=Lax session cookie for 30 days (not Secure on http)", async () => {
    const response = await postForm(url, "/anmelden", { email: "admin@example.org", password: DEMO_PASSWORD });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const attributes = cookies[0].split(";").map((a) => a.trim());
    expect(attributes[0]).toMatch(/^lbn_session=[a-z2-7]{32}$/);
    expect(attributes).toContain("HttpOnly");
    expect(attributes).toContain("SameSite=Lax");
    expect(attributes).toContain("Path=/");
    expect(attributes.map((a) => a.toLowerCase())).not.toContain("secure");
    const maxAge = Number(attributes.find((a) => a.startsWith("Max-Age="))?.slice("Max-Age=".length));
    expect(maxAge).toBeGreaterThan(THIRTY_DAYS - 120);
    expect(maxAge).toBeLessThanOrEqual(THIRTY_DAYS);

    const cookie = attributes[0];
    const start = await get(url, "/", cookie);
    expect(await start.text()).toContain("Andrea Adler");
    expect(await sessionAlive(url, cookie)).toBe(true);
  });

  test("after login the user goes back where they came from, but never to another site", async () => {
    const back = await postForm(url, "/anmelden", {
      email: "moderation@example.org",
      password: DEMO_PASSWORD,
      redirectTo: "/moderation",
    });
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe("/moderation");

    const foreign = await postForm(url, "/anmelden", {
      email: "moderation@example.org",
      password: DEMO_PASSWORD,
      redirectTo: "//evil.example/phish",
    });
    expect(foreign.status).toBe(302);
    expect(foreign.headers.get("location")).toBe("/");
  });

  test("a POST from a foreign Origin or without Origin is refused with 403", async () => {
    const body = { email: "admin@example.org", password: DEMO_PASSWORD };
    for (const origin of ["http://evil.example", "null", null, "http://localhost:1"]) {
      const response = await postForm(url, "/anmelden", body, { origin });
      expect(response.status, `Origin ${origin}`).toBe(403);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await response.text()).toContain("Abgelehnt");
    }

    // A forged logout from another site does not end the session.
    const cookie = await loginCookie(url, "mitglied@example.org");
    const forged = await postForm(url, "/abmelden", { everywhere: "1" }, { cookie, origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(await sessionAlive(url, cookie)).toBe(true);
  });

  test("a moderator invites a member; the link works once and creates a logged-in member account", async () => {
    const moderator = await loginCookie(url, "moderation@example.org");
    const created = await postForm(
      url,
      "/moderation",
      { intent: "create", role: "member", note: "für Frau Test" },
      { cookie: moderator },
    );
    expect(created.status).toBe(200);
    const page = await html(created);
    expect(page).toContain("Einladung erstellt.");
    const link = invitationPath(page);
    expect(page).toContain(`${url}${link}`);

    const open = await get(url, link);
    expect(open.status).toBe(200);
    expect(await html(open)).toContain("Willkommen im Netzwerk");

    // A too short password is a German field error; the invitation stays usable and the input is kept.
    const short = await postForm(url, link, {
      displayName: "Frieda Test",
      handle: "frieda-test",
      email: "frieda@example.org",
      password: "kurz",
    });
    expect(short.status).toBe(400);
    const shortPage = await html(short);
    expect(shortPage).toContain("Das Passwort muss mindestens 10 Zeichen lang sein.");
    expect(shortPage).toContain('value="Frieda Test"');
    expect(shortPage).toContain('value="frieda@example.org"');

    const accepted = await postForm(url, link, {
      displayName: "Frieda Test",
      handle: "frieda-test",
      email: "frieda@example.org",
      password: "ein-gutes-passwort",
    });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe("/einstellungen?willkommen=1");
    const cookie = sessionFrom(accepted);
    expect(cookie).toBeTruthy();
    const settings = await get(url, "/einstellungen?willkommen=1", cookie!);
    expect(settings.status).toBe(200);
    expect(await html(settings)).toContain("frieda@example.org");
    // A member: no moderators' desk.
    const desk = await get(url, "/moderation", cookie!);
    expect(desk.status).toBe(403);
    await desk.body?.cancel();
    // The new account can log in with its password.
    expect(await loginCookie(url, "frieda@example.org", "ein-gutes-passwort")).toMatch(/^lbn_session=/);

    // Second use: the page says so, and submitting is refused without creating an account.
    const usedPage = await get(url, link);
    expect(await html(usedPage)).toContain("Diese Einladung wurde schon benutzt.");
    const second = await postForm(url, link, {
      displayName: "Zweite Person",
      handle: "zweite-person",
      email: "zweite@example.org",
      password: "ein-gutes-passwort",
    });
    expect(second.status).toBe(400);
    expect(second.headers.getSetCookie()).toEqual([]);
    expect(await html(second)).toContain("Diese Einladung ist nicht mehr gültig.");
    const noAccount = await postForm(
      url,
      "/anmelden",
      { email: "zweite@example.org", password: "ein-gutes-passwort" },
      { headers: { "X-Forwarded-For": "192.0.2.20" } },
    );
    expect(noAccount.status).toBe(400);
    await noAccount.body?.cancel();

    // A token nobody issued.
    const unknown = await get(url, `/einladung/${"a".repeat(32)}`);
    expect(await html(unknown)).toContain("Diese Einladung kennen wir nicht.");
  });

  test("members cannot create invitations and moderators cannot hand out moderator or admin rights", async () => {
    const member = await loginCookie(url, "mitglied@example.org");
    const byMember = await postForm(
      url,
      "/moderation",
      { intent: "create", role: "member", note: "" },
      { cookie: member },
    );
    expect(byMember.status).toBe(403);
    const memberPage = await html(byMember);
    expect(memberPage).toContain("Kein Zugriff");
    expect(memberPage).not.toMatch(/\/einladung\/[a-z2-7]{32}/);

    const moderator = await loginCookie(url, "moderation@example.org");
    for (const role of ["admin", "moderator"]) {
      const response = await postForm(url, "/moderation", { intent: "create", role, note: "" }, { cookie: moderator });
      expect(response.status, role).toBe(403);
      expect(await html(response)).not.toMatch(/\/einladung\/[a-z2-7]{32}/);
    }

    // Not logged in: to the login page, and back here afterwards.
    const anonymous = await postForm(url, "/moderation", { intent: "create", role: "member", note: "" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/anmelden?weiter=%2Fmoderation");

    // An admin may invite a moderator, and the invited account gets that role.
    const admin = await loginCookie(url, "admin@example.org");
    const created = await postForm(
      url,
      "/moderation",
      { intent: "create", role: "moderator", note: "" },
      { cookie: admin },
    );
    expect(created.status).toBe(200);
    const link = invitationPath(await html(created));
    const invitation = await get(url, link);
    expect(await html(invitation)).toContain("mit der Rolle „Moderation“");
    const accepted = await postForm(url, link, {
      displayName: "Moritz Moderation",
      handle: "moritz-mod",
      email: "moritz@example.org",
      password: "noch-ein-passwort",
    });
    expect(accepted.status).toBe(302);
    const desk = await get(url, "/moderation", sessionFrom(accepted)!);
    expect(desk.status).toBe(200);
    expect(await html(desk)).toContain("Mitglieder einladen");
  });

  test("registration does not exist without OPEN_REGISTRATION", async () => {
    const page = await get(url, "/registrieren");
    expect(page.status).toBe(404);
    expect(await html(page)).toContain("Seite nicht gefunden");

    const post = await postForm(url, "/registrieren", {
      displayName: "Rita Registriert",
      handle: "rita-registriert",
      email: "rita@example.org",
      password: "ein-gutes-passwort",
    });
    expect(post.status).toBe(404);
    expect(post.headers.getSetCookie()).toEqual([]);
    await post.body?.cancel();
    const login = await postForm(
      url,
      "/anmelden",
      { email: "rita@example.org", password: "ein-gutes-passwort" },
      { headers: { "X-Forwarded-For": "192.0.2.30" } },
    );
    expect(login.status).toBe(400);
    await login.body?.cancel();

    // The login page does not advertise it either.
    expect(await html(await get(url, "/anmelden"))).not.toContain('href="/registrieren"');
  });

  test("unknown paths give the German 404 page, forbidden pages the German 403 page", async () => {
    const missing = await get(url, "/gibt-es-nicht/wirklich");
    expect(missing.status).toBe(404);
    const missingPage = await html(missing);
    expect(missingPage).toContain('<html lang="de">');
    expect(missingPage).toContain("Seite nicht gefunden");
    expect(missingPage).toContain("Diese Seite gibt es nicht (mehr).");
    expect(missingPage).toContain("Zur Startseite");

    const member = await loginCookie(url, "mitglied@example.org");
    const forbidden = await get(url, "/moderation", member);
    expect(forbidden.status).toBe(403);
    const forbiddenPage = await html(forbidden);
    expect(forbiddenPage).toContain('<html lang="de">');
    expect(forbiddenPage).toContain("Kein Zugriff");
    expect(forbiddenPage).toContain("Für diese Seite fehlt dir die Berechtigung.");
    expect(forbiddenPage).not.toContain("Mitglieder einladen");
  });

  test("logout ends this session only; logout on all devices ends every session of the user", async () => {
    const first = await loginCookie(url, "qv@example.org");
    const second = await loginCookie(url, "qv@example.org");
    const third = await loginCookie(url, "qv@example.org");
    const other = await loginCookie(url, "moderation@example.org");

    const logout = await postForm(url, "/abmelden", {}, { cookie: first });
    expect(logout.status).toBe(302);
    expect(logout.headers.get("location")).toBe("/anmelden?abgemeldet=1");
    expect(logout.headers.getSetCookie()[0]).toMatch(/^lbn_session=; .*Max-Age=0/);
    expect(await sessionAlive(url, first)).toBe(false);
    expect(await sessionAlive(url, second)).toBe(true);
    expect(await sessionAlive(url, third)).toBe(true);

    const settings = await html(await get(url, "/einstellungen", second));
    expect(settings).toContain("auf 2 Geräten angemeldet");

    const everywhere = await postForm(url, "/abmelden", { everywhere: "1" }, { cookie: second });
    expect(everywhere.status).toBe(302);
    expect(everywhere.headers.get("location")).toBe("/anmelden?abgemeldet=1");
    expect(await sessionAlive(url, second)).toBe(false);
    expect(await sessionAlive(url, third)).toBe(false);
    // Other people stay logged in.
    expect(await sessionAlive(url, other)).toBe(true);

    const loginPage = await html(await get(url, "/anmelden?abgemeldet=1"));
    expect(loginPage).toContain("Du bist abgemeldet.");
  });

  test("a bad handle in the profile gives a German 400 message next to the field and keeps the other input", async () => {
    const cookie = await loginCookie(url, "mitglied@example.org");
    const fields = {
      intent: "profile",
      displayName: "Sevgi Schneider-Neu",
      handle: "Sevgi Schneider!",
      roleText: "Lernbegleiterin im Jobcenter Köln",
      legalDomain: "sgb3",
      region: "Bonn",
      bio: "Ein neuer Text über mich.",
    };
    const bad = await postForm(url, "/einstellungen", fields, { cookie });
    expect(bad.status).toBe(400);
    const page = await html(bad);
    // The message sits under the handle field and is tied to it for screen readers.
    expect(page).toContain(
      '<p id="handle-fehler" class="field__error">Erlaubt sind Kleinbuchstaben ohne Umlaute, Ziffern, - und _',
    );
    expect(page).toMatch(/<input id="handle" name="handle" aria-invalid="true" aria-describedby="[^"]*handle-fehler"/);
    expect(page).not.toMatch(/<input id="region" name="region" aria-invalid/);
    expect(page).toContain('value="Sevgi Schneider-Neu"');
    expect(page).toContain('value="Sevgi Schneider!"');
    expect(page).toContain('value="Bonn"');
    expect(page).toContain('value="Lernbegleiterin im Jobcenter Köln"');
    expect(page).toContain(">Ein neuer Text über mich.</textarea>");
    expect(page).toMatch(/<option value="sgb3" selected="">/);

    // A handle someone else has: the message comes from the model, the input is kept as well.
    const taken = await postForm(url, "/einstellungen", { ...fields, handle: "malte-meyer" }, { cookie });
    expect(taken.status).toBe(400);
    const takenPage = await html(taken);
    expect(takenPage).toContain("Dieser Kurzname ist schon vergeben.");
    expect(takenPage).toContain('value="Bonn"');
    expect(takenPage).toContain('value="malte-meyer"');

    // Nothing was saved.
    const unchanged = await html(await get(url, "/einstellungen", cookie));
    expect(unchanged).toContain('value="Köln"');
    expect(unchanged).toContain('value="sevgi-schneider"');

    // A valid change is saved.
    const saved = await postForm(url, "/einstellungen", { ...fields, handle: "sevgi-neu" }, { cookie });
    expect(saved.status).toBe(200);
    const savedPage = await html(saved);
    expect(savedPage).toContain("Dein Profil ist gespeichert.");
    expect(savedPage).toContain('value="sevgi-neu"');
    expect(savedPage).toContain('value="Bonn"');
  });
});

describe("open registration (OPEN_REGISTRATION=true)", () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer({ DATA_DIR: dataDir, OPEN_REGISTRATION: "true" });
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  test("anyone can register and is logged in; duplicates and bad input get German messages", async () => {
    const page = await get(url, "/registrieren");
    expect(page.status).toBe(200);
    expect(await html(page)).toContain("<h1>Registrieren</h1>");
    expect(await html(await get(url, "/anmelden"))).toContain('href="/registrieren"');

    const fields = {
      displayName: "Rita Registriert",
      handle: "rita-registriert",
      email: "Rita@Example.org",
      password: "ein-gutes-passwort",
    };
    const registered = await postForm(url, "/registrieren", fields);
    expect(registered.status).toBe(302);
    expect(registered.headers.get("location")).toBe("/einstellungen?willkommen=1");
    const cookie = sessionFrom(registered);
    expect(cookie).toBeTruthy();
    const settings = await html(await get(url, "/einstellungen?willkommen=1", cookie!));
    expect(settings).toContain("Schön, dass du da bist!");
    expect(settings).toContain("rita@example.org");

    // A registered account is a member, not more.
    const desk = await get(url, "/moderation", cookie!);
    expect(desk.status).toBe(403);
    await desk.body?.cancel();

    const duplicate = await postForm(url, "/registrieren", { ...fields, handle: "rita-zwei" });
    expect(duplicate.status).toBe(400);
    const duplicatePage = await html(duplicate);
    expect(duplicatePage).toContain("Für diese E-Mail-Adresse gibt es schon ein Konto.");
    expect(duplicatePage).toContain('value="rita-zwei"');
    expect(duplicate.headers.getSetCookie()).toEqual([]);

    const invalid = await postForm(url, "/registrieren", { ...fields, email: "rita2@example.org", displayName: "R" });
    expect(invalid.status).toBe(400);
    expect(await html(invalid)).toContain("Der Name muss mindestens 2 Zeichen lang sein.");
  });
});
