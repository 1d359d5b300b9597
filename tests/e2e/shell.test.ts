/** The page shell in a real Chromium: language, landmarks, keyboard use, small screens, error pages. */
import { describe, expect, test } from "vitest";
import { allowStatus, arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";

useBrowser();

const sections = [
  ["Diskussionen", "/diskussionen"],
  ["Materialien", "/materialien"],
  ["Dialogrunden", "/dialogrunden"],
  ["Fallberatung", "/fallberatung"],
  ["Suche", "/suche"],
  ["Mitglieder", "/mitglieder"],
] as const;
const sectionNames = sections.map(([name]) => name);

const isFocused = (el: Element) => el === document.activeElement;

describe("logged out", () => {
  test("the start page is German, hyphenates long words and invites to log in", async () => {
    const page = await newPage();
    const response = await visit(page, "/");
    expect(response?.status()).toBe(200);
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect(await page.title()).toBe("Das Lernbegleitungs-Netzwerk");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Das Lernbegleitungs-Netzwerk");
    expect(await page.getByRole("main").textContent()).toContain("Mach mit! Misch dich ein! Frag nach!");
    // Landmarks: header, main, footer; no site navigation before logging in.
    expect(await page.getByRole("banner").count()).toBe(1);
    expect(await page.getByRole("main").count()).toBe(1);
    expect(await page.getByRole("contentinfo").count()).toBe(1);
    expect(await page.getByRole("navigation").count()).toBe(0);
    // Long compounds (Qualifizierungsverantwortliche) must be able to wrap.
    const hyphens = await page
      .locator("main p")
      .first()
      .evaluate((p) => getComputedStyle(p).hyphens);
    expect(hyphens).toBe("auto");

    await page.getByRole("main").getByRole("link", { name: "Anmelden" }).click();
    await arrive(page, "/anmelden");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Anmelden");
    expect(await page.title()).toBe("Anmelden – Das Lernbegleitungs-Netzwerk");
  });

  test("a members-only page sends a visitor to the login, remembering where they wanted to go", async () => {
    const page = await newPage();
    await visit(page, "/diskussionen");
    const url = new URL(page.url());
    expect(url.pathname).toBe("/anmelden");
    expect(url.searchParams.get("weiter")).toBe("/diskussionen");
  });

  test("the skip link is the first Tab stop, shows with a focus ring and moves focus to the main content", async () => {
    const page = await newPage();
    await visit(page, "/anmelden");
    const skip = page.getByRole("link", { name: "Zum Inhalt springen" });
    expect(await skip.boundingBox().then((b) => b!.y + b!.height)).toBeLessThanOrEqual(0);

    await page.keyboard.press("Tab");
    expect(await skip.evaluate(isFocused)).toBe(true);
    const box = await skip.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    const ring = await skip.evaluate((el) => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]);
    expect(ring).toEqual(["solid", "3px"]);
    await expectAccessible(page);

    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("inhalt");
    // The next Tab stop is the first field of the form, not back in the header.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
    await expectAccessible(page);
  });

  test("an unknown address shows the German 404 page inside the normal shell", async () => {
    const page = await newPage({ allow: allowStatus(404) });
    const response = await visit(page, "/gibt-es-nicht");
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Seite nicht gefunden");
    expect(await page.getByRole("main").textContent()).toContain("Diese Seite gibt es nicht (mehr).");
    expect(await page.title()).toBe("Seite nicht gefunden – Das Lernbegleitungs-Netzwerk");
    await page.getByRole("link", { name: "Zur Startseite" }).click();
    await arrive(page, "/");
  });
});

describe("logged in", () => {
  test("a member gets every section in the navigation, a visible focus ring, and a German 403 for moderation", async () => {
    const page = await newPage({ allow: allowStatus(403) });
    await login(page, "mitglied@example.org");
    await visit(page, "/");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Hallo Sevgi Schneider!");
    const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(sectionNames);
    expect(await page.getByRole("link", { name: "Moderation" }).count()).toBe(0);
    expect(await page.getByRole("banner").getByRole("button", { name: "Abmelden" }).isVisible()).toBe(true);

    // Keyboard users see where they are: Tab through the header to the first section link.
    const first = nav.getByRole("link", { name: "Diskussionen" });
    for (let i = 0; i < 10 && !(await first.evaluate(isFocused)); i++) await page.keyboard.press("Tab");
    expect(await first.evaluate((el) => el === document.activeElement && el.matches(":focus-visible"))).toBe(true);
    const ring = await first.evaluate((el) => ({
      style: getComputedStyle(el).outlineStyle,
      width: parseFloat(getComputedStyle(el).outlineWidth),
    }));
    expect(ring.style).not.toBe("none");
    expect(ring.width).toBeGreaterThanOrEqual(2);

    // Every section opens (client-side: a reload would drop the mark) with its heading and is marked as the current page.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    for (const [name, path] of sections) {
      await nav.getByRole("link", { name }).click();
      await arrive(page, path);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(name);
      expect(await nav.getByRole("link", { name }).getAttribute("aria-current")).toBe("page");
      expect(await nav.locator('[aria-current="page"]').count()).toBe(1);
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    }

    const response = await visit(page, "/moderation");
    expect(response?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Kein Zugriff");
    expect(await page.getByRole("main").textContent()).toContain("Für diese Seite fehlt dir die Berechtigung.");
    expect(await nav.isVisible()).toBe(true);
  });

  test("moderators also get the moderation section", async () => {
    const page = await newPage();
    await login(page, "moderation@example.org");
    await visit(page, "/");
    const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
    expect(await nav.getByRole("link").allTextContents()).toEqual([...sectionNames, "Moderation"]);
    await nav.getByRole("link", { name: "Moderation" }).click();
    await arrive(page, "/moderation");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Moderation");
  });

  test("at 320 px wide nothing scrolls sideways", async () => {
    const page = await newPage({ allow: allowStatus(404) });
    await page.setViewportSize({ width: 320, height: 640 });
    await visit(page, "/");
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), "/ logged out").toBeLessThanOrEqual(320);
    await login(page, "moderation@example.org");
    for (const path of ["/", "/einstellungen", "/moderation", "/diskussionen", "/gibt-es-nicht"]) {
      await visit(page, path);
      const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
      expect(width, `horizontal scrolling on ${path}`).toBeLessThanOrEqual(320);
    }
  });
});
