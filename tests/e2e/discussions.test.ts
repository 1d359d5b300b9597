/**
 * Threaded discussions in a real Chromium: asking with the rich editor (bold, @mentions), nested replies, accepting
 * an answer, live updates and notifications, reporting and hiding, forms without JavaScript, drafts, collapsing
 * sub-trees and permalinks. Cross-site scripting has its own file (discussions-xss.test.ts).
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

const THREAD_URL = /\/diskussionen\/[0-9a-f-]{36}(#beitrag-[0-9a-f-]{36})?$/;
const SEVGI = "mitglied@example.org";
const JONAS = "mitglied2@example.org";
const PETRA = "qv@example.org";
const MALTE = "moderation@example.org";

// ---------------------------------------------------------------------------------------------------------------
// Set-up over HTTP, exactly as the forms post without JavaScript (the forms themselves are exercised below).

async function createThread(page: Page, title: string, body: string, category = "lerngespraeche"): Promise<string> {
  const response = await page.request.post("/diskussionen/neu", {
    form: { type: "question", title, category, body },
    headers: { Origin: app.url() },
    maxRedirects: 0,
  });
  expect(response.status(), `create thread "${title}"`).toBe(302);
  return response.headers().location.split("/").pop()!;
}

async function postReply(page: Page, threadId: string, body: string, parentId = ""): Promise<string> {
  const response = await page.request.post(`/diskussionen/${threadId}`, {
    form: { intent: "reply", parentId, body },
    headers: { Origin: app.url() },
    maxRedirects: 0,
  });
  expect(response.status(), `reply "${body}"`).toBe(302);
  return response.headers().location.split("#beitrag-").pop()!;
}

// ---------------------------------------------------------------------------------------------------------------
// Page helpers.

const post = (page: Page, id: string) => page.locator(`article#beitrag-${id}`);
/** The page's one reply form (at the bottom; "Antworten" on a post points it at that post via ?antwort=). */
const replyForm = (page: Page) => page.locator("section#antworten form");
/** The post's own action bar (not the ones of replies nested inside its <li>). */
const actions = (page: Page, id: string) => post(page, id).locator(":scope > footer.post__actions");
const postIdFromUrl = (page: Page) => new URL(page.url()).hash.replace("#beitrag-", "");

