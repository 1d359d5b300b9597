/**
 * Accounts over HTTP against the real server: the login's throttling answer (429, Retry-After, German text), the
 * redirect after login, caching headers for anything that depends on a session, HSTS, and feed tokens that end with
 * the account.
 */
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { THROTTLE, throttleKey } from "../../app/models/accounts/throttle.server.ts";
import { loginCookie, spawnServer, startTestServer, tempDataDir } from "../setup/server.ts";
import { decodeHtml, DEMO_PASSWORD, get, postForm } from "./helpers.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** A login form post as a browser behind the local reverse proxy would send it (the proxy names the address). */
function loginFrom(address: string, fields: Record<string, string>) {
  return postForm(server.url, "/anmelden", fields, { headers: { "X-Forwarded-For": address } });
}

/** Moves the end of the account's current wait to `seconds` from now (what a longer attack would have reached). */
async function lengthenWait(email: string, seconds: number): Promise<void> {
  const key = await throttleKey.account(email);
  const updated = await server.database.rows<{ key: string }>(
    sql`update login_throttle set next_allowed_at = now() + make_interval(secs => ${seconds}) where key = ${key} returning key`,
  );
  expect(updated).toHaveLength(1);
}

async function userId(email: string): Promise<string> {
  const [row] = await server.database.rows<{ id: string }>(sql`select id from users where email = ${email}`);
  return row.id;
}

describe("login throttling", () => {
  test("after the account's allowance, a wrong or right password waits: 429, Retry-After and a German message", async () => {
    const email = "mitglied5@example.org";
    for (let i = 0; i < THROTTLE.account; i++) {
      const wrong = await loginFrom(`198.51.100.${i + 1}`, { email, password: "falsch-geraten" });
      expect(wrong.status).toBe(400);
      expect(decodeHtml(await wrong.text())).toContain("E-Mail-Adresse oder Passwort stimmen nicht.");
    }
    // The first wait is one second, shorter than this machine may take between two requests; the test lengthens it
    // as a longer attack would (the growth itself is proven with a set clock in tests/db/login-throttle.test.ts).
    await lengthenWait(email, 90);
    const refused = await loginFrom("198.51.100.50", { email, password: DEMO_PASSWORD });
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers.get("retry-after"));
    expect(seconds).toBeGreaterThanOrEqual(80);
    expect(seconds).toBeLessThanOrEqual(90);
    const html = decodeHtml(await refused.text());
    expect(html).toContain(`Zu viele Versuche. Bitte warte ${seconds} Sekunden.`);
    // What was typed stays in the form.
    expect(html).toContain(`value="${email}"`);
  });

  test("the owner's known address gets in while strangers keep the account waiting", async () => {
    const email = "mitglied4@example.org";
    const owner = await loginFrom("203.0.113.7", { email, password: DEMO_PASSWORD });
    expect(owner.status).toBe(302);
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        loginFrom(`192.0.2.${i + 1}`, { email, password: "falsch-geraten" }).then(
          async (r) => (await r.body?.cancel(), r.status),
        ),
      ),
    );
    // The exact count under a set clock is in the db test; here the requests take real time, and a wait that ends
    // while they are answered lets one more through.
    expect(attempts.filter((s) => s === 400).length).toBeGreaterThanOrEqual(THROTTLE.account);
    expect(attempts.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    await lengthenWait(email, 600);
    const stranger = await loginFrom("192.0.2.200", { email, password: DEMO_PASSWORD });
    expect(stranger.status).toBe(429);
    expect(decodeHtml(await stranger.text())).toContain("Zu viele Versuche. Bitte warte 10 Minuten.");
    const again = await loginFrom("203.0.113.7", { email, password: DEMO_PASSWORD });
    expect(again.status).toBe(302);
    expect(again.headers.getSetCookie().some((c) => c.startsWith("lbn_session="))).toBe(true);
  });
});

