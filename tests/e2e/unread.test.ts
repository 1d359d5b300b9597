/**
 * Unread in Chromium at phone and desk widths (ADR 030): a reply by another member shows as "1 neu" in the room's
 * list; opening the thread from there lands on the first new reply, with the keyboard focus on its marker.
 */
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";

const app = useBrowser();
const PASSWORD = "ein-gutes-passwort-2026";

async function post(page: Page, path: string, form: Record<string, string>): Promise<string> {
  const response = await page.request.post(path, { form, headers: { Origin: app.url() }, maxRedirects: 0 });
  expect(response.status(), `POST ${path}`).toBe(302);
  return response.headers().location;
}

test("a reply by another member shows as 1 neu, and opening the thread jumps to it (360 and 1280 px)", async () => {
  await createUser({
    email: "wanda@example.org",
    displayName: "Wanda Schreibt",
    handle: "wanda-schreibt",
    password: PASSWORD,
  });
  await createUser({ email: "lena@example.org", displayName: "Lena Liest", handle: "lena-liest", password: PASSWORD });
  const writer = await newPage();
  await login(writer, "wanda@example.org", PASSWORD);
  const reader = await newPage();
  await login(reader, "lena@example.org", PASSWORD);

  const location = await post(writer, "/diskussionen/neu", {
    type: "question",
    category: "lerngespraeche",
    title: "Wer nutzt Lernlandkarten?",
    body: "Ich suche Beispiele.",
  });
  const threadPath = location.replace(/^https?:\/\/[^/]+/, "");
  // Several replies, so the new one lies further down than the first screen.
  for (let i = 1; i <= 6; i++)
    await post(writer, threadPath, {
      intent: "reply",
      parentId: "",
      body: `Beispiel ${i}: ${"Wir hängen sie ins Büro und sprechen jede Woche darüber. ".repeat(6)}`,
    });
  await visit(reader, threadPath);

  for (const width of [360, 1280]) {
    await reader.setViewportSize({ width, height: 800 });
    // Away from the thread first: a reply arriving live on the open thread page is read right there.
    await visit(reader, "/themen/lerngespraeche");
    const replyId = (
      await post(writer, threadPath, { intent: "reply", parentId: "", body: `Neu bei ${width} px.` })
    ).split("#beitrag-")[1];

    await visit(reader, "/themen/lerngespraeche");
    const item = reader.locator(".thread-list__item", { hasText: "Wer nutzt Lernlandkarten?" });
    expect(await item.locator(".thread-list__new").textContent()).toBe("1 neu");
    expect(await reader.locator(".unread-summary").textContent()).toContain(
      "Seit deinem letzten Besuch: 1 neue Antwort.",
    );

    await item.getByRole("link", { name: "Wer nutzt Lernlandkarten?" }).click();
    await arrive(reader, new RegExp(`${threadPath}#ungelesen$`));
    // The focus sits on the marker, right before the new reply, which is on screen.
    await reader.waitForFunction(() => document.activeElement?.id === "ungelesen");
    expect(await reader.evaluate(() => document.activeElement?.nextElementSibling?.id)).toBe(`beitrag-${replyId}`);
    await expect.poll(() => reader.locator(`#beitrag-${replyId}`).isVisible()).toBe(true);
    const box = await reader.locator("#ungelesen").boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(800);
    expect(await reader.locator(`#beitrag-${replyId} .badge--unread`).textContent()).toBe("Neu");
    await expect
      .poll(() => reader.getByRole("link", { name: /^Weiterlesen ab der Antwort von Wanda Schreibt/ }).count())
      .toBe(1);

    // Back to the start: the title takes the focus.
    await reader.locator("#ungelesen").getByRole("link", { name: "Zum Anfang der Diskussion" }).click();
    await reader.waitForFunction(() => document.activeElement?.id === "anfang");
    await expectAccessible(reader);
  }
});
