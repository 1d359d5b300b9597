/**
 * Browser test harness: one Chromium per test file, pages that fail the test on any unexpected console error,
 * uncaught page error or CSP violation, and an axe scan (WCAG 2.1 A/AA) of every page a test lands on.
 *
 * Call `useBrowser()` once at the top of a test file; it starts a fresh server with demo data and Chromium,
 * and after each test closes that test's contexts and checks what the pages reported.
 */
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page, type Response } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { recordPage } from "./pages.ts";
import { startTestServer } from "./server.ts";

export const DEMO_PASSWORD = "demo-passwort-2026";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export interface Problem {
  kind: "console" | "pageerror" | "csp";
  text: string;
  /** The page's URL when it happened. */
  url: string;
}

/** Returns true for a problem the test expects (e.g. the 404 status of a page it visits on purpose). */
export type Allow = (problem: Problem) => boolean;

interface Tracked {
  page: Page;
  allow: Allow[];
  problems: Problem[];
  /** Every URL the main frame landed on, and whether an axe scan ran after landing there. */
  visits: { url: string; scanned: boolean }[];
  /** The last document the main frame loaded from the server, for the HTML check (tests/setup/pages.ts). */
  served?: { url: string; body: Promise<Buffer | null> };
}

let browser: Browser | undefined;
let baseUrl = "";
let contexts: BrowserContext[] = [];
const tracked = new Map<Page, Tracked>();
/** Problems reported by pages that newPage() did not create (should stay empty; popups would land here). */
const untracked: Problem[] = [];

/** A page's identity for the scan bookkeeping: a fragment (e.g. the skip link's #inhalt) is the same page. */
function pageKey(url: string): string {
  return url.replace(/#.*$/, "");
}

/** Sets up the file: server with fresh demo data, Chromium, and the per-test checks. */
export function useBrowser(serverEnv: Record<string, string> = {}): {
  url: () => string;
  /** The running server (e.g. its database, for a test that checks what a page did). */
  server: () => Awaited<ReturnType<typeof startTestServer>>;
} {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer(serverEnv),
      chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS }),
    ]);
    baseUrl = server.url;
  });

  afterEach(async () => {
    // Give late reports (hydration, sockets) a moment, then close everything this test opened.
    const open = [...tracked.values()];
    await Promise.all(open.map((t) => (t.page.isClosed() ? null : t.page.waitForTimeout(50))));
    const unscanned = open.flatMap((t) => t.visits.filter((v) => !v.scanned).map((v) => v.url));
    const unexpected = [...untracked, ...open.flatMap((t) => t.problems.filter((p) => !t.allow.some((a) => a(p))))];
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    tracked.clear();
    untracked.length = 0;
    expect(unexpected, "unexpected console errors, page errors or CSP violations").toEqual([]);
    expect(unscanned, "pages visited without an accessibility scan").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    browser = undefined;
  });

  return {
    url: () => baseUrl,
    server: () => {
      if (!server) throw new Error("the server is not running");
      return server;
    },
  };
}

