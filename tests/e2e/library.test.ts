/**
 * The material library in a real Chromium: a moderator creates a podcast with an upload and publishes it past the
 * accessibility gate, members filter (also without JavaScript), play media with captions and transcripts, suggest
 * materials for the moderators, subscribe to the podcast feed, and all of it fits on a 320 px screen.
 */
import fs from "node:fs";
import path from "node:path";
import { request as playwrightRequest, type Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { allowStatus, arrive, expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";
import { root } from "../setup/server.ts";

useBrowser();

const samples = path.join(root, "db/seed/samples");
/** The Ogg sample a moderator uploads, and the MP3 the demo podcast is seeded with (ADR 033). */
const oggBytes = fs.readFileSync(path.join(samples, "podcast.ogg"));
const podcastBytes = fs.readFileSync(path.join(samples, "podcast.mp3"));
const SEEDED_PODCAST = "Podcast: Selbstvereinbarungen, die tragen";
const SEEDED_VIDEO = "Kurzvideo: Das erste Lerngespräch in drei Minuten";
const GATE_MESSAGE =
  "Videos und Podcasts brauchen Untertitel (WebVTT) oder ein Transkript, damit alle sie nutzen können. Bitte ergänze eines davon, dann kannst du veröffentlichen.";
const MATERIAL_PATH = /^\/materialien\/[0-9a-f-]{36}$/;
/** A material page's full URL, for arrive(). */
const MATERIAL_URL = /\/materialien\/[0-9a-f-]{36}$/;

const h1 = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const main = (page: Page) => page.getByRole("main");
const materialPath = (page: Page) => new URL(page.url()).pathname;

/** Opens a material from the library's list by its title (a client-side navigation) and scans it. */
async function openFromLibrary(page: Page, title: string, filter?: string): Promise<string> {
  await visit(page, filter ? `/materialien?${filter}` : "/materialien");
  await page.locator(".material-list").getByRole("link", { name: title, exact: true }).click();
  await arrive(page, MATERIAL_URL);
  expect(await h1(page)).toBe(title);
  return materialPath(page);
}

/** The width the page would scroll to; at most the viewport's when nothing sticks out. */
const scrollWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

describe("creating and publishing", () => {
  test("a moderator uploads a podcast with a progress bar, is stopped at publishing without a transcript, adds one and publishes", async () => {
    // The refused publication answers 400.
    const page = await newPage({ allow: allowStatus(400) });
    await login(page, "moderation@example.org");
    await visit(page, "/materialien/neu");
    expect(await h1(page)).toBe("Neues Material");

    const title = "Podcast: Lernbegleitung im Homeoffice";
    await page.getByLabel("Materialart").selectOption({ label: "Podcast" });
    await page.getByLabel("Titel", { exact: true }).fill(title);
    await page
      .getByLabel("Kurzbeschreibung")
      .fill("Drei Lernbegleiterinnen berichten, wie Lerngespräche per Video gelingen.");

    // Uploads slowed to 6 KB/s (DevTools throttling), so the 23 KB file takes a few seconds and the bar can be watched.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 6 * 1024,
    });
    await page.evaluate(() => {
      const w = window as unknown as { __progress: number[] };
      w.__progress = [];
      new MutationObserver(() => {
        const value = document.querySelector("progress")?.getAttribute("value");
        if (value != null && w.__progress.at(-1) !== Number(value)) w.__progress.push(Number(value));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["value"] });
    });
    await page.getByLabel("Datei hochladen").setInputFiles(path.join(samples, "podcast.ogg"));
    const progress = page.getByRole("progressbar", { name: "Fortschritt für podcast.ogg" });
    await progress.waitFor();
    expect(await progress.getAttribute("max")).toBe("100");
    // One file at a time: the input waits until this one is done; the upload can be cancelled.
    expect(await page.getByLabel("Datei hochladen").isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Abbrechen" }).isVisible()).toBe(true);
    expect(await page.getByRole("status").filter({ hasText: "podcast.ogg wird hochgeladen …" }).count()).toBe(1);
    await expectAccessible(page);

    const listed = page.locator(".file-list li").filter({ hasText: "Audio: podcast.ogg" });
    await listed.waitFor();
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    expect(await progress.count()).toBe(0);
    // The bar climbed while the bytes went out and reached 100 % before it made way for the file.
    const seen = await page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
    expect(seen.at(-1), `progress values ${seen.join(", ")}`).toBe(100);
    expect(seen.length, `progress values ${seen.join(", ")}`).toBeGreaterThanOrEqual(2);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(await listed.textContent()).toMatch(/^Audio: podcast\.ogg \(\d+(,\d+)? KB\)/);
    // Ogg plays here but not in several podcast apps: the moderator is told at once (ADR 033).
    expect(await listed.locator(".notice--warning").textContent()).toContain("spielen viele Podcast-Apps nicht ab");
    expect(await page.getByRole("status").filter({ hasText: "podcast.ogg ist hochgeladen." }).count()).toBe(1);
    expect(await page.getByLabel("Datei hochladen").isEnabled()).toBe(true);
    const fileId = await page.locator('.file-list input[type="hidden"][name="fileIds"]').getAttribute("value");
    expect(fileId).toMatch(/^[0-9a-f-]{36}$/);
    await expectAccessible(page);

    // Saved as a draft without transcript or captions …
    await page.getByRole("button", { name: "Als Entwurf speichern" }).click();
    await arrive(page, MATERIAL_URL);
    const materialUrl = materialPath(page);
    expect(await h1(page)).toBe(title);
    expect(await main(page).locator(".badge--warning").textContent()).toBe("Entwurf");
    expect(await main(page).locator("audio").count()).toBe(1);
    expect(
      await main(page)
        .locator(".notice--warning")
        .filter({ hasText: "Lade für Podcasts besser eine MP3- oder M4A-Datei" })
        .count(),
    ).toBe(1);
    expect(await page.getByRole("region", { name: "Transkript" }).count()).toBe(0);
    expect(
      await page.getByRole("region", { name: "Dateien und Links" }).getByRole("link", { name: "podcast.ogg" }).count(),
    ).toBe(1);

    // … so publishing is refused, with the reason in German.
    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "Untertitel" });
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(GATE_MESSAGE);
    expect(await main(page).locator(".badge--warning").textContent()).toBe("Entwurf");
    await expectAccessible(page);

    // Adding the transcript (pasted) in the edit form, the file stays attached.
    await page.getByRole("link", { name: "Bearbeiten", exact: true }).click();
    await arrive(page, `${materialUrl}/bearbeiten`);
    expect(await page.getByRole("region", { name: "Angehängte Dateien" }).textContent()).toContain("podcast.ogg");
    const transcript =
      "Willkommen zu unserer Folge über Lerngespräche im Homeoffice.\n\nWir beginnen jedes Gespräch mit einer Frage zum Wohlbefinden.";
    await page.getByLabel("Transkript", { exact: true }).focus();
    await page.keyboard.insertText(transcript);
    expect(await page.getByLabel("Transkript", { exact: true }).inputValue()).toBe(transcript);
    await page.getByRole("button", { name: "Änderungen speichern" }).click();
    await arrive(page, materialUrl);
    const transcriptSection = page.getByRole("region", { name: "Transkript" });
    expect(await transcriptSection.locator("p").allTextContents()).toEqual(transcript.split("\n\n"));

    await page.getByRole("button", { name: "Veröffentlichen" }).click();
    await page.getByRole("button", { name: "Archivieren" }).waitFor();
    expect(await main(page).locator(".badge--warning").count()).toBe(0);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Als geprüft markieren" }).count()).toBe(1);
    // Publishing opened the material's discussion.
    expect(await page.getByRole("link", { name: "Fragen und Erfahrungen zu diesem Material" }).count()).toBe(1);
    await expectAccessible(page);

    // It is in the library now, under Podcasts, and its file is the uploaded one.
    await visit(page, "/materialien?art=podcast");
    expect(await page.locator(".material-list").getByRole("link", { name: title }).count()).toBe(1);
    const stored = await page.request.get(`/dateien/${fileId}`);
    expect(stored.status()).toBe(200);
    expect(stored.headers()["content-type"]).toBe("audio/ogg");
    expect(Buffer.compare(await stored.body(), oggBytes)).toBe(0);
  });
});

