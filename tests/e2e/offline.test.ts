/**
 * The installable app offline, in a real Chromium at phone and desk width (ADR 038): the service worker installs, a
 * thread read online opens offline, an unread one shows the German offline page (axe-checked), a bookmarked material
 * and its file open offline; another member signing in and logging out leave no cache behind.
 */
import { describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { database } from "../../app/models/db.server.ts";
import {
  allowText,
  arrive,
  expectAccessible,
  login,
  newPage,
  useBrowser,
  visit,
  waitForHydration,
} from "../setup/browser.ts";

useBrowser();

async function one(query: ReturnType<typeof sql>): Promise<string> {
  const [row] = await database().rows<{ v: string }>(query);
  if (!row?.v) throw new Error(`nothing found: ${String(query)}`);
  return row.v;
}

/** Resolves once some cache of the page's origin holds `path` (the worker writes after answering). */
function cached(page: Page, path: string): Promise<unknown> {
  return page.waitForFunction(async (p) => !!(await caches.match(p)), path);
}

/** Offline, the page's own requests that cannot be answered (the live socket) fail in the console: expected. */
const offlineNoise = allowText(/ERR_INTERNET_DISCONNECTED|net::ERR_FAILED|socket\.io/);

describe("offline reading", () => {
  for (const [width, email, other] of [
    [360, "mitglied@example.org", "mitglied3@example.org"],
    [1280, "mitglied2@example.org", "mitglied4@example.org"],
  ] as const) {
    test(`at ${width} px: a read thread and a bookmarked material open offline, an unread page shows the offline page, logout empties the caches`, async () => {
      const [read, unread] = await database().rows<{ id: string; title: string }>(
        sql`select id::text, title from threads where hidden_at is null and deleted_at is null and category_id is not null order by created_at limit 2`,
      );
      const material = await one(
        sql`select m.id::text as v from materials m join material_files f on f.material_id = m.id where m.status = 'published' and f.size < 5000000 order by m.created_at limit 1`,
      );
      const materialTitle = await one(sql`select title as v from materials where id = ${material}`);
      const file = await one(
        sql`select id::text as v from material_files where material_id = ${material} order by created_at limit 1`,
      );

      const page = await newPage({ allow: offlineNoise });
      await page.setViewportSize({ width, height: 800 });
      await login(page, email);
      await visit(page, "/");
      // Installed and in control of the page (it claims open pages when it activates).
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

      await visit(page, `/materialien/${material}`);
      await page.getByRole("button", { name: "Merken (Material)" }).click();
      await page.getByRole("button", { name: "Gemerkt (Material)", pressed: true }).waitFor();
      await visit(page, "/merkliste");
      await cached(page, `/dateien/${file}`);
      await cached(page, `/materialien/${material}`);
      await visit(page, `/diskussionen/${read.id}`);
      await cached(page, `/diskussionen/${read.id}`);
      // Never kept: a consultation page, settings.
      await visit(page, "/einstellungen");
      expect(await page.evaluate(async () => !!(await caches.match("/einstellungen")))).toBe(false);

      await page.context().setOffline(true);
      await page.goto(`/diskussionen/${read.id}`);
      await page.getByRole("heading", { level: 1, name: read.title }).waitFor();
      await waitForHydration(page);
      await expectAccessible(page);

      await page.goto(`/diskussionen/${unread.id}`);
      await page.getByRole("heading", { level: 1, name: "Du bist offline" }).waitFor();
      await expectAccessible(page);
      await expect.poll(() => page.locator("main a").allTextContents()).toContain(read.title);
      expect(await page.locator("main").textContent()).toContain(
        "Fallberatungen, Benachrichtigungen, Einstellungen und die Moderation werden nie gespeichert",
      );

      // From the offline page's list to the kept material (a full page load while offline).
      await page.getByRole("link", { name: materialTitle }).click();
      await page.getByRole("heading", { level: 1, name: materialTitle }).waitFor();
      await waitForHydration(page);
      await expectAccessible(page);
      const kept = await page.evaluate(async (url) => {
        const r = await fetch(url);
        return { status: r.status, bytes: (await r.arrayBuffer()).byteLength };
      }, `/dateien/${file}`);
      expect(kept.status).toBe(200);
      expect(kept.bytes).toBe(Number(await one(sql`select size::text as v from material_files where id = ${file}`)));

      // Online again: another member signs in on this device; the first member's copies go.
      await page.context().setOffline(false);
      await login(page, other);
      await visit(page, "/");
      await page.waitForFunction(async (p) => !(await caches.match(p)), `/diskussionen/${read.id}`);
      expect(await page.evaluate(async (p) => !!(await caches.match(p)), `/dateien/${file}`)).toBe(false);
      await visit(page, `/diskussionen/${unread.id}`);
      await cached(page, `/diskussionen/${unread.id}`);

      // Logout: nothing stays.
      await visit(page, "/abmelden");
      await page.getByRole("button", { name: "Jetzt abmelden" }).click();
      await arrive(page, "/anmelden?abgemeldet=1");
      await page.waitForFunction(async () => (await caches.keys()).length === 0);
    });
  }
});
