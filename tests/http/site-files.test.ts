/**
 * The small files every client asks for, over real HTTP: robots.txt (read by a robots.txt parser), favicon.ico (its
 * ICO structure and every PNG in it), the web app manifest and its icons (sizes, colours equal to the stylesheet's),
 * the links and meta tags in every page's head, and a short plain 404 for static files that do not exist.
 */
import fs from "node:fs";
import path from "node:path";
import postcss from "postcss";
import robotsParser from "robots-parser";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { decodeHtml } from "./helpers.ts";
import { loginCookie, root, startTestServer } from "../setup/server.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let member: string;

const publicPages = ["/", "/anmelden", "/registrieren", "/datenschutz", "/barrierefreiheit", "/leichte-sprache"];
const memberPages = [
  "/materialien",
  "/diskussionen",
  "/dialogrunden",
  "/mitglieder",
  "/fallberatung",
  "/themen",
  "/suche",
  "/merkliste",
  "/einstellungen",
];

/** The custom properties of :root in app/styles/base.css, read with PostCSS. */
function cssTokens(): Record<string, string> {
  const tokens: Record<string, string> = {};
  postcss.parse(fs.readFileSync(path.join(root, "app/styles/base.css"), "utf8")).walkDecls(/^--/, (decl) => {
    if (decl.parent?.type === "rule" && (decl.parent as postcss.Rule).selector === ":root")
      tokens[decl.prop] = decl.value;
  });
  return tokens;
}

async function head(pathname: string, cookie?: string): Promise<string> {
  const response = await fetch(`${server.url}${pathname}`, { headers: cookie ? { Cookie: cookie } : {} });
  const html = await response.text();
  return decodeHtml(html.slice(0, html.indexOf("</head>")));
}

const descriptions = (html: string) =>
  [...html.matchAll(/<meta name="description" content="([^"]*)"\/?>/g)].map((m) => m[1]);

beforeAll(async () => {
  // Open registration: /registrieren is one of the public pages (with it closed, the page answers 404).
  server = await startTestServer({ OPEN_REGISTRATION: "true" });
  member = await loginCookie(server.url, "mitglied@example.org");
});

afterAll(async () => {
  await server?.close();
});

