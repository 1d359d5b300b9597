/**
 * Pictures in a real Chromium, beyond the editor's insertion (tests/e2e/images.test.ts), ADR 031:
 * - without JavaScript (javaScriptEnabled: false), a reply at phone width and a new thread at desk width get a
 *   picture through the plain form; a missing description is refused with the text and the picture kept;
 * - the description of a picture already in the text is changed by keyboard (arrow onto the picture, Enter) at desk
 *   width and by touch (toolbar button) at phone width, an empty one refused;
 * - a moderator puts a picture into a material's description; members see it with srcset once it is published.
 * Every page is scanned with axe (with scripts off, axe runs with its timers made microtasks, as in polls.test.ts).
 */
import type { BrowserContext, Locator, Page } from "playwright-core";
import sharp from "sharp";
import { afterEach, describe, expect, test } from "vitest";
import {
  allowStatus,
  arrive,
  expectAccessible,
  login,
  newContext,
  newPage,
  useBrowser,
  visit,
} from "../setup/browser.ts";
import { photoWithGps } from "../setup/images.ts";

const app = useBrowser();
const SEVGI = "mitglied@example.org";
const JONAS = "mitglied2@example.org";
const MODERATOR = "moderation@example.org";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const THREAD_URL = new RegExp(`/diskussionen/${UUID}(#beitrag-${UUID})?$`);

/** The rendition the browser chose for a picture once it has loaded. */
async function loadedRendition(img: Locator): Promise<string> {
  await img.scrollIntoViewIfNeeded();
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), { timeout: 10_000 })
    .toBe(true);
  return img.evaluate((el: HTMLImageElement) => new URL(el.currentSrc).pathname);
}

/** A thread by Sevgi, opened over HTTP; with `picture`, its opening post carries it (uploaded like the editor does). */
async function threadBy(page: Page, title: string, picture?: { alt: string; bytes: Buffer }): Promise<string> {
  let bodyJson = "";
  if (picture) {
    const uploaded = await page.request.post("/api/v1/bilder", {
      multipart: { file: { name: "bild.png", mimeType: "image/png", buffer: picture.bytes } },
      headers: { Origin: app.url() },
    });
    expect(uploaded.status()).toBe(201);
    const image = (await uploaded.json()) as { src: string; width: number; height: number };
    bodyJson = JSON.stringify({
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "Unser Tafelbild:" }] },
        { type: "image", attrs: { src: image.src, alt: picture.alt, width: image.width, height: image.height } },
      ],
    });
  }
  const created = await page.request.post("/diskussionen/neu", {
    form: { type: "question", title, category: "lerngespraeche", body: "Unser Tafelbild:", bodyJson },
    headers: { Origin: app.url() },
    maxRedirects: 0,
  });
  expect(created.status()).toBe(302);
  return created.headers().location;
}

