/**
 * A live dialogue round in three browser contexts: the host opens the room, Sevgi registers and joins, Jonas joins on
 * a 320 px screen; chat, a hand raised by keyboard, the floor with a polite announcement, live notes and agenda; the
 * host closes the room and publishes the result, which the members then find in the library. axe on every page.
 */
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { allowStatus, arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";
import { ahead } from "../setup/dates.ts";

useBrowser();

const ROUND = "KI im Arbeitsalltag – was heißt das für Lerngespräche?";
const live = (page: Page) => page.locator(".live-room");
const announcer = (page: Page) => page.locator('.live-room [aria-live="polite"]');
const scrollWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

async function openRound(page: Page): Promise<string> {
  await visit(page, "/dialogrunden");
  await page.getByRole("link", { name: ROUND }).click();
  await arrive(page, /\/dialogrunden\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}

async function connectedRoom(page: Page): Promise<void> {
  await expect.poll(() => live(page).getByText("Verbunden", { exact: true }).count(), { timeout: 15_000 }).toBe(1);
}

test("host and two members: join, chat, raise a hand, get the floor, notes, close and publish; the result is in the library", async () => {
  const host = await newPage();
  await login(host, "moderation@example.org");
  const roundPath = await openRound(host);
  await host.getByRole("button", { name: "Raum öffnen" }).click();
  await connectedRoom(host);
  await expectAccessible(host);

  // Sevgi is not registered yet: she registers while the round is live and is let in.
  const sevgi = await newPage();
  await login(sevgi, "mitglied@example.org");
  await openRound(sevgi);
  expect(await live(sevgi).count()).toBe(0);
  await sevgi.getByRole("button", { name: "Anmelden" }).click();
  await expect.poll(() => sevgi.getByText("Du bist angemeldet. Bis bald!").count()).toBe(1);
  await connectedRoom(sevgi);
  await expectAccessible(sevgi);

  // Jonas on a phone-sized screen.
  const jonas = await newPage();
  await jonas.setViewportSize({ width: 320, height: 720 });
  await login(jonas, "mitglied2@example.org");
  await visit(jonas, roundPath);
  await connectedRoom(jonas);
  expect(await scrollWidth(jonas)).toBeLessThanOrEqual(320);
  await expect
    .poll(() => host.locator(".live-room").getByRole("heading", { name: "Anwesend (3)" }).count(), { timeout: 15_000 })
    .toBe(1);
  expect(await host.locator(".live-room").getByText("Jonas Wagner ist dazugekommen.").count()).toBe(1);

  // Chat: Sevgi writes, Jonas sees it and hears it politely.
  const chatBox = sevgi.getByLabel("Nachricht an alle");
  await chatBox.fill("Hallo aus Köln! Wir probieren KI-Assistenten gerade aus.");
  await chatBox.press("Enter");
  await expect
    .poll(() =>
      jonas.locator(".chat-log").getByText("Hallo aus Köln! Wir probieren KI-Assistenten gerade aus.").count(),
    )
    .toBe(1);
  await expect
    .poll(() => announcer(jonas).textContent())
    .toBe("Sevgi Schneider: Hallo aus Köln! Wir probieren KI-Assistenten gerade aus.");
  expect(await chatBox.inputValue()).toBe("");

  // Jonas raises his hand with the keyboard; the host gives him the floor; focus stays where it was.
  const hand = jonas.getByRole("button", { name: "Hand heben" });
  await hand.focus();
  await jonas.keyboard.press("Enter");
  await expect.poll(() => jonas.getByRole("button", { name: "Hand senken (du bist Nr. 1)" }).count()).toBe(1);
  await expect
    .poll(() => host.getByRole("list", { name: "Warteschlange der Wortmeldungen" }).textContent())
    .toContain("Jonas Wagner");
  await host.getByRole("button", { name: "Nächste Wortmeldung aufrufen" }).click();
  await expect.poll(() => jonas.locator(".speaker--active").textContent()).toBe("Das Wort hat: du");
  await expect.poll(() => announcer(jonas).textContent()).toBe("Du hast das Wort.");
  expect(await jonas.evaluate(() => document.activeElement?.textContent)).toContain("Hand heben");
  await expect.poll(() => sevgi.locator(".speaker--active").textContent()).toBe("Das Wort hat: Jonas Wagner");
  expect(await scrollWidth(jonas)).toBeLessThanOrEqual(320);
  await expectAccessible(jonas);

  // Notes and agenda, live for everyone.
  await host
    .getByLabel("Protokoll bearbeiten")
    .fill("## Ergebnisse\n\n- KI-Assistenten als Lernthema aufgreifen\n- Erfahrungen im Netzwerk teilen");
  await expect
    .poll(() => sevgi.locator(".notes-view").textContent(), { timeout: 15_000 })
    .toContain("KI-Assistenten als Lernthema aufgreifen");
  await host.getByRole("button", { name: "Nächster Punkt" }).click();
  await expect
    .poll(() => sevgi.locator('.agenda [aria-current="step"]').textContent())
    .toContain("Impuls: KI im Arbeitsalltag");
  await expectAccessible(sevgi);
  await expectAccessible(host);

  // The host closes the room (with a confirmation) and publishes the result in one step.
  await host.getByRole("link", { name: "Raum schließen" }).click();
  await arrive(host, /schliessen=1$/);
  await host.getByRole("button", { name: "Ja, Raum schließen" }).click();
  await expect
    .poll(() => host.getByRole("heading", { name: "Ergebnis veröffentlichen" }).count(), { timeout: 15_000 })
    .toBe(1);
  await expectAccessible(host);
  expect(await host.getByLabel("Ergebnis (aus dem Protokoll)").inputValue()).toContain(
    "Erfahrungen im Netzwerk teilen",
  );
  await host.getByLabel(/Hallo aus Köln/).check();
  await host.getByRole("button", { name: "Ergebnis veröffentlichen" }).click();
  await arrive(host, /\/materialien\/[0-9a-f-]{36}$/);
  const title = `Ergebnis: ${ROUND}`;
  expect(await host.getByRole("heading", { level: 1 }).textContent()).toBe(title);

  // Members were moved out of the closed room, and find the result in the library.
  await expect.poll(() => sevgi.locator(".live-room").count(), { timeout: 15_000 }).toBe(0);
  await visit(sevgi, "/materialien?art=round_outcome");
  await sevgi.getByRole("link", { name: title }).click();
  await arrive(sevgi, /\/materialien\/[0-9a-f-]{36}$/);
  expect(await sevgi.getByRole("main").textContent()).toContain("Hallo aus Köln!");
  await visit(jonas, "/benachrichtigungen");
  expect(await jonas.getByRole("main").textContent()).toContain("Das Ergebnis der Dialogrunde ist veröffentlicht");
  await visit(jonas, roundPath);
  expect(await jonas.getByRole("link", { name: "Das Ergebnis in den Materialien lesen" }).count()).toBe(1);
});

test("scheduling form with a refused time, then saved; the calendar address in the settings", async () => {
  // The refused form answers 400.
  const page = await newPage({ allow: allowStatus(400) });
  await login(page, "moderation@example.org");
  await visit(page, "/dialogrunden/neu");
  await page.getByLabel("Titel", { exact: true }).fill("Bürgergeld: was ändert sich für Lernfragen?");
  await page.getByLabel("Beginn", { exact: true }).fill(ahead("03-05T10:00"));
  await page.getByLabel("Ende", { exact: true }).fill(ahead("03-05T09:00"));
  await page.getByLabel("Anmeldeschluss", { exact: true }).fill(ahead("03-04T10:00"));
  await page.getByRole("button", { name: "Dialogrunde planen" }).click();
  await expect.poll(() => page.getByText("Das Ende muss nach dem Beginn liegen.").count()).toBe(1);
  expect(await page.getByLabel("Titel", { exact: true }).inputValue()).toBe(
    "Bürgergeld: was ändert sich für Lernfragen?",
  );
  await expectAccessible(page);
  await page.getByLabel("Ende", { exact: true }).fill(ahead("03-05T11:30"));
  await page.getByRole("button", { name: "Dialogrunde planen" }).click();
  await arrive(page, /geplant=1$/);
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
    "Bürgergeld: was ändert sich für Lernfragen?",
  );
  await visit(page, "/einstellungen");
  await page.getByRole("button", { name: "Kalender-Adresse erzeugen" }).click();
  await expect
    .poll(() => page.getByLabel("Kalender-Adresse").inputValue())
    .toMatch(/\/feeds\/dialogrunden\.ics\?token=[a-z2-7]{32}$/);
  await expectAccessible(page);
});
