/**
 * The podcast feed as podcast apps and directories see it (ADR 033): parsed by a real RSS parser (rss-parser), every
 * tag Apple Podcasts and Spotify require checked one by one, the cover fetched and measured, the enclosures fetched
 * with the personal token from another origin's point of view, durations read from the files at upload, conditional
 * GET with 304, and the moderators' hint for audio that podcast apps do not play.
 */
import fs from "node:fs";
import path from "node:path";
import Parser from "rss-parser";
import sharp from "sharp";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { audioFacts, materials, users } from "../../db/schema/index.ts";
import { createMaterial, setMaterialStatus } from "../../app/models/library/materials.server.ts";
import { saveSiteSettings } from "../../app/models/settings.server.ts";
import { decodeHtml, postForm } from "./helpers.ts";
import { loginCookie, root, startTestServer } from "../setup/server.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let feedUrl: string;
const cookies: Record<string, string> = {};
const sample = (name: string) => fs.readFileSync(path.join(root, "db/seed/samples", name));
const OGG_HINT = "spielen viele Podcast-Apps nicht ab";

type Item = {
  title: string;
  guid: string;
  pubDate: string;
  link: string;
  enclosure: { url: string; length: string; type: string };
  itunes: Record<string, string>;
  "itunes:episodeType": string;
};
const parser = new Parser<Record<string, unknown>, Item>({
  customFields: { feed: ["itunes:type", "language", "lastBuildDate"], item: ["itunes:episodeType"] },
});

async function actor(email: string) {
  const [row] = await server.database.db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(eq(users.email, email));
  return row as { id: string; role: "moderator" };
}

async function fetchFeed(headers: Record<string, string> = {}) {
  const response = await fetch(feedUrl, { headers });
  return { response, body: await response.text() };
}

/** Uploads as a browser of the moderator would; the answer of the upload route. */
async function upload(bytes: Buffer, filename: string) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), filename);
  const response = await fetch(`${server.url}/api/v1/uploads`, {
    method: "POST",
    headers: { Origin: server.url, Cookie: cookies.moderator },
    body: form,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; mime: string; size: number; hint?: string };
}

