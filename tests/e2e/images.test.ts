/**
 * Pictures in posts in a real Chromium (issue 19): picking a picture through the toolbar at desk width and pasting one
 * at phone width; the description is required before the picture goes into the text, and a waiting picture stops the
 * sending with a German message; the published post shows the picture with srcset, and the browser picks the
 * rendition that fits the width (960 px at 1280, 480 px at 360). Every page is scanned with axe.
 */
import type { Locator, Page } from "playwright-core";
import sharp from "sharp";
import { describe, expect, test } from "vitest";
import { arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";
import { photoWithGps } from "../setup/images.ts";

const app = useBrowser();
const SEVGI = "mitglied@example.org";
const JONAS = "mitglied2@example.org";
const THREAD_URL = /\/diskussionen\/[0-9a-f-]{36}(#beitrag-[0-9a-f-]{36})?$/;

async function openEditor(page: Page, textarea: Locator, label: string): Promise<Locator> {
  await textarea.click();
  const editor = page.locator(`.richtext__content[contenteditable="true"][aria-label="${label}"]`);
  await editor.waitFor();
  return editor;
}

/** The rendition the browser chose for a picture once it has loaded. */
async function loadedRendition(img: Locator): Promise<string> {
  await img.scrollIntoViewIfNeeded();
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), { timeout: 10_000 })
    .toBe(true);
  return img.evaluate((el: HTMLImageElement) => new URL(el.currentSrc).pathname);
}

describe("pictures in posts", () => {
  test("desk: pick a picture, the description is required, the post shows it with srcset (960 px chosen at 1280)", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, SEVGI);
    await visit(page, "/diskussionen/neu");
    await page.getByLabel("Titel").fill("Flipchart vom Fachtag");
    await page.getByLabel("Themenraum").selectOption({ label: "Lerngespräche führen" });
    const editor = await openEditor(page, page.locator("textarea#body"), "Text");
    await page.keyboard.type("So sah unser Flipchart aus:");

    const photo = await photoWithGps(2000, 1500);
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("toolbar", { name: "Formatierung" }).getByRole("button", { name: "Bild einfügen" }).click();
    await (await chooser).setFiles({ name: "flipchart.jpg", mimeType: "image/jpeg", buffer: photo });

    const form = page.getByRole("group", { name: "Bild einfügen" });
    const alt = form.getByLabel("Bildbeschreibung (Alternativtext, Pflicht)");
    await alt.waitFor();
    // Sending now would lose the picture: the form stays, with a message at the description.
    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    await expect
      .poll(() => form.getByRole("alert").textContent())
      .toBe("Das Bild ist noch nicht im Text: Bitte beschreibe es und wähle „Bild einfügen“ – oder verwirf es.");
    expect(new URL(page.url()).pathname).toBe("/diskussionen/neu");
    await expectAccessible(page);
    await form.getByRole("button", { name: "Bild einfügen" }).click();
    await expect
      .poll(() => form.getByRole("alert").textContent())
      .toMatch(/Das Bild wird noch hochgeladen|Bitte beschreibe das Bild/);
    await expect
      .poll(async () => {
        await form.getByRole("button", { name: "Bild einfügen" }).click();
        return form.getByRole("alert").textContent();
      })
      .toBe("Bitte beschreibe das Bild in einem Alternativtext, bevor du es einfügst.");
    expect(await alt.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await alt.getAttribute("aria-invalid")).toBe("true");

    await alt.fill("Flipchart mit den drei Zielen des Fachtags");
    await alt.press("Enter");
    await expect.poll(() => form.count()).toBe(0);
    const inEditor = editor.locator("img.beitragsbild");
    await inEditor.waitFor();
    expect(await inEditor.getAttribute("alt")).toBe("Flipchart mit den drei Zielen des Fachtags");
    expect(await editor.textContent()).toContain("So sah unser Flipchart aus:");

    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    await page.waitForURL(THREAD_URL);
    await arrive(page, THREAD_URL);
    const img = page.locator("article img.beitragsbild").first();
    expect(await img.getAttribute("alt")).toBe("Flipchart mit den drei Zielen des Fachtags");
    expect(await img.getAttribute("srcset")).toMatch(
      /^\/bilder\/[0-9a-f-]{36}\/480\.jpg 480w, \/bilder\/[0-9a-f-]{36}\/960\.jpg 960w, \/bilder\/[0-9a-f-]{36}\/1500\.jpg 1500w$/,
    );
    expect([
      await img.getAttribute("width"),
      await img.getAttribute("height"),
      await img.getAttribute("loading"),
    ]).toEqual(["1500", "2000", "lazy"]);
    expect(await loadedRendition(img)).toMatch(/\/960\.jpg$/);
    // The reserved box has the picture's proportions (no layout shift when it arrives).
    const box = await img.boundingBox();
    expect(Math.abs(box!.height / box!.width - 2000 / 1500)).toBeLessThan(0.02);
    await expectAccessible(page);
  });

  test("phone: paste a picture into a reply, describe it, and the reply shows the 480 px rendition at 360", async () => {
    const sevgi = await newPage();
    await login(sevgi, SEVGI);
    const created = await sevgi.request.post("/diskussionen/neu", {
      form: {
        type: "question",
        title: "Wer hat ein Foto vom Lernplakat?",
        category: "lerngespraeche",
        body: "Ich suche ein Beispiel.",
      },
      headers: { Origin: app.url() },
      maxRedirects: 0,
    });
    expect(created.status()).toBe(302);
    const threadPath = created.headers().location;

    const page = await newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, JONAS);
    await visit(page, threadPath);
    const replyForm = page.locator("section#antworten form");
    const editor = await openEditor(page, replyForm.locator("textarea"), "Deine Antwort");
    await page.keyboard.type("Hier ist unser Lernplakat:");
    const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#2a6" } })
      .png()
      .toBuffer();
    await editor.evaluate((el, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], "plakat.png", { type: "image/png" }));
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, png.toString("base64"));
    const form = page.getByRole("group", { name: "Bild einfügen" });
    const alt = form.getByLabel("Bildbeschreibung (Alternativtext, Pflicht)");
    await alt.waitFor();
    await expect.poll(() => form.locator("img.richtext__imagepreview").count()).toBe(1);
    await expectAccessible(page);
    await alt.fill("Grünes Lernplakat mit drei Spalten");
    // Wait until the upload is done, then insert by keyboard.
    await expect
      .poll(
        async () => {
          await alt.press("Enter");
          return form.count();
        },
        { timeout: 15_000 },
      )
      .toBe(0);
    await editor.locator("img.beitragsbild").waitFor();

    const before = page.url();
    await replyForm.getByRole("button", { name: "Antwort senden" }).click();
    await page.waitForURL((u) => u.href !== before && /#beitrag-/.test(u.hash));
    const postId = new URL(page.url()).hash.replace("#beitrag-", "");
    const img = page.locator(`article#beitrag-${postId} img.beitragsbild`);
    await img.waitFor();
    await arrive(page, THREAD_URL);
    expect(await img.getAttribute("alt")).toBe("Grünes Lernplakat mit drei Spalten");
    expect(await loadedRendition(img)).toMatch(/\/480\.jpg$/);
    // It fits the phone's column.
    const box = await img.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page);
  });
});
