/** Accounts in a real Chromium: logging in and out, the profile form, invitations, logging out everywhere. */
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import {
  allowStatus,
  arrive,
  expectAccessible,
  login,
  newPage,
  sessionCookie,
  socketConnected,
  useBrowser,
  visit,
} from "../setup/browser.ts";

const app = useBrowser();

const h1 = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();

describe("logging in and out", () => {
  test("a wrong password shows a German error, keeps the e-mail address and sets no cookie", async () => {
    const page = await newPage({ allow: allowStatus(400) });
    await visit(page, "/anmelden");
    await page.getByLabel("E-Mail-Adresse").fill("mitglied@example.org");
    await page.getByLabel("Passwort", { exact: true }).fill("falsches-passwort");
    await page.getByRole("main").getByRole("button", { name: "Anmelden" }).click();

    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("E-Mail-Adresse oder Passwort stimmen nicht.");
    expect(new URL(page.url()).pathname).toBe("/anmelden");
    expect(await page.getByLabel("E-Mail-Adresse").inputValue()).toBe("mitglied@example.org");
    expect(await sessionCookie(page.context())).toBeUndefined();
    await expectAccessible(page);
  });

  test("logging in works with the keyboard alone, and logging out ends the session", async () => {
    const page = await newPage();
    await visit(page, "/anmelden");
    // Tab from the top of the page to the e-mail field: skip link, site name, header login link, then the form.
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== "email"; i++) {
      await page.keyboard.press("Tab");
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
    await page.keyboard.type("mitglied2@example.org");
    await page.keyboard.press("Tab");
    await page.keyboard.type("demo-passwort-2026");
    await page.keyboard.press("Enter");

    await arrive(page, "/");
    expect(await h1(page)).toBe("Hallo Jonas Wagner!");
    expect(await sessionCookie(page.context())).toBeTruthy();

    await page.getByRole("banner").getByRole("button", { name: "Abmelden" }).click();
    await arrive(page, "/anmelden?abgemeldet=1");
    expect(await page.getByRole("status").textContent()).toBe("Du bist abgemeldet.");
    expect(await page.getByRole("navigation").count()).toBe(0);
    expect(await sessionCookie(page.context())).toBeUndefined();

    // The session is gone on the server too: a members-only page asks to log in again.
    await visit(page, "/einstellungen");
    expect(new URL(page.url()).pathname).toBe("/anmelden");
  });
});

describe("settings", () => {
  test("saving the profile confirms it; a bad name is explained next to the field and the rest is kept", async () => {
    const page = await newPage({ allow: allowStatus(400) });
    await login(page, "mitglied@example.org");
    await visit(page, "/einstellungen");
    const form = page.locator("form", { has: page.getByRole("button", { name: "Profil speichern" }) });

    await form.getByLabel("Funktion").fill("Lernbegleiterin im Jobcenter Nord");
    await form.getByLabel("Region oder lokaler Verbund").fill("Verbund Küste");
    await form.getByLabel("Rechtskreis").selectOption({ label: "SGB II (Jobcenter)" });
    await form.getByRole("button", { name: "Profil speichern" }).click();
    const saved = page.getByRole("status").filter({ hasText: "Dein Profil ist gespeichert." });
    await saved.waitFor();
    await expectAccessible(page);

    // Saved for real: a fresh load shows the new values.
    await visit(page, "/einstellungen");
    expect(await form.getByLabel("Funktion").inputValue()).toBe("Lernbegleiterin im Jobcenter Nord");
    expect(await form.getByLabel("Region oder lokaler Verbund").inputValue()).toBe("Verbund Küste");
    expect(await form.getByLabel("Rechtskreis").inputValue()).toBe("sgb2");

    // A name that is too short: the message sits in the field's group and is tied to the input.
    const name = form.getByLabel("Name", { exact: true });
    await name.fill("S");
    await form.getByLabel("Region oder lokaler Verbund").fill("Verbund Binnenland");
    await form.getByRole("button", { name: "Profil speichern" }).click();
    await expect.poll(() => name.getAttribute("aria-invalid")).toBe("true");
    const message = "Der Name muss mindestens 2 Zeichen lang sein.";
    const describedBy = (await name.getAttribute("aria-describedby"))!.split(" ");
    const descriptions = await Promise.all(describedBy.map((id) => page.locator(`#${id}`).textContent()));
    expect(descriptions).toContain(message);
    expect(
      await page
        .locator(".field", { has: page.locator("#displayName") })
        .getByText(message)
        .isVisible(),
    ).toBe(true);
    expect(await page.getByText("Dein Profil ist gespeichert.").count()).toBe(0);
    // What the member typed stays: the bad name to correct, and the other changed field.
    expect(await name.inputValue()).toBe("S");
    expect(await form.getByLabel("Region oder lokaler Verbund").inputValue()).toBe("Verbund Binnenland");
    expect(await form.getByLabel("Funktion").inputValue()).toBe("Lernbegleiterin im Jobcenter Nord");
    expect(await form.getByLabel("Region oder lokaler Verbund").getAttribute("aria-invalid")).toBeNull();
    await expectAccessible(page);
  });
});

