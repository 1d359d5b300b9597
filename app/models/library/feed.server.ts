import crypto from "node:crypto";
import path from "node:path";
import { and, asc, desc, eq, inArray, isNull, max } from "drizzle-orm";
import { feedTokens, materialFiles, materials, users } from "../../../db/schema/index.ts";
import type { Actor } from "../../auth/permissions.ts";
import { escapeHtml } from "../../domain/html.ts";
import { db } from "../db.server.ts";
import { generateToken, hashToken } from "../accounts/tokens.server.ts";
import { mailSender } from "../mail/transport.server.ts";
import { getSiteSettings } from "../settings.server.ts";
import { coverVersion } from "../site/artwork.server.ts";
import { audioDurations } from "./audioFacts.server.ts";
import { uploadsDir } from "./files.server.ts";

export async function hasFeedToken(actor: Actor): Promise<boolean> {
  const [row] = await db()
    .select({ userId: feedTokens.userId })
    .from(feedTokens)
    .where(eq(feedTokens.userId, actor.id));
  return !!row;
}

/** A new personal feed token; any earlier one stops working. Shown once: only its hash is stored. */
export async function renewFeedToken(actor: Actor): Promise<string> {
  const token = generateToken();
  await db()
    .insert(feedTokens)
    .values({ userId: actor.id, tokenHash: hashToken(token) })
    .onConflictDoUpdate({ target: feedTokens.userId, set: { tokenHash: hashToken(token), createdAt: new Date() } });
  return token;
}

export async function revokeFeedToken(actor: Actor): Promise<void> {
  await db().delete(feedTokens).where(eq(feedTokens.userId, actor.id));
}

/** Feed tokens are 32 base32 letters (generateToken); anything else is not looked up. */
const TOKEN = /^[a-z2-7]{32}$/;

async function feedOwner(token: string): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  const [owner] = await db()
    .select({ userId: feedTokens.userId })
    .from(feedTokens)
    .innerJoin(users, eq(users.id, feedTokens.userId))
    .where(and(eq(feedTokens.tokenHash, hashToken(token)), isNull(users.deactivatedAt)));
  return !!owner;
}

/** Published podcasts with their audio file and its playing time (read from the file once, see audioFacts). */
async function podcastEpisodes() {
  const episodes = await db()
    .select({
      id: materials.id,
      title: materials.title,
      summary: materials.summary,
      publishedAt: materials.publishedAt,
      updatedAt: materials.updatedAt,
    })
    .from(materials)
    .where(and(eq(materials.type, "podcast"), eq(materials.status, "published")))
    .orderBy(desc(materials.publishedAt), desc(materials.id))
    .limit(200);
  if (episodes.length === 0) return [];
  const files = await db()
    .select({
      id: materialFiles.id,
      materialId: materialFiles.materialId,
      mime: materialFiles.mime,
      size: materialFiles.size,
      storageName: materialFiles.storageName,
    })
    .from(materialFiles)
    .where(
      and(
        inArray(
          materialFiles.materialId,
          episodes.map((e) => e.id),
        ),
        eq(materialFiles.kind, "audio"),
      ),
    )
    .orderBy(asc(materialFiles.createdAt));
  const withAudio = episodes
    .map((e) => ({ ...e, audio: files.find((f) => f.materialId === e.id) ?? null }))
    .filter((e): e is typeof e & { audio: NonNullable<typeof e.audio> } => e.audio !== null);
  const durations = await audioDurations(
    withAudio.map((e) => ({ id: e.audio.id, path: path.join(uploadsDir(), e.audio.storageName) })),
  );
  return withAudio.map((e) => ({ ...e, duration: durations.get(e.audio.id) ?? null }));
}

/**
 * When the feed last changed: the newest change to any podcast (an archived one leaves the feed, and archiving
 * changes it too). Pollers that send If-None-Match also see changes of the site's name at once (the ETag is the
 * body's hash).
 */