describe("reading and listening", () => {
  test("a member filters by Podcast, the audio can play, the transcript is there and files answer Range requests", async () => {
    const page = await newPage();
    await login(page, "mitglied@example.org");
    await visit(page, "/materialien");
    const filters = page.getByRole("complementary", { name: "Filtern" });
    // The list's plain links navigate client-side (useEnhancedHtml): a full reload would drop this mark.
    const reloaded = () => page.evaluate(() => !(window as unknown as { __noReload?: boolean }).__noReload);
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await filters.getByRole("link", { name: "Podcast", exact: true }).click();
    await arrive(page, "/materialien?art=podcast");
    expect(await reloaded()).toBe(false);
    expect(await filters.getByRole("link", { name: "Podcast", exact: true }).getAttribute("aria-current")).toBe("true");
    const badges = await page.locator(".material-list .badge").allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges)).toEqual(new Set(["Podcast"]));

    // The player preloads metadata as soon as the page shows it: watch its requests from the start.
    const media: { status: number; range: string | null }[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/dateien/") && r.request().resourceType() === "media")
        media.push({ status: r.status(), range: r.request().headers().range ?? null });
    });
    await page.locator(".material-list").getByRole("link", { name: SEEDED_PODCAST }).click();
    await arrive(page, MATERIAL_URL);
    expect(await h1(page)).toBe(SEEDED_PODCAST);
    expect(await reloaded()).toBe(false);

    // The browser loads the audio (from /dateien with Range requests) far enough to play it.
    const audio = page.getByLabel(`Audio: ${SEEDED_PODCAST}`);
    const state = await audio.evaluate(
      (el: HTMLAudioElement) =>
        new Promise<{ readyState: number; duration: number; src: string }>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`no canplay, readyState ${el.readyState}, error ${el.error?.message}`)),
            8000,
          );
          const done = () => {
            clearTimeout(timer);
            resolve({ readyState: el.readyState, duration: el.duration, src: el.currentSrc });
          };
          el.addEventListener("canplay", done, { once: true });
          el.querySelector("source")?.addEventListener("error", () =>
            reject(new Error("the audio source failed to load")),
          );
          el.load();
        }),
    );
    expect(state.readyState).toBeGreaterThanOrEqual(3);
    expect(state.duration).toBeGreaterThan(0);
    expect(new URL(state.src).pathname).toMatch(/^\/dateien\/[0-9a-f-]{36}$/);
    // Chromium's media stack asks for byte ranges and gets partial content.
    expect(media.length, "media requests seen").toBeGreaterThan(0);
    expect(media.some((m) => m.status === 206 && m.range?.startsWith("bytes="))).toBe(true);
    expect(media.every((m) => m.status === 200 || m.status === 206)).toBe(true);

    const transcript = page.getByRole("region", { name: "Transkript" });
    expect(await transcript.isVisible()).toBe(true);
    expect(await transcript.textContent()).toContain("Eine gute Selbstvereinbarung ist konkret");

    // Range requests by hand: the first 100 bytes, and a suffix.
    const fileUrl = new URL(state.src).pathname;
    const first = await page.request.get(fileUrl, { headers: { Range: "bytes=0-99" } });
    expect(first.status()).toBe(206);
    expect(first.headers()["content-range"]).toBe(`bytes 0-99/${podcastBytes.length}`);
    expect(first.headers()["accept-ranges"]).toBe("bytes");
    expect(Buffer.compare(await first.body(), podcastBytes.subarray(0, 100))).toBe(0);
    const tail = await page.request.get(fileUrl, { headers: { Range: "bytes=-500" } });
    expect(tail.status()).toBe(206);
    expect(Buffer.compare(await tail.body(), podcastBytes.subarray(podcastBytes.length - 500))).toBe(0);
    const outside = await page.request.get(fileUrl, { headers: { Range: `bytes=${podcastBytes.length + 10}-` } });
    expect(outside.status()).toBe(416);
  });

  test("the seeded short video has German captions that load, next to a playable video", async () => {
    const page = await newPage();
    await login(page, "mitglied@example.org");
    await openFromLibrary(page, SEEDED_VIDEO, "art=short_video");
    const video = page.getByLabel(`Video: ${SEEDED_VIDEO}`);
    const track = video.locator('track[kind="captions"]');
    expect(await track.count()).toBe(1);
    expect(await track.getAttribute("srclang")).toBe("de");
    expect(await track.getAttribute("label")).toBe("Deutsch");
    expect(await track.getAttribute("default")).not.toBeNull();

    // The default track is fetched and parsed (served as text/vtt, allowed by the CSP): it has cues.
    const loaded = await video.evaluate(
      (el: HTMLVideoElement) =>
        new Promise<{ readyState: number; cues: number; first: string; videoReady: number }>((resolve, reject) => {
          const trackEl = el.querySelector("track")!;
          const timer = setTimeout(
            () => reject(new Error(`track readyState ${trackEl.readyState}, video ${el.readyState}`)),
            8000,
          );
          let videoOk = false;
          let trackOk = false;
          const check = () => {
            if (!videoOk || !trackOk) return;
            clearTimeout(timer);
            const cues = trackEl.track.cues;
            resolve({
              readyState: trackEl.readyState,
              cues: cues?.length ?? 0,
              first: (cues?.[0] as VTTCue | undefined)?.text ?? "",
              videoReady: el.readyState,
            });
          };
          trackEl.addEventListener("load", () => ((trackOk = true), check()), { once: true });
          trackEl.addEventListener("error", () => reject(new Error("the captions failed to load")), { once: true });
          el.addEventListener("canplay", () => ((videoOk = true), check()), { once: true });
          trackEl.track.mode = "showing";
          el.load();
          if (trackEl.readyState === 2) trackOk = true;
        }),
    );
    expect(loaded.readyState).toBe(2);
    expect(loaded.cues).toBeGreaterThan(0);
    expect(loaded.first.length).toBeGreaterThan(0);
    expect(loaded.videoReady).toBeGreaterThanOrEqual(3);
    // Captions also appear in the file list, marked as such.
    expect(await page.getByRole("region", { name: "Dateien und Links" }).textContent()).toContain("Untertitel,");
  });
});