describe("without JavaScript", () => {
  let noJs: BrowserContext | undefined;
  afterEach(async () => {
    await noJs?.close();
    noJs = undefined;
  });

  async function plainPage(width: number, height: number): Promise<{ page: Page; scan: () => Promise<void> }> {
    const browser = (await newContext()).browser()!;
    noJs = await browser.newContext({
      baseURL: app.url(),
      locale: "de-DE",
      javaScriptEnabled: false,
      viewport: { width, height },
    });
    noJs.setDefaultTimeout(10_000);
    // The refused form answers 400.
    const page = await newPage({ context: noJs, allow: allowStatus(400) });
    // axe needs timers, which a page with scripts off never fires; only for the scan they become microtasks.
    const scan = async () => {
      expect(
        await page.evaluate(() => document.documentElement.classList.contains("js")),
        "the page's scripts must not have run",
      ).toBe(false);
      await page.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        w.setTimeout = (fn: (...a: unknown[]) => void, _ms?: number, ...args: unknown[]) =>
          void Promise.resolve().then(() => fn(...args));
        w.clearTimeout = () => {};
        w.requestAnimationFrame = (fn: (t: number) => void) => void Promise.resolve().then(() => fn(performance.now()));
      });
      await expectAccessible(page);
    };
    return { page, scan };
  }

  test("phone: a reply with a picture; without a description the text and the picture are kept, then it is sent", async () => {
    const sevgi = await newPage();
    await login(sevgi, SEVGI);
    const threadPath = await threadBy(sevgi, "Wie sieht euer Lernplakat aus?");
    const { page, scan } = await plainPage(360, 740);
    await login(page, JONAS);
    await page.goto(threadPath);
    await scan();
    const form = page.locator("section#antworten form");
    await form.getByLabel("Deine Antwort").fill("Hier ist unseres vom Montag.");
    const picture = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#2a6" } })
      .png()
      .toBuffer();
    await form
      .getByLabel("Bild", { exact: true })
      .setInputFiles({ name: "plakat.png", mimeType: "image/png", buffer: picture });
    await Promise.all([page.waitForNavigation(), form.getByRole("button", { name: "Antwort senden" }).click()]);

    // Refused: the text stays, the picture is shown as uploaded, the description field says what is missing.
    const alt = form.getByLabel("Bildbeschreibung (Alternativtext, Pflicht bei einem Bild)");
    expect(await alt.getAttribute("aria-invalid")).toBe("true");
    const message = form.locator(".richtext__plainimage .field__error");
    expect(await message.textContent()).toBe(
      "Bitte beschreibe das Bild im Feld „Bildbeschreibung“ – für Menschen, die es nicht sehen können. Dein Bild ist schon hochgeladen und bleibt hier, bis du den Beitrag sendest.",
    );
    expect((await alt.getAttribute("aria-describedby"))?.split(" ")).toContain(await message.getAttribute("id"));
    expect(await form.getByLabel("Deine Antwort").inputValue()).toBe("Hier ist unseres vom Montag.");
    const preview = form.locator(".richtext__plainimage-kept img");
    expect(await loadedRendition(preview)).toMatch(new RegExp(`^/bilder/${UUID}/480\\.jpg$`));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await scan();

    await alt.fill("Grünes Lernplakat mit drei Spalten");
    await Promise.all([page.waitForNavigation(), form.getByRole("button", { name: "Antwort senden" }).click()]);
    expect(page.url()).toMatch(THREAD_URL);
    const postId = new URL(page.url()).hash.replace("#beitrag-", "");
    const img = page.locator(`article#beitrag-${postId} img.beitragsbild`);
    expect(await img.getAttribute("alt")).toBe("Grünes Lernplakat mit drei Spalten");
    expect(await page.locator(`article#beitrag-${postId}`).textContent()).toContain("Hier ist unseres vom Montag.");
    expect(await loadedRendition(img)).toMatch(/\/480\.jpg$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await scan();
  });

  test("desk: a new thread with a picture and its description in one go", async () => {
    const { page, scan } = await plainPage(1280, 900);
    await login(page, SEVGI);
    await page.goto("/diskussionen/neu");
    await scan();
    await page.getByLabel("Titel").fill("Flipchart ohne JavaScript");
    await page.getByLabel("Themenraum").selectOption({ label: "Lerngespräche führen" });
    await page.getByLabel("Text", { exact: true }).fill("Das Ergebnis unseres Workshops.");
    await page
      .getByLabel("Bild", { exact: true })
      .setInputFiles({ name: "flipchart.jpg", mimeType: "image/jpeg", buffer: await photoWithGps(2000, 1500) });
    await page
      .getByLabel("Bildbeschreibung (Alternativtext, Pflicht bei einem Bild)")
      .fill("Flipchart mit den drei Zielen des Workshops");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Veröffentlichen" }).click()]);
    expect(page.url()).toMatch(THREAD_URL);
    const img = page.locator("article img.beitragsbild").first();
    expect(await img.getAttribute("alt")).toBe("Flipchart mit den drei Zielen des Workshops");
    expect([
      await img.getAttribute("width"),
      await img.getAttribute("height"),
      await img.getAttribute("loading"),
    ]).toEqual(["1500", "2000", "lazy"]);
    expect(await loadedRendition(img)).toMatch(/\/960\.jpg$/);
    await scan();
  });
});

