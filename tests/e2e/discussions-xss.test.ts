/**
 * Users' text is data, never markup (house rule 5), checked in a real Chromium: cross-site scripting payloads go
 * in through the form without JavaScript (thread titles and bodies) and as hand-made editor JSON; every page that
 * shows them must run none of them. An alert/confirm/prompt detector is installed before any page script, every
 * payload calls alert(1), and the harness fails the test on any CSP violation (there must be nothing to block).
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, expect, test } from "vitest";
import {
  allowStatus,
  type Allow,
  expectAccessible,
  login,
  newContext,
  newPage,
  useBrowser,
  visit,
  waitForHydration,
} from "../setup/browser.ts";

const app = useBrowser();

/** Posted as reply bodies through the plain textarea (Markdown-ish text), one payload per reply. */
const BODY_PAYLOADS = [
  // classic
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
  "<script>alert(String.fromCharCode(88,83,83))</script>",
  "<img src=x onerror=alert(1)>",
  '<img src="x" onerror="alert(1)">',
  "<img src=x:alert(1) onerror=eval(src)>",
  "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
  "<body onload=alert(1)>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  "<details open ontoggle=alert(1)>",
  "<input autofocus onfocus=alert(1)>",
  "<video><source onerror=alert(1)></video>",
  "<x onmouseover=alert(1)>hover mich</x>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  // breaking out of attributes, elements and the page
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  "</div></article><script>alert(1)</script>",
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  // links
  "[klick](javascript:alert(1))",
  "[klick](JaVaScRiPt:alert(1))",
  "[klick](javascript&#58;alert(1))",
  "[klick](&#x6A;avascript:alert(1))",
  "[klick]( javascript:alert(1))",
  "[klick](java%0ascript:alert(1))",
  "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[klick](data:text/html,<script>alert(1)</script>)",
  "[klick](vbscript:msgbox(1))",
  "[klick](//xss.example/x)",
  "[klick](/\\xss.example/x)",
  '[klick](https://example.org" onmouseover="alert(1))',
  '[klick](https://example.org "x\\" onmouseover=alert(1) y=\\"")',
  "[<img src=x onerror=alert(1)>](https://example.org)",
  "![bild](javascript:alert(1))",
  '![x](x" onerror="alert(1))',
  '<a href="javascript:alert(1)">klick</a>',
  '<a href="jav&#x09;ascript:alert(1)">klick</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">klick</a>',
  '<https://example.org/"onmouseover="alert(1)>',
  "javascript:alert(1)",
  // styles
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="width: expression(alert(1))">x</div>',
  "<style>@import 'javascript:alert(1)';</style>",
  // mutation XSS (sanitizer bypasses that rely on the parser re-nesting markup)
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
  "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  // encodings and Unicode tricks
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "%3Cscript%3Ealert(1)%3C/script%3E",
  "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
  "＜script＞alert(1)＜/script＞",
  "\u202e<script>alert(1)</script>",
  "<scri\u200bpt>alert(1)</scri\u200bpt>",
  "{{constructor.constructor('alert(1)')()}}",
  // inside Markdown structures
  "**<img src=x onerror=alert(1)>**",
  "> <script>alert(1)</script>",
  "- <svg onload=alert(1)>",
  "## <img src=x onerror=alert(1)>",
  "```\n<script>alert(1)</script>\n```",
  "@<img src=x onerror=alert(1)>",
];

/** Thread titles (plain text fields); each thread's body is one more payload. */
const TITLE_PAYLOADS = [
  "<script>alert(1)</script> Titel",
  '"><img src=x onerror=alert(1)> Titel',
  "</title><script>alert(1)</script>",
  "<svg onload=alert(1)> {{constructor.constructor('alert(1)')()}}",
];