describe("Themenpakete", () => {
  const einstieg = [
    "Die individuelle Lernbegleitung auf einer Seite",
    SEEDED_VIDEO,
    "Checkliste: Vorbereitung auf ein Lerngespräch",
  ];

  test("a Themenpaket from the library lists its published materials in the moderators' order", async () => {
    const page = await newPage();
    await login(page, "mitglied@example.org");
    await visit(page, "/materialien");
    const packs = page.getByRole("region", { name: "Themenpakete" });
    await packs.getByRole("link", { name: "Einstieg in die Lernbegleitung" }).click();
    await arrive(page, "/materialien/themenpakete/einstieg");
    expect(await h1(page)).toBe("Einstieg in die Lernbegleitung");
    expect(await page.locator(".collection-list h2").allTextContents()).toEqual(einstieg);
    await page.getByRole("link", { name: SEEDED_VIDEO }).click();
    await arrive(page, MATERIAL_URL);
    expect(await h1(page)).toBe(SEEDED_VIDEO);
  });

  test("the library shows how many published materials each Themenpaket holds", async () => {
    const page = await newPage();
    await login(page, "mitglied@example.org");
    await visit(page, "/materialien");
    const card = page
      .getByRole("region", { name: "Themenpakete" })
      .getByRole("listitem")
      .filter({ hasText: "Einstieg in die Lernbegleitung" });
    expect(await card.locator(".hint").textContent()).toBe(`${einstieg.length} Materialien`);
  });
});