describe("robots.txt", () => {
  test("lets crawlers see the public pages only", async () => {
    const response = await fetch(`${server.url}/robots.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const robots = robotsParser(`${server.url}/robots.txt`, await response.text());
    for (const page of [...publicPages, "/anmelden?weiter=%2Fmaterialien"])
      expect(robots.isAllowed(`${server.url}${page}`, "Googlebot"), page).toBe(true);
    for (const page of [
      ...memberPages,
      "/materialien/123",
      "/feeds/podcast.xml?token=x",
      "/dateien/1",
      "/einladung/abc",
      "/mitglieder/anna",
      "/api/v1/search",
    ]) {
      expect(robots.isAllowed(`${server.url}${page}`, "Googlebot"), page).toBe(false);
    }
    // What it allows is indeed open to anyone; what it forbids asks for a login.
    for (const page of publicPages) {
      const answer = await fetch(`${server.url}${page}`, { redirect: "manual" });
      expect(answer.status, page).toBe(200);
      await answer.body?.cancel();
    }
    for (const page of memberPages) {
      const answer = await fetch(`${server.url}${page}`, { redirect: "manual" });
      expect(answer.status, page).toBe(302);
      expect(answer.headers.get("location"), page).toMatch(/^\/anmelden/);
      await answer.body?.cancel();
    }
  });
});

describe("icons and manifest", () => {
  test("favicon.ico is an ICO with 16, 32 and 48 pixel PNGs drawn from favicon.svg, cached and revalidated", async () => {
    const response = await fetch(`${server.url}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/x-icon");
    expect(response.headers.get("cache-control")).toBe("public, max-age=86400");
    const ico = Buffer.from(await response.arrayBuffer());
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 3]);
    for (let i = 0; i < 3; i++) {
      const entry = 6 + 16 * i;
      const size = ico.readUInt8(entry);
      const png = ico.subarray(
        ico.readUInt32LE(entry + 12),
        ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8),
      );
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["png", size, size]);
      // The brand colour of the favicon's square, in the middle of its top edge.
      const { data } = await sharp(png)
        .extract({ left: Math.floor(size / 2), top: 1, width: 1, height: 1 })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect(Math.abs(data[0] - 0x0b) + Math.abs(data[1] - 0x5a) + Math.abs(data[2] - 0x7a)).toBeLessThan(30);
    }
    expect([ico.readUInt8(6), ico.readUInt8(22), ico.readUInt8(38)]).toEqual([16, 32, 48]);
    const again = await fetch(`${server.url}/favicon.ico`, {
      // fetch adds "Cache-Control: no-cache" to a conditional request unless one is given; browsers send max-age=0.
      headers: { "If-None-Match": response.headers.get("etag")!, "Cache-Control": "max-age=0" },
    });
    expect(again.status).toBe(304);
  });

  test("the manifest names the site in German, with the stylesheet's colours and icons of the sizes it says", async () => {
    const response = await fetch(`${server.url}/manifest.webmanifest`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/manifest+json; charset=utf-8");
    const manifest = await response.json();
    const tokens = cssTokens();
    expect(manifest).toMatchObject({
      name: "Das Lernbegleitungs-Netzwerk",
      lang: "de",
      start_url: "/",
      scope: "/",
      display: "standalone",
      theme_color: tokens["--brand"],
      background_color: tokens["--wash"],
    });
    expect(manifest.short_name.length).toBeLessThanOrEqual(12);
    expect(manifest.description).toMatch(/Lernbegleiter/);
    const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
    expect(icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of icons) {
      const response = await fetch(`${server.url}${icon.src}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(icon.type);
      const png = Buffer.from(await response.arrayBuffer());
      const meta = await sharp(png).metadata();
      expect(`${meta.width}x${meta.height}`).toBe(icon.sizes);
      // A maskable icon fills its whole square (launchers cut their shape out of it); the plain one has round corners.
      expect((await sharp(png).stats()).isOpaque).toBe(icon.purpose === "maskable");
    }
    const touch = await fetch(`${server.url}/apple-touch-icon.png`);
    expect((await sharp(Buffer.from(await touch.arrayBuffer())).metadata()).width).toBe(180);
  });

  test("every page links the manifest, sets the theme colour and has one meta description; the main pages their own", async () => {
    const seen = new Map<string, string>();
    const pages: [string, string | undefined][] = [
      ...publicPages.map((p): [string, undefined] => [p, undefined]),
      ...memberPages.map((p): [string, string] => [p, member]),
      ["/gibt-es-nicht", member],
      ["/benachrichtigungen", member],
    ];
    for (const [pathname, cookie] of pages) {
      const html = await head(pathname, cookie);
      expect(html, pathname).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
      expect(html, pathname).toContain(`<meta name="theme-color" content="${cssTokens()["--brand"]}"/>`);
      const found = descriptions(html);
      expect(found, pathname).toHaveLength(1);
      expect(found[0].length, pathname).toBeGreaterThan(50);
      expect(found[0].length, pathname).toBeLessThanOrEqual(160);
      seen.set(pathname, found[0]);
    }
    const fallback = seen.get("/benachrichtigungen");
    expect(seen.get("/gibt-es-nicht")).toBe(fallback);
    for (const pathname of [
      ...publicPages,
      "/materialien",
      "/diskussionen",
      "/dialogrunden",
      "/mitglieder",
      "/fallberatung",
      "/themen",
    ]) {
      expect(seen.get(pathname), pathname).not.toBe(fallback);
    }
    expect(new Set([...publicPages, "/materialien", "/diskussionen"].map((p) => seen.get(p))).size).toBe(
      publicPages.length + 2,
    );
  });
});

describe("missing static files", () => {
  test("answer a short plain-text 404, not the page shell; a missing page still gets the page", async () => {
    for (const pathname of [
      "/assets/nope.js",
      "/assets/nope.css",
      "/assets/nope",
      "/favicon-nope.png",
      "/icons/nope.png",
      "/bilder-nope.webp",
      "/nope.json",
    ]) {
      for (const method of ["GET", "HEAD"]) {
        const response = await fetch(`${server.url}${pathname}`, { method, headers: { Cookie: member } });
        expect(response.status, pathname).toBe(404);
        expect(response.headers.get("content-type"), pathname).toBe("text/plain; charset=utf-8");
        const body = await response.text();
        if (method === "GET") expect(body, pathname).toBe("Nicht gefunden.");
      }
    }
    const page = await fetch(`${server.url}/gibt-es-nicht`, { headers: { Cookie: member } });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain("<h1>");
    // Routes with a file-like name still reach Remix.
    const ics = await fetch(`${server.url}/feeds/dialogrunden.ics?token=${"c".repeat(32)}`);
    expect(ics.status).toBe(404);
    expect(await ics.text()).not.toBe("Nicht gefunden.");
  });
});