describe("changing a picture's description in the editor", () => {
  /** The edit page of the thread's opening post, with the editor open. */
  async function editOpening(page: Page, threadPath: string): Promise<Locator> {
    await visit(page, threadPath);
    const postId = await page.locator("article[id^='beitrag-']").first().getAttribute("id");
    await visit(page, `${threadPath}/beitrag/${postId!.replace("beitrag-", "")}/bearbeiten`);
    await page.locator("textarea#body").click();
    const editor = page.locator('.richtext__content[contenteditable="true"][aria-label="Text"]');
    await editor.waitFor();
    await editor.locator("img.beitragsbild").waitFor();
    return editor;
  }

  test("desk, keyboard only: from the end of the text up onto the picture, Enter, a new description; an empty one is refused", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, SEVGI);
    const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#369" } })
      .png()
      .toBuffer();
    const threadPath = await threadBy(page, "Tafelbild zum Beschreiben", { alt: "Tafel", bytes: png });
    const editor = await editOpening(page, threadPath);

    // From the end of the text up onto the picture: it is selected and announced with its description.
    await page.keyboard.press("Control+End");
    await page.keyboard.press("ArrowUp");
    const status = page.locator(".richtext__editor > p[role='status']");
    await expect.poll(() => status.textContent()).toBe("Bild ausgewählt: „Tafel“. Eingabetaste: Beschreibung ändern.");
    const toolbar = page.getByRole("toolbar", { name: "Formatierung" });
    expect(
      await toolbar.getByRole("button", { name: "Bildbeschreibung ändern" }).getAttribute("aria-keyshortcuts"),
    ).toBe("Enter");
    await expectAccessible(page);

    await page.keyboard.press("Enter");
    const form = page.getByRole("group", { name: "Bildbeschreibung ändern" });
    const alt = form.getByLabel("Bildbeschreibung (Alternativtext, Pflicht)");
    expect(await alt.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await alt.inputValue()).toBe("Tafel");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.press("Enter");
    expect(await form.getByRole("alert").textContent()).toBe(
      "Die Bildbeschreibung darf nicht leer sein: Bitte beschreibe, was auf dem Bild zu sehen ist.",
    );
    expect(await alt.getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page);
    // Nothing changed while the description was empty.
    expect(await editor.locator("img.beitragsbild").getAttribute("alt")).toBe("Tafel");

    await page.keyboard.type("Tafelbild mit dem Ablauf eines Lerngesprächs in vier Schritten");
    await page.keyboard.press("Enter");
    await expect.poll(() => form.count()).toBe(0);
    expect(await editor.locator("img.beitragsbild").getAttribute("alt")).toBe(
      "Tafelbild mit dem Ablauf eines Lerngesprächs in vier Schritten",
    );
    // The focus is back on the picture in the text.
    expect(await editor.evaluate((el) => el.contains(document.activeElement) || el === document.activeElement)).toBe(
      true,
    );
    await expect
      .poll(() => status.textContent())
      .toBe(
        "Bild ausgewählt: „Tafelbild mit dem Ablauf eines Lerngesprächs in vier Schritten“. Eingabetaste: Beschreibung ändern.",
      );
    expect(await editor.textContent()).toContain("Unser Tafelbild:");

    await page.getByRole("button", { name: "Änderungen speichern" }).click();
    await arrive(page, THREAD_URL);
    const img = page.locator("article img.beitragsbild").first();
    expect(await img.getAttribute("alt")).toBe("Tafelbild mit dem Ablauf eines Lerngesprächs in vier Schritten");
    expect(await img.getAttribute("srcset")).toMatch(
      new RegExp(`^/bilder/${UUID}/480\\.jpg 480w, /bilder/${UUID}/900\\.jpg 900w$`),
    );
  });

  test("phone: tap the picture, then the toolbar's button, and save a new description", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, SEVGI);
    const png = await sharp({ create: { width: 700, height: 500, channels: 3, background: "#a63" } })
      .png()
      .toBuffer();
    const threadPath = await threadBy(page, "Foto zum Nachbeschreiben", { alt: "Foto", bytes: png });
    const editor = await editOpening(page, threadPath);
    await editor.locator("img.beitragsbild").click();
    const button = page
      .getByRole("toolbar", { name: "Formatierung" })
      .getByRole("button", { name: "Bildbeschreibung ändern" });
    await button.click();
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    const form = page.getByRole("group", { name: "Bildbeschreibung ändern" });
    await form
      .getByLabel("Bildbeschreibung (Alternativtext, Pflicht)")
      .fill("Braune Pinnwand mit Karten der Teilnehmenden");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    await form.getByRole("button", { name: "Beschreibung speichern" }).click();
    await expect.poll(() => form.count()).toBe(0);
    expect(await editor.locator("img.beitragsbild").getAttribute("alt")).toBe(
      "Braune Pinnwand mit Karten der Teilnehmenden",
    );
    await page.getByRole("button", { name: "Änderungen speichern" }).click();
    await arrive(page, THREAD_URL);
    const img = page.locator("article img.beitragsbild").first();
    expect(await img.getAttribute("alt")).toBe("Braune Pinnwand mit Karten der Teilnehmenden");
    expect(await loadedRendition(img)).toMatch(/\/480\.jpg$/);
  });
});