describe("redirect after login", () => {
  test("a target that leaves the site after URL parsing, or carries a newline, sends the browser to the start page", async () => {
    const cases: [string, string][] = [
      [decodeURIComponent("%2F%09%2Fevil.example%2Fx"), "/"],
      ["/\n/evil.example", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example/", "/"],
      ["/\r\nSet-Cookie:x=1", "/Set-Cookie:x=1"],
      ["/diskussionen?schlagwort=a%20b", "/diskussionen?schlagwort=a%20b"],
    ];
    for (const [target, expected] of cases) {
      const response = await loginFrom("198.51.100.200", {
        email: "mitglied@example.org",
        password: DEMO_PASSWORD,
        redirectTo: target,
      });
      expect(response.status, JSON.stringify(target)).toBe(302);
      expect(response.headers.get("location"), JSON.stringify(target)).toBe(expected);
    }
    // The loader's redirect for someone already logged in applies the same rule (a newline gave a 500 before).
    const cookie = await loginCookie(server.url, "mitglied@example.org");
    for (const [weiter, expected] of [
      ["%2F%09%2Fevil.example%2Fx", "/"],
      ["%2F%0A%2Fevil.example", "/"],
      ["%2F%0D%0ASet-Cookie:x=1", "/Set-Cookie:x=1"],
    ]) {
      const response = await get(server.url, `/anmelden?weiter=${weiter}`, cookie);
      expect(response.status, weiter).toBe(302);
      expect(response.headers.get("location"), weiter).toBe(expected);
      expect(
        response.headers.getSetCookie().some((c) => c.startsWith("x=")),
        weiter,
      ).toBe(false);
    }
  });
});

describe("caching and transport headers", () => {
  test("pages and data requests with a session are private and not stored; static assets stay cacheable", async () => {
    const cookie = await loginCookie(server.url, "mitglied@example.org");
    const [consultation] = await server.database.rows<{ id: string }>(
      sql`select p.case_id as id from case_participants p join users u on u.id = p.user_id where u.email = 'mitglied@example.org' limit 1`,
    );
    for (const path of [
      `/fallberatung/${consultation.id}`,
      `/fallberatung/${consultation.id}.data`,
      "/",
      "/einstellungen",
      "/mitglieder",
    ]) {
      const response = await get(server.url, path, cookie);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toBe("private, no-store");
      await response.body?.cancel();
    }
    // The login's answer sets the cookie; an expired or forged cookie counts as presented too.
    const login = await loginFrom("198.51.100.201", { email: "mitglied@example.org", password: DEMO_PASSWORD });
    expect(login.headers.get("cache-control")).toBe("private, no-store");
    const forged = await get(server.url, "/anmelden", "lbn_session=abcdefghijklmnopqrstuvwxyz234567");
    expect(forged.headers.get("cache-control")).toBe("private, no-store");
    await forged.body?.cancel();
    // Anonymous public page: nothing personal in it, no session involved.
    const anonymous = await get(server.url, "/anmelden");
    expect(anonymous.headers.get("cache-control") ?? "").not.toContain("no-store");
    await anonymous.body?.cancel();
    // A route's own private policy is kept (member suggestions may be reused by the same browser for 30 s).
    const suggestions = await get(server.url, "/api/v1/members?q=se", cookie);
    expect(suggestions.headers.get("cache-control")).toBe("private, max-age=30");
    await suggestions.body?.cancel();
    const page = await (await get(server.url, "/anmelden")).text();
    const asset = page.match(/\/assets\/[\w.-]+\.js/)![0];
    const assetResponse = await get(server.url, asset, cookie);
    expect(assetResponse.status).toBe(200);
    expect(assetResponse.headers.get("cache-control")).toContain("immutable");
    await assetResponse.body?.cancel();
  });

  test("HSTS under https (forwarded by the local proxy), not over plain http", async () => {
    const plain = await get(server.url, "/anmelden");
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    await plain.body?.cancel();
    const viaProxy = await fetch(`${server.url}/anmelden`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(viaProxy.headers.get("strict-transport-security")).toBe("max-age=31536000");
    await viaProxy.body?.cancel();
  });

  test("HSTS on every answer when SESSION_SECURE=true", { timeout: 120_000 }, async () => {
    const dataDir = tempDataDir();
    const secure = await spawnServer({ SESSION_SECURE: "true", SEED_DEMO: "false", DATA_DIR: dataDir }, 100_000);
    try {
      for (const path of ["/anmelden", "/healthz", "/gibt-es-nicht"]) {
        const response = await get(secure.url, path);
        expect(response.headers.get("strict-transport-security"), path).toBe("max-age=31536000");
        await response.body?.cancel();
      }
    } finally {
      await secure.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("feed tokens end with the account", () => {
  async function feedUrls(cookie: string): Promise<{ podcast: string; calendar: string }> {
    const urls: string[] = [];
    for (const intent of ["feedRenew", "calendarRenew"]) {
      const response = await postForm(server.url, "/einstellungen", { intent }, { cookie });
      const match = decodeHtml(await response.text()).match(/http:\/\/[^"\s<]+\/feeds\/[a-z.]+\?token=[a-z2-7]{32}/);
      urls.push(match![0].replace(/^http:\/\/[^/]+/, server.url));
    }
    return { podcast: urls[0], calendar: urls[1] };
  }

  test("podcast and calendar feeds answer 404 once the account is deactivated, and after it is deleted", async () => {
    const admin = await loginCookie(server.url, "admin@example.org");
    const member = await loginCookie(server.url, "mitglied3@example.org");
    const feeds = await feedUrls(member);
    for (const url of Object.values(feeds)) expect((await fetch(url)).status, url).toBe(200);
    const deactivated = await postForm(
      server.url,
      "/moderation/mitglieder",
      { intent: "deactivate", userId: await userId("mitglied3@example.org") },
      { cookie: admin },
    );
    expect(deactivated.status).toBe(200);
    for (const url of Object.values(feeds)) {
      const response = await fetch(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).toContain("zurückgezogener");
    }
    // Reactivation does not bring the old tokens back.
    const reactivated = await postForm(
      server.url,
      "/moderation/mitglieder",
      { intent: "reactivate", userId: await userId("mitglied3@example.org") },
      { cookie: admin },
    );
    expect(reactivated.status).toBe(200);
    for (const url of Object.values(feeds)) expect((await fetch(url)).status, url).toBe(404);

    const leaving = await loginCookie(server.url, "mitglied3@example.org");
    const leavingFeeds = await feedUrls(leaving);
    for (const url of Object.values(leavingFeeds)) expect((await fetch(url)).status, url).toBe(200);
    const deleted = await postForm(
      server.url,
      "/einstellungen/konto-loeschen",
      { password: DEMO_PASSWORD, posts: "keep" },
      { cookie: leaving },
    );
    expect(deleted.status).toBe(302);
    for (const url of Object.values(leavingFeeds)) expect((await fetch(url)).status, url).toBe(404);
  });
});
