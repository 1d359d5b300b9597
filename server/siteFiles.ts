/**
 * The small files every site is asked for: `/robots.txt`, `/favicon.ico`, the web app manifest with its icons and the
 * podcast cover, all made from public/favicon.svg and the site's name and colours (app/models/site/artwork.server.ts)
 * and kept in memory once rendered. And a short plain-text 404 for any missing static file, instead of the page shell.
 */
import fs from "node:fs";
import path from "node:path";
import type { Express, RequestHandler, Response } from "express";
import { defaultDescription, identity } from "../app/domain/identity.ts";
import { faviconIco, iconPng, podcastCover } from "../app/models/site/artwork.server.ts";
import { getSiteSettings } from "../app/models/settings.server.ts";

/**
 * A members-only site: crawlers may read the pages anyone can open (start, login, registration, the legal and
 * accessibility pages), nothing else. `Allow: /$` is the start page alone (the `$` end anchor, which Google, Bing and
 * the other large crawlers understand); for every other path the longest matching rule wins (RFC 9309).
 */
export const PUBLIC_PAGES = ["/anmelden", "/registrieren", "/datenschutz", "/barrierefreiheit", "/leichte-sprache"];
export const ROBOTS_TXT = [
  "User-agent: *",
  "Allow: /$",
  ...PUBLIC_PAGES.map((p) => `Allow: ${p}`),
  "Disallow: /",
  "",
].join("\n");

export const ICONS = {
  "icon-192.png": { size: 192, maskable: false },
  "icon-512.png": { size: 512, maskable: false },
  "icon-maskable-512.png": { size: 512, maskable: true },
  "apple-touch-icon.png": { size: 180, maskable: true },
} as const;

/** Extensions of files the browser loads by themselves; a missing one gets the short 404, not the page shell. */
const STATIC_FILE = /\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|txt|json|webmanifest|wasm)$/i;

export async function webManifest(): Promise<object> {
  const { siteName } = await getSiteSettings();
  return {
    name: siteName,
    short_name: identity.shortName,
    description: defaultDescription,
    lang: "de",
    dir: "ltr",
    id: "/",
    start_url: "/",
    scope: "/",
    display: "standalone",
    theme_color: identity.brand,
    background_color: identity.wash,
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}

function sendCached(res: Response, type: string, body: Buffer | string, maxAge: number): void {
  // res.send adds an ETag and answers 304 to a matching If-None-Match.
  res.set("Cache-Control", `public, max-age=${maxAge}`).type(type).send(body);
}

const memo = new Map<string, Promise<Buffer>>();
function once(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let hit = memo.get(key);
  if (!hit) {
    hit = make();
    hit.catch(() => memo.delete(key));
    memo.set(key, hit);
  }
  return hit;
}

const wrap =
  (handler: (req: Parameters<RequestHandler>[0], res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) =>
    void handler(req, res).catch(next);

/** Mounted before the session middleware: none of these depend on who asks. */
export function registerSiteFiles(app: Express, root: string): void {
  const faviconSvg = () => fs.promises.readFile(path.join(root, "public", "favicon.svg"), "utf8");
  app.get("/robots.txt", (_req, res) => sendCached(res, "text/plain; charset=utf-8", ROBOTS_TXT, 86_400));
  app.get(
    "/favicon.ico",
    wrap(async (_req, res) =>
      sendCached(res, "image/x-icon", await once("favicon.ico", async () => faviconIco(await faviconSvg())), 86_400),
    ),
  );
  // iOS asks for /apple-touch-icon.png at the root by itself.
  app.get(
    ["/icons/:name", "/:name(apple-touch-icon.png)"],
    wrap(async (req, res) => {
      const name = req.params.name as keyof typeof ICONS;
      const icon = Object.hasOwn(ICONS, name) ? ICONS[name] : null;
      if (!icon) return void notFound(res);
      const png = await once(name, async () => iconPng(await faviconSvg(), icon.size, { maskable: icon.maskable }));
      sendCached(res, "image/png", png, 86_400);
    }),
  );
  app.get(
    "/manifest.webmanifest",
    wrap(async (_req, res) =>
      sendCached(res, "application/manifest+json; charset=utf-8", JSON.stringify(await webManifest()), 300),
    ),
  );
  // Linked from the podcast feed with ?v= (a hash of the name): directories and podcast apps on other origins load it.
  app.get(
    "/feeds/podcast-cover.png",
    wrap(async (_req, res) => {
      const { siteName } = await getSiteSettings();
      res.set("Cross-Origin-Resource-Policy", "cross-origin");
      sendCached(res, "image/png", await podcastCover(siteName), 86_400);
    }),
  );
}

function notFound(res: Response): void {
  res.status(404).type("text/plain; charset=utf-8").send("Nicht gefunden.");
}

/** Mounted right before Remix: a static file that no route above found is missing. */
export const missingStaticFile: RequestHandler = (req, res, next) => {
  if (
    (req.method === "GET" || req.method === "HEAD") &&
    (req.path.startsWith("/assets/") || STATIC_FILE.test(req.path))
  )
    return notFound(res);
  next();
};