async function lastChange(): Promise<Date> {
  const [row] = await db()
    .select({ at: max(materials.updatedAt), published: max(materials.publishedAt) })
    .from(materials)
    .where(eq(materials.type, "podcast"));
  const times = [row?.at, row?.published].filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  // HTTP dates have whole seconds.
  return new Date(Math.floor(Math.max(0, ...times) / 1000) * 1000);
}

/** The address directories write to: the contact address from the site settings, else the mail sender's. */
async function ownerEmail(contactEmail: string): Promise<string> {
  if (contactEmail) return contactEmail;
  const sender = await mailSender();
  return typeof sender === "string" ? (/<([^>]+)>/.exec(sender)?.[1] ?? sender).trim() : sender.address;
}

/** Seconds as itunes:duration wants them: H:MM:SS (whole seconds, rounded up so a 0.4-second file is not 0). */
export function itunesDuration(seconds: number): string {
  const total = Math.max(1, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

export interface PodcastFeed {
  body: string;
  /** Weak: the same feed may go out compressed or not. */
  etag: string;
  lastModified: Date;
}

/**
 * The podcast feed of the member whose feed token this is (null: unknown token, or the account is deactivated: a
 * feed token never outlives the access it stands for). RSS 2.0 with the tags Apple Podcasts and Spotify require
 * (ADR 033); enclosures carry the token, because podcast apps cannot log in. `base`: the site's public address.
 */
export async function podcastFeed(token: string, base: string): Promise<PodcastFeed | null> {
  if (!(await feedOwner(token))) return null;
  const [episodes, settings, lastModified] = await Promise.all([podcastEpisodes(), getSiteSettings(), lastChange()]);
  const name = escapeHtml(settings.siteName);
  const cover = `${base}/feeds/podcast-cover.png?v=${coverVersion(settings.siteName)}`;
  const description = "Podcasts aus der Materialbibliothek der Lernbegleiterinnen und Lernbegleiter.";
  const items = episodes.map(
    (e) => `    <item>
      <title>${escapeHtml(e.title)}</title>
      <description>${escapeHtml(e.summary || e.title)}</description>
      <link>${base}/materialien/${e.id}</link>
      <guid isPermaLink="false">${e.id}</guid>
      <pubDate>${(e.publishedAt ?? e.updatedAt).toUTCString()}</pubDate>
      <enclosure url="${base}/dateien/${e.audio.id}?token=${token}" length="${e.audio.size}" type="${escapeHtml(e.audio.mime)}"/>
${e.duration !== null ? `      <itunes:duration>${itunesDuration(e.duration)}</itunes:duration>\n` : ""}      <itunes:episodeType>full</itunes:episodeType>
      <itunes:explicit>false</itunes:explicit>
    </item>`,
  );
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${name} – Podcasts</title>
    <link>${base}/materialien?art=podcast</link>
    <atom:link href="${base}/feeds/podcast.xml?token=${token}" rel="self" type="application/rss+xml"/>
    <description>${description}</description>
    <language>de-de</language>
    <copyright>© ${name}</copyright>
    <lastBuildDate>${lastModified.toUTCString()}</lastBuildDate>
    <image>
      <url>${cover}</url>
      <title>${name} – Podcasts</title>
      <link>${base}/materialien?art=podcast</link>
    </image>
    <itunes:image href="${cover}"/>
    <itunes:author>${name}</itunes:author>
    <itunes:owner>
      <itunes:name>${name}</itunes:name>
      <itunes:email>${escapeHtml(await ownerEmail(settings.contactEmail))}</itunes:email>
    </itunes:owner>
    <itunes:summary>${description}</itunes:summary>
    <itunes:category text="Education"/>
    <itunes:explicit>false</itunes:explicit>
    <itunes:type>episodic</itunes:type>
    <itunes:block>Yes</itunes:block>
${items.join("\n")}
  </channel>
</rss>
`;
  const etag = `W/"${crypto.createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return { body, etag, lastModified };
}
