/**
 * Every page at 360, 768 and 1280 px as a visitor, a member, a moderator and an admin (the list is in
 * layout-pages.ts): nothing scrolls sideways, the area styles really apply at every width (the unclosed @media block
 * of issue 17 once dropped them below 1088 px), the header folds behind a menu button on phones, controls are big
 * enough to hit, and axe finds nothing at any width. One page per role, resized rather than reloaded per width.
 */
import type { Page } from "playwright-core";
import { describe, expect, test, vi } from "vitest";
import {
  allowStatus,
  arrive,
  expectAccessible,
  login,
  newContext,
  newPage,
  useBrowser,
  visit,
  waitForHydration,
} from "../setup/browser.ts";
import {
  ACCOUNTS,
  WIDTHS,
  findAddresses,
  openLiveRound,
  pagesFor,
  type DemoAddresses,
  type Role,
} from "./layout-pages.ts";

// Starting the server seeds a fresh demo database; on a busy machine that alone has taken more than the default minute.
vi.setConfig({ hookTimeout: 180_000 });
useBrowser();

const BRAND = "rgb(11, 90, 122)";
const ACCENT = "rgb(179, 64, 26)";

/** Found once, on the first test that needs them; the moderator opens the live round then (a server-side state). */
let prepared: Promise<DemoAddresses> | undefined;
function addresses(): Promise<DemoAddresses> {
  // Plain pages of their own contexts: these are preparations, the checks below visit every page again.
  prepared ??= (async () => {
    const member = await (await newContext()).newPage();
    await login(member, ACCOUNTS.member);
    const found = await findAddresses(member);
    const moderator = await (await newContext()).newPage();
    await login(moderator, ACCOUNTS.moderator);
    await openLiveRound(moderator, found.round);
    return found;
  })();
  return prepared;
}

/** The elements that stick out past the right edge (not inside a box that scrolls), to say what widens the page. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") return true;
      }
      return false;
    };
    return [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (${Math.round(el.getBoundingClientRect().right)} px)`,
      );
  });
}

/** Visible controls smaller than 24 × 24 px (WCAG 2.2 target size); links inside running text are exempt. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      "button",
      "select",
      "summary",
      'input:not([type="hidden"])',
      ".site-nav a",
      ".site-header a",
      ".tabs a",
      ".tag",
      ".filter-group a",
      ".button",
    ].join(",");
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.checkVisibility() && !el.closest(".visually-hidden") && !el.classList.contains("skip-link"))
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return Math.round(box.width) < 24 || Math.round(box.height) < 24;
      })
      .map((el) => {
        const box = el.getBoundingClientRect();
        return `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || el.id).trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`;
      });
  });
}

const styleOf = (page: Page, selector: string, props: string[]) =>
  page
    .locator(selector)
    .first()
    .evaluate((el, names) => {
      const style = getComputedStyle(el);
      return Object.fromEntries(names.map((n) => [n, style.getPropertyValue(n)]));
    }, props);

/** What each area's components must look like at every width (not the browser's defaults). */
async function expectAreaStyles(page: Page, path: string, at: DemoAddresses, label: string): Promise<void> {
  if (path === at.consultation) {
    expect(await styleOf(page, ".case-steps", ["display", "list-style-type"]), label).toEqual({
      display: "flex",
      "list-style-type": "none",
    });
    expect(await styleOf(page, ".case-steps__item--current", ["background-color", "font-weight"]), label).toEqual({
      "background-color": BRAND,
      "font-weight": "700",
    });
    expect(await styleOf(page, ".case-entry", ["border-left-style"]), label).toEqual({ "border-left-style": "solid" });
  }
  if (path === at.round && (await page.locator(".live-room").count()) > 0) {
    expect(await styleOf(page, ".live-room", ["display"]), label).toEqual({ display: "grid" });
    expect(await styleOf(page, ".chat-log", ["list-style-type", "border-top-style", "overflow-y"]), label).toEqual({
      "list-style-type": "none",
      "border-top-style": "solid",
      "overflow-y": "auto",
    });
    expect(await styleOf(page, ".chat-message__author", ["font-weight"]), label).toEqual({ "font-weight": "700" });
  }
  if (path === "/mitglieder" || path === at.member) {
    expect(await styleOf(page, ".tag-list", ["display", "list-style-type"]), label).toEqual({
      display: "flex",
      "list-style-type": "none",
    });
    expect(await styleOf(page, ".tag", ["display", "border-top-left-radius"]), label).toEqual({
      display: "inline-block",
      "border-top-left-radius": "999px",
    });
  }
  if (path === "/moderation/einblicke") {
    // The first bar drawn may be the second series' (a held-back figure has no bar): either colour, never none.
    const bar = await styleOf(page, ".chart__bar", ["display", "background-color"]);
    expect(bar.display, label).toBe("block");
    expect([BRAND, ACCENT], label).toContain(bar["background-color"]);
    expect(await styleOf(page, ".legend", ["display", "list-style-type"]), label).toEqual({
      display: "flex",
      "list-style-type": "none",
    });
  }
  if (path === "/" && (await page.locator(".welcome-checklist").count()) > 0) {
    expect(await styleOf(page, ".welcome-checklist ol", ["list-style-type"]), label).toEqual({
      "list-style-type": "none",
    });
    expect(await styleOf(page, ".welcome-checklist li", ["display"]), label).toEqual({ display: "flex" });
  }
  if (path === "/benachrichtigungen/einstellungen") {
    expect(await styleOf(page, ".delivery-options", ["display"]), label).toEqual({ display: "flex" });
  }
  if (path === "/einstellungen/daten" && (await page.locator(".export__progress").count()) > 0) {
    expect(await styleOf(page, ".export__progress", ["display"]), label).not.toEqual({ display: "inline-block" });
  }
}