/** Focuses a reply/body textarea and waits until the lazily loaded editor replaced it and has the focus. */
async function openEditor(page: Page, textarea: Locator, label: string): Promise<Locator> {
  await textarea.click();
  const editor = page.locator(`.richtext__content[contenteditable="true"][aria-label="${label}"]`);
  await editor.waitFor();
  await expect.poll(() => editor.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  return editor;
}

/** Submits the form around a locator and waits for the thread page (and the post anchor) it redirects to. */
async function submitReply(page: Page, form: Locator): Promise<string> {
  const before = page.url();
  await form.getByRole("button", { name: "Antwort senden" }).click();
  await page.waitForURL((u) => u.href !== before && /#beitrag-/.test(u.hash));
  const id = postIdFromUrl(page);
  // The URL changes before React renders the new data: scan once the new post is there.
  await post(page, id).waitFor();
  await arrive(page, THREAD_URL);
  return id;
}

/** Where each post sits in the reply tree: depth (nested <li>s) and the post whose <li> contains it. */
function treePosition(page: Page, id: string) {
  return post(page, id).evaluate((article) => {
    const li = article.parentElement!;
    let depth = 0;
    for (let el: Element | null = li; el; el = el.parentElement?.closest("li.reply") ?? null) depth++;
    const parentLi = li.parentElement?.closest("li.reply");
    const parentArticle = parentLi?.querySelector(":scope > article");
    return {
      tag: `${li.tagName}.${li.className} in ${li.parentElement!.tagName}.${li.parentElement!.className}`,
      depth,
      parent: parentArticle?.id.replace("beitrag-", "") ?? null,
      /** A sub-tree's list sits directly in its <details>; the top list is somewhere in the replies section. */
      container: li.parentElement!.parentElement!.matches("details.reply__children")
        ? "details"
        : li.parentElement!.closest("section.thread__replies")
          ? "section"
          : "?",
    };
  });
}

const badge = (page: Page) => page.getByRole("banner").locator(".site-header__bell .badge--count");

// ---------------------------------------------------------------------------------------------------------------

describe("a question and its answers", () => {
  test("asking with the rich editor, nested replies, live notifications and accepting an answer", async () => {
    const jonas = await newPage();
    const sevgi = await newPage();
    await Promise.all([login(jonas, JONAS), login(sevgi, SEVGI)]);

    // Jonas asks, with bold text and an @mention picked from the suggestions by keyboard.
    await visit(jonas, "/diskussionen/neu");
    const title = "Wie bereitet ihr das erste Lerngespräch vor?";
    await jonas.getByLabel("Titel").fill(title);
    await jonas.getByLabel("Themenraum").selectOption({ label: "Lerngespräche führen" });
    const editor = await openEditor(jonas, jonas.locator("textarea#body"), "Text");
    await jonas.keyboard.type("Ich suche eine ");
    const bold = jonas
      .getByRole("toolbar", { name: "Formatierung" })
      .getByRole("button", { name: "Fett", exact: true });
    await bold.click();
    expect(await bold.getAttribute("aria-pressed")).toBe("true");
    await jonas.keyboard.type("gute Checkliste");
    await bold.click();
    expect(await bold.getAttribute("aria-pressed")).toBe("false");
    await jonas.keyboard.type(" für das erste Gespräch. Hast du eine, @Sev");
    const suggestions = jonas.getByRole("listbox", { name: "Mitglieder erwähnen" });
    const option = suggestions.getByRole("option", { name: /Sevgi Schneider/ });
    await option.waitFor();
    // The list is reached from the editor (combobox pattern): the active option is its aria-activedescendant.
    expect(await editor.getAttribute("aria-autocomplete")).toBe("list");
    for (
      let i = 0;
      i < 8 && (await editor.getAttribute("aria-activedescendant")) !== (await option.getAttribute("id"));
      i++
    ) {
      await jonas.keyboard.press("ArrowDown");
    }
    expect(await option.getAttribute("aria-selected")).toBe("true");
    await expectAccessible(jonas);
    await jonas.keyboard.press("Enter");
    await expect.poll(() => suggestions.count()).toBe(0);
    await jonas.keyboard.type("?");
    expect(await editor.locator("strong").textContent()).toBe("gute Checkliste");
    expect(await editor.locator("[data-mention]").textContent()).toBe("@Sevgi Schneider");
    await expectAccessible(jonas);

    await jonas.getByRole("button", { name: "Veröffentlichen" }).click();
    await jonas.getByRole("heading", { level: 1, name: title }).waitFor();
    await arrive(jonas, THREAD_URL);
    const threadId = new URL(jonas.url()).pathname.split("/").pop()!;
    expect(await jonas.getByRole("heading", { level: 1 }).textContent()).toBe(title);
    const question = jonas.locator("article.post").first();
    expect(await question.locator(".prose strong").textContent()).toBe("gute Checkliste");
    const mention = question.locator(".prose a.mention");
    expect(await mention.textContent()).toBe("@Sevgi Schneider");
    expect(await mention.getAttribute("href")).toBe("/mitglieder/sevgi-schneider");
    expect(await question.locator(".prose").textContent()).toBe(
      "Ich suche eine gute Checkliste für das erste Gespräch. Hast du eine, @Sevgi Schneider ?",
    );

    // Sevgi was mentioned: the badge says so when she arrives, and the notification leads to the thread.
    const sevgiLive = socketConnected(sevgi);
    await visit(sevgi, "/benachrichtigungen");
    await sevgiLive;
    expect(await badge(sevgi).textContent()).toBe("1 ungelesen");
    const mentioned = sevgi.getByRole("link", { name: `Jonas Wagner hat dich erwähnt: „${title}“` });
    await mentioned.click();
    await sevgi.getByRole("heading", { level: 1, name: title }).waitFor();
    await arrive(sevgi, `/diskussionen/${threadId}`);
    await expect.poll(() => badge(sevgi).count(), { message: "opening the thread reads its notifications" }).toBe(0);

    // Sevgi answers at the bottom of the thread; Jonas's open page shows it live.
    const jonasSees = jonas.locator("article.post", { hasText: "Ich nehme immer drei Leitfragen mit." });
    const answerForm = replyForm(sevgi);
    expect(await sevgi.getByRole("heading", { level: 2, name: "Antworten", exact: true }).count()).toBe(1);
    await openEditor(sevgi, answerForm.locator("textarea"), "Deine Antwort");
    await sevgi.keyboard.type("Ich nehme immer drei Leitfragen mit.");
    const answerId = await submitReply(sevgi, answerForm);
    expect(await post(sevgi, answerId).locator(".prose").textContent()).toBe("Ich nehme immer drei Leitfragen mit.");
    await jonasSees.waitFor();
    expect(await jonasSees.getAttribute("id")).toBe(`beitrag-${answerId}`);

    // Sevgi moves on to the list; her badge must count up live when Jonas answers her.
    const sevgiListLive = socketConnected(sevgi);
    await visit(sevgi, "/diskussionen");
    await sevgiListLive;
    await sevgi.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    expect(await badge(sevgi).count()).toBe(0);

    // Jonas answers Sevgi's answer (level 2): "Antworten" points the reply form at her post and moves the focus there.
    await actions(jonas, answerId).getByRole("link", { name: "Antworten" }).click();
    await jonas.waitForURL((u) => u.search === `?antwort=${answerId}`);
    const nestedForm = replyForm(jonas);
    await nestedForm.locator(".richtext__content").waitFor();
    await expect.poll(() => nestedForm.evaluate((f) => f.contains(document.activeElement))).toBe(true);
    expect(await jonas.locator("section#antworten h2").textContent()).toBe("Antwort an Sevgi Schneider");
    expect(await jonas.locator("section#antworten blockquote").textContent()).toBe(
      "Ich nehme immer drei Leitfragen mit.",
    );
    await expectAccessible(jonas);
    await jonas.keyboard.type("Danke! Welche drei?");
    const jonasReplyId = await submitReply(jonas, nestedForm);

    await expect
      .poll(() =>
        badge(sevgi)
          .textContent()
          .catch(() => null),
      )
      .toBe("1 ungelesen");
    expect(await sevgi.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await sevgi.getByRole("link", { name: "Benachrichtigungen 1 ungelesen" }).count()).toBe(1);
    await expectAccessible(sevgi);
    await sevgi
      .getByRole("banner")
      .getByRole("link", { name: /Benachrichtigungen/ })
      .click();
    await sevgi.getByRole("heading", { level: 1, name: "Benachrichtigungen" }).waitFor();
    await arrive(sevgi, "/benachrichtigungen");
    const item = sevgi.locator(".notification--unread");
    expect(await item.count()).toBe(1);
    // Sevgi does not watch the thread; she hears of the reply because it answers her post.
    expect(await item.getByRole("link").textContent()).toBe(`Jonas Wagner hat geantwortet: „${title}“`);
    expect(await item.locator(".hint").first().textContent()).toBe("Danke! Welche drei?");

    // The notification links to Jonas's reply; Sevgi answers it (level 3).
    await item.getByRole("link").click();
    await post(sevgi, jonasReplyId).waitFor();
    await arrive(sevgi, THREAD_URL);
    expect(new URL(sevgi.url()).hash).toBe(`#beitrag-${jonasReplyId}`);
    await actions(sevgi, jonasReplyId).getByRole("link", { name: "Antworten" }).click();
    await sevgi.waitForURL((u) => u.search === `?antwort=${jonasReplyId}`);
    const deepForm = replyForm(sevgi);
    await deepForm.locator(".richtext__content").waitFor();
    await expectAccessible(sevgi);
    await sevgi.keyboard.type("Was brauchst du? Was kannst du schon? Was ist dein nächster Schritt?");
    const deepId = await submitReply(sevgi, deepForm);

    // The tree: ol > li > article, each sub-tree in <details> under its parent's <li>.
    await post(jonas, deepId).waitFor();
    for (const page of [sevgi, jonas]) {
      expect(await treePosition(page, answerId)).toEqual({
        tag: "LI.reply reply--depth-1 in OL.reply-list",
        depth: 1,
        parent: null,
        container: "section",
      });
      expect(await treePosition(page, jonasReplyId)).toEqual({
        tag: "LI.reply reply--depth-2 in OL.reply-list",
        depth: 2,
        parent: answerId,
        container: "details",
      });
      expect(await treePosition(page, deepId)).toEqual({
        tag: "LI.reply reply--depth-3 in OL.reply-list",
        depth: 3,
        parent: jonasReplyId,
        container: "details",
      });
    }
    for (const id of [answerId, jonasReplyId, deepId]) {
      const permalink = post(sevgi, id).getByRole("link", { name: /Link zu diesem Beitrag/ });
      const target = new URL((await permalink.getAttribute("href"))!, sevgi.url());
      expect(target.pathname + target.hash).toBe(`/diskussionen/${threadId}#beitrag-${id}`);
    }
    expect(await sevgi.getByRole("heading", { level: 2, name: "3 Antworten" }).count()).toBe(1);

    // Jonas accepts Sevgi's first answer: a box right under the question repeats it and links to it.
    await expect.poll(() => post(jonas, deepId).count()).toBe(1);
    await actions(jonas, answerId).getByRole("button", { name: "Als Lösung markieren" }).click();
    const accepted = jonas.getByRole("region", { name: "Als Lösung markiert" });
    await accepted.waitFor();
    await arrive(jonas, THREAD_URL);
    expect(await accepted.locator(".prose").textContent()).toBe("Ich nehme immer drei Leitfragen mit.");
    expect(await accepted.getByRole("link", { name: "Zur Antwort im Verlauf" }).getAttribute("href")).toBe(
      `#beitrag-${answerId}`,
    );
    const order = await jonas.evaluate(() => {
      const nodes = [
        ...document.querySelectorAll("main article.post, main section.accepted, main section.thread__replies"),
      ];
      return nodes
        .map((n) => (n.matches("section.accepted") ? "lösung" : n.matches("section") ? "antworten" : "beitrag"))
        .slice(0, 3);
    });
    expect(order).toEqual(["beitrag", "lösung", "antworten"]);
    expect(await post(jonas, answerId).locator(".badge--answered").textContent()).toBe("Lösung");
    expect(await actions(jonas, answerId).getByRole("button", { name: "Markierung als Lösung aufheben" }).count()).toBe(
      1,
    );
    expect(await jonas.locator(".thread__badges").textContent()).toContain("Beantwortet");

    await jonas
      .getByRole("navigation", { name: "Hauptnavigation" })
      .getByRole("link", { name: "Diskussionen" })
      .click();
    await jonas.getByRole("heading", { level: 1, name: "Diskussionen" }).waitFor();
    await arrive(jonas, "/diskussionen");
    const row = jonas.locator(".thread-list__item", { has: jonas.getByRole("link", { name: title }) });
    expect(await row.locator(".badge--answered").textContent()).toBe("Beantwortet");
    expect(await row.locator(".thread-list__count").textContent()).toBe("3 Antworten");
    // The list's links are plain links; with JavaScript they open the thread client-side, without reloading.
    await jonas.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await row.getByRole("link", { name: title }).click();
    await jonas.getByRole("heading", { level: 1, name: title }).waitFor();
    await arrive(jonas, /\/diskussionen\/[0-9a-f-]{36}$/);
    expect(await jonas.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  test("a page that has the thread open shows a new reply live and announces it", async () => {
    const jonas = await newPage();
    const petra = await newPage();
    const sevgi = await newPage();
    await Promise.all([login(jonas, JONAS), login(petra, PETRA), login(sevgi, SEVGI)]);
    const threadId = await createThread(
      jonas,
      "Lernvereinbarung schriftlich oder mündlich?",
      "Wie haltet ihr Lernvereinbarungen fest?",
    );

    const petraLive = socketConnected(petra);
    await visit(petra, `/diskussionen/${threadId}`);
    await petraLive;
    await petra.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const live = petra.locator('[aria-live="polite"]');
    expect(await live.textContent()).toBe("");
    expect(await petra.getByRole("heading", { level: 2, name: "0 Antworten" }).count()).toBe(1);

    await visit(sevgi, `/diskussionen/${threadId}`);
    const form = replyForm(sevgi);
    await openEditor(sevgi, form.locator("textarea"), "Deine Antwort");
    await sevgi.keyboard.type("Schriftlich, aber in einfacher Sprache.");
    const replyId = await submitReply(sevgi, form);

    await post(petra, replyId).waitFor();
    expect(await post(petra, replyId).locator(".prose").textContent()).toBe("Schriftlich, aber in einfacher Sprache.");
    await expect.poll(() => live.textContent()).toMatch(/^Neue Antwort eingegangen \(\d\d:\d\d\)\.$/);
    expect(await petra.getByRole("heading", { level: 2, name: "1 Antwort" }).count()).toBe(1);
    expect(await petra.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await expectAccessible(petra);
  });
});

describe("moderation", () => {
  test("a member reports a reply, the moderator hides it from the queue; members see a placeholder, moderators the text", async () => {
    const jonas = await newPage();
    await login(jonas, JONAS);
    const threadId = await createThread(
      jonas,
      "Erfahrungen mit dem Kompetenzcheck",
      "Wer hat den Kompetenzcheck schon genutzt?",
    );
    const spam = "Günstige Nachhilfe! Ruft einfach 0151 2345678 an.";
    const replyId = await postReply(jonas, threadId, spam);
    // A reply below it keeps a placeholder in the tree once it is hidden (a hidden leaf simply disappears).
    const childId = await postReply(jonas, threadId, "Bitte keine Werbung hier.", replyId);

    const petra = await newPage();
    await login(petra, PETRA);
    const petraLive = socketConnected(petra);
    await visit(petra, `/diskussionen/${threadId}`);
    await petraLive;
    await actions(petra, replyId).getByRole("link", { name: "Melden" }).click();
    // (A client-side navigation changes the URL before React renders the page: wait for the page itself.)
    await petra.getByRole("heading", { level: 1, name: "Beitrag melden" }).waitFor();
    await arrive(petra, `/diskussionen/${threadId}/beitrag/${replyId}/melden`);
    expect(await petra.locator("main blockquote").textContent()).toBe(spam);
    await petra.getByLabel("Was ist an diesem Beitrag nicht in Ordnung?").fill("Werbung mit Telefonnummer");
    await petra.getByRole("button", { name: "Meldung senden" }).click();
    await petra.getByRole("heading", { level: 1, name: "Danke für deine Meldung" }).waitFor();
    expect(await petra.getByRole("status").textContent()).toContain("Die Moderation sieht sich den Beitrag an.");
    await expectAccessible(petra);
    await petra.getByRole("link", { name: "Zurück zur Diskussion" }).click();
    await post(petra, replyId).waitFor();
    await arrive(petra, THREAD_URL);
    expect(new URL(petra.url()).hash).toBe(`#beitrag-${replyId}`);

    const malte = await newPage();
    await login(malte, MALTE);
    await visit(malte, "/moderation/meldungen");
    const report = malte.locator("li.card", { hasText: "Werbung mit Telefonnummer" });
    expect(await report.textContent()).toContain("von Petra Hoffmann");
    expect(await report.locator("blockquote").textContent()).toBe(spam);
    expect(await report.getByRole("link", { name: "Erfahrungen mit dem Kompetenzcheck" }).getAttribute("href")).toBe(
      `/diskussionen/${threadId}#beitrag-${replyId}`,
    );
    await report.getByRole("button", { name: "Beitrag ausblenden" }).click();
    await malte.getByText("Keine offenen Meldungen. Danke fürs Kümmern!").waitFor();
    expect(await malte.getByRole("status").textContent()).toBe(
      "Der Beitrag ist ausgeblendet. Mitglieder sehen ihn nicht mehr.",
    );
    await expectAccessible(malte);

    // Petra's open page drops the text live; a fresh load has no trace of it either.
    const hidden = post(petra, replyId);
    await expect.poll(() => hidden.getByRole("heading").textContent()).toBe("Ausgeblendeter Beitrag");
    expect(await hidden.textContent()).not.toContain("0151");
    await expectAccessible(petra);
    await visit(petra, `/diskussionen/${threadId}`);
    expect(await hidden.textContent()).toBe(
      "Ausgeblendeter BeitragDieser Beitrag wurde von der Moderation ausgeblendet.",
    );
    expect(await petra.content()).not.toContain("0151");
    expect(await post(petra, childId).locator(".prose").textContent()).toBe("Bitte keine Werbung hier.");

    // The moderator still reads it, marked, and can show it again.
    await visit(malte, `/diskussionen/${threadId}`);
    const seen = post(malte, replyId);
    expect(await seen.locator(".prose").textContent()).toBe(spam);
    expect(await seen.locator(".badge--warning").textContent()).toBe("Ausgeblendet");
    expect(await actions(malte, replyId).getByRole("button", { name: "Wieder einblenden" }).count()).toBe(1);
  });
});

describe("without JavaScript", () => {
  let noJs: BrowserContext | undefined;
  afterEach(async () => {
    await noJs?.close();
    noJs = undefined;
  });

  /** A page in a context with scripts off (the harness's contexts run scripts), still checked for console errors. */
  async function scriptlessPage(allow = allowStatus(400)): Promise<Page> {
    const browser = (await newContext()).browser()!;
    noJs = await browser.newContext({
      baseURL: app.url(),
      locale: "de-DE",
      javaScriptEnabled: false,
      viewport: { width: 1024, height: 768 },
    });
    noJs.setDefaultTimeout(10_000);
    return newPage({ context: noJs, allow });
  }

  /**
   * axe needs timers, and a page with scripts off fires none (DevTools evaluation itself still works). The page's
   * own scripts stay off; only for the scan, timers become microtasks (axe needs no real delays).
   */
  async function scan(page: Page) {
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      w.setTimeout = (fn: (...a: unknown[]) => void, _ms?: number, ...args: unknown[]) =>
        void Promise.resolve().then(() => fn(...args));
      w.clearTimeout = () => {};
      w.requestAnimationFrame = (fn: (t: number) => void) => void Promise.resolve().then(() => fn(performance.now()));
    });
    await expectAccessible(page);
  }

  async function load(page: Page, path: string) {
    await page.goto(path);
    await scan(page);
  }

  test("a member replies in Markdown, thanks a post and starts a thread; a missing title is explained, the text kept", async () => {
    const page = await scriptlessPage();
    await login(page, SEVGI);
    const jonas = await newPage();
    await login(jonas, JONAS);
    const threadId = await createThread(jonas, "Lernen mit Apps: eure Favoriten?", "Welche Apps empfehlt ihr?");

    await load(page, `/diskussionen/${threadId}`);
    expect(await page.evaluate(() => document.querySelectorAll(".richtext__content").length)).toBe(0);
    const form = replyForm(page);
    await form.getByLabel("Deine Antwort").fill("Ich mag **Anki** sehr.\n\nUnd *Duolingo* für den Einstieg.");
    await form.getByRole("button", { name: "Antwort senden" }).click();
    await page.waitForURL(THREAD_URL);
    await scan(page);
    const replyId = postIdFromUrl(page);
    expect(replyId).toMatch(/^[0-9a-f-]{36}$/);
    const body = post(page, replyId).locator(".prose");
    expect(await body.locator("strong").textContent()).toBe("Anki");
    expect(await body.locator("em").textContent()).toBe("Duolingo");
    expect(await body.locator("p").count()).toBe(2);

    // The buttons on posts belong to one shared form on the page: they work without scripts too.
    const opening = page.locator("article.post").first();
    const openingId = (await opening.getAttribute("id"))!.replace("beitrag-", "");
    const thanks = opening.getByRole("button", { name: /^Danke/ });
    expect(await thanks.getAttribute("aria-pressed")).toBe("false");
    await thanks.click();
    await page.waitForURL((u) => u.hash === `#beitrag-${openingId}`);
    expect(await thanks.getAttribute("aria-pressed")).toBe("true");
    expect(await thanks.textContent()).toBe("Danke 1");
    await scan(page);

    // A new thread without a title: German messages at the fields, everything typed still there.
    await load(page, "/diskussionen/neu");
    await page.getByLabel("Themenraum").selectOption({ label: "Methoden und Materialien" });
    const text = "Kennt jemand eine **Methodenkarte** zum Zeitmanagement?";
    await page.getByLabel("Text", { exact: true }).fill(text);
    await page.getByLabel("Schlagwörter").fill("Zeitmanagement, Methodenkarte");
    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe("/diskussionen/neu");
    await scan(page);
    expect(await page.getByRole("alert").first().textContent()).toContain("Bitte prüfe die markierten Angaben.");
    const titleField = page.getByLabel("Titel");
    expect(await titleField.getAttribute("aria-invalid")).toBe("true");
    const titleError = page.locator(".field", { has: page.locator("#title") }).locator(".field__error");
    expect(await titleError.textContent()).toMatch(/Titel/);
    expect((await titleField.getAttribute("aria-describedby"))!.split(" ")).toContain(
      await titleError.getAttribute("id"),
    );
    expect(await page.getByLabel("Text", { exact: true }).inputValue()).toBe(text);
    expect(await page.getByLabel("Themenraum").inputValue()).toBe("methoden");
    expect(await page.getByLabel("Schlagwörter").inputValue()).toBe("Zeitmanagement, Methodenkarte");

    await titleField.fill("Methodenkarte Zeitmanagement gesucht");
    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    await page.waitForURL(THREAD_URL);
    await scan(page);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Methodenkarte Zeitmanagement gesucht");
    expect(await page.locator("article.post").first().locator(".prose strong").textContent()).toBe("Methodenkarte");
  });
});

describe("writing", () => {
  test("a reply draft survives reloading the page", async () => {
    const jonas = await newPage();
    await login(jonas, JONAS);
    const threadId = await createThread(jonas, "Wie dokumentiert ihr Lernfortschritte?", "Mit Portfolio oder ohne?");
    const answerId = await postReply(jonas, threadId, "Wir nutzen ein einfaches Portfolio.");

    const sevgi = await newPage();
    await login(sevgi, SEVGI);
    await visit(sevgi, `/diskussionen/${threadId}?antwort=${answerId}`);
    const form = replyForm(sevgi);
    await form.locator(".richtext__content").waitFor();
    const saved = sevgi.waitForResponse(
      (r) => /^\/api\/v1\/drafts(\.data)?$/.test(new URL(r.url()).pathname) && r.request().method() === "POST",
    );
    const typed = Date.now();
    await sevgi.keyboard.type("Mein Entwurf: Portfolio mit ");
    await sevgi.keyboard.press("Control+B");
    await sevgi.keyboard.type("Fotos");
    expect((await saved).status()).toBe(200);
    await sevgi.waitForTimeout(Math.max(0, 1_600 - (Date.now() - typed)));

    await sevgi.reload();
    await arrive(sevgi, `/diskussionen/${threadId}?antwort=${answerId}`);
    const restored = form.locator(".richtext__content");
    await restored.waitFor();
    expect(await restored.textContent()).toBe("Mein Entwurf: Portfolio mit Fotos");
    expect(await restored.locator("strong").textContent()).toBe("Fotos");
  });
  test("editing a reply on its own page keeps the earlier wording as a version", async () => {
    const jonas = await newPage();
    await login(jonas, JONAS);
    const threadId = await createThread(
      jonas,
      "Welche Fragen stellt ihr zum Einstieg?",
      "Sammeln wir Einstiegsfragen.",
    );
    const replyId = await postReply(jonas, threadId, "Was möchtest du lernen?");

    await visit(jonas, `/diskussionen/${threadId}`);
    await actions(jonas, replyId).getByRole("link", { name: "Bearbeiten" }).click();
    await jonas.getByRole("heading", { level: 1, name: "Beitrag bearbeiten" }).waitFor();
    await arrive(jonas, `/diskussionen/${threadId}/beitrag/${replyId}/bearbeiten`);
    const textarea = jonas.getByLabel("Text", { exact: true });
    expect(await textarea.inputValue()).toBe("Was möchtest du lernen?");
    await openEditor(jonas, textarea, "Text");
    await jonas.keyboard.press("Control+A");
    await jonas.keyboard.type("Was möchtest du als Erstes lernen?");
    await jonas.getByRole("button", { name: "Änderungen speichern" }).click();
    await jonas.waitForURL((u) => u.hash === `#beitrag-${replyId}`);
    await post(jonas, replyId).locator(".prose", { hasText: "als Erstes" }).waitFor();
    await arrive(jonas, THREAD_URL);

    await post(jonas, replyId).getByRole("link", { name: "bearbeitet" }).click();
    await jonas.getByRole("heading", { level: 1, name: "Versionen dieses Beitrags" }).waitFor();
    await arrive(jonas, `/diskussionen/${threadId}/beitrag/${replyId}/versionen`);
    const main = await jonas.getByRole("main").textContent();
    expect(main).toContain("Was möchtest du lernen?");
    expect(main).toContain("Was möchtest du als Erstes lernen?");
  });
});

describe("reading", () => {
  test("sub-trees collapse and expand with the keyboard; a permalink scrolls to the post and highlights it", async () => {
    const jonas = await newPage();
    await login(jonas, JONAS);
    const threadId = await createThread(jonas, "Lange Diskussion zum Scrollen", "Eine Frage mit vielen Antworten.");
    const first = await postReply(jonas, threadId, "Erste Antwort.");
    const child = await postReply(jonas, threadId, "Antwort auf die erste Antwort.", first);
    await postReply(jonas, threadId, "Noch tiefer.", child);
    let last = "";
    for (let i = 1; i <= 12; i++)
      last = await postReply(
        jonas,
        threadId,
        `Weitere Antwort Nummer ${i}.\n\nMit einem zweiten Absatz, damit die Seite lang wird.`,
      );

    const page = await newPage();
    await login(page, SEVGI);
    await visit(page, `/diskussionen/${threadId}`);
    const subtree = post(page, first).locator("xpath=following-sibling::details[1]");
    const summary = subtree.locator(":scope > summary");
    expect(await summary.textContent()).toBe("2 Antworten auf diesen Beitrag");
    expect(await subtree.getAttribute("open")).toBe("");
    expect(await post(page, child).isVisible()).toBe(true);

    await summary.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => subtree.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await post(page, child).isVisible()).toBe(false);
    expect(await summary.evaluate((s) => s === document.activeElement)).toBe(true);
    await expectAccessible(page);
    await page.keyboard.press("Enter");
    await expect.poll(() => subtree.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await post(page, child).isVisible()).toBe(true);

    // A permalink to a post far down: the browser scrolls it into view and it is the :target, outlined.
    const reader = await newPage({ context: page.context() });
    await visit(reader, `/diskussionen/${threadId}#beitrag-${last}`);
    const target = post(reader, last);
    expect(await target.evaluate((el) => el.matches(":target"))).toBe(true);
    await expect
      .poll(() =>
        target.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.top < window.innerHeight;
        }),
      )
      .toBe(true);
    expect(await reader.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    const outline = await target.evaluate((el) => [
      getComputedStyle(el).outlineStyle,
      getComputedStyle(el).outlineWidth,
    ]);
    expect(outline).toEqual(["solid", "3px"]);
    expect(await post(reader, first).evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("none");
  });
});