describe("suggestions", () => {
  test("a member's suggestion goes to the moderators, who see it on their desk; other members get a 403", async () => {
    const member = await newPage();
    await login(member, "mitglied@example.org");
    await visit(member, "/materialien");
    await member.getByRole("link", { name: "Material vorschlagen" }).click();
    await arrive(member, "/materialien/neu");
    expect(await h1(member)).toBe("Material vorschlagen");
    expect(await main(member).textContent()).toContain("die Moderation prüft es und stellt es in die Bibliothek");

    const title = "Methodenkarte: Fragen für das Zwischengespräch";
    await member.getByLabel("Materialart").selectOption({ label: "Methodenkarte" });
    await member.getByLabel("Titel", { exact: true }).fill(title);
    await member
      .getByLabel("Kurzbeschreibung")
      .fill("Zehn Fragen, mit denen ein Zwischengespräch nach vier Wochen gut gelingt.");
    await member.getByLabel("Themen (Schlagwörter)").fill("zwischengespräch, fragen");
    await member.getByRole("button", { name: "Vorschlag senden" }).click();
    await arrive(member, /\/materialien\/[0-9a-f-]{36}\?vorgeschlagen=1$/);
    const suggestionPath = materialPath(member);
    expect(await h1(member)).toBe(title);
    expect(await main(member).locator(".badge--warning").textContent()).toBe("In Prüfung");
    const thanks = member.getByRole("status").filter({ hasText: "Danke für deinen Vorschlag" });
    expect(await thanks.textContent()).toContain("Moderation");
    // Members cannot publish their own suggestion.
    expect(await member.getByRole("button", { name: "Veröffentlichen" }).count()).toBe(0);

    // It is listed with the member's suggestions, but not in the library.
    await visit(member, "/materialien/neu");
    const mine = member.getByRole("region", { name: "Deine Vorschläge" });
    expect(await mine.textContent()).toContain(`${title} (In Prüfung)`);
    await visit(member, "/materialien?art=method_card");
    expect(await member.locator(".material-list").getByRole("link", { name: title }).count()).toBe(0);

    const moderator = await newPage();
    await login(moderator, "moderation@example.org");
    await visit(moderator, "/moderation/materialien");
    const queue = moderator.getByRole("region", { name: "Vorschläge und Entwürfe" });
    const entry = queue.getByRole("listitem").filter({ hasText: title });
    expect(await entry.count()).toBe(1);
    expect(await entry.textContent()).toContain("vorgeschlagen von Sevgi Schneider");
    expect(await entry.locator(".badge").textContent()).toBe("In Prüfung");
    // The review list is there too (the seed has materials due).
    expect(
      await moderator.getByRole("region", { name: "Prüfung fällig" }).getByRole("listitem").count(),
    ).toBeGreaterThan(0);
    await entry.getByRole("link", { name: title }).click();
    await arrive(moderator, suggestionPath);
    expect(await moderator.getByRole("button", { name: "Veröffentlichen" }).count()).toBe(1);
    expect(await moderator.getByRole("region", { name: "Über dieses Material" }).textContent()).toContain(
      "Vorgeschlagen vonSevgi Schneider",
    );

    const other = await newPage({ allow: allowStatus(403) });
    await login(other, "mitglied2@example.org");
    const response = await visit(other, suggestionPath);
    expect(response?.status()).toBe(403);
    expect(await h1(other)).toBe("Kein Zugriff");
    expect(await main(other).textContent()).not.toContain(title);
  });
});