beforeAll(async () => {
  server = await startTestServer();
  cookies.member = await loginCookie(server.url, "mitglied@example.org");
  cookies.moderator = await loginCookie(server.url, "moderation@example.org");
  const admin = await actor("admin@example.org");
  await saveSiteSettings(
    { id: admin.id, role: "admin" },
    {
      siteName: "Netzwerk „Nord“ & Co",
      welcomeText: "",
      openRegistration: false,
      contactEmail: "redaktion@example.org",
    },
  );
  const page = await postForm(server.url, "/einstellungen", { intent: "feedRenew" }, { cookie: cookies.member });
  const match = decodeHtml(await page.text()).match(/http:\/\/[^"\s<]+\/feeds\/podcast\.xml\?token=[a-z2-7]{32}/);
  feedUrl = match![0].replace(/^http:\/\/[^/]+/, server.url);
});

afterAll(async () => {
  await server?.close();
});

describe("podcast feed", () => {
  test("parses, and carries every tag the big directories require", async () => {
    // A second episode, in Ogg Opus: its duration is read when it is uploaded, before any feed asks.
    const ogg = await upload(sample("podcast.ogg"), "folge-2.ogg");
    expect(ogg.mime).toBe("audio/ogg");
    expect(ogg.hint).toContain(OGG_HINT);
    const [facts] = await server.database.db.select().from(audioFacts).where(eq(audioFacts.fileId, ogg.id));
    expect(facts.durationSeconds).toBeCloseTo(6, 0);
    const moderator = await actor("moderation@example.org");
    const material = await createMaterial(moderator, {
      type: "podcast",
      title: "Folge 2: Übergänge <gestalten>",
      summary: "Wie Übergänge gelingen & was hilft.",
      body: null,
      transcript: "Gesprochener Text",
      ilbStep: null,
      competenceArea: null,
      audience: null,
      tags: [],
      source: "",
      licence: "",
      externalUrl: null,
      reviewDueAt: null,
      fileIds: [ogg.id],
    });
    await setMaterialStatus(moderator, material.id, "published");

    const { response, body } = await fetchFeed();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    const feed = await parser.parseString(body);

    // Channel: the site's name (escaped once), language, link, description, the directories' iTunes tags.
    expect(feed.title).toBe("Netzwerk „Nord“ & Co – Podcasts");
    expect(feed.language).toBe("de-de");
    expect(feed.link).toBe(`${server.url}/materialien?art=podcast`);
    expect(feed.description).toMatch(/\S/);
    expect(feed.itunes?.author).toBe("Netzwerk „Nord“ & Co");
    expect(feed.itunes?.owner).toEqual({ name: "Netzwerk „Nord“ & Co", email: "redaktion@example.org" });
    expect(feed.itunes?.categories).toEqual(["Education"]);
    expect(feed.itunes?.explicit).toBe("false");
    expect(feed["itunes:type"]).toBe("episodic");
    expect(body).toMatch(/<itunes:explicit>false<\/itunes:explicit>\s*<itunes:type>episodic<\/itunes:type>/);
    expect(new Date(feed.lastBuildDate as string).toUTCString()).toBe(feed.lastBuildDate);

    // The cover: a square PNG between 1,400 and 3,000 pixels, loadable from other origins.
    const coverUrl = feed.itunes?.image as string;
    expect(coverUrl).toMatch(new RegExp(`^${server.url}/feeds/podcast-cover\\.png\\?v=[0-9a-f]{12}$`));
    expect(feed.image?.url).toBe(coverUrl);
    const cover = await fetch(coverUrl);
    expect(cover.status).toBe(200);
    expect(cover.headers.get("content-type")).toBe("image/png");
    expect(cover.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const { width, height, format } = await sharp(Buffer.from(await cover.arrayBuffer())).metadata();
    expect(format).toBe("png");
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(1400);
    expect(width).toBeLessThanOrEqual(3000);

    // Items: the seeded MP3 episode and the new Ogg one, newest first.
    expect(feed.items.map((i) => i.title)).toEqual([
      "Folge 2: Übergänge <gestalten>",
      "Podcast: Selbstvereinbarungen, die tragen",
    ]);
    const [podcasts] = [
      await server.database.db
        .select({ id: materials.id, title: materials.title })
        .from(materials)
        .where(eq(materials.type, "podcast")),
    ];
    for (const item of feed.items) {
      // A stable guid: the material's id, not a URL with the personal token.
      expect(item.guid).toBe(podcasts.find((p) => p.title === item.title)?.id);
      expect(item.link).toBe(`${server.url}/materialien/${item.guid}`);
      // RFC 822 (with a four-digit year, RFC 1123), in GMT.
      expect(item.pubDate).toMatch(
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
      );
      expect(item.itunes.explicit).toBe("false");
      expect(item["itunes:episodeType"]).toBe("full");
      // Six seconds of speech in both samples, read from the files.
      expect(item.itunes.duration).toBe("0:00:06");
      // The enclosure: the personal token in its URL, the exact byte length, the file's type, playable cross-origin.
      expect(item.enclosure.url).toMatch(new RegExp(`^${server.url}/dateien/[0-9a-f-]{36}\\?token=[a-z2-7]{32}$`));
      const file = await fetch(item.enclosure.url);
      expect(file.status).toBe(200);
      expect((await file.arrayBuffer()).byteLength).toBe(Number(item.enclosure.length));
      expect(file.headers.get("content-type")).toBe(item.enclosure.type);
      expect(file.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    }
    expect(feed.items.map((i) => i.enclosure.type)).toEqual(["audio/ogg", "audio/mpeg"]);
    expect(Number(feed.items[0].enclosure.length)).toBe(sample("podcast.ogg").length);
    expect(Number(feed.items[1].enclosure.length)).toBe(sample("podcast.mp3").length);
    // The same guids on the next request.
    expect((await parser.parseString((await fetchFeed()).body)).items.map((i) => i.guid)).toEqual(
      feed.items.map((i) => i.guid),
    );
  });

  test("moderators see the hint on an Ogg podcast's page; the MP3 podcast has none; members never", async () => {
    const rows = await server.database.db
      .select({ id: materials.id, title: materials.title })
      .from(materials)
      .where(eq(materials.type, "podcast"));
    const oggId = rows.find((r) => r.title.startsWith("Folge 2"))!.id;
    const mp3Id = rows.find((r) => r.title.startsWith("Podcast:"))!.id;
    const page = async (id: string, cookie: string) =>
      decodeHtml(await (await fetch(`${server.url}/materialien/${id}`, { headers: { Cookie: cookie } })).text());
    expect(await page(oggId, cookies.moderator)).toContain(OGG_HINT);
    expect(await page(mp3Id, cookies.moderator)).toContain("Verwalten");
    expect(await page(mp3Id, cookies.moderator)).not.toContain(OGG_HINT);
    expect(await page(oggId, cookies.member)).not.toContain(OGG_HINT);
    // An MP3 upload gets no hint.
    expect((await upload(sample("podcast.mp3"), "folge-3.mp3")).hint).toBeUndefined();
  });

  test("the enclosure is cross-origin only when the token opens it; the site's pages stay same-origin", async () => {
    const feed = await parser.parseString((await fetchFeed()).body);
    const fileUrl = feed.items[0].enclosure.url.replace(/\?.*$/, "");
    const withSession = await fetch(fileUrl, { headers: { Cookie: cookies.member } });
    expect(withSession.status).toBe(200);
    expect(withSession.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    await withSession.arrayBuffer();
    const ranged = await fetch(feed.items[0].enclosure.url, { headers: { Range: "bytes=0-99" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    await ranged.arrayBuffer();
    const start = await fetch(`${server.url}/`, { headers: { Cookie: cookies.member } });
    expect(start.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    await start.body?.cancel();
    const wrong = await fetch(`${fileUrl}?token=${"a".repeat(32)}`);
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    await wrong.body?.cancel();
  });

  test("conditional GET: 304 for the same ETag or an unchanged date, 200 with a new ETag after a change", async () => {
    const first = await fetchFeed();
    const etag = first.response.headers.get("etag")!;
    const lastModified = first.response.headers.get("last-modified")!;
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);

    const byEtag = await fetchFeed({ "If-None-Match": etag });
    expect(byEtag.response.status).toBe(304);
    expect(byEtag.body).toBe("");
    expect(byEtag.response.headers.get("etag")).toBe(etag);
    expect((await fetchFeed({ "If-None-Match": `"anderes", ${etag}` })).response.status).toBe(304);
    expect((await fetchFeed({ "If-Modified-Since": lastModified })).response.status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 3600_000).toUTCString();
    expect((await fetchFeed({ "If-Modified-Since": earlier })).response.status).toBe(200);
    // If-None-Match decides when both are sent (RFC 9110, 13.2.2).
    expect((await fetchFeed({ "If-None-Match": '"anderes"', "If-Modified-Since": lastModified })).response.status).toBe(
      200,
    );

    // An episode changes (one minute later than anything before): new ETag and date.
    const [episode] = await server.database.db
      .select({ id: materials.id })
      .from(materials)
      .where(eq(materials.title, "Folge 2: Übergänge <gestalten>"));
    await server.database.db
      .update(materials)
      .set({ title: "Folge 2: Übergänge", updatedAt: new Date(Date.parse(lastModified) + 60_000) })
      .where(eq(materials.id, episode.id));
    const changed = await fetchFeed({ "If-None-Match": etag });
    expect(changed.response.status).toBe(200);
    expect(changed.body).toContain("<title>Folge 2: Übergänge</title>");
    expect(changed.response.headers.get("etag")).not.toBe(etag);
    expect(Date.parse(changed.response.headers.get("last-modified")!)).toBe(Date.parse(lastModified) + 60_000);
    expect((await fetchFeed({ "If-Modified-Since": lastModified })).response.status).toBe(200);
  });

  test("admins set the owner's address in the site settings; a wrong one is refused in German and changes nothing", async () => {
    const admin = await loginCookie(server.url, "admin@example.org");
    const fields = { siteName: "Netzwerk „Nord“ & Co", welcomeText: "" };
    const refused = await postForm(
      server.url,
      "/moderation/einstellungen",
      { ...fields, contactEmail: "keine Adresse" },
      { cookie: admin },
    );
    expect(refused.status).toBe(400);
    const page = decodeHtml(await refused.text());
    expect(page).toContain("Bitte gib eine gültige E-Mail-Adresse ein oder lass das Feld leer.");
    expect(page).toContain('value="keine Adresse"');
    expect((await parser.parseString((await fetchFeed()).body)).itunes?.owner?.email).toBe("redaktion@example.org");
    const saved = await postForm(
      server.url,
      "/moderation/einstellungen",
      { ...fields, contactEmail: "podcast@example.org" },
      { cookie: admin },
    );
    expect(saved.status).toBe(200);
    await saved.body?.cancel();
    expect((await parser.parseString((await fetchFeed()).body)).itunes?.owner?.email).toBe("podcast@example.org");
    // Left empty: the mail sender's address (no-reply at the host, without PUBLIC_URL localhost).
    await (
      await postForm(server.url, "/moderation/einstellungen", { ...fields, contactEmail: "" }, { cookie: admin })
    ).body?.cancel();
    expect((await parser.parseString((await fetchFeed()).body)).itunes?.owner?.email).toBe("no-reply@localhost");
  });

  test("an unknown token gets a plain 404", async () => {
    const response = await fetch(feedUrl.replace(/token=[a-z2-7]{32}/, `token=${"b".repeat(32)}`));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    await response.body?.cancel();
  });
});
