/**
 * Polls in a real Chromium at 1280 and 360 px, each page scanned by axe: asking a poll with a new discussion,
 * voting by keyboard (radio group, Enter submits, a status message), the totals arriving live in another member's
 * open page without a reload, and voting with scripts off (a plain form POST).
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
  socketConnected,
  useBrowser,
  visit,
} from "../setup/browser.ts";

const app = useBrowser();

const SEVGI = "mitglied@example.org";
const JONAS = "mitglied2@example.org";
const THREAD_URL = /\/diskussionen\/[0-9a-f-]{36}$/;

async function threadWithPoll(page: Page, fields: Record<string, string> = {}): Promise<string> {
  const response = await page.request.post("/diskussionen/neu", {
    form: {
      type: "question",
      title: "Wann passt euch das Verbundtreffen?",
      category: "methoden",
      body: "Wir planen.",
      pollQuestion: "Welcher Tag passt euch?",
      pollOptions: "Montag\nMittwoch\nFreitag",
      ...fields,
    },
    headers: { Origin: app.url() },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  return response.headers().location.split("/").pop()!;
}

/** Nothing sticks out to the right of the viewport (no sideways scrolling). */
async function noOverflow(page: Page) {
  const widths = await page.evaluate(() => ({
    page: document.scrollingElement!.scrollWidth,
    view: document.documentElement.clientWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.view);
}

const poll = (page: Page) => page.locator("section#umfrage");
const resultRow = (page: Page, label: string): Locator => poll(page).locator(".poll__results li", { hasText: label });

describe("polls", () => {
  test("an author asks a poll with a new discussion (1280 px); a member votes by keyboard at 360 px and the author sees the totals live", async () => {
    // The refused form answers 400 (the browser logs that); expected once.
    const sevgi = await newPage({ allow: allowStatus(400) });
    const jonas = await newPage();
    await Promise.all([login(sevgi, SEVGI), login(jonas, JONAS)]);
    await sevgi.setViewportSize({ width: 1280, height: 900 });
    await jonas.setViewportSize({ width: 360, height: 740 });

    // The poll's fields sit in a fold of the "new discussion" form; a past end is refused in German, the rest kept.
    await visit(sevgi, "/diskussionen/neu");
    await sevgi.getByLabel("Titel").fill("Wann passt euch das Verbundtreffen?");
    await sevgi.getByLabel("Themenraum").selectOption({ label: "Methoden und Materialien" });
    // The editor replaces the text field when it gets the focus.
    await sevgi.locator("textarea#body").click();
    const editor = sevgi.locator('.richtext__content[contenteditable="true"][aria-label="Text"]');
    await editor.waitFor();
    await expect.poll(() => editor.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await sevgi.keyboard.type("Wir planen das nächste Treffen im lokalen Verbund.");
    await sevgi.getByText("Umfrage hinzufügen (freiwillig)").click();
    await sevgi.getByLabel("Frage der Umfrage").fill("Welcher Tag passt euch?");
    await sevgi.getByLabel("Antwortmöglichkeiten").fill("Montag\nMittwoch\nFreitag");
    await sevgi.getByLabel("Ende der Umfrage (freiwillig)").fill("2020-01-01T10:00");
    await expectAccessible(sevgi);
    await sevgi.getByRole("button", { name: "Veröffentlichen" }).click();
    const closesError = sevgi.locator("#pollClosesAt-fehler");
    await closesError.waitFor();
    expect(await closesError.textContent()).toBe("Das Ende der Umfrage muss in der Zukunft liegen.");
    expect(await sevgi.getByLabel("Antwortmöglichkeiten").inputValue()).toBe("Montag\nMittwoch\nFreitag");
    await expectAccessible(sevgi);
    await sevgi.getByLabel("Ende der Umfrage (freiwillig)").fill("");
    await sevgi.getByRole("button", { name: "Veröffentlichen" }).click();
    await arrive(sevgi, THREAD_URL);
    const threadId = new URL(sevgi.url()).pathname.split("/").pop()!;
    await expect.poll(() => resultRow(sevgi, "Mittwoch").locator(".poll__count").textContent()).toBe("0 Stimmen (0 %)");
    await noOverflow(sevgi);

    // Sevgi's page stays open; it must get the totals without reloading (the marker would be gone after a reload).
    await sevgi.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const connected = socketConnected(jonas);
    await visit(jonas, `/diskussionen/${threadId}`);
    await connected;
    await noOverflow(jonas);
    const group = poll(jonas).getByRole("group", { name: "Welcher Tag passt euch?" });
    expect(await group.getByRole("radio").count()).toBe(3);
    // By keyboard: into the radio group, arrow to the next answer, Enter sends the form.
    await group.getByRole("radio", { name: "Montag" }).focus();
    await jonas.keyboard.press("ArrowDown");
    expect(await group.getByRole("radio", { name: "Mittwoch" }).isChecked()).toBe(true);
    await jonas.keyboard.press("Enter");
    const status = poll(jonas).getByRole("status");
    await expect
      .poll(() => status.textContent())
      .toBe("Danke, deine Stimme ist gezählt. Du kannst sie ändern, solange die Umfrage läuft.");
    await expect.poll(() => resultRow(jonas, "Mittwoch").textContent()).toBe("Mittwoch (deine Wahl)1 Stimme (100 %)");
    expect(await poll(jonas).getByRole("button", { name: "Stimme ändern" }).isVisible()).toBe(true);
    await expectAccessible(jonas);
    await noOverflow(jonas);

    await expect
      .poll(() => resultRow(sevgi, "Mittwoch").locator(".poll__count").textContent())
      .toBe("1 Stimme (100 %)");
    expect(await poll(sevgi).locator(".poll__voters").textContent()).toBe("1 Person hat abgestimmt.");
    expect(await resultRow(sevgi, "Mittwoch").textContent()).not.toContain("deine Wahl");
    expect(await sevgi.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await expectAccessible(sevgi);

    // Jonas changes his vote; both pages follow.
    await group.getByRole("radio", { name: "Freitag" }).check();
    await poll(jonas).getByRole("button", { name: "Stimme ändern" }).click();
    await expect.poll(() => resultRow(sevgi, "Freitag").locator(".poll__count").textContent()).toBe("1 Stimme (100 %)");
    expect(await resultRow(sevgi, "Mittwoch").locator(".poll__count").textContent()).toBe("0 Stimmen (0 %)");
  });

  test("multiple choice at 360 px; when the author ends the poll, open pages show the result without the form", async () => {
    const sevgi = await newPage();
    const jonas = await newPage();
    await Promise.all([login(sevgi, SEVGI), login(jonas, JONAS)]);
    await jonas.setViewportSize({ width: 360, height: 740 });
    const threadId = await threadWithPoll(sevgi, { pollMultiple: "on" });
    const connected = socketConnected(jonas);
    await visit(jonas, `/diskussionen/${threadId}`);
    await connected;
    const group = poll(jonas).getByRole("group", { name: "Welcher Tag passt euch?" });
    expect(await group.getByRole("checkbox").count()).toBe(3);
    await group.getByRole("checkbox", { name: "Montag" }).check();
    await group.getByRole("checkbox", { name: "Freitag" }).check();
    await poll(jonas).getByRole("button", { name: "Abstimmen" }).click();
    await expect
      .poll(() => poll(jonas).locator(".poll__voters").textContent())
      .toBe("1 Person hat abgestimmt (mehrere Antworten je Person möglich).");
    expect(await resultRow(jonas, "Montag").locator(".poll__count").textContent()).toBe("1 Stimme (100 %)");
    expect(await resultRow(jonas, "Freitag").locator(".poll__count").textContent()).toBe("1 Stimme (100 %)");
    await expectAccessible(jonas);

    // The author ends the poll from her own page; Jonas's open page follows.
    await visit(sevgi, `/diskussionen/${threadId}`);
    await poll(sevgi).getByRole("button", { name: "Umfrage jetzt beenden" }).click();
    await expect.poll(() => poll(sevgi).getByRole("status").textContent()).toBe("Die Umfrage ist beendet.");
    await expect.poll(() => poll(jonas).getByRole("heading", { level: 2 }).textContent()).toBe("Umfrage (beendet)");
    expect(await poll(jonas).getByRole("group").count()).toBe(0);
    expect(await poll(jonas).textContent()).toContain("Deine Stimme: Montag, Freitag.");
    expect(await poll(jonas).getByRole("heading", { level: 3 }).textContent()).toBe("Ergebnis");
    await expectAccessible(jonas);
    await noOverflow(jonas);
  });
});

describe("without JavaScript", () => {
  let noJs: BrowserContext | undefined;
  afterEach(async () => {
    await noJs?.close();
    noJs = undefined;
  });

  test("a member votes with a plain form POST and reads the status and totals (1280 px)", async () => {
    const browser = (await newContext()).browser()!;
    noJs = await browser.newContext({
      baseURL: app.url(),
      locale: "de-DE",
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    noJs.setDefaultTimeout(10_000);
    const page = await newPage({ context: noJs });
    const sevgi = await newPage();
    await Promise.all([login(page, JONAS), login(sevgi, SEVGI)]);
    const threadId = await threadWithPoll(sevgi);
    // axe needs timers, which a page with scripts off never fires; only for the scan they become microtasks.
    const scan = async () => {
      await page.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        w.setTimeout = (fn: (...a: unknown[]) => void, _ms?: number, ...args: unknown[]) =>
          void Promise.resolve().then(() => fn(...args));
        w.clearTimeout = () => {};
        w.requestAnimationFrame = (fn: (t: number) => void) => void Promise.resolve().then(() => fn(performance.now()));
      });
      await expectAccessible(page);
    };
    await page.goto(`/diskussionen/${threadId}`);
    expect(
      await page.evaluate(
        () => "__remixContext" in window && !!(window as unknown as { __remixRouter?: unknown }).__remixRouter,
      ),
    ).toBe(false);
    await scan();
    await poll(page).getByRole("radio", { name: "Freitag" }).check();
    await Promise.all([page.waitForNavigation(), poll(page).getByRole("button", { name: "Abstimmen" }).click()]);
    expect(await poll(page).getByRole("status").textContent()).toBe(
      "Danke, deine Stimme ist gezählt. Du kannst sie ändern, solange die Umfrage läuft.",
    );
    expect(await resultRow(page, "Freitag").locator(".poll__count").textContent()).toBe("1 Stimme (100 %)");
    expect(await poll(page).getByRole("radio", { name: "Freitag" }).isChecked()).toBe(true);
    await scan();
  });
});
