/**
 * The moderators' desk in a real Chromium, axe on every page: a moderator reads the community insights (charts with
 * their data tables, small figures held back), an admin changes a role and deactivates an account from the member
 * list, finds both in the filtered audit log, and renames the site with a welcome text.
 */
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { allowStatus, arrive, login, newPage, visit, useBrowser } from "../setup/browser.ts";
import { database } from "../../app/models/db.server.ts";
import { countUsage } from "../../app/models/library/usage.server.ts";

useBrowser();

describe("community insights", () => {
  test("a moderator opens the insights from the desk and reads each chart as a table", async () => {
    // Twelve uses of one seeded material today, so "most used" has a bar; everything else is demo data.
    const [material] = await database().rows<{ id: string; title: string }>(
      sql`select id, title from materials where status = 'published' order by title limit 1`,
    );
    for (let i = 0; i < 12; i++) await countUsage(database().db, material.id, "views");

    const page = await newPage();
    await login(page, "moderation@example.org");
    await visit(page, "/moderation");
    await page.getByRole("navigation", { name: "Moderation" }).getByRole("link", { name: "Einblicke" }).click();
    await arrive(page, "/moderation/einblicke");
    expect(await page.getByRole("heading", { level: 2 }).textContent()).toBe("Einblicke in die Community");
    expect(await page.getByText("Eine Zahl, die weniger als 5 Personen beschreibt, zeigen wir nicht").count()).toBe(1);

    for (const heading of [
      "Neue Diskussionen und Antworten pro Woche",
      "Unbeantwortete Fragen (älter als 48 Stunden)",
      "Schlagwörter im Trend",
      "Meistgenutzte Materialien",
      "Teilnahme an Dialogrunden",
      "Suchen ohne Treffer",
    ]) {
      await expect(page.getByRole("heading", { level: 3, name: heading }).isVisible()).resolves.toBe(true);
    }

    // The weekly chart is a table with a caption, twelve weeks, and the figures as text.
    const weekly = page.getByRole("table", { name: "Neue Diskussionen und Antworten pro Woche" });
    expect(await weekly.locator("tbody tr").count()).toBe(12);
    const weeklyText = (await weekly.textContent()) ?? "";
    // The demo community is small: some week figure describes fewer than five people and is held back.
    expect(weeklyText).toContain("weniger als 5");

    const used = page.getByRole("table", { name: /Meistgenutzte Materialien/ });
    const row = used.getByRole("row", { name: new RegExp(material.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
    expect(await row.getByRole("cell").first().textContent()).toBe("12");
    // Downloads of that material: none today, so a plain zero (nothing about anyone).
    expect(await row.getByRole("cell").nth(1).textContent()).toBe("0");
    // The bar is drawn for the eye only; screen readers read the figures.
    expect(await row.locator(".chart__bar-cell").getAttribute("aria-hidden")).toBe("true");
    expect(await row.locator(".chart__bar").first().getAttribute("style")).toMatch(/width: ?100%/);
  });

  test("members do not reach the insights", async () => {
    const page = await newPage({ allow: allowStatus(403) });
    await login(page, "mitglied@example.org");
    const response = await visit(page, "/moderation/einblicke");
    expect(response?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).not.toBe("Moderation");
  });
});

describe("members, audit log and settings", () => {
  test("an admin changes a role and deactivates an account, and finds both in the audit log", async () => {
    const page = await newPage();
    await login(page, "admin@example.org");
    await visit(page, "/moderation/mitglieder?q=wagner");
    const row = page.getByRole("row", { name: /Jonas Wagner/ });
    await row.getByLabel("Rolle von Jonas Wagner").selectOption({ label: "Moderation" });
    await row.getByRole("button", { name: "Rolle ändern für Jonas Wagner" }).click();
    await page.getByRole("status").filter({ hasText: "Die Rolle ist jetzt „Moderation“." }).waitFor();
    await arrive(page, "/moderation/mitglieder?q=wagner");
    expect(
      await page
        .getByRole("row", { name: /Jonas Wagner/ })
        .getByRole("cell")
        .nth(1)
        .textContent(),
    ).toBe("Moderation");

    // Deactivating asks first; the keyboard opens the confirmation.
    await page
      .getByRole("row", { name: /Jonas Wagner/ })
      .locator("summary", { hasText: "Deaktivieren" })
      .focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Konto deaktivieren" }).click();
    await page.getByRole("status").filter({ hasText: "Das Konto ist deaktiviert." }).waitFor();
    await arrive(page, "/moderation/mitglieder?q=wagner");
    expect(
      await page
        .getByRole("row", { name: /Jonas Wagner/ })
        .getByRole("cell")
        .nth(2)
        .textContent(),
    ).toMatch(/^deaktiviert seit/);
    expect(await page.getByRole("button", { name: /^Wieder aktivieren/ }).textContent()).toBe(
      "Wieder aktivieren: Jonas Wagner",
    );

    await page.getByRole("navigation", { name: "Moderation" }).getByRole("link", { name: "Protokoll" }).click();
    await arrive(page, "/moderation/protokoll");
    await page.getByLabel("Art").selectOption({ label: "Mitglieder und Rollen" });
    await page.getByRole("button", { name: "Filtern" }).click();
    await arrive(page, "/moderation/protokoll?art=user&wer=&betrifft=&von=&bis=");
    const log = page.getByRole("table", { name: "Protokoll, neueste Einträge zuerst" });
    const texts = await log.locator("tbody tr td:nth-child(3)").allTextContents();
    expect(texts.slice(0, 2)).toEqual([
      "Konto von „Jonas Wagner“ deaktiviert (alle Anmeldungen beendet)",
      "Rolle von „Jonas Wagner“ geändert: Mitglied → Moderation",
    ]);
    const [admin] = await database().rows<{ name: string }>(
      sql`select display_name as name from users where email = 'admin@example.org'`,
    );
    expect(await log.locator("tbody tr td:nth-child(2)").first().textContent()).toBe(admin.name);
  });

  test("an admin renames the site and writes a welcome text; both show at once", async () => {
    const page = await newPage();
    await login(page, "admin@example.org");
    await visit(page, "/moderation/einstellungen");
    await page.getByLabel("Name der Website").fill("Lernbegleitung im Verbund");
    await page.getByLabel("Willkommenstext").fill("Willkommen im Verbund!\n\nHier tauschen wir uns aus.");
    await page.getByRole("button", { name: "Einstellungen speichern" }).click();
    await page.getByRole("status").filter({ hasText: "Gespeichert." }).waitFor();
    await arrive(page, "/moderation/einstellungen");
    expect(await page.title()).toBe("Einstellungen der Website – Moderation – Lernbegleitung im Verbund");
    await visit(page, "/");
    expect(await page.locator(".site-header__brand").textContent()).toBe("Lernbegleitung im Verbund");
    expect(await page.locator(".welcome-text p").allTextContents()).toEqual([
      "Willkommen im Verbund!",
      "Hier tauschen wir uns aus.",
    ]);
  });
});
