/**
 * In a real Chromium with axe on every page: the rooms page and its ways in (start page cards, welcome checklist,
 * discussions), the accessibility statement with its feedback form, and the page in Leichte Sprache from the footer.
 */
import { describe, expect, test } from "vitest";
import { allowStatus, arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";

useBrowser();

describe("Themenräume", () => {
  test("the start page's room cards and the checklist lead to the rooms; /themen lists them with their activity", async () => {
    const page = await newPage();
    await login(page, "mitglied2@example.org");
    await visit(page, "/");
    // Each card on the start page is a link into its room, the whole card clickable.
    const card = page.locator(".room-card").filter({ hasText: "Lerngespräche führen" });
    await card.click({ position: { x: 12, y: 60 } });
    await arrive(page, /\/themen\/[\w-]+$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Lerngespräche führen");
    expect(
      await page
        .getByRole("navigation", { name: "Hauptnavigation" })
        .getByRole("link", { name: "Diskussionen" })
        .getAttribute("aria-current"),
    ).toBe("page");
    await expectAccessible(page);

    // The checklist's step "Themenräume ansehen" goes to the rooms page.
    await visit(page, "/");
    const step = page
      .getByRole("region", { name: "Gut ankommen im Netzwerk" })
      .getByRole("link", { name: "Themenräume ansehen" });
    expect(await step.getAttribute("href")).toBe("/themen");
    await step.click();
    await arrive(page, "/themen");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Themenräume");
    expect(
      await page
        .getByRole("navigation", { name: "Hauptnavigation" })
        .getByRole("link", { name: "Diskussionen" })
        .getAttribute("aria-current"),
    ).toBe("page");
    const rooms = page.locator(".room-card");
    expect(await rooms.count()).toBeGreaterThanOrEqual(3);
    const facts = await rooms.locator(".room-card__facts").allTextContents();
    expect(
      facts.every((f) => /^(\d+ Diskussionen?|1 Diskussion)( · zuletzt aktiv am .+| · noch keine Beiträge)/.test(f)),
    ).toBe(true);
    expect(facts.some((f) => /zuletzt aktiv am \d{2}\.\d{2}\.\d{4}/.test(f))).toBe(true);
    await expectAccessible(page);

    // The rooms page leads into a room, and the room back to the rooms page.
    await rooms.first().getByRole("link").click();
    await arrive(page, /\/themen\/[\w-]+$/);
    await page.locator(".breadcrumb").getByRole("link", { name: "Themenräume" }).click();
    await arrive(page, "/themen");

    // On a phone nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    await visit(page, "/themen");
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(360);
  });
});

describe("Barrierefreiheit and Leichte Sprache", () => {
  test("a visitor finds both in the footer, reads the statement and sends feedback with a German confirmation", async () => {
    // The refused first attempt answers 400, as it should.
    const page = await newPage({ allow: allowStatus(400) });
    await visit(page, "/anmelden");
    const footer = page.getByRole("contentinfo");
    await footer.getByRole("link", { name: "Erklärung zur Barrierefreiheit" }).click();
    await arrive(page, "/barrierefreiheit");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Erklärung zur Barrierefreiheit");
    expect(await page.title()).toBe("Erklärung zur Barrierefreiheit – Das Lernbegleitungs-Netzwerk");
    const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
    expect(headings).toEqual([
      "Wie barrierefrei ist die Website?",
      "Was ist nicht barrierefrei?",
      "Wie ist diese Erklärung entstanden?",
      "Barrieren melden",
      "Schlichtungsverfahren",
    ]);
    await expectAccessible(page);

    // Sending without a description: the message sits at the field, the rest of the input stays.
    await page.getByLabel("Dein Name (optional)").fill("Erika Muster");
    await page.getByRole("button", { name: "Rückmeldung senden" }).click();
    await page.locator("#message-fehler").waitFor();
    expect(await page.locator("#message-fehler").textContent()).toBe(
      "Bitte beschreibe kurz, was nicht barrierefrei ist (mindestens 10 Zeichen).",
    );
    expect(await page.getByLabel("Dein Name (optional)").inputValue()).toBe("Erika Muster");
    expect(await page.getByLabel("Was ist nicht barrierefrei?").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page);

    await page
      .getByLabel("Was ist nicht barrierefrei?")
      .fill("Die Tabelle der Mitglieder lässt sich mit dem Bildschirmleser schwer lesen.");
    await page.getByRole("button", { name: "Rückmeldung senden" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Danke! Deine Rückmeldung ist bei der Moderation angekommen." })
      .waitFor();
    // The form is empty again for a next report.
    expect(await page.getByLabel("Was ist nicht barrierefrei?").inputValue()).toBe("");
    await expectAccessible(page);

    await page.getByRole("contentinfo").getByRole("link", { name: "Leichte Sprache" }).click();
    await arrive(page, "/leichte-sprache");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Leichte Sprache");
    // Short sentences: no paragraph of the page has more than 15 words.
    const paragraphs = await page.locator("main p").allTextContents();
    const longest = Math.max(...paragraphs.map((p) => p.trim().split(/\s+/).length));
    expect(longest).toBeLessThanOrEqual(15);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Barrieren melden" }).click();
    await arrive(page, "/barrierefreiheit");
  });
});