/** At 360 the menu button folds search, account and navigation; at 1280 there is no button and all is shown. */
async function expectHeader(page: Page, width: number, label: string): Promise<void> {
  const button = page.getByRole("banner").getByRole("button", { name: "Menü" });
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
  if (width === 360) {
    expect(await button.isVisible(), `${label}: menu button`).toBe(true);
    expect(await button.getAttribute("aria-expanded"), label).toBe("false");
    expect(await nav.isVisible(), `${label}: navigation folded`).toBe(false);
  } else if (width === 1280) {
    expect(await button.isVisible(), `${label}: no menu button`).toBe(false);
    expect(await nav.isVisible(), `${label}: navigation shown`).toBe(true);
  }
}

async function checkPages(role: Role): Promise<void> {
  const at = await addresses();
  const page = await newPage({ allow: allowStatus(403, 404) });
  if (role !== "anonymous") await login(page, ACCOUNTS[role]);
  for (const target of pagesFor(role, at)) {
    await page.setViewportSize({ width: WIDTHS[0], height: 740 });
    const response = await page.goto(target.path);
    await waitForHydration(page);
    expect(response?.status(), target.path).toBe(target.status);
    for (const width of WIDTHS) {
      const label = `${role} ${target.path} at ${width} px`;
      await page.setViewportSize({ width, height: 740 });
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const [scrollWidth, innerWidth] = await page.evaluate(() => [
        document.scrollingElement!.scrollWidth,
        window.innerWidth,
      ]);
      if (scrollWidth > innerWidth)
        expect.fail(`${label} scrolls sideways (${scrollWidth} px): ${(await overflowing(page)).join(", ")}`);
      if (role !== "anonymous") await expectHeader(page, width, label);
      await expectAreaStyles(page, target.path, at, label);
      if (width === 360) expect(await smallTargets(page), `${label}: targets under 24 px`).toEqual([]);
      await expectAccessible(page);
    }
  }
}

describe("every page at 360, 768 and 1280 px", () => {
  test("as a member", { timeout: 240_000 }, () => checkPages("member"));
  test("as a moderator", { timeout: 240_000 }, () => checkPages("moderator"));
  test("as an admin", { timeout: 240_000 }, () => checkPages("admin"));
  test("as a visitor", { timeout: 120_000 }, () => checkPages("anonymous"));
});