/** A fresh browser context (own cookies), closed after the test. */
export async function newContext(): Promise<BrowserContext> {
  if (!browser) throw new Error("useBrowser() was not called in this file");
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: "de-DE",
    viewport: { width: 1024, height: 768 },
  });
  contexts.push(context);
  // Fail a waiting step well before the test's own timeout, with Playwright's message saying what it waited for.
  context.setDefaultTimeout(10_000);
  // The page reports CSP violations to us; a binding and an init script are not subject to the page's CSP.
  await context.exposeBinding("__reportCspViolation", ({ page }, text: string) => {
    const problem: Problem = { kind: "csp", text, url: page?.url() ?? "" };
    (tracked.get(page)?.problems ?? untracked).push(problem);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile || "document"}:${e.lineNumber})`,
      );
    });
  });
  return context;
}

/**
 * A page whose console errors, uncaught errors and CSP violations fail the test unless `allow` accepts them.
 * Without a context, it gets a new one.
 */
export async function newPage(options: { context?: BrowserContext; allow?: Allow | Allow[] } = {}): Promise<Page> {
  const context = options.context ?? (await newContext());
  const page = await context.newPage();
  const entry: Tracked = { page, allow: [options.allow ?? []].flat(), problems: [], visits: [] };
  tracked.set(page, entry);
  page.on("console", (message) => {
    // Chromium's own DOM lint (e.g. password forms without a username field) arrives as "verbose"; it counts too.
    const isDomLint = (message.type() as string) === "verbose" && message.text().startsWith("[DOM]");
    if (message.type() !== "error" && !isDomLint) return;
    const source = message.location().url;
    const text = source && source !== page.url() ? `${message.text()} [${source}]` : message.text();
    entry.problems.push({ kind: "console", text, url: page.url() });
  });
  page.on("pageerror", (error) =>
    entry.problems.push({ kind: "pageerror", text: `${error.message}\n${error.stack}`, url: page.url() }),
  );
  page.on("framenavigated", (frame) => {
    if (frame !== page.mainFrame() || frame.url() === "about:blank") return;
    const url = pageKey(frame.url());
    const last = entry.visits.at(-1);
    // Same URL again (a fragment link, or Remix replacing the entry after a form submission): still one page,
    // and if it was scanned before, the test scans again after the change it cares about.
    if (last && last.url === url) return;
    entry.visits.push({ url, scanned: false });
  });
  page.on("response", (response) => {
    const request = response.request();
    if (request.frame() !== page.mainFrame() || !request.isNavigationRequest()) return;
    entry.served = { url: pageKey(response.url()), body: response.body().catch(() => null) };
  });
  return page;
}

/** Accepts problems whose text matches the pattern (for pages a test opens expecting an HTTP error status). */
export function allowText(pattern: RegExp): Allow {
  return (p) => pattern.test(p.text);
}

/** Chromium logs every 4xx response as a console error; a test that provokes one says which. */
export function allowStatus(...statuses: number[]): Allow {
  return allowText(new RegExp(`the server responded with a status of (${statuses.join("|")})`));
}

/** Waits until React hydrated the document loaded last (Remix's ScrollRestoration sets this in an effect). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => window.history.scrollRestoration === "manual");
}

/** Runs axe with the WCAG 2.1 A and AA rules on the page as it is now and fails listing every violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode().analyze();
  const violations = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary}`).join("\n"),
  );
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
  const entry = tracked.get(page);
  const last = entry?.visits.at(-1);
  if (last && last.url === pageKey(page.url())) last.scanned = true;
  // The same moment (hydrated, settled) is when the page's HTML is kept for the Nu Html Checker.
  const served = entry?.served?.url === pageKey(page.url()) ? entry.served.body : undefined;
  await recordPage(page, served);
}

/** Loads a URL, waits for hydration and scans it. Returns the document response (for its status). */
export async function visit(page: Page, path: string): Promise<Response | null> {
  const response = await page.goto(path);
  await waitForHydration(page);
  await expectAccessible(page);
  return response;
}

/** Waits until the page is at `path` (client-side or full navigation), then scans it. */
export async function arrive(page: Page, path: string | RegExp): Promise<void> {
  await page.waitForURL(typeof path === "string" ? (u) => u.pathname + u.search === path : path);
  await page.waitForLoadState();
  await waitForHydration(page);
  await expectAccessible(page);
}

/**
 * Logs the page's context in by posting the login form over HTTP (as the form does without JavaScript); the
 * session cookie lands in the context's cookie jar. The form itself is exercised in accounts.test.ts.
 */
export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  const response = await page.request.post("/anmelden", {
    form: { email, password },
    headers: { Origin: baseUrl },
    maxRedirects: 0,
  });
  expect(response.status(), `login as ${email}`).toBe(302);
  expect(await sessionCookie(page.context()), `session cookie for ${email}`).toBeTruthy();
}

/**
 * Resolves once the page's socket.io connection is established: the server answered the CONNECT packet (over
 * long-polling or a WebSocket), so it has joined the user's room. Call before the navigation that opens it.
 */
export function socketConnected(page: Page, timeoutMs = 10_000): Promise<void> {
  const isConnectAck = (payload: string) => payload.includes('40{"sid"');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no socket.io connection on ${page.url()}`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    page.on("response", (r) => {
      if (r.url().includes("/socket.io/"))
        r.text().then(
          (t) => isConnectAck(t) && done(),
          () => {},
        );
    });
    page.on("websocket", (ws) => ws.on("framereceived", (f) => isConnectAck(String(f.payload)) && done()));
  });
}

/** The value of the session cookie in a context, if any. */
export async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === "lbn_session")?.value || undefined;
}
