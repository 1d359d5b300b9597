/**
 * Faces in lists in a real Chromium at phone and desk width (axe on every page): the thread lists, the notification
 * centre and the search page show Sevgi's picture (loaded, at its fixed size, decorative) and others' initials (drawn,
 * not read), and the lists stay readable on a phone: no sideways scrolling, titles keep most of the width.
 */
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, test } from "vitest";
import { threads, users } from "../../db/schema/index.ts";
import { db } from "../../app/models/db.server.ts";
import { setProfilePicture } from "../../app/models/avatars/pictures.server.ts";
import { notify } from "../../app/models/discussions/notifications.server.ts";
import { plainPng } from "../setup/photos.ts";
import { login, newPage, useBrowser, visit } from "../setup/browser.ts";

useBrowser();

let sevgi = "";

beforeAll(async () => {
  const idOf = async (email: string) =>
    (await db().select({ id: users.id }).from(users).where(eq(users.email, email)))[0].id;
  sevgi = await idOf("mitglied@example.org");
  await setProfilePicture({ id: sevgi, role: "member" }, { bytes: await plainPng(300, 300), crop: {} });
  // Petra is told that Sevgi and Jonas answered in a discussion she follows.
  const [thread] = await db()
    .select({ id: threads.id })
    .from(threads)
    .where(eq(threads.importRef, "demo-lernlandkarte"));
  const petra = await idOf("qv@example.org");
  await notify([
    { userId: petra, type: "reply", threadId: thread.id, postId: null, actorId: sevgi },
    { userId: petra, type: "reply", threadId: thread.id, postId: null, actorId: await idOf("mitglied2@example.org") },
  ]);
});

/** Sevgi's picture in `scope` has loaded real pixels at 32 × 32 CSS px, and is decorative. */
async function expectPicture(page: Page, scope: string): Promise<void> {
  const selector = `${scope} img.avatar[src^="/profilbilder/${sevgi}/48.webp"]`;
  const img = page.locator(selector).first();
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((s) => {
    const el = document.querySelector<HTMLImageElement>(s);
    return !!el && el.complete && el.naturalWidth > 0;
  }, selector);
  const box = await img.boundingBox();
  expect({ w: box?.width, h: box?.height }).toEqual({ w: 32, h: 32 });
  expect(await img.getAttribute("alt")).toBe("");
  expect(await img.getAttribute("loading")).toBe("lazy");
}

async function expectInitials(page: Page, scope: string, letters: string): Promise<void> {
  const face = page.locator(`${scope} .avatar[data-initials="${letters}"]`).first();
  expect(await face.getAttribute("aria-hidden")).toBe("true");
  expect(await face.textContent()).toBe("");
}

async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
}

describe("faces in lists", () => {
  for (const width of [360, 1280]) {
    test(`thread lists, notifications and search show faces and stay readable (${width} px)`, async () => {
      const page = await newPage();
      await page.setViewportSize({ width, height: 800 });
      await login(page, "qv@example.org");

      for (const path of ["/diskussionen", "/themen/methoden"]) {
        await visit(page, path);
        await expectPicture(page, ".thread-list");
        await expectInitials(page, ".thread-list", "JW");
        await expectNoSidewaysScroll(page, width);
        const entry = page.locator(".thread-list__item", { hasText: "Lernlandkarte auf einer Seite" });
        // Readable on a phone: the text column takes the entry's width (the reply count goes below it), and no
        // face or name sticks out of the entry.
        const item = (await entry.boundingBox())!;
        const main = (await entry.locator(".thread-list__main").boundingBox())!;
        if (width === 360) expect(main.width).toBeGreaterThan(item.width * 0.8);
        for (const part of await entry.locator(".thread-list__byline > *").all()) {
          const box = (await part.boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(item.x);
          expect(box.x + box.width).toBeLessThanOrEqual(item.x + item.width);
        }
        // The byline reads as the name (the initials and pictures are not text).
        expect((await entry.locator(".thread-list__byline").first().innerText()).trim()).toMatch(/^Sevgi Schneider/);
      }

      await visit(page, "/benachrichtigungen");
      await expectPicture(page, ".notification-list");
      await expectInitials(page, ".notification-list", "JW");
      await expectNoSidewaysScroll(page, width);

      await visit(page, "/suche?q=Lernlandkarte");
      await expectPicture(page, ".search-hits");
      await expectNoSidewaysScroll(page, width);
    });
  }
});