describe("invitations", () => {
  test("a moderator's invitation link creates one account, logged in on the settings page; a second use is refused", async () => {
    const moderator = await newPage();
    await login(moderator, "moderation@example.org");
    await visit(moderator, "/moderation");
    await moderator.getByLabel("Rolle").selectOption({ label: "Mitglied" });
    await moderator.getByLabel("Notiz (nur für die Moderation)").fill("Für Tara aus Kiel");
    await moderator.getByRole("button", { name: "Einladungslink erstellen" }).click();
    await moderator.getByRole("status").filter({ hasText: "Einladung erstellt." }).waitFor();
    const link = await moderator.getByLabel("Einladungslink").inputValue();
    expect(link).toMatch(new RegExp(`^${app.url()}/einladung/[A-Za-z0-9_-]{20,}$`));
    const row = moderator.getByRole("row").filter({ hasText: "Für Tara aus Kiel" });
    expect(await row.getByRole("cell").nth(3).textContent()).toBe("offen");
    await expectAccessible(moderator);

    // The invited person, in another browser (own cookies), opens the link and creates the account.
    const invited = await newPage();
    await visit(invited, link);
    expect(await h1(invited)).toBe("Willkommen im Netzwerk");
    await invited.getByLabel("Dein Name").fill("Tara Tamm");
    await invited.getByLabel("Kurzname").fill("tara-tamm");
    await invited.getByLabel("E-Mail-Adresse").fill("tara.tamm@example.org");
    await invited.getByLabel("Passwort", { exact: true }).fill("ein-gutes-passwort");
    await invited.getByRole("button", { name: "Konto anlegen" }).click();
    await arrive(invited, "/einstellungen?willkommen=1");
    expect(await invited.getByRole("status").first().textContent()).toContain("Schön, dass du da bist!");
    expect(
      await invited
        .getByRole("banner")
        .getByRole("link", { name: /Tara Tamm/ })
        .isVisible(),
    ).toBe(true);
    expect(await invited.getByLabel("Kurzname").inputValue()).toBe("tara-tamm");
    expect(await sessionCookie(invited.context())).toBeTruthy();

    // The link is used up, for anyone.
    const other = await newPage();
    await visit(other, link);
    expect(await h1(other)).toBe("Einladung nicht gültig");
    expect(await other.getByRole("main").textContent()).toContain("Diese Einladung wurde schon benutzt.");

    await visit(moderator, "/moderation");
    expect(await row.getByRole("cell").nth(3).textContent()).toBe("angenommen");
  });
});

describe("logging out on all devices", () => {
  test("the other device's open page is sent to the login page by the live session:ended event", async () => {
    const laptop = await newPage();
    const phone = await newPage();
    await login(laptop, "mitglied2@example.org");
    await login(phone, "mitglied2@example.org");

    const phoneConnected = socketConnected(phone);
    await visit(phone, "/");
    await phoneConnected;

    await visit(laptop, "/einstellungen");
    expect(await laptop.getByRole("main").textContent()).toContain("auf 2 Geräten angemeldet");
    await laptop.getByRole("button", { name: "Auf allen Geräten abmelden" }).click();
    await laptop.waitForURL((u) => u.pathname + u.search === "/anmelden?abgemeldet=1");

    // Nobody touches the phone: the server's event moves it to the login page.
    await arrive(phone, "/anmelden?abgemeldet=1");
    // The laptop's own tab may get the event too and reload the same page (after the form's redirect, or instead
    // of it); load it once more so the scan does not race that reload.
    await visit(laptop, "/anmelden?abgemeldet=1");
    expect(await sessionCookie(laptop.context())).toBeUndefined();
    expect(await phone.getByRole("status").textContent()).toBe("Du bist abgemeldet.");
    expect(await phone.getByRole("navigation").count()).toBe(0);
    await visit(phone, "/einstellungen");
    expect(new URL(phone.url()).pathname).toBe("/anmelden");
  });
});
