/**
 * Merkliste in a real Chromium at phone and desk width: a member keeps a reply, its thread and a material with the
 * "Merken" buttons (with JavaScript, so the page stays where it is), finds them on /merkliste, filters them and sets
 * a note and a reminder. axe on every page and after every change.
 */
import { describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { database } from "../../app/models/db.server.ts";
import { AHEAD_YEAR } from "../setup/dates.ts";
import { arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";

useBrowser();

async function one(query: ReturnType<typeof sql>): Promise<string> {
  const [row] = await database().rows<{ v: string }>(query);
  if (!row?.v) throw new Error(`nothing found: ${String(query)}`);
  return row.v;
}

describe("Merkliste", () => {
  for (const [width, email] of [
    [360, "mitglied3@example.org"],
    [1280, "mitglied4@example.org"],
  ] as const) {
    test(`at ${width} px: keep a reply, its thread and a material, find them on the Merkliste, set a reminder`, async () => {
      const memberId = await one(sql`select id::text as v from users where email = ${email}`);
      const threadId = await one(
        sql`select t.id::text as v from threads t where t.hidden_at is null and t.deleted_at is null and exists (select 1 from posts p where p.thread_id = t.id and p.parent_id is not null and p.deleted_at is null and p.hidden_at is null and p.author_id <> ${memberId}) order by t.created_at limit 1`,
      );
      const postId = await one(
        sql`select p.id::text as v from posts p where p.thread_id = ${threadId} and p.parent_id is not null and p.deleted_at is null and p.hidden_at is null and p.author_id <> ${memberId} order by p.created_at limit 1`,
      );
      const materialId = await one(
        sql`select id::text as v from materials where status = 'published' order by created_at limit 1`,
      );
      const materialTitle = await one(sql`select title as v from materials where id = ${materialId}`);

      const page = await newPage();
      await page.setViewportSize({ width, height: 800 });
      await login(page, email);
      await visit(page, "/merkliste");
      await page.getByText("Du hast dir noch nichts gemerkt.").waitFor();

      await visit(page, `/diskussionen/${threadId}`);
      // With JavaScript the buttons act without loading the page again: a mark on the window survives.
      await page.evaluate(() => ((window as unknown as { stay: number }).stay = 1));
      const replyButton = page.locator(`#beitrag-${postId}`).getByRole("button", { name: "Merken", exact: true });
      await replyButton.click();
      await page.locator(`#beitrag-${postId}`).getByRole("button", { name: "Gemerkt", pressed: true }).waitFor();
      await page.getByRole("button", { name: "Merken (Diskussion)" }).click();
      await page.getByRole("button", { name: "Gemerkt (Diskussion)", pressed: true }).waitFor();
      expect(await page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(1);
      await expectAccessible(page);

      await visit(page, `/materialien/${materialId}`);
      await page.getByRole("button", { name: "Merken (Material)" }).click();
      await page.getByRole("button", { name: "Gemerkt (Material)", pressed: true }).waitFor();
      await expectAccessible(page);

      // The header leads there (behind the menu button on a phone).
      if (width === 360) await page.getByRole("button", { name: "Menü" }).click();
      await page.getByRole("banner").getByRole("link", { name: "Merkliste" }).click();
      await arrive(page, "/merkliste");
      const entries = page.locator(".bookmark-list > li");
      expect(await entries.count()).toBe(3);
      expect(await entries.locator(".badge").allTextContents()).toEqual(["Material", "Diskussion", "Beitrag"]);
      await page.getByRole("link", { name: materialTitle, exact: true }).waitFor();

      // Note and reminder on the material.
      const material = entries.filter({ hasText: materialTitle });
      await material.getByText("Notiz und Erinnerung").click();
      await material.getByLabel("Notiz (nur für dich)").fill("Für die nächste Teamsitzung");
      await material.getByLabel(/Erinnern am/).fill(`${AHEAD_YEAR}-05-04`);
      await material.getByRole("button", { name: "Speichern" }).click();
      await material.getByRole("status").filter({ hasText: "Gespeichert." }).waitFor();
      await material.getByText(`Erinnerung am 04.05.${AHEAD_YEAR}`).waitFor();
      await material.getByText("Deine Notiz: Für die nächste Teamsitzung").waitFor();
      await expectAccessible(page);

      // Filters: only materials, only those with a reminder.
      await page
        .getByRole("navigation", { name: "Merkliste filtern" })
        .getByRole("link", { name: "Materialien" })
        .click();
      await arrive(page, "/merkliste?art=materialien");
      expect(await entries.count()).toBe(1);
      await page.getByRole("navigation", { name: "Merkliste filtern" }).getByRole("link", { name: "Alle" }).click();
      await arrive(page, "/merkliste");
      await page.getByRole("link", { name: "Nur mit Erinnerung" }).click();
      await arrive(page, "/merkliste?erinnerung=1");
      expect(await entries.count()).toBe(1);
      await page.getByText("Deine Notiz: Für die nächste Teamsitzung").waitFor();

      // Nothing scrolls sideways.
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
    });
  }
});