describe("on a phone", () => {
  test("the menu button opens and closes the header's menu by pointer and keyboard; a link closes it", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, ACCOUNTS.member);
    await visit(page, "/diskussionen");
    const button = page.getByRole("banner").getByRole("button", { name: "Menü" });
    const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
    const search = page.getByRole("banner").getByRole("combobox");
    expect(await search.isVisible()).toBe(false);
    // The header is one short bar while folded.
    expect(await page.getByRole("banner").evaluate((el) => el.getBoundingClientRect().height)).toBeLessThan(80);

    await button.click();
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    expect(await nav.isVisible()).toBe(true);
    expect(await search.isVisible()).toBe(true);
    expect(await page.getByRole("banner").getByRole("button", { name: "Abmelden" }).isVisible()).toBe(true);
    await expectAccessible(page);

    // Escape from inside the menu closes it and puts the focus back on the button, with a visible ring.
    await nav.getByRole("link", { name: "Materialien" }).focus();
    await page.keyboard.press("Escape");
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.isVisible()).toBe(false);
    expect(await button.evaluate((el) => el === document.activeElement && el.matches(":focus-visible"))).toBe(true);
    expect(await button.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");

    // In the search field Escape first closes the suggestions, then clears the words; on the empty field it closes the menu.
    await page.keyboard.press("Enter");
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    await search.fill("Lernlandkarte");
    // The suggestions open; the first Escape closes them and keeps the words, the next clears them.
    await expect.poll(() => search.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("Escape");
    await expect.poll(() => search.getAttribute("aria-expanded")).toBe("false");
    expect(await search.inputValue()).toBe("Lernlandkarte");
    await page.keyboard.press("Escape");
    await expect.poll(() => search.inputValue()).toBe("");
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("Escape");
    await expect.poll(() => button.getAttribute("aria-expanded")).toBe("false");
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);

    // Enter opens it again; following a link navigates and folds the menu.
    await page.keyboard.press("Enter");
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    await nav.getByRole("link", { name: "Materialien" }).click();
    await arrive(page, "/materialien");
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.isVisible()).toBe(false);
  });

  test("without JavaScript the header shows search, account and navigation, and no menu button", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, ACCOUNTS.member);
    // The documents as a browser without JavaScript gets them: every <script> removed (axe still runs: it is injected).
    await page.route(/\/(diskussionen|materialien)$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, "");
      await route.fulfill({ response, body });
    });
    await page.goto("/diskussionen");
    expect(await page.locator("script").count()).toBe(0);
    await expectAccessible(page);
    expect(await page.getByRole("banner").getByRole("button", { name: "Menü" }).isVisible()).toBe(false);
    expect(await page.getByRole("navigation", { name: "Hauptnavigation" }).isVisible()).toBe(true);
    expect(await page.getByRole("banner").getByRole("button", { name: "Abmelden" }).isVisible()).toBe(true);
    // The filters still open and close (a <details> element needs no script).
    await page.goto("/materialien");
    await expectAccessible(page);
    const filter = page.getByRole("complementary").getByRole("link", { name: "Podcast" });
    expect(await filter.isVisible()).toBe(false);
    await page.getByRole("complementary").locator("summary").click();
    expect(await filter.isVisible()).toBe(true);
  });

  test("search filters fold behind 'Filter (n aktiv)' after the heading, results follow; a side column on a desk", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, ACCOUNTS.member);
    await visit(page, "/suche?q=Lernen&type=material");
    const toggle = page.getByRole("complementary").locator("summary");
    const facet = page
      .getByRole("complementary")
      .getByRole("link", { name: /Alle \(Filter aufheben\)/ })
      .first();
    expect(await toggle.textContent()).toBe("Filter (1 aktiv)");
    expect(await facet.isVisible()).toBe(false);
    const heading = await page.getByRole("heading", { level: 1 }).boundingBox();
    const toggleBox = await toggle.boundingBox();
    const firstHit = await page.locator(".search-hit").first().boundingBox();
    expect(heading!.y).toBeLessThan(toggleBox!.y);
    expect(toggleBox!.y).toBeLessThan(firstHit!.y);
    // The first result is on the first screen.
    expect(firstHit!.y).toBeLessThan(740);

    await toggle.click();
    expect(await facet.isVisible()).toBe(true);
    await expectAccessible(page);

    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await toggle.isVisible()).toBe(false);
    await page
      .getByRole("complementary")
      .locator("summary")
      .evaluate((el) => (el.parentElement as HTMLDetailsElement).removeAttribute("open"));
    // Open or not, the column shows its filters on a desk, left of the results.
    expect(await facet.isVisible()).toBe(true);
    const aside = await page.getByRole("complementary").boundingBox();
    expect(aside!.x + aside!.width).toBeLessThanOrEqual((await page.locator(".search-hit").first().boundingBox())!.x);
    await expectAccessible(page);
  });

  test("the admin's members table is a list of cards with the role and deactivation controls on screen", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, ACCOUNTS.admin);
    await visit(page, "/moderation/mitglieder");
    const select = page.getByLabel("Rolle von Sevgi Schneider");
    const deactivate = page.getByRole("group").or(page.locator("summary")).filter({ hasText: "Deaktivieren" }).first();
    for (const control of [
      select,
      page.getByRole("button", { name: "Rolle ändern für Sevgi Schneider" }),
      deactivate,
    ]) {
      await control.scrollIntoViewIfNeeded();
      const box = await control.boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    }
    // Still a table with row and column headers for screen readers.
    expect(await page.getByRole("table").count()).toBe(1);
    expect(await page.getByRole("rowheader", { name: /Sevgi Schneider/ }).count()).toBe(1);
    expect(await page.getByRole("cell", { name: /^(E-Mail: )?mitglied@example\.org$/ }).count()).toBe(1);
  });
});