describe("without JavaScript", () => {
  test("the library's filter and sort links work as plain links", async () => {
    const page = await newPage();
    // What Playwright's javaScriptEnabled: false does, for a page from the shared harness. axe itself needs scripts
    // (its timers do not run otherwise), so they are on for the scan only: scripts the page skipped stay skipped.
    const cdp = await page.context().newCDPSession(page);
    const scripts = (on: boolean) => cdp.send("Emulation.setScriptExecutionDisabled", { value: !on });
    const scan = async () => {
      await page.waitForLoadState();
      expect(await page.evaluate(() => "__remixContext" in window), "the page's scripts must not have run").toBe(false);
      await scripts(true);
      await expectAccessible(page);
      await scripts(false);
    };
    await scripts(false);
    await login(page, "mitglied@example.org");

    await page.goto("/materialien");
    await scan();
    const total = Number(
      (await page
        .locator("main h2")
        .filter({ hasText: /Materialien$/ })
        .textContent())!.split(" ")[0],
    );
    expect(total).toBeGreaterThan(2);

    const navigation = page.waitForEvent(
      "request",
      (r) => r.isNavigationRequest() && r.url().includes("art=checklist"),
    );
    await page
      .getByRole("complementary", { name: "Filtern" })
      .getByRole("link", { name: "Checkliste", exact: true })
      .click();
    expect((await navigation).resourceType()).toBe("document");
    await page.waitForURL((u) => u.search === "?art=checklist");
    await scan();
    const titles = await page.locator(".material-list h3").allTextContents();
    expect(titles.sort()).toEqual(["Checkliste: Transfer sichern", "Checkliste: Vorbereitung auf ein Lerngespräch"]);
    expect(new Set(await page.locator(".material-list .badge").allTextContents())).toEqual(new Set(["Checkliste"]));
    expect(
      await page
        .locator("main h2")
        .filter({ hasText: /Materialien$/ })
        .textContent(),
    ).toBe("2 Materialien");

    // Sorting keeps the filter.
    await page.getByRole("navigation", { name: "Sortierung" }).getByRole("link", { name: "Titel A–Z" }).click();
    await page.waitForURL(
      (u) => u.searchParams.get("art") === "checklist" && u.searchParams.get("sortierung") === "titel",
    );
    await scan();
    expect(await page.locator(".material-list h3").allTextContents()).toEqual([
      "Checkliste: Transfer sichern",
      "Checkliste: Vorbereitung auf ein Lerngespräch",
    ]);

    // "Alle" in the same group lifts that filter again.
    await page
      .getByRole("complementary", { name: "Filtern" })
      .getByRole("listitem")
      .filter({ hasText: "Alle" })
      .first()
      .getByRole("link")
      .click();
    await page.waitForURL((u) => u.pathname === "/materialien" && !u.searchParams.has("art"));
    await scan();
    expect(
      await page
        .locator("main h2")
        .filter({ hasText: /Materialien$/ })
        .textContent(),
    ).toBe(`${total} Materialien`);
  });
});

