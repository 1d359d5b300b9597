/**
 * OIDC_PASSWORD_LOGIN=false (ADR 040): the login page offers only the organisation's sign-in, a posted password is
 * refused before it is checked, and registration is gone. The one way in works.
 */
import { sql } from "drizzle-orm";
import { afterAll, expect, test } from "vitest";
import { allowStatus, arrive, expectAccessible, newPage, sessionCookie, useBrowser, visit } from "../setup/browser.ts";
import { freePort, startTestProvider } from "../setup/oidc-provider.ts";

const port = await freePort();
const provider = await startTestProvider(`http://localhost:${port}`, [
  {
    sub: "emil",
    name: "Emil Özdemir",
    email: "emil@organisation.example",
    email_verified: true,
    groups: ["moderation"],
  },
]);
const app = useBrowser({
  ...provider.env,
  PORT: String(port),
  OIDC_PASSWORD_LOGIN: "false",
  OPEN_REGISTRATION: "true",
});
afterAll(() => provider.close());

test("only the organisation's sign-in: no password form, a posted password is refused, the button signs in", async () => {
  const page = await newPage({ allow: allowStatus(403, 404) });
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await visit(page, "/anmelden");
  }
  const main = page.getByRole("main");
  expect(await main.getByLabel("Passwort", { exact: true }).count()).toBe(0);
  expect(await main.getByRole("button").count()).toBe(0);
  expect(await main.getByRole("link", { name: "registrieren" }).count()).toBe(0);

  const posted = await page.request.post("/anmelden", {
    form: { email: "mitglied@example.org", password: "demo-passwort-2026" },
    headers: { Origin: app.url() },
    maxRedirects: 0,
  });
  expect(posted.status()).toBe(403);
  expect(await posted.text()).toContain(
    "Die Anmeldung mit Passwort ist abgeschaltet. Bitte melde dich mit dem Konto der Organisation an.",
  );
  expect(await sessionCookie(page.context())).toBeUndefined();
  expect((await page.request.get("/registrieren")).status()).toBe(404);

  await main.getByRole("link", { name: "Mit dem Konto der Organisation anmelden" }).click();
  await page.waitForURL((u) => u.origin === provider.issuer);
  await expectAccessible(page);
  await page.getByLabel("Benutzername").fill("emil");
  await page.getByRole("button", { name: "Weiter" }).click();
  await arrive(page, "/einstellungen?willkommen=1");
  expect(await sessionCookie(page.context())).toBeTruthy();
  const [emil] = await app
    .server()
    .database.rows<{ handle: string; role: string }>(
      sql`select handle, role from users where email = 'emil@organisation.example'`,
    );
  expect(emil).toEqual({ handle: "emil-oezdemir", role: "moderator" });
});
