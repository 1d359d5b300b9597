/** "Deine Daten" in a real Chromium: a member exports their data (progress, zip) and deletes their account. */
import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { allowStatus, arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";
import { readZip } from "../setup/zip.ts";

useBrowser();

describe("your data", () => {
  test("the privacy page is reachable from the footer, without logging in", async () => {
    const page = await newPage();
    await visit(page, "/anmelden");
    await page.getByRole("contentinfo").getByRole("link", { name: "Datenschutz" }).click();
    await arrive(page, "/datenschutz");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Datenschutz");
    expect(await page.getByRole("table").getByRole("rowheader").count()).toBeGreaterThan(8);
  });

  test("a member exports their data: sees the progress, downloads the zip with the JSON inside", async () => {
    const page = await newPage();
    await login(page, "mitglied2@example.org");
    await visit(page, "/einstellungen");
    await page.getByRole("link", { name: "Meine Daten herunterladen" }).click();
    await arrive(page, "/einstellungen/daten");
    expect(await page.getByText("Du hast noch keinen Export angefordert.").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Export erstellen" }).click();
    // The progress bar is there from the start and the page follows it (polling) until the export is ready.
    const progress = page.getByRole("progressbar");
    await progress.first().waitFor();
    await page.getByText("Dein Export ist fertig.").waitFor({ timeout: 30_000 });
    expect(await progress.evaluate((el) => (el as HTMLProgressElement).value)).toBe(100);
    await expectAccessible(page);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Zip-Datei herunterladen/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^meine-daten-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = await readZip(fs.readFileSync(await download.path()));
    expect([...zip.keys()]).toEqual(expect.arrayContaining(["daten.json", "LIESMICH.txt"]));
    const { data } = JSON.parse(zip.get("daten.json")!.toString("utf8"));
    expect(data.users).toMatchObject({ email: "mitglied2@example.org", displayName: "Jonas Wagner" });
  });

  test("a member deletes their account after confirming with the password, and cannot log in again", async () => {
    const page = await newPage({ allow: allowStatus(400) });
    await login(page, "mitglied2@example.org");
    await visit(page, "/einstellungen");
    await page.getByRole("link", { name: "Konto löschen" }).click();
    await arrive(page, "/einstellungen/konto-loeschen");

    // Without a choice and with a wrong password: messages next to the fields, nothing deleted.
    await page.getByLabel("Dein Passwort zur Bestätigung").fill("falsches-passwort");
    await page.getByRole("button", { name: "Konto endgültig löschen" }).click();
    await page.getByText("Bitte wähle, was mit deinen Beiträgen geschehen soll.").waitFor();
    await expectAccessible(page);
    await page.getByLabel(/^Behalten, ohne meinen Namen/).check();
    await page.getByLabel("Dein Passwort zur Bestätigung").fill("falsches-passwort");
    await page.getByRole("button", { name: "Konto endgültig löschen" }).click();
    await page.getByText("Das Passwort stimmt nicht.").waitFor();
    expect(await page.getByLabel(/^Behalten, ohne meinen Namen/).isChecked()).toBe(true);
    await expectAccessible(page);

    await page.getByLabel("Dein Passwort zur Bestätigung").fill("demo-passwort-2026");
    await page.getByRole("button", { name: "Konto endgültig löschen" }).click();
    await arrive(page, "/konto-geloescht");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Dein Konto ist gelöscht");

    // Another member still reads Jonas' reply, now from a former member.
    const reader = await newPage();
    await login(reader, "mitglied@example.org");
    await visit(reader, "/diskussionen");
    await reader
      .getByRole("link", { name: "Lernlandkarte auf einer Seite: so klären wir den Lernbedarf" })
      .first()
      .click();
    await arrive(reader, /\/diskussionen\/[0-9a-f-]{36}$/);
    const reply = reader.locator("article", { hasText: "Funktioniert das auch digital" }).last();
    expect(await reply.textContent()).toContain("Ehemaliges Mitglied");
    expect(await reader.getByText("Jonas Wagner").count()).toBe(0);

    await visit(page, "/anmelden");
    await page.getByLabel("E-Mail-Adresse").fill("mitglied2@example.org");
    await page.getByLabel("Passwort", { exact: true }).fill("demo-passwort-2026");
    await page.getByRole("main").getByRole("button", { name: "Anmelden" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toBe("E-Mail-Adresse oder Passwort stimmen nicht.");
    await expectAccessible(page);
  });
});