/** Hand-made editor JSON, posted as `bodyJson` like the editor does: refused, or stored and shown as text. */
const text = (t: string, marks?: unknown[]) => (marks ? { type: "text", text: t, marks } : { type: "text", text: t });
const link = (href: string, extra: Record<string, unknown> = {}) => ({ type: "link", attrs: { href, ...extra } });
const para = (...content: unknown[]) => ({ type: "doc", content: [{ type: "paragraph", content }] });
const mention = (id: string, label: string) => ({ type: "mention", attrs: { id, label } });

const JSON_REFUSED: [string, unknown][] = [
  ["javascript: link", para(text("klick", [link("javascript:alert(1)")]))],
  ["javascript: link with tab", para(text("klick", [link("java\tscript:alert(1)")]))],
  ["data: link", para(text("klick", [link("data:text/html,<script>alert(1)</script>")]))],
  ["link breaking out of href", para(text("klick", [link('https://example.org/" onmouseover="alert(1)')]))],
  ["link with target", para(text("klick", [link("https://example.org", { target: "_blank" })]))],
  ["link with onclick", para(text("klick", [link("https://example.org", { onclick: "alert(1)" })]))],
  ["mention with markup as handle", para(mention('"><script>alert(1)</script>', "x"))],
  ["unknown node", { type: "doc", content: [{ type: "iframe", attrs: { src: "javascript:alert(1)" } }] }],
  ["html node", { type: "doc", content: [{ type: "html", text: "<script>alert(1)</script>" }] }],
  [
    "paragraph with attributes",
    { type: "doc", content: [{ type: "paragraph", attrs: { onclick: "alert(1)" }, content: [text("x")] }] },
  ],
];

const JSON_STORED: [string, unknown, string][] = [
  [
    "mention whose label is markup",
    para(text("Hallo "), mention("sevgi-schneider", "<img src=x onerror=alert(1)>")),
    "Hallo @<img src=x onerror=alert(1)>",
  ],
  [
    "text that is markup",
    para(text("<script>alert(1)</script><img src=x onerror=alert(1)>")),
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
  ],
  ["bold markup", para(text('"><svg onload=alert(1)>', [{ type: "bold" }])), '"><svg onload=alert(1)>'],
  [
    "safe link, markup as its text",
    para(text("<img src=x onerror=alert(1)>", [link("https://example.org/?q=1")])),
    "<img src=x onerror=alert(1)>",
  ],
];

/** How many replies are typed into the form in the browser (each is a full page round trip, so not all). */
const TYPED = 5;
/** Petra's display name for this test: markup, quotes and an ampersand (80 characters are allowed). */
const EVIL_NAME = `<img src=x onerror=alert(1)>"'&<svg onload=alert(1)>`;
const CHAIN = 8;
const TAGS = "xss, <script>alert(1)</script>";

const allowedHref = (href: string) => /^(https?:\/\/|mailto:|\/(?!\/)|#)/i.test(href);

let noJs: BrowserContext | undefined;
afterEach(async () => {
  await noJs?.close();
  noJs = undefined;
});

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

/** A page whose alert/confirm/prompt only count (installed before any script of the page runs). */
async function watchedPage(allow?: Allow): Promise<Page> {
  const page = await newPage({ allow });
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown> & { __xss: number };
    w.__xss = 0;
    for (const name of ["alert", "confirm", "prompt"]) {
      w[name] = () => {
        w.__xss++;
      };
    }
  });
  return page;
}

const xssCount = (page: Page) => page.evaluate(() => (window as unknown as { __xss: number }).__xss);

