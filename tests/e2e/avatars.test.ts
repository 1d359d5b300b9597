/**
 * Faces in a real Chromium, at phone and desk width (axe on every page): a member sets a profile picture, chooses its
 * square with the keyboard, and sees it beside her post and in the member directory; others keep their initials.
 */
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { phonePhoto } from "../setup/photos.ts";
import { arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";

useBrowser();

/** True once the image has loaded real pixels (not a broken image). */
const loaded = (page: Page, selector: string) =>
  page.waitForFunction((s) => {
    const img = document.querySelector<HTMLImageElement>(s);
    return !!img && img.complete && img.naturalWidth > 0;
  }, selector);

describe("faces", () => {
  for (const width of [360, 1280]) {
    test(`a member sets a picture and sees it beside her post and in the directory (${width} px)`, async () => {
      const page = await newPage();
      await page.setViewportSize({ width, height: 800 });
      await login(page, "mitglied@example.org");
      await visit(page, "/einstellungen");
      await page.getByRole("link", { name: /Profilbild (hochladen|ändern)/ }).click();
      await arrive(page, "/einstellungen/profilbild");

      await page
        .getByLabel("Bild auswählen")
        .setInputFiles({ name: "IMG_2041.jpg", mimeType: "image/jpeg", buffer: await phonePhoto() });
      const upload = page.getByRole("group", { name: "Ausschnitt wählen" });
      await loaded(page, "fieldset.cropper-fieldset .cropper__frame img");
      // The square is chosen with the keyboard: larger, and down to the bottom of the picture.
      const zoom = upload.getByLabel("Vergrößern");
      await zoom.focus();
      for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
      expect(Number(await zoom.inputValue())).toBeCloseTo(1.5, 5);
      const vertical = upload.getByLabel("Ausschnitt nach oben oder unten");
      await vertical.focus();
      await page.keyboard.press("End");
      expect(await vertical.inputValue()).toBe("100");
      expect(await vertical.getAttribute("aria-valuetext")).toBe("100 % – eher unten");
      await expectAccessible(page);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);

      await page.getByRole("button", { name: "Bild speichern" }).click();
      await page.getByText("Dein Profilbild ist gespeichert.").waitFor();
      await expectAccessible(page);
      const current = page.locator(".picture-current img.avatar");
      const src = (await current.getAttribute("src"))!;
      const [, userId, stamp] = /^\/profilbilder\/([0-9a-f-]{36})\/96\.webp\?v=([0-9a-f]+)$/.exec(src)!;
      await loaded(page, ".picture-current img.avatar");
      expect(await current.getAttribute("alt")).toBe("");

      // Beside her posts: on the first discussion she opened.
      await visit(page, "/mitglieder/sevgi-schneider");
      expect(await page.locator(`h1 img.avatar[src="/profilbilder/${userId}/96.webp?v=${stamp}"]`).count()).toBe(1);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sevgi Schneider");
      await page.locator('section[aria-labelledby="beitraege-titel"] a').first().click();
      await arrive(page, /\/diskussionen\/[0-9a-f-]{36}$/);
      const beside = `article.post .post__byline img.avatar[src="/profilbilder/${userId}/48.webp?v=${stamp}"]`;
      await page.locator(beside).first().scrollIntoViewIfNeeded();
      await loaded(page, beside);
      const box = await page.locator(beside).first().boundingBox();
      expect({ w: box?.width, h: box?.height }).toEqual({ w: 40, h: 40 });

      // In the directory: her picture; others their initials, drawn and not read.
      await visit(page, "/mitglieder");
      const card = page.locator(".member-grid .card", { hasText: "Sevgi Schneider" });
      await loaded(page, `.member-grid img.avatar[src*="${userId}"]`);
      expect(await card.locator("img.avatar").getAttribute("alt")).toBe("");
      const initials = page.locator(".member-grid .card", { hasText: "Jonas Wagner" }).locator(".avatar");
      expect(await initials.getAttribute("data-initials")).toBe("JW");
      expect(await initials.getAttribute("aria-hidden")).toBe("true");
      expect(await page.locator(".member-grid .card__title").first().textContent()).not.toMatch(/^[A-Z]{2}[A-Z]/);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
    });
  }
});
