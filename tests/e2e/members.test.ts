/** The member directory, profiles and the welcome checklist in a real Chromium (axe on every page). */
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { allowStatus, arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";

useBrowser();

const cardNames = (page: Page) => page.locator(".member-grid .card__title").allTextContents();

describe("member directory", () => {
  test("a member finds colleagues by topic, Rechtskreis and region, and opens a profile", async () => {
    const page = await newPage();
    await login(page, "mitglied2@example.org");
    await visit(page, "/mitglieder");
    // Petra Hoffmann did not opt in: she is not in the directory.
    expect(await cardNames(page)).toEqual(["Andrea Adler", "Jonas Wagner", "Malte Meyer", "Sevgi Schneider"]);

    await page.getByLabel("Name, Thema oder Stichwort").fill("Lernlandkarte");
    await page.getByRole("search", { name: "Mitglieder suchen" }).getByRole("button", { name: "Suchen" }).click();
    await arrive(page, "/mitglieder?q=Lernlandkarte&region=&rechtskreis=");
    expect(await cardNames(page)).toEqual(["Sevgi Schneider"]);

    // A topic is a link: everyone who named it.
    await visit(page, "/mitglieder");
    await page
      .getByRole("navigation", { name: "Häufige Themen" })
      .getByRole("link", { name: "Selbstvereinbarung" })
      .click();
    await arrive(page, "/mitglieder?thema=Selbstvereinbarung");
    expect(await cardNames(page)).toEqual(["Jonas Wagner", "Sevgi Schneider"]);
    expect(await page.getByText("2 Mitglieder zum Thema „Selbstvereinbarung“").count()).toBe(1);

    // Filters combine and keep the topic.
    await page.getByLabel("Rechtskreis").selectOption("sgb2");
    await page.getByRole("search", { name: "Mitglieder suchen" }).getByRole("button", { name: "Suchen" }).click();
    await arrive(page, /rechtskreis=sgb2/);
    expect(new URL(page.url()).searchParams.get("thema")).toBe("Selbstvereinbarung");
    expect(await cardNames(page)).toEqual(["Sevgi Schneider"]);

    await page.getByLabel("Rechtskreis").selectOption("");
    await page.getByLabel("Region").selectOption("Leipzig");
    await page.getByRole("search", { name: "Mitglieder suchen" }).getByRole("button", { name: "Suchen" }).click();
    await arrive(page, /region=Leipzig/);
    expect(await cardNames(page)).toEqual(["Jonas Wagner"]);

    await page.getByLabel("Name, Thema oder Stichwort").fill("Niemand-kennt-das");
    await page.getByRole("search", { name: "Mitglieder suchen" }).getByRole("button", { name: "Suchen" }).click();
    await arrive(page, /Niemand-kennt-das/);
    expect(await page.locator(".empty").textContent()).toContain("Niemand im Verzeichnis passt zu deiner Suche");

    await visit(page, "/mitglieder?q=Sevgi");
    await page.getByRole("link", { name: "Sevgi Schneider" }).click();
    await arrive(page, "/mitglieder/sevgi-schneider");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sevgi Schneider");
    expect(await page.getByRole("heading", { name: "Eröffnete Diskussionen" }).count()).toBe(1);
    expect(await page.getByRole("heading", { name: "Antworten" }).count()).toBe(1);
    expect(await page.locator(".tag-list").getByRole("link", { name: "Lernlandkarte" }).count()).toBe(1);
    // No e-mail address on a profile.
    expect(await page.content()).not.toContain("mitglied@example.org");
  });

  test("a member names their topics in the settings and is found by them; too many topics are refused", async () => {
    const page = await newPage({ allow: allowStatus(400) });
    await login(page, "mitglied@example.org");
    await visit(page, "/einstellungen");
    const topics = page.getByLabel("Dazu kannst du gefragt werden");
    const tooMany = Array.from({ length: 11 }, (_, i) => `Thema ${i + 1}`).join(", ");
    await topics.fill(tooMany);
    await page.getByRole("button", { name: "Profil speichern" }).click();
    await page.getByText("Bitte nenne höchstens 10 Themen.").waitFor();
    await expectAccessible(page);
    // What was typed is still there.
    expect(await topics.inputValue()).toBe(tooMany);

    await topics.fill("Lernlandkarte, Kollegiale Fallberatung");
    await page.getByRole("button", { name: "Profil speichern" }).click();
    await page.getByText("Dein Profil ist gespeichert.").waitFor();
    // The form shows what is stored now.
    await expect
      .poll(() => page.getByLabel("Dazu kannst du gefragt werden").inputValue())
      .toBe("Lernlandkarte, Kollegiale Fallberatung");

    await visit(page, "/mitglieder?thema=kollegiale%20fallberatung");
    expect(await cardNames(page)).toEqual(["Sevgi Schneider"]);
  });
});

describe("welcome checklist", () => {
  test("shows what is left, leads to the orientation round and can be dismissed for good", async () => {
    const page = await newPage();
    await login(page, "mitglied2@example.org");
    await visit(page, "/");
    const checklist = page.getByRole("region", { name: "Gut ankommen im Netzwerk" });
    // Jonas filled in his profile and introduced himself in the welcome room (demo content).
    expect(await checklist.locator('li[data-done="true"]').count()).toBe(2);
    expect(await checklist.getByText("(erledigt)").count()).toBe(2);
    expect(await checklist.textContent()).toContain("Noch 2 Schritte");

    await checklist.getByRole("link", { name: "Zur Orientierungsrunde" }).click();
    await arrive(page, /\/dialogrunden\/[0-9a-f-]{36}$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Orientierungsrunde");
    await page.getByRole("main").getByRole("button", { name: "Anmelden", exact: true }).click();
    await page.getByRole("main").getByText("Du bist angemeldet. Bis bald!", { exact: true }).waitFor();

    await visit(page, "/");
    expect(await checklist.textContent()).toContain("Noch ein Schritt");
    await checklist.getByRole("button", { name: "Checkliste ausblenden" }).click();
    await checklist.waitFor({ state: "detached" });
    await visit(page, "/");
    expect(await page.getByRole("region", { name: "Gut ankommen im Netzwerk" }).count()).toBe(0);
  });
});
