/**
 * Search in a real Chromium: the search page with highlighted hits, facets, "Meintest du" and paging (also without
 * JavaScript), the header's search-as-you-type combobox by keyboard and mouse, "ask before you post" on a new
 * discussion, and a 320 px screen. Words come from the demo content (db/seed/*-content.ts).
 */
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterEach, describe, expect, test } from "vitest";
import {
  allowStatus,
  arrive,
  expectAccessible,
  login,
  newContext,
  newPage,
  useBrowser,
  visit,
} from "../setup/browser.ts";

const app = useBrowser();

const MEMBER = "mitglied@example.org";
const MODERATOR = "moderation@example.org";
const SELBSTVEREINBARUNG_THREAD = "Selbstvereinbarung: drei Fragen, die immer funktionieren";
const SELBSTVEREINBARUNG_PODCAST = "Podcast: Selbstvereinbarungen, die tragen";
const FIRST_TALK_THREAD = "Wie startet ihr das erste Lerngespräch, wenn die Lernfrage noch unklar ist?";
const THREAD_PATH = /^\/diskussionen\/[0-9a-f-]{36}$/;
const KIND_LABELS = ["Diskussionen", "Antworten", "Materialien", "Ergebnisse aus Dialogrunden", "Mitglieder"];

const main = (page: Page) => page.getByRole("main");
const h1 = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
/** "5 Treffer für „…“": the count the page reports. */
const resultsHeading = (page: Page) => main(page).locator("#treffer-titel");
const totalOf = async (page: Page) =>
  Number((await resultsHeading(page).textContent())!.match(/^([\d.]+) Treffer/)![1].replace(/\./g, ""));
const hitTitles = (page: Page) => main(page).locator(".search-hit__title").allTextContents();
const hitBadges = (page: Page) => main(page).locator(".search-hit .badge").allTextContents();
const filters = (page: Page) => page.getByRole("complementary", { name: "Ergebnisse eingrenzen" });
const pager = (page: Page) => main(page).getByRole("navigation", { name: "Seiten" });
/** The width the page would scroll to; at most the viewport's when nothing sticks out. */
const scrollWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

/** The search page's own form (the header has one too). */
async function searchOnPage(page: Page, q: string) {
  const form = main(page).getByRole("search");
  await form.getByLabel("Suchbegriff").fill(q);
  await form.getByRole("button", { name: "Suchen" }).click();
}

// ---------------------------------------------------------------------------------------------------------------