/** Everything that could run: script elements, on* attributes, unsafe link targets, frames, objects, styles. */
async function dangerousMarkup(page: Page) {
  return page.evaluate(() => {
    const found: string[] = [];
    const roots = [...document.querySelectorAll("main")];
    for (const root of roots) {
      for (const el of root.querySelectorAll("*")) {
        if (
          el.matches(
            "script, iframe, object, embed, frame, base, meta, link, style, svg, math, form form, input[autofocus]",
          )
        ) {
          found.push(`<${el.tagName.toLowerCase()}> in ${el.closest("article, section, li")?.id ?? "main"}`);
        }
        for (const attr of el.attributes) {
          if (
            /^on/i.test(attr.name) ||
            (el.closest(".prose") && /^(style|srcdoc|formaction|xlink:href)$/i.test(attr.name))
          ) {
            found.push(`${attr.name}="${attr.value}" on <${el.tagName.toLowerCase()}>`);
          }
        }
      }
    }
    // The whole document too: nothing may have been added to head or body outside the app's own scripts.
    // (Inline scripts carry the page's data, payloads included, as escaped strings; a payload breaking out of
    // one would start a script element without the CSP nonce.)
    for (const s of document.querySelectorAll("script")) {
      if (s.src && new URL(s.src).origin !== location.origin) found.push(`foreign script ${s.src}`);
      if (!s.src && !s.nonce) found.push(`inline script without nonce: ${s.textContent?.slice(0, 80)}`);
    }
    const hrefs = [...document.querySelectorAll(".prose a[href], .prose [href], .prose [src]")].map(
      (a) => a.getAttribute("href") ?? a.getAttribute("src") ?? "",
    );
    return { found, hrefs };
  });
}

async function expectHarmless(page: Page, label: string): Promise<void> {
  const { found, hrefs } = await dangerousMarkup(page);
  expect(found, `executable markup on ${label}`).toEqual([]);
  expect(
    hrefs.filter((h) => !allowedHref(h)),
    `unsafe link targets on ${label}`,
  ).toEqual([]);
  expect(await xssCount(page), `payloads that ran on ${label}`).toBe(0);
}

/** Loads a page, checks it for anything executable first (the clearer failure), then scans it with axe. */
async function open(page: Page, path: string, label = path): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
  await expectHarmless(page, label);
  await expectAccessible(page);
}

/** Hovers, focuses and clicks every link in post bodies without following it, then checks nothing ran. */
async function touchLinks(page: Page): Promise<number> {
  // Clicks must not leave the page: cancel link navigation before anything else sees the click (the capture
  // phase at the window comes first; handlers on the links themselves would still run).
  await page.evaluate(() =>
    window.addEventListener(
      "click",
      (e) => e.target instanceof Element && e.target.closest(".prose a") && e.preventDefault(),
      true,
    ),
  );
  const links = page.locator(".prose a[href]");
  const count = await links.count();
  for (let i = 0; i < count; i++) {
    const a = links.nth(i);
    await a.hover();
    await a.focus();
    await a.click();
  }
  return count;
}

