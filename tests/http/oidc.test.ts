/**
 * The callback of the organisation's sign-in (ADR 040) against whatever a client sends: missing, garbage or foreign
 * code and state, a missing or mangled flow cookie, an error from the provider. Every case is a 400 with a German
 * message on the page, no session, and never a 500. A real provider answers the code exchange.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer } from "../setup/server.ts";
import { freePort, startTestProvider, type TestProvider } from "../setup/oidc-provider.ts";
import { decodeHtml, get, sessionFrom } from "./helpers.ts";

const CALLBACK = "/anmelden/organisation/zurueck";
const FAILED = "Die Anmeldung über die Organisation konnte nicht bestätigt werden. Bitte versuche es noch einmal.";
const INCOMPLETE = "Der Rückweg von der Anmeldung ist unvollständig. Bitte melde dich noch einmal an.";
const NO_FLOW =
  "Die Anmeldung ist abgelaufen oder wurde in einem anderen Browser begonnen. Bitte melde dich noch einmal an.";

let provider: TestProvider;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  const port = await freePort();
  provider = await startTestProvider(`http://localhost:${port}`, []);
  server = await startTestServer({ ...provider.env, PORT: String(port) });
});

afterAll(async () => {
  await server?.close();
  await provider?.close();
});

/** Starts a sign-in like the login page's link: the flow cookie and the state the provider would send back. */
async function startFlow(): Promise<{ cookie: string; state: string }> {
  const response = await get(server.url, "/anmelden/organisation");
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  expect(location.origin).toBe(provider.issuer);
  expect(location.searchParams.get("code_challenge_method")).toBe("S256");
  expect(location.searchParams.get("nonce")).toBeTruthy();
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("lbn_oidc="))!;
  expect(cookie).toMatch(/Path=\/anmelden\/organisation\/zurueck; HttpOnly; SameSite=Lax; Max-Age=600/);
  return { cookie: cookie.split(";")[0], state: location.searchParams.get("state")! };
}

async function expectRefused(query: string, message: string, cookie?: string): Promise<void> {
  const response = await get(server.url, `${CALLBACK}${query}`, cookie);
  const html = decodeHtml(await response.text());
  expect(response.status, query).toBe(400);
  expect(html).toContain(message);
  expect(html).toContain("<h1>Anmeldung nicht möglich</h1>");
  expect(sessionFrom(response)).toBeNull();
  // The flow's cookie is spent either way.
  expect(response.headers.getSetCookie().some((c) => c.startsWith("lbn_oidc=;") && c.includes("Max-Age=0"))).toBe(true);
}

describe("the callback refuses bad input with 400 and a German message", () => {
  test("missing code or state, with or without a flow", async () => {
    const { cookie, state } = await startFlow();
    await expectRefused("", INCOMPLETE);
    await expectRefused("?code=abc", INCOMPLETE, cookie);
    await expectRefused(`?state=${state}`, INCOMPLETE, cookie);
    await expectRefused("?code=&state=", INCOMPLETE, cookie);
  });

  test("without the flow's cookie, or with a mangled one", async () => {
    const { state } = await startFlow();
    await expectRefused(`?code=abc&state=${state}`, NO_FLOW);
    for (const mangled of [
      "lbn_oidc=",
      "lbn_oidc=%%%",
      "lbn_oidc=e30",
      `lbn_oidc=${"A".repeat(5000)}`,
      `lbn_oidc=${Buffer.from('{"state":1}').toString("base64url")}`,
    ]) {
      await expectRefused(`?code=abc&state=${state}`, NO_FLOW, mangled);
    }
  });

  test("a state that is not the flow's, and a garbage code that the provider rejects", async () => {
    const { cookie, state } = await startFlow();
    await expectRefused("?code=abc&state=fremd", FAILED, cookie);
    await expectRefused(`?code=${"x".repeat(3000)}&state=${encodeURIComponent(`${state}\u00e4`)}`, FAILED, cookie);
    // With the provider's `iss` (RFC 9207) the response is well formed, so the made-up code reaches its token endpoint.
    await expectRefused(`?code=erfunden&state=${state}&iss=${encodeURIComponent(provider.issuer)}`, FAILED, cookie);
    await expectRefused(`?code=erfunden&state=${state}`, FAILED, cookie);
    await expectRefused(`?code=1&code=2&state=${state}`, FAILED, cookie);
  });

  test("an error the provider sends back", async () => {
    const { cookie, state } = await startFlow();
    await expectRefused(
      `?error=access_denied&state=${state}`,
      "Die Anmeldung bei der Organisation wurde abgebrochen.",
      cookie,
    );
    await expectRefused(`?error=server_error&error_description=%3Cscript%3E&state=${state}`, FAILED, cookie);
  });
});

test("the login page offers the organisation's sign-in next to the password form", async () => {
  const html = decodeHtml(await (await get(server.url, "/anmelden?weiter=/mediathek")).text());
  expect(html).toContain('href="/anmelden/organisation?weiter=%2Fmediathek"');
  expect(html).toContain("Mit dem Konto der Organisation anmelden");
  expect(html).toContain('name="password"');
});
