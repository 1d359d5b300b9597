/**
 * The pages the layout tests (layout.test.ts) and the screenshot script (scripts/screenshots.ts) look at, per role,
 * on the demo data: the shell's sections and, for each area, a page that shows its own components (a thread, a
 * material, the live dialogue round with its chat, the live consultation's phase stepper, member topic chips, the
 * insight charts, the admin's members table).
 */
import type { BrowserContext, Page } from "playwright-core";

export const WIDTHS = [360, 768, 1280] as const;
export const DEMO_PASSWORD = "demo-passwort-2026";

export type Role = "anonymous" | "member" | "moderator" | "admin";
export const ACCOUNTS = {
  member: "mitglied@example.org",
  moderator: "moderation@example.org",
  admin: "admin@example.org",
} as const;

/** The round the moderator opens so its live room (chat, floor, notes) can be seen. */
export const LIVE_ROUND = "KI im Arbeitsalltag – was heißt das für Lerngespräche?";
/** The running live consultation of the demo (its case giver is the demo member). */
export const LIVE_CASE = "Lernbegleitung, wenn die Führungskraft skeptisch ist";

export interface LayoutPage {
  path: string;
  /** Expected HTTP status (a member gets 403 on the moderators' desk, everyone 404 on an unknown address). */
  status: number;
  /** A file name for screenshots. */
  name: string;
}

/** Addresses found on the demo data (ids are generated at seeding). */
export interface DemoAddresses {
  thread: string;
  material: string;
  round: string;
  consultation: string;
  member: string;
}

/** The shell's pages (tests/e2e/shell.test.ts): every role sees them (a member gets 403 on /moderation). */
const shell = [
  "/",
  "/diskussionen",
  "/materialien",
  "/dialogrunden",
  "/fallberatung",
  "/suche",
  "/mitglieder",
  "/einstellungen",
];
const desk = [
  "/moderation/meldungen",
  "/moderation/materialien",
  "/moderation/themenpakete",
  "/moderation/themen",
  "/moderation/mitglieder",
  "/moderation/einblicke",
  "/moderation/suche",
  "/moderation/protokoll",
];

function page(
  path: string,
  name = path === "/" ? "start" : path.slice(1).replace(/[/?=&]+/g, "_"),
  status = 200,
): LayoutPage {
  return { path, status, name };
}

/**
 * The pages a role sees. `everything` (screenshots) adds every page of every area; without it (the layout tests,
 * which must stay quick) each area's own page is visited by one role that can see its components.
 */
export function pagesFor(role: Role, at: DemoAddresses, everything = false): LayoutPage[] {
  const notFound = page("/gibt-es-nicht", "404", 404);
  if (role === "anonymous")
    return [
      page("/"),
      page("/anmelden"),
      page("/datenschutz"),
      page("/barrierefreiheit"),
      page("/leichte-sprache"),
      notFound,
    ];
  const pages = shell.map((p) => page(p));
  pages.push(page("/moderation", "moderation", role === "member" ? 403 : 200), notFound);
  const memberPages = [
    page(at.consultation, "fallberatung_live"),
    page(at.thread, "diskussion"),
    page(at.material, "material"),
    page("/suche?q=Lernen&type=material", "suche_treffer"),
    page(at.member, "mitglied_profil"),
    page("/benachrichtigungen"),
    page("/benachrichtigungen/einstellungen"),
    page("/einstellungen/daten"),
    page("/einstellungen/profilbild"),
    page("/merkliste"),
    page("/themen"),
  ];
  const round = page(at.round, "dialogrunde_live");
  if (role === "member")
    pages.push(...(everything ? memberPages : memberPages.filter((p) => p.name !== "benachrichtigungen")));
  if (role === "moderator") pages.push(round, page("/moderation/einblicke"), page("/moderation/protokoll"));
  if (role === "admin")
    pages.push(page("/moderation/mitglieder"), page("/moderation/einblicke"), page("/moderation/einstellungen"));
  if (everything && role !== "member") {
    pages.push(...memberPages.filter((p) => p.path !== at.consultation), round);
    pages.push(...desk.map((p) => page(p)));
  }
  // One visit per address (the lists above overlap for screenshots).
  return pages.filter((p, i) => pages.findIndex((q) => q.path === p.path) === i);
}

/** Logs a context in by posting the login form (the session cookie lands in its jar). */
export async function logIn(context: BrowserContext, baseUrl: string, email: string): Promise<void> {
  const response = await context.request.post(`${baseUrl}/anmelden`, {
    form: { email, password: DEMO_PASSWORD },
    headers: { Origin: baseUrl },
    maxRedirects: 0,
  });
  if (response.status() !== 302) throw new Error(`login as ${email}: HTTP ${response.status()}`);
}

async function firstHref(page: Page, path: string, selector: string): Promise<string> {
  await page.goto(path);
  const href = await page.locator(selector).first().getAttribute("href");
  if (!href) throw new Error(`no link ${selector} on ${path}`);
  return new URL(href, page.url()).pathname;
}

/** Finds the demo addresses with a member's page (the member takes part in the live consultation). */
export async function findAddresses(memberPage: Page): Promise<DemoAddresses> {
  return {
    thread: await firstHref(memberPage, "/diskussionen", 'main a[href^="/diskussionen/"]:not([href$="/neu"])'),
    material: await firstHref(memberPage, "/materialien", 'main .material-card a[href^="/materialien/"]'),
    round: await firstHref(memberPage, "/dialogrunden", `main a:text-is("${LIVE_ROUND}")`),
    consultation: await firstHref(memberPage, "/fallberatung", `main a:text-is("${LIVE_CASE}")`),
    member: await firstHref(memberPage, "/mitglieder", 'main a[href^="/mitglieder/"]'),
  };
}

/**
 * The moderator opens the round's live room and writes one chat line, so the room shows its chat, floor and notes.
 * Waits for the socket to report the room connected and the line to arrive.
 */
export async function openLiveRound(moderatorPage: Page, roundPath: string): Promise<void> {
  await moderatorPage.goto(roundPath);
  await moderatorPage.getByRole("button", { name: "Raum öffnen" }).click();
  await moderatorPage.locator(".live-room").getByText("Verbunden", { exact: true }).waitFor({ timeout: 15_000 });
  const box = moderatorPage.getByLabel("Nachricht an alle");
  await box.fill("Willkommen! Wir beginnen in fünf Minuten.");
  await box.press("Enter");
  await moderatorPage.locator(".chat-log .chat-message__text", { hasText: "Willkommen!" }).waitFor();
}