describe("pictures in materials", () => {
  test("a moderator puts a described picture into a material (1280); a member sees it published at 360 with 480 px", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, MODERATOR);
    await visit(page, "/materialien/neu");
    await page.getByLabel("Materialart").selectOption({ label: "Methodenkarte" });
    await page.getByLabel("Titel", { exact: true }).fill("Methodenkarte: Lernlandkarte");
    await page.getByLabel("Kurzbeschreibung").fill("Eine Landkarte der eigenen Lernziele, Schritt für Schritt.");
    await page.locator("textarea#body").click();
    const editor = page.locator('.richtext__content[contenteditable="true"][aria-label="Beschreibung (freiwillig)"]');
    await editor.waitFor();
    await page.keyboard.type("So sieht eine fertige Lernlandkarte aus:");
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("toolbar", { name: "Formatierung" }).getByRole("button", { name: "Bild einfügen" }).click();
    await (
      await chooser
    ).setFiles({ name: "landkarte.jpg", mimeType: "image/jpeg", buffer: await photoWithGps(2000, 1500) });
    const form = page.getByRole("group", { name: "Bild einfügen" });
    const alt = form.getByLabel("Bildbeschreibung (Alternativtext, Pflicht)");
    await alt.waitFor();
    // The description gate: no picture without one (once the upload is done, the message says so).
    await expect
      .poll(
        async () => {
          await form.getByRole("button", { name: "Bild einfügen" }).click();
          return form.getByRole("alert").textContent();
        },
        { timeout: 15_000 },
      )
      .toBe("Bitte beschreibe das Bild in einem Alternativtext, bevor du es einfügst.");
    await expectAccessible(page);
    await alt.fill("Lernlandkarte mit fünf Stationen vom Start bis zum Ziel");
    await alt.press("Enter");
    await editor.locator("img.beitragsbild").waitFor();
    await page.getByRole("button", { name: "Als Entwurf speichern" }).click();
    await arrive(page, new RegExp(`/materialien/${UUID}$`));
    const img = page.locator(".prose img.beitragsbild");
    expect(await img.getAttribute("alt")).toBe("Lernlandkarte mit fünf Stationen vom Start bis zum Ziel");
    expect(await img.getAttribute("srcset")).toMatch(
      new RegExp(`^/bilder/${UUID}/480\\.jpg 480w, /bilder/${UUID}/960\\.jpg 960w, /bilder/${UUID}/1500\\.jpg 1500w$`),
    );
    expect([
      await img.getAttribute("width"),
      await img.getAttribute("height"),
      await img.getAttribute("loading"),
    ]).toEqual(["1500", "2000", "lazy"]);
    expect(await loadedRendition(img)).toMatch(/\/960\.jpg$/);
    const materialPath = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    await arrive(page, materialPath);

    const member = await newPage();
    await member.setViewportSize({ width: 360, height: 740 });
    await login(member, JONAS);
    await visit(member, materialPath);
    const seen = member.locator(".prose img.beitragsbild");
    expect(await seen.getAttribute("alt")).toBe("Lernlandkarte mit fünf Stationen vom Start bis zum Ziel");
    expect(await loadedRendition(seen)).toMatch(/\/480\.jpg$/);
    const box = await seen.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    expect(Math.abs(box!.height / box!.width - 2000 / 1500)).toBeLessThan(0.02);
    expect(await member.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(member);
  });
});
