/**
 * Sign-in with the organisation's account (ADR 040) in a real Chromium against a real OpenID provider
 * (`oidc-provider`, started here): accounts created and linked, roles from groups, refused state, nonce and
 * deactivated members, and logout at the provider.
 */
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, test } from "vitest";
import { allowStatus, arrive, expectAccessible, newPage, sessionCookie, useBrowser, visit } from "../setup/browser.ts";
import { freePort, startTestProvider, type TestAccount } from "../setup/oidc-provider.ts";

const account = (sub: string, name: string, groups: string[], email = `${sub}@organisation.example`): TestAccount => ({
  sub,
  name,
  email,
  email_verified: true,
  groups,
});

const port = await freePort();
const provider = await startTestProvider(`http://localhost:${port}`, [
  account("anna", "Anna Schmidt", ["kompetenzteam"]),
  account("bernd", "Bernd Krüger", ["kantine", "fahrdienst"]),
  account("carla", "Carla Jansen", []),
  account("dora", "Dora Weiß", []),
  // The demo member Sevgi Schneider, invited with this address, now signs in through the organisation.
  account("sevgi-idp", "S. Schneider (Organisation)", [], "mitglied@example.org"),
]);
const app = useBrowser({ ...provider.env, PORT: String(port) });
afterAll(() => provider.close());

const rows = <T>(query: ReturnType<typeof sql>) => app.server().database.rows<T>(query);
const roleOf = async (email: string) =>
  (await rows<{ role: string }>(sql`select role from users where email = ${email}`))[0]?.role;

/** Waits for the provider's sign-in page, scans it and signs in there as `sub`. */
async function signInAtProvider(page: Page, sub: string): Promise<void> {
  await page.waitForURL((u) => u.origin === provider.issuer);
  await expectAccessible(page);
  await page.getByLabel("Benutzername").fill(sub);
  await page.getByRole("button", { name: "Weiter" }).click();
}

/** From the login page through the provider and back; returns the page where the site landed. */
async function signIn(sub: string, page?: Page): Promise<Page> {
  page ??= await newPage();
  await visit(page, "/anmelden");
  await page.getByRole("link", { name: "Mit dem Konto der Organisation anmelden" }).click();
  await signInAtProvider(page, sub);
  return page;
}

/** The provider's sign-in address as the site sends a browser there, with its flow cookie set in the page's context. */
async function authorizationUrl(page: Page): Promise<URL> {
  const response = await page.request.get("/anmelden/organisation", { maxRedirects: 0 });
  expect(response.status()).toBe(302);
  return new URL(response.headers().location);
}

