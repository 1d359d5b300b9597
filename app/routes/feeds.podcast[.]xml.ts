import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "../env.server.ts";
import { t } from "../i18n/de.ts";
import { podcastEpisodes } from "../models/library/feed.server.ts";

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** RSS 2.0 with iTunes tags and enclosures. Podcast apps cannot log in, so the personal token authorises it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const episodes = await podcastEpisodes(token);
  if (!episodes) {
    return new Response("Unbekannter oder zurückgezogener Feed-Schlüssel. Einen neuen bekommst du in deinen Einstellungen.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const base = env().PUBLIC_URL ?? url.origin;
  const items = episodes
    .map(
      (e) => `    <item>
      <title>${xml(e.title)}</title>
      <description>${xml(e.summary)}</description>
      <link>${base}/materialien/${e.id}</link>
      <guid isPermaLink="false">${e.id}</guid>
      ${e.publishedAt ? `<pubDate>${e.publishedAt.toUTCString()}</pubDate>` : ""}
      <enclosure url="${base}/dateien/${e.audio.id}?token=${token}" length="${e.audio.size}" type="${xml(e.audio.mime)}"/>
      <itunes:explicit>false</itunes:explicit>
    </item>`,
    )
    .join("\n");
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${xml(t("site.name"))} – Podcasts</title>
    <link>${base}/materialien?art=podcast</link>
    <atom:link href="${base}/feeds/podcast.xml?token=${token}" rel="self" type="application/rss+xml"/>
    <description>Podcasts aus der Materialbibliothek der Lernbegleiterinnen und Lernbegleiter.</description>
    <language>de-de</language>
    <itunes:author>${xml(t("site.name"))}</itunes:author>
    <itunes:explicit>false</itunes:explicit>
    <itunes:category text="Education"/>
${items}
  </channel>
</rss>
`;
  return new Response(body, {
    headers: { "Content-Type": "application/rss+xml; charset=utf-8", "Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex" },
  });
}