describe("the search page", () => {
  test("a member searches for Selbstvereinbarung, sees highlighted hits, narrows by a facet and lifts it again", async () => {
    const page = await newPage();
    await login(page, MEMBER);
    await visit(page, "/suche");
    expect(await h1(page)).toBe("Suche");
    expect(await main(page).getByRole("heading", { name: "So findest du schneller" }).count()).toBe(1);

    await searchOnPage(page, "Selbstvereinbarung");
    await arrive(page, "/suche?q=Selbstvereinbarung");
    const total = await totalOf(page);
    expect(await resultsHeading(page).textContent()).toBe(`${total} Treffer für „Selbstvereinbarung“`);
    expect(total).toBeGreaterThanOrEqual(3);
    // Fewer than 20: all on one page, no pager.
    expect(await main(page).locator(".search-hit").count()).toBe(total);
    expect(await pager(page).count()).toBe(0);
    const titles = await hitTitles(page);
    expect(titles).toContain(SELBSTVEREINBARUNG_THREAD);
    expect(titles).toContain(SELBSTVEREINBARUNG_PODCAST);

    // The matched words are marked, in bold as well as with a background.
    const marks = main(page).locator(".search-hit__snippet mark");
    expect(await marks.count()).toBeGreaterThan(0);
    for (const text of await marks.allTextContents()) expect(text).toMatch(/^selbstvereinbarung(en)?$/i);
    const style = await marks.first().evaluate((el) => ({
      weight: getComputedStyle(el).fontWeight,
      background: getComputedStyle(el).backgroundColor,
    }));
    expect(Number(style.weight)).toBeGreaterThanOrEqual(700);
    expect(style.background).not.toBe("rgba(0, 0, 0, 0)");
    // The snippet is text: no markup from the content comes through, only the marks.
    expect(await main(page).locator(".search-hit__snippet *:not(mark)").count()).toBe(0);

    // Narrowing to materials: one facet link, counted, marked as current.
    const materials = filters(page).getByRole("link", { name: /^Materialien \(\d+\)$/ });
    const materialCount = Number((await materials.textContent())!.match(/\((\d+)\)/)![1]);
    expect(materialCount).toBeGreaterThanOrEqual(1);
    await materials.click();
    await arrive(page, "/suche?q=Selbstvereinbarung&type=material");
    expect(await totalOf(page)).toBe(materialCount);
    expect(new Set(await hitBadges(page))).toEqual(new Set(["Material"]));
    expect(await hitTitles(page)).toContain(SELBSTVEREINBARUNG_PODCAST);
    expect(
      await filters(page)
        .getByRole("link", { name: /^Materialien \(\d+\)$/ })
        .getAttribute("aria-current"),
    ).toBe("true");
    // The words stay in the search field while filtering.
    expect(await main(page).getByRole("search").getByLabel("Suchbegriff").inputValue()).toBe("Selbstvereinbarung");

    // "Alle" in the same group lifts the filter again.
    await filters(page).getByRole("link", { name: "Alle (Filter aufheben)" }).click();
    await arrive(page, "/suche?q=Selbstvereinbarung");
    expect(await totalOf(page)).toBe(total);
    expect(new Set(await hitBadges(page)).size).toBeGreaterThan(1);
  });

  test("a typo gets „Meintest du“, and its link searches the corrected word", async () => {
    const page = await newPage();
    await login(page, MEMBER);
    await visit(page, "/suche?q=Selbstvereinbraung");
    const notice = main(page).locator(".notice").filter({ hasText: "Meintest du" });
    expect(await notice.textContent()).toBe(
      "Meintest du „Selbstvereinbarung“? Die Treffer unten gelten für diese Schreibweise.",
    );
    // The hits already are those of the corrected word.
    expect(await hitTitles(page)).toContain(SELBSTVEREINBARUNG_THREAD);

    await notice.getByRole("link", { name: "„Selbstvereinbarung“" }).click();
    await arrive(page, "/suche?q=Selbstvereinbarung");
    expect(await resultsHeading(page).textContent()).toMatch(/^\d+ Treffer für „Selbstvereinbarung“$/);
    expect(await main(page).locator(".notice").filter({ hasText: "Meintest du" }).count()).toBe(0);
    expect(await hitTitles(page)).toContain(SELBSTVEREINBARUNG_THREAD);
  });

  test("more than 20 hits come in pages of 20 with links forward and back", async () => {
    const page = await newPage();
    await login(page, MEMBER);
    await visit(page, "/suche?q=Lernen");
    const total = await totalOf(page);
    // "Lernen" (stem lern-) is in more than 20 places of the demo content: Lernbegleitung, Lernfrage, Lernweg …
    expect(total).toBeGreaterThan(20);
    const pages = Math.ceil(total / 20);
    expect(await main(page).locator(".search-hit").count()).toBe(20);
    expect(await pager(page).getByText(`Seite 1 von ${pages}`).count()).toBe(1);
    expect(await pager(page).getByRole("link", { name: "← Vorherige Seite" }).count()).toBe(0);
    const first = await hitTitles(page);

    await pager(page).getByRole("link", { name: "Nächste Seite →" }).click();
    await arrive(page, "/suche?q=Lernen&page=2");
    expect(await pager(page).getByText(`Seite 2 von ${pages}`).count()).toBe(1);
    expect(await main(page).locator(".search-hits").getAttribute("start")).toBe("21");
    expect(await main(page).locator(".search-hit").count()).toBe(pages === 2 ? total - 20 : 20);
    // The numbers of the heading stay those of the whole result.
    expect(await totalOf(page)).toBe(total);
    expect(await hitTitles(page)).not.toEqual(first);

    await pager(page).getByRole("link", { name: "← Vorherige Seite" }).click();
    await arrive(page, "/suche?q=Lernen");
    expect(await hitTitles(page)).toEqual(first);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("without JavaScript", () => {
  let noJs: BrowserContext | undefined;
  afterEach(async () => {
    await noJs?.close();
    noJs = undefined;
  });

  /** A page in a context with scripts off (the harness's contexts run scripts), still checked for console errors. */
  async function scriptlessPage(): Promise<Page> {
    const browser = (await newContext()).browser()!;
    noJs = await browser.newContext({
      baseURL: app.url(),
      locale: "de-DE",
      javaScriptEnabled: false,
      viewport: { width: 1024, height: 768 },
    });
    noJs.setDefaultTimeout(10_000);
    return newPage({ context: noJs });
  }

  /** axe needs timers, which a page without scripts never fires: for the scan only, they become microtasks. */
  async function scan(page: Page) {
    await page.waitForLoadState();
    expect(await page.evaluate(() => "__remixContext" in window), "the page's scripts must not have run").toBe(false);
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      w.setTimeout = (fn: (...a: unknown[]) => void, _ms?: number, ...args: unknown[]) =>
        void Promise.resolve().then(() => fn(...args));
      w.clearTimeout = () => {};
      w.requestAnimationFrame = (fn: (t: number) => void) => void Promise.resolve().then(() => fn(performance.now()));
    });
    await expectAccessible(page);
  }

  const at = (page: Page, path: string) => page.waitForURL((u) => u.pathname + u.search === path);

  test("the header form, the search page, its facets, „Meintest du“ and paging work as plain forms and links", async () => {
    const page = await scriptlessPage();
    await login(page, MEMBER);
    await page.goto("/");
    await scan(page);

    // The header's search is a plain GET form: a labelled field and a button, no combobox.
    const header = page.getByRole("search", { name: "Schnellsuche" });
    const field = header.getByLabel("Im Netzwerk suchen");
    expect(await field.getAttribute("role")).toBeNull();
    expect(await field.getAttribute("name")).toBe("q");
    expect(await page.getByRole("combobox").count()).toBe(0);
    await field.fill("Selbstvereinbarung");
    await header.getByRole("button", { name: "Suchen" }).click();
    await at(page, "/suche?q=Selbstvereinbarung");
    await scan(page);
    expect(await resultsHeading(page).textContent()).toMatch(/^\d+ Treffer für „Selbstvereinbarung“$/);
    expect(await hitTitles(page)).toContain(SELBSTVEREINBARUNG_THREAD);
    expect(await main(page).locator(".search-hit__snippet mark").count()).toBeGreaterThan(0);

    // A facet link and back.
    await filters(page)
      .getByRole("link", { name: /^Materialien \(\d+\)$/ })
      .click();
    await at(page, "/suche?q=Selbstvereinbarung&type=material");
    await scan(page);
    expect(new Set(await hitBadges(page))).toEqual(new Set(["Material"]));
    await filters(page).getByRole("link", { name: "Alle (Filter aufheben)" }).click();
    await at(page, "/suche?q=Selbstvereinbarung");
    await scan(page);
    expect(new Set(await hitBadges(page)).size).toBeGreaterThan(1);

    // The page's own form, with a typo, and the correction.
    await searchOnPage(page, "Selbstvereinbraung");
    await at(page, "/suche?q=Selbstvereinbraung");
    await scan(page);
    // The suggestion keeps the capitalisation as typed (issue 21).
    await main(page).locator(".notice").getByRole("link", { name: "„Selbstvereinbarung“", exact: true }).click();
    await at(page, "/suche?q=Selbstvereinbarung");
    await scan(page);
    expect(await main(page).locator(".notice").filter({ hasText: "Meintest du" }).count()).toBe(0);

    // Paging.
    await searchOnPage(page, "Lernen");
    await at(page, "/suche?q=Lernen");
    await scan(page);
    expect(await totalOf(page)).toBeGreaterThan(20);
    await pager(page).getByRole("link", { name: "Nächste Seite →" }).click();
    await at(page, "/suche?q=Lernen&page=2");
    await scan(page);
    expect(await main(page).locator(".search-hits").getAttribute("start")).toBe("21");
  });

  test("a new discussion shows no suggestions and is posted as before", async () => {
    const page = await scriptlessPage();
    await login(page, MEMBER);
    await page.goto("/diskussionen/neu");
    await scan(page);
    const title = "Wie startet ihr das erste Lerngespräch ohne Lernfrage?";
    await page.getByLabel("Titel").fill(title);
    await page.getByLabel("Themenraum").selectOption({ label: "Lerngespräche führen" });
    await page.getByLabel("Text", { exact: true }).fill("Ich freue mich auf eure Erfahrungen.");
    expect(await page.getByText("Vielleicht hilft dir schon das:").count()).toBe(0);
    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    await page.waitForURL((u) => THREAD_PATH.test(u.pathname));
    await scan(page);
    expect(await h1(page)).toBe(title);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("search as you type in the header", () => {
  const combobox = (page: Page) => page.getByRole("combobox", { name: "Im Netzwerk suchen" });
  const listbox = (page: Page) => page.getByRole("listbox", { name: "Suchvorschläge" });
  const options = (page: Page) => listbox(page).getByRole("option");
  const liveRegion = (page: Page) => page.getByRole("search", { name: "Schnellsuche" }).locator('[aria-live="polite"]');

  /** Tabs from the top of the page until the combobox has the focus: the keyboard's way there. */
  async function tabToSearch(page: Page) {
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Tab");
      if (await combobox(page).evaluate((el) => el === document.activeElement)) return;
    }
    throw new Error("the header search was not reached with Tab");
  }

  /**
   * Waits until the popup lists the suggestions for exactly these words (a slow machine may have asked for a
   * shorter prefix on the way): the live region names the words the list belongs to.
   */
  async function suggestionsFor(page: Page, q: string): Promise<Locator> {
    await listbox(page)
      .getByRole("option", { name: `Alle Treffer für „${q}“ anzeigen` })
      .waitFor();
    await expect
      .poll(() => liveRegion(page).textContent())
      .toMatch(new RegExp(`^(\\d+ Vorschl(ag|äge)|Keine Vorschläge) für „${q}“`));
    return options(page);
  }

  const activeId = (page: Page) => combobox(page).getAttribute("aria-activedescendant");

  test("by keyboard only: typing lists grouped suggestions, arrows move, Escape closes then clears, Enter opens the hit", async () => {
    const page = await newPage();
    await login(page, MEMBER);
    await visit(page, "/");
    await tabToSearch(page);
    const box = combobox(page);
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.getAttribute("aria-autocomplete")).toBe("list");
    // HTML allows the combobox role on a text input, not on type=search; the phone keyboard stays a search keyboard.
    expect(await box.getAttribute("type")).toBe("text");
    expect(await box.getAttribute("inputmode")).toBe("search");
    // It controls the (still hidden) listbox.
    const controls = await box.getAttribute("aria-controls");
    expect(await page.locator(`#${controls}`).getAttribute("role")).toBe("listbox");
    expect(await activeId(page)).toBeNull();
    expect(await listbox(page).isVisible()).toBe(false);

    await page.keyboard.type("Lernlandkarte");
    const all = await suggestionsFor(page, "Lernlandkarte");
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    expect(await listbox(page).isVisible()).toBe(true);
    const count = await all.count();
    expect(count).toBeGreaterThanOrEqual(3);
    // At most 8 suggestions plus "all results", announced politely.
    expect(count - 1).toBeLessThanOrEqual(8);
    expect(await liveRegion(page).textContent()).toBe(
      `${count - 1} Vorschläge für „Lernlandkarte“, Auswahl mit den Pfeiltasten.`,
    );
    expect(await all.last().textContent()).toBe("Alle Treffer für „Lernlandkarte“ anzeigen");

    // Grouped by kind, each group with a visible label, in the site's order.
    const groups = listbox(page).getByRole("group");
    const groupNames = await groups.evaluateAll((els) =>
      els.map((el) => document.getElementById(el.getAttribute("aria-labelledby")!)!.textContent),
    );
    expect(groupNames.length).toBeGreaterThanOrEqual(2);
    expect(groupNames).toEqual(KIND_LABELS.filter((l) => groupNames.includes(l)));
    expect(await groups.first().getByText(groupNames[0]!).isVisible()).toBe(true);
    expect(groupNames).toContain("Materialien");
    expect(
      await listbox(page).getByRole("group", { name: "Materialien" }).getByRole("option").allTextContents(),
    ).toContain("Methodenkarte: Lernlandkarte");
    // Replies say where they are.
    for (const reply of await listbox(page)
      .getByRole("group", { name: "Antworten" })
      .getByRole("option")
      .allTextContents()) {
      expect(reply).toMatch(/^Antwort in „.+“$/);
    }
    // The focus stays in the field all along.
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page);

    // Arrows move the active option (aria-activedescendant, aria-selected); up from the first wraps to "all results".
    await page.keyboard.press("ArrowDown");
    const firstId = await all.nth(0).getAttribute("id");
    expect(await activeId(page)).toBe(firstId);
    expect(await all.nth(0).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowDown");
    expect(await activeId(page)).toBe(await all.nth(1).getAttribute("id"));
    expect(await all.nth(0).getAttribute("aria-selected")).toBe("false");
    expect(await all.nth(1).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    expect(await activeId(page)).toBe(await all.last().getAttribute("id"));
    await expectAccessible(page);

    // Escape closes and keeps the words; a second Escape clears them.
    await page.keyboard.press("Escape");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await activeId(page)).toBeNull();
    expect(await listbox(page).isVisible()).toBe(false);
    expect(await box.inputValue()).toBe("Lernlandkarte");
    await page.keyboard.press("Escape");
    expect(await box.inputValue()).toBe("");

    // Typing again, ArrowDown and Enter open the first suggestion: a discussion, whose title the option showed.
    await page.keyboard.type("Lernlandkarte");
    await suggestionsFor(page, "Lernlandkarte");
    const firstGroup = listbox(page).getByRole("group").first();
    expect(await firstGroup.getAttribute("aria-labelledby").then((id) => page.locator(`#${id}`).textContent())).toBe(
      "Diskussionen",
    );
    const chosen = (await firstGroup.getByRole("option").first().textContent())!;
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await arrive(page, /\/diskussionen\/[0-9a-f-]{36}$/);
    expect(await h1(page)).toBe(chosen);
    // The popup is gone, the field empty, and the focus at the start of the new page's content.
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.inputValue()).toBe("");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("inhalt");
  });

  test("Enter without a chosen option, and the last option, show all results; Tab leaves; the mouse works too", async () => {
    const page = await newPage();
    await login(page, MODERATOR);
    await visit(page, "/diskussionen");
    await combobox(page).focus();

    await page.keyboard.type("Selbstvereinbarung");
    await suggestionsFor(page, "Selbstvereinbarung");
    await page.keyboard.press("Enter");
    await arrive(page, "/suche?q=Selbstvereinbarung");
    expect(await resultsHeading(page).textContent()).toMatch(/^\d+ Treffer für „Selbstvereinbarung“$/);
    expect(await combobox(page).getAttribute("aria-expanded")).toBe("false");

    // The last option, reached with ArrowUp.
    await combobox(page).fill("");
    await page.keyboard.type("Podcast");
    await suggestionsFor(page, "Podcast");
    await page.keyboard.press("ArrowUp");
    expect(await activeId(page)).toBe(await options(page).last().getAttribute("id"));
    await page.keyboard.press("Enter");
    await arrive(page, "/suche?q=Podcast");

    // Tab leaves the field and closes the list.
    await combobox(page).fill("");
    await combobox(page).focus();
    await page.keyboard.type("Podcast");
    await suggestionsFor(page, "Podcast");
    await page.keyboard.press("Tab");
    expect(await combobox(page).getAttribute("aria-expanded")).toBe("false");
    expect(await combobox(page).evaluate((el) => el === document.activeElement)).toBe(false);

    // A click on an option opens it.
    await combobox(page).click();
    await combobox(page).fill("");
    await page.keyboard.type("Podcast");
    await suggestionsFor(page, "Podcast");
    await listbox(page)
      .getByRole("group", { name: "Materialien" })
      .getByRole("option", { name: SELBSTVEREINBARUNG_PODCAST })
      .click();
    await arrive(page, /\/materialien\/[0-9a-f-]{36}$/);
    expect(await h1(page)).toBe(SELBSTVEREINBARUNG_PODCAST);
  });

  test("one letter asks nothing, an outdated request is cancelled, and an unreachable search says so", async () => {
    // The outage below is a 503 from the search API; Chromium logs it.
    const page = await newPage({ allow: allowStatus(503) });
    await login(page, MEMBER);
    await visit(page, "/materialien");
    const asked: string[] = [];
    const cancelled: string[] = [];
    page.on(
      "request",
      (r) => r.url().includes("/api/v1/search") && asked.push(new URL(r.url()).searchParams.get("q")!),
    );
    page.on(
      "requestfailed",
      (r) => r.url().includes("/api/v1/search") && cancelled.push(new URL(r.url()).searchParams.get("q")!),
    );

    await combobox(page).focus();
    await page.keyboard.type("L");
    await page.waitForTimeout(600);
    expect(asked).toEqual([]);
    expect(await combobox(page).getAttribute("aria-expanded")).toBe("false");
    // (From here on the words arrive at once, so that each step asks exactly once however busy the machine is.)

    // The first answer is held back; meanwhile the member types on, so that request is cancelled and the list
    // shows the newer words' suggestions.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/v1/search?*", async (route) => {
      if (new URL(route.request().url()).searchParams.get("q") === "Lernlandkarte") await held;
      await route.continue().catch(() => {});
    });
    await combobox(page).fill("Lernlandkarte");
    await expect.poll(() => asked).toEqual(["Lernlandkarte"]);
    await combobox(page).fill("Lernlandkarte Methodenkarte");
    await suggestionsFor(page, "Lernlandkarte Methodenkarte");
    expect(asked).toEqual(["Lernlandkarte", "Lernlandkarte Methodenkarte"]);
    await expect.poll(() => cancelled).toEqual(["Lernlandkarte"]);
    release();
    expect(await options(page).allTextContents()).toContain("Methodenkarte: Lernlandkarte");
    await page.unroute("**/api/v1/search?*");

    // The search is down: the list says so (and so does the live region), the full search stays offered.
    await page.route("**/api/v1/search?*", (route) =>
      route.fulfill({ status: 503, contentType: "application/json", body: '{"error":"Wartung"}' }),
    );
    await combobox(page).fill("Lernlandkarte Methodenkarte Zeit");
    const message = page.locator(".header-search__popup").getByText("Die Suche ist gerade nicht erreichbar.");
    await message.waitFor();
    expect(await message.isVisible()).toBe(true);
    expect(await liveRegion(page).textContent()).toBe("Die Suche ist gerade nicht erreichbar.");
    expect(await options(page).allTextContents()).toEqual([
      "Alle Treffer für „Lernlandkarte Methodenkarte Zeit“ anzeigen",
    ]);
    await expectAccessible(page);
  });

  test("visitors who are not logged in get no header search", async () => {
    const page = await newPage();
    await visit(page, "/anmelden");
    expect(await page.getByRole("search").count()).toBe(0);
    expect(await page.getByRole("combobox").count()).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("ask before you post", () => {
  const similar = (page: Page) => page.getByRole("complementary", { name: "Vielleicht hilft dir schon das:" });

  test("typing a title lists similar answered threads and materials; opening one in a new tab keeps the draft", async () => {
    const page = await newPage();
    await login(page, MEMBER);
    await visit(page, "/diskussionen/neu");
    expect(await similar(page).count()).toBe(0);

    const titleField = page.getByLabel("Titel");
    await titleField.click();
    const typed = "Wie startet ihr das erste Lerngespräch";
    // Shorter prefixes may be asked about on the way (typing is slow on a busy machine); the last answer counts.
    const answered = page.waitForResponse(
      (r) => r.url().includes("/api/v1/similar?") && new URL(r.url()).searchParams.get("q") === typed,
    );
    await page.keyboard.type(typed);
    const answer = (await (await answered).json()) as { hits: { title: string }[] };
    const links = similar(page).getByRole("link");
    // What the page shows is what the server found for the whole title: up to five.
    await expect
      .poll(() => links.allTextContents())
      .toEqual(answer.hits.map((h) => `${h.title} ↗ (öffnet in neuem Tab)`));
    const count = await links.count();
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(5);
    expect(await similar(page).getByRole("heading", { level: 2 }).textContent()).toBe(
      "Vielleicht hilft dir schon das:",
    );
    // The answered question and the matching short video are among them, each opening a new tab, said so.
    const thread = similar(page).getByRole("link", { name: `${FIRST_TALK_THREAD} (öffnet in neuem Tab)` });
    expect(await thread.count()).toBe(1);
    expect(
      await similar(page)
        .getByRole("link", { name: "Kurzvideo: Das erste Lerngespräch in drei Minuten (öffnet in neuem Tab)" })
        .count(),
    ).toBe(1);
    for (const link of await links.all()) {
      expect(await link.getAttribute("target")).toBe("_blank");
      expect(await link.getAttribute("rel")).toContain("noopener");
    }
    expect(
      await similar(page).getByRole("listitem").filter({ hasText: FIRST_TALK_THREAD }).locator(".badge").textContent(),
    ).toBe("Beantwortete Frage");
    // Announced politely; the focus and the words stay in the title field.
    expect(await page.locator('.similar-content [aria-live="polite"]').textContent()).toBe(
      `Vielleicht hilft dir schon das: ${count} ${count === 1 ? "passender Inhalt" : "passende Inhalte"} im Abschnitt nach dem Formular.`,
    );
    expect(await titleField.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await titleField.inputValue()).toBe(typed);
    await expectAccessible(page);

    // Opening the thread in a new tab leaves this page and its title as they were.
    const [tab] = await Promise.all([page.context().waitForEvent("page"), thread.click()]);
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toMatch(THREAD_PATH);
    expect(await tab.getByRole("heading", { level: 1 }).textContent()).toBe(FIRST_TALK_THREAD);
    await tab.close();
    expect(new URL(page.url()).pathname).toBe("/diskussionen/neu");
    expect(await titleField.inputValue()).toBe(typed);

    // Words that match nothing: the box goes away.
    await titleField.fill("Xylophon Quarkbrötchen Zebrastreifen");
    await expect.poll(() => similar(page).count()).toBe(0);
    // Too short to ask about: nothing either.
    await titleField.fill("Wie startet");
    await page.waitForTimeout(700);
    expect(await similar(page).count()).toBe(0);
    await expectAccessible(page);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("small screens", () => {
  test("at 320 px the search page with hits and facets, and the open header list, do not scroll sideways", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await login(page, MEMBER);
    await visit(page, "/suche?q=Qualifizierungsverantwortliche");
    expect(await totalOf(page)).toBeGreaterThan(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await visit(page, "/suche?q=Lernen");
    expect(await pager(page).count()).toBe(1);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);

    // On a phone the header search is in the menu.
    await page.getByRole("banner").getByRole("button", { name: "Menü" }).click();
    const box = page.getByRole("combobox", { name: "Im Netzwerk suchen" });
    await box.focus();
    await page.keyboard.type("Lernbegleitung");
    const list = page.getByRole("listbox", { name: "Suchvorschläge" });
    await list.getByRole("option", { name: "Alle Treffer für „Lernbegleitung“ anzeigen" }).waitFor();
    const rect = await list.evaluate((el) => el.parentElement!.getBoundingClientRect().toJSON() as DOMRect);
    expect(rect.left).toBeGreaterThanOrEqual(0);
    expect(rect.right).toBeLessThanOrEqual(320);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await expectAccessible(page);
  });
});