describe("first and later sign-ins", () => {
  test("the first sign-in creates the account with the groups' role; a group change applies at the next one and is logged", async () => {
    const page = await signIn("anna");
    await arrive(page, "/einstellungen?willkommen=1");
    expect(await page.getByRole("status").textContent()).toContain("Schön, dass du da bist!");
    const [created] = await rows<{ id: string; display_name: string; handle: string; role: string }>(
      sql`select id, display_name, handle, role from users where email = 'anna@organisation.example'`,
    );
    expect(created).toMatchObject({ display_name: "Anna Schmidt", handle: "anna-schmidt", role: "moderator" });

    // Promoted at the provider: admin at the next sign-in (a new browser, so the provider asks again).
    provider.accounts.get("anna")!.groups = ["netzwerk-admins"];
    const again = await signIn("anna");
    await arrive(again, "/");
    expect(await roleOf("anna@organisation.example")).toBe("admin");

    // Demoted there to a group the site does not know: a member here.
    provider.accounts.get("anna")!.groups = ["kantine"];
    await arrive(await signIn("anna"), "/");
    expect(await roleOf("anna@organisation.example")).toBe("member");

    const audit = await rows<{ actor_id: string | null; details: { from: string; to: string } }>(
      sql`select actor_id, details from audit_log where action = 'user.roleFromProvider' and subject_id = ${created.id} order by id`,
    );
    expect(audit).toEqual([
      { actor_id: null, details: { from: "member", to: "moderator" } },
      { actor_id: null, details: { from: "moderator", to: "admin" } },
      { actor_id: null, details: { from: "admin", to: "member" } },
    ]);
    expect(await rows(sql`select 1 from account_identities where user_id = ${created.id}`)).toHaveLength(1);
  });

  test("only unknown groups make a member; the display name gives a handle of its own", async () => {
    await arrive(await signIn("bernd"), "/einstellungen?willkommen=1");
    const [bernd] = await rows<{ role: string; handle: string }>(
      sql`select role, handle from users where email = 'bernd@organisation.example'`,
    );
    expect(bernd).toEqual({ role: "member", handle: "bernd-krueger" });
  });

  test("an invited member with the same verified address is linked, not created again", async () => {
    const page = await signIn("sevgi-idp");
    await arrive(page, "/");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Hallo Sevgi Schneider!");
    const linked = await rows<{ email: string }>(
      sql`select u.email from account_identities i join users u on u.id = i.user_id where i.subject = 'sevgi-idp'`,
    );
    expect(linked).toEqual([{ email: "mitglied@example.org" }]);
    expect(await rows(sql`select 1 from users where email = 'mitglied@example.org'`)).toHaveLength(1);
  });

  test("a deactivated member is refused with a German message and gets no session", async () => {
    await arrive(await signIn("dora"), "/einstellungen?willkommen=1");
    await rows(sql`update users set deactivated_at = now() where email = 'dora@organisation.example'`);

    const page = await signIn("dora", await newPage({ allow: allowStatus(403) }));
    await arrive(page, /\/anmelden\/organisation\/zurueck\?/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Anmeldung nicht möglich");
    expect(await page.getByRole("alert").textContent()).toBe(
      "Dein Zugang zum Netzwerk ist deaktiviert. Bitte wende dich an die Moderation, wenn das ein Irrtum ist.",
    );
    expect(await sessionCookie(page.context())).toBeUndefined();
  });
});

describe("refused answers", () => {
  const refusal = "Die Anmeldung über die Organisation konnte nicht bestätigt werden. Bitte versuche es noch einmal.";

  async function expectRefused(page: Page): Promise<void> {
    await arrive(page, /\/anmelden\/organisation\/zurueck\?/);
    expect(await page.getByRole("alert").textContent()).toBe(refusal);
    expect(await sessionCookie(page.context())).toBeUndefined();
  }

  test("a callback whose state is not the one this browser started with is refused", async () => {
    const page = await newPage({ allow: allowStatus(400) });
    const url = await authorizationUrl(page);
    url.searchParams.set("state", "von-jemand-anderem");
    await page.goto(url.href);
    await signInAtProvider(page, "carla");
    await expectRefused(page);
    expect(await rows(sql`select 1 from users where email = 'carla@organisation.example'`)).toHaveLength(0);
  });

  test("an ID token with another nonce is refused", async () => {
    const page = await newPage({ allow: allowStatus(400) });
    const url = await authorizationUrl(page);
    url.searchParams.set("nonce", "eine-andere-nonce");
    await page.goto(url.href);
    await signInAtProvider(page, "carla");
    await expectRefused(page);
    expect(await rows(sql`select 1 from users where email = 'carla@organisation.example'`)).toHaveLength(0);
  });
});

describe("logout", () => {
  test("ends the local session and the provider's: the next sign-in asks at the provider again", async () => {
    const page = await signIn("carla");
    await arrive(page, "/einstellungen?willkommen=1");
    const [{ id }] = await rows<{ id: string }>(sql`select id from users where email = 'carla@organisation.example'`);
    expect(
      await rows(sql`select 1 from session_id_tokens t join sessions s on s.id = t.session_id where s.user_id = ${id}`),
    ).toHaveLength(1);

    await page.getByRole("banner").getByRole("button", { name: "Abmelden" }).click();
    await page.waitForURL((u) => u.origin === provider.issuer && u.pathname.startsWith("/session/end"));
    await expectAccessible(page);
    expect(await sessionCookie(page.context())).toBeUndefined();
    expect(await rows(sql`select 1 from sessions where user_id = ${id}`)).toHaveLength(0);

    await page.getByRole("button", { name: "Ja, abmelden" }).click();
    await arrive(page, "/anmelden?abgemeldet=1");
    expect(await page.getByRole("status").textContent()).toBe("Du bist abgemeldet.");

    // Same browser: without the provider's session, its sign-in page comes again.
    await page.getByRole("link", { name: "Mit dem Konto der Organisation anmelden" }).click();
    await page.waitForURL((u) => u.origin === provider.issuer && u.pathname.startsWith("/interaction/"));
    await expectAccessible(page);
  });
});