describe("podcast feed", () => {
  test("the feed address from the settings gives valid RSS whose enclosure a podcast app can fetch without cookies", async () => {
    const page = await newPage();
    await login(page, "mitglied@example.org");
    await visit(page, "/einstellungen");
    await page.getByRole("button", { name: "Feed-Adresse erzeugen" }).click();
    const address = page.getByLabel("Feed-Adresse", { exact: true });
    await address.waitFor();
    await expectAccessible(page);
    const feedUrl = await address.inputValue();
    expect(feedUrl).toMatch(/^http:\/\/[^/]+\/feeds\/podcast\.xml\?token=[a-z2-7]{32}$/);

    const feed = await page.request.get(feedUrl);
    expect(feed.status()).toBe(200);
    expect(feed.headers()["content-type"]).toBe("application/rss+xml; charset=utf-8");
    const parsed = await page.evaluate(
      (xml) => {
        const doc = new DOMParser().parseFromString(xml, "application/xml");
        if (doc.querySelector("parsererror")) return { error: doc.querySelector("parsererror")!.textContent };
        return {
          root: doc.documentElement.nodeName,
          version: doc.documentElement.getAttribute("version"),
          channelTitle: doc.querySelector("channel > title")?.textContent,
          items: [...doc.querySelectorAll("item")].map((item) => ({
            title: item.querySelector("title")?.textContent,
            link: item.querySelector("link")?.textContent,
            pubDate: item.querySelector("pubDate")?.textContent,
            url: item.querySelector("enclosure")?.getAttribute("url"),
            length: item.querySelector("enclosure")?.getAttribute("length"),
            type: item.querySelector("enclosure")?.getAttribute("type"),
          })),
        };
      },
      await feed.text(),
    );
    expect(parsed).not.toHaveProperty("error");
    expect(parsed.root).toBe("rss");
    expect(parsed.version).toBe("2.0");
    expect(parsed.channelTitle).toContain("Podcasts");
    const episode = parsed.items!.find((i) => i.title === SEEDED_PODCAST);
    expect(episode, "the seeded podcast is an episode").toBeTruthy();
    expect(Number.isNaN(Date.parse(episode!.pubDate!))).toBe(false);
    expect(episode!.type).toBe("audio/mpeg");
    expect(Number(episode!.length)).toBe(podcastBytes.length);
    const enclosure = new URL(episode!.url!);
    expect(enclosure.origin).toBe(new URL(feedUrl).origin);
    expect(enclosure.pathname).toMatch(/^\/dateien\/[0-9a-f-]{36}$/);
    expect(enclosure.searchParams.get("token")).toBe(new URL(feedUrl).searchParams.get("token"));
    // Every item in the feed is a podcast with an audio file.
    expect(parsed.items!.every((i) => i.type?.startsWith("audio/") && Number(i.length) > 0)).toBe(true);

    // A podcast app: no cookies, only the address from the feed.
    const podcastApp = await playwrightRequest.newContext();
    try {
      const whole = await podcastApp.get(enclosure.href);
      expect(whole.status()).toBe(200);
      expect(whole.headers()["content-type"]).toBe("audio/mpeg");
      expect(Number(whole.headers()["content-length"])).toBe(podcastBytes.length);
      expect(Buffer.compare(await whole.body(), podcastBytes)).toBe(0);
      const ranged = await podcastApp.get(enclosure.href, { headers: { Range: "bytes=0-" } });
      expect(ranged.status()).toBe(206);
      expect(Buffer.compare(await ranged.body(), podcastBytes)).toBe(0);
      // Without the token it asks to log in; with a wrong one it refuses.
      const bare = await podcastApp.get(enclosure.pathname.replace(/^/, enclosure.origin), { maxRedirects: 0 });
      expect(bare.status()).toBe(302);
      expect(bare.headers().location).toMatch(/^\/anmelden\?weiter=/);
      const wrong = await podcastApp.get(`${enclosure.origin}${enclosure.pathname}?token=${"a".repeat(32)}`);
      expect(wrong.status()).toBe(403);

      // Revoked in the settings, the address and its enclosures stop working.
      await page.getByRole("button", { name: "Feed-Adresse zurückziehen" }).click();
      await page.getByRole("status").filter({ hasText: "Deine Feed-Adresse gilt nicht mehr." }).waitFor();
      await expectAccessible(page);
      expect((await podcastApp.get(feedUrl)).status()).toBe(404);
      expect((await podcastApp.get(enclosure.href)).status()).toBe(403);
    } finally {
      await podcastApp.dispose();
    }
  });
});

describe("small screens", () => {
  test("at 320 px the library, the form and material pages with players do not scroll sideways", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await login(page, "moderation@example.org");
    await visit(page, "/materialien");
    expect(await scrollWidth(page), "horizontal scrolling on /materialien").toBeLessThanOrEqual(320);
    for (const [title, filter] of [
      [SEEDED_PODCAST, "art=podcast"],
      [SEEDED_VIDEO, "art=short_video"],
      ["Checkliste: Vorbereitung auf ein Lerngespräch", "art=checklist"],
    ]) {
      const at = await openFromLibrary(page, title, filter);
      expect(await scrollWidth(page), `horizontal scrolling on ${title}`).toBeLessThanOrEqual(320);
      const player = page.locator("main video, main audio");
      if (await player.count()) expect((await player.boundingBox())!.width).toBeLessThanOrEqual(320);
      expect(at).toMatch(MATERIAL_PATH);
    }
    for (const path of ["/materialien/neu", "/moderation/materialien"]) {
      await visit(page, path);
      expect(await scrollWidth(page), `horizontal scrolling on ${path}`).toBeLessThanOrEqual(320);
    }
  });
});