test("payloads posted without JavaScript and as editor JSON are shown as text and never run", async () => {
  // --- Posting through the forms, with scripts off (a plain form post, as a browser without JavaScript sends it).
  const browser = (await newContext()).browser()!;
  noJs = await browser.newContext({ baseURL: app.url(), locale: "de-DE", javaScriptEnabled: false });
  noJs.setDefaultTimeout(10_000);
  const poster = await newPage({ context: noJs });
  await login(poster, "mitglied2@example.org");

  // The first title goes through the form itself; the others are the same form post sent directly (cheaper).
  const threadIds: string[] = [];
  await poster.goto("/diskussionen/neu");
  await scan(poster);
  await poster.getByLabel("Titel").fill(TITLE_PAYLOADS[0]);
  await poster.getByLabel("Themenraum").selectOption("aktuelle-themen");
  await poster.getByLabel("Text", { exact: true }).fill(BODY_PAYLOADS[0]);
  await poster.getByLabel("Schlagwörter").fill(TAGS);
  await poster.getByRole("button", { name: "Veröffentlichen" }).click();
  await poster.waitForURL(/\/diskussionen\/[0-9a-f-]{36}$/);
  threadIds.push(new URL(poster.url()).pathname.split("/").pop()!);
  for (const [i, title] of TITLE_PAYLOADS.entries()) {
    if (i === 0) continue;
    const response = await poster.request.post("/diskussionen/neu", {
      form: { type: "question", title, category: "aktuelle-themen", body: BODY_PAYLOADS[i], tags: TAGS },
      headers: { Origin: app.url() },
      maxRedirects: 0,
    });
    expect(response.status(), title).toBe(302);
    threadIds.push(response.headers().location.split("/").pop()!);
  }
  const threadId = threadIds[0];
  // Replies: the first ones typed into the textarea and sent by the browser, the rest as the same form post.
  const form = poster.locator("section#antworten form");
  const replies = BODY_PAYLOADS.slice(TITLE_PAYLOADS.length);
  for (const payload of replies.slice(0, TYPED)) {
    const before = poster.url();
    await form.getByLabel("Deine Antwort").fill(payload);
    await form.getByRole("button", { name: "Antwort senden" }).click();
    await poster.waitForURL((u) => u.href !== before && u.hash.startsWith("#beitrag-"));
  }
  for (const payload of replies.slice(TYPED)) {
    const response = await poster.request.post(`/diskussionen/${threadId}`, {
      form: { intent: "reply", parentId: "", body: payload },
      headers: { Origin: app.url() },
      maxRedirects: 0,
    });
    expect(response.status(), payload).toBe(302);
  }
  // A member whose display name is markup answers in a chain deeper than the indentation limit (replies there
  // say whom they answer) and is mentioned by handle: her name appears in bylines, "antwortet …" and mentions.
  const petra = await newPage();
  await login(petra, "qv@example.org");
  const renamed = await petra.request.post("/einstellungen", {
    form: { intent: "profile", displayName: EVIL_NAME, handle: "petra-hoffmann" },
    headers: { Origin: app.url() },
  });
  expect(renamed.status(), "display name with markup accepted as text").toBe(200);
  let parentId = "";
  for (let depth = 1; depth <= CHAIN; depth++) {
    const author = depth % 2 ? petra : poster;
    const response = await author.request.post(`/diskussionen/${threadId}`, {
      form: { intent: "reply", parentId, body: `Ebene ${depth}, hallo @petra-hoffmann` },
      headers: { Origin: app.url() },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
    parentId = response.headers().location.split("#beitrag-").pop()!;
  }

  // The server's HTML as such (no hydration here): nothing executable in it either.
  await poster.goto(`/diskussionen/${threadId}`);
  const { found, hrefs } = await dangerousMarkup(poster);
  expect(found, "executable markup in the server's HTML").toEqual([]);
  expect(
    hrefs.filter((h) => !allowedHref(h)),
    "unsafe link targets in the server's HTML",
  ).toEqual([]);
  await scan(poster);
  expect(await poster.locator("article.post").count()).toBe(replies.length + 1 + CHAIN);

  // --- Reading, with scripts on and the detector installed.
  const reader = await watchedPage(allowStatus(400));
  await login(reader, "mitglied@example.org");
  await visit(reader, "/");
  await reader.evaluate(() => window.alert("probe"));
  expect(await xssCount(reader), "the detector counts alert calls").toBe(1);

  // Editor JSON posted by hand from the page (same origin, same cookie): bad links and markup attributes are
  // refused with 400; text and mention labels that look like markup are stored, to be shown as text.
  const post = (doc: unknown) =>
    reader.evaluate(
      async ({ url, json }) => {
        const body = new FormData();
        body.set("intent", "reply");
        body.set("parentId", "");
        body.set("bodyJson", json);
        const response = await fetch(url, { method: "POST", body, redirect: "manual" });
        return response.type === "opaqueredirect" ? 302 : response.status;
      },
      { url: `/diskussionen/${threadId}`, json: JSON.stringify(doc) },
    );
  const refused = await Promise.all(JSON_REFUSED.map(async ([name, doc]) => [name, await post(doc)]));
  expect(refused).toEqual(JSON_REFUSED.map(([name]) => [name, 400]));
  for (const [name, doc] of JSON_STORED) expect(await post(doc), name).toBe(302);

  await open(reader, `/diskussionen/${threadId}`, "the thread page");
  const bodies = reader.locator("article.post .prose");
  const texts = await bodies.allTextContents();
  expect(texts.length).toBe(BODY_PAYLOADS.length - TITLE_PAYLOADS.length + 1 + CHAIN + JSON_STORED.length);
  // Payloads that are just markup come back exactly as typed: they were stored and shown as text.
  const literal = BODY_PAYLOADS.filter(
    (p, i) => i >= TITLE_PAYLOADS.length && /^<[a-z!]/i.test(p) && !/^<https?:/.test(p) && !p.includes("\n"),
  );
  expect(literal.length).toBeGreaterThanOrEqual(30);
  expect(
    literal.filter((p) => !texts.includes(p)),
    "markup payloads not shown exactly as typed",
  ).toEqual([]);
  for (const [name, , shown] of JSON_STORED) expect(texts, name).toContain(shown);
  expect(
    await reader.locator('.prose a.mention[data-mention="sevgi-schneider"]', { hasText: "@<img" }).getAttribute("href"),
  ).toBe("/mitglieder/sevgi-schneider");
  expect(await reader.getByRole("heading", { level: 1 }).textContent()).toBe(TITLE_PAYLOADS[0]);
  // Petra's name: as the author link, in the mention, and where a deep reply says whom it answers.
  const bylines = await reader.locator("article.post .post__byline").allTextContents();
  expect(bylines.filter((b) => b.startsWith(EVIL_NAME)).length).toBeGreaterThanOrEqual(CHAIN / 2);
  expect(
    bylines.some((b) => b.endsWith(` antwortet ${EVIL_NAME}`)),
    "a deep reply names Petra",
  ).toBe(true);
  expect(await reader.locator(".prose a.mention", { hasText: EVIL_NAME }).count()).toBe(CHAIN);
  expect(
    await reader.locator(`article.post .post__byline a[href="/mitglieder/petra-hoffmann"]`).first().textContent(),
  ).toBe(EVIL_NAME);
  expect(await reader.title()).toContain(TITLE_PAYLOADS[0]);
  const touched = await touchLinks(reader);
  expect(touched).toBeGreaterThan(0);
  await expectHarmless(reader, "the thread page after touching its links");

  // The "answer" form quoting a payload, and the other threads (title payloads in h1, <title> and lists).
  const quotable = reader.locator("article.post").nth(1);
  const quotedText = await quotable.locator(".prose").textContent();
  const quotableId = (await quotable.getAttribute("id"))!.replace("beitrag-", "");
  await open(reader, `/diskussionen/${threadId}?antwort=${quotableId}&zitat=1`, "the quoting reply form");
  // The quote is loaded into the editor (built in the browser from the stored text).
  const quoted = reader.locator("section#antworten .richtext__content blockquote");
  await quoted.waitFor();
  expect(await quoted.textContent()).toContain(quotedText);
  await expectHarmless(reader, "the editor holding the quote");
  await expectAccessible(reader);
  for (const [i, id] of threadIds.entries()) {
    if (i === 0) continue;
    await open(reader, `/diskussionen/${id}`, `thread ${i}`);
    expect(await reader.getByRole("heading", { level: 1 }).textContent()).toBe(TITLE_PAYLOADS[i]);
  }
  const lists = [
    "/diskussionen",
    "/themen/aktuelle-themen",
    `/diskussionen?schlagwort=${encodeURIComponent("<script>alert(1)</script>")}`,
  ];
  for (const path of lists) {
    await open(reader, path);
    const listed = await reader.locator("main").textContent();
    for (const title of TITLE_PAYLOADS) expect(listed, `${title} listed on ${path}`).toContain(title);
  }
  expect(await reader.locator("main").textContent()).toContain("#<script>alert(1)</script>");

  // The thread's author gets notifications whose previews quote the payloads.
  const author = await watchedPage();
  await login(author, "mitglied2@example.org");
  await open(author, "/benachrichtigungen");
  expect(await author.locator(".notification").count()).toBeGreaterThan(0);
  expect(await author.locator("main").textContent()).toContain("<img src=x onerror=alert(1)>");
});
