/**
 * Notifications in a real Chromium: a member sets "Neue Materialien" to a daily digest on the settings page, a
 * material is published, the digest job runs at the next 07:00 Berlin (its clock set by the test, in this process,
 * where the server runs too) and the digest arrives at a real SMTP server; the member then follows its one-click
 * unsubscribe link. axe on every page.
 */
import { afterAll, describe, expect, test } from "vitest";
import { materials } from "../../db/schema/index.ts";
import { db } from "../../app/models/db.server.ts";
import { runDigests } from "../../app/models/notifications/digest.server.ts";
import { deliverOutbox } from "../../app/models/mail/outbox.server.ts";
import { digestSlot } from "../../app/domain/notifications/schedule.ts";
import { arrive, login, newPage, useBrowser, visit } from "../setup/browser.ts";
import { rawHeader, startSmtp } from "../setup/smtp.ts";

const smtp = await startSmtp();
const app = useBrowser({ SMTP_URL: smtp.url, PUBLIC_URL: "https://netzwerk.example.org" });
afterAll(() => smtp.close());

const SEVGI = "mitglied@example.org";
const TITLE = "Methodenkarte: Die Lernlandkarte im Erstgespräch";

describe("notification settings and the digest mail", () => {
  test("a member chooses a daily digest for new materials and receives it by mail; its unsubscribe link turns it off", async () => {
    const page = await newPage();
    await login(page, SEVGI);
    await visit(page, "/benachrichtigungen");
    await page.getByRole("link", { name: "Einstellen, wie du benachrichtigt wirst" }).click();
    await arrive(page, "/benachrichtigungen/einstellungen");

    const materialsGroup = page.getByRole("radiogroup", { name: "Neue Materialien" });
    expect(await materialsGroup.getByLabel("Wöchentliche Zusammenfassung").isChecked()).toBe(true);
    await materialsGroup.getByLabel("Tägliche Zusammenfassung").check();
    await page.getByRole("button", { name: "Einstellungen speichern" }).click();
    await page.getByRole("status").filter({ hasText: "Deine Einstellungen sind gespeichert." }).waitFor();
    await arrive(page, "/benachrichtigungen/einstellungen");
    expect(
      await page
        .getByRole("radiogroup", { name: "Neue Materialien" })
        .getByLabel("Tägliche Zusammenfassung")
        .isChecked(),
    ).toBe(true);

    // The job's first run only records where each member's first digest begins (a new install mails nobody).
    await runDigests(new Date());
    // A moderator publishes a material; the job runs at the next 07:00 Berlin time and the outbox delivers.
    await db().insert(materials).values({
      type: "method_card",
      status: "published",
      title: TITLE,
      summary: "Eine Karte für das erste Gespräch.",
      publishedAt: new Date(),
    });
    const seven = digestSlot("daily", new Date(Date.now() + 24 * 3_600_000));
    await runDigests(new Date(seven.getTime() + 60_000));
    await deliverOutbox(new Date(seven.getTime() + 60_000));

    const mail = await smtp.waitFor(
      (m) => JSON.stringify(m.to).includes(SEVGI) && (m.subject ?? "").startsWith("Deine tägliche Zusammenfassung"),
    );
    expect(mail.text).toContain("Hallo Sevgi Schneider,");
    expect(mail.text).toContain("Neue Materialien");
    expect(mail.text).toContain(TITLE);
    expect(mail.html).toContain(TITLE);
    expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    // The link for "Neue Materialien" in the mail, opened in the browser (without the mail's host: PUBLIC_URL is a placeholder here).
    const link = mail.text!.match(/„Neue Materialien“ abbestellen: (\S+?)\)?$/m)![1];
    const unsubscribe = new URL(link);
    const anonymous = await newPage();
    await visit(anonymous, unsubscribe.pathname + unsubscribe.search);
    expect(await anonymous.getByRole("heading", { level: 1 }).textContent()).toBe("Benachrichtigungen abbestellen");
    await anonymous.getByRole("button", { name: "Ja, abbestellen" }).click();
    await anonymous.getByRole("status").filter({ hasText: "„Neue Materialien“ ist abbestellt." }).waitFor();
    await arrive(anonymous, unsubscribe.pathname + unsubscribe.search);

    await visit(page, "/benachrichtigungen/einstellungen");
    expect(await page.getByRole("radiogroup", { name: "Neue Materialien" }).getByLabel("Aus").isChecked()).toBe(true);
    expect(app.url()).toMatch(/^http:\/\/localhost:\d+$/);
  });
});
