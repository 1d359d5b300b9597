/**
 * Pictures generated from the site's identity (name and colours) with sharp: the podcast cover, the app icons and the
 * favicon.ico. sharp works on libuv's thread pool, so rendering never holds up the event loop; every result is kept
 * in memory (a few hundred kilobytes), and the cover is rendered again only when the site's name changes.
 */
import crypto from "node:crypto";
import sharp from "sharp";
import { identity } from "../../domain/identity.ts";
import { escapeHtml } from "../../domain/html.ts";

/** Apple Podcasts and Spotify want a square between 1,400 and 3,000 pixels. */
export const COVER_SIZE = 1400;

/** Splits a name into lines of at most `max` characters at spaces (a longer word stands alone). */
export function wrapWords(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.trim().split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** The favicon's two figures, drawn in a 32-unit square (public/favicon.svg without its background). */
const FIGURES =
  '<circle cx="11" cy="12" r="4" fill="#fff"/><circle cx="21" cy="12" r="4" fill="#fff"/><path d="M5 26c1-5 4-7 6-7s5 2 6 7M15 26c1-5 4-7 6-7s5 2 6 7" stroke="#fff" stroke-width="2" fill="none"/>';

/** The cover as SVG: the brand colour, the favicon's figures, the site's name and the word „Podcast“. */
export function coverSvg(siteName: string, size = COVER_SIZE): string {
  // The largest type size at which the name fits in four lines across 80 % of the width (about 0.58 em a character).
  let fontSize = 120;
  let lines = wrapWords(siteName, Math.floor((size * 0.8) / (fontSize * 0.58)));
  while ((lines.length > 4 || lines.some((l) => l.length * fontSize * 0.58 > size * 0.86)) && fontSize > 40) {
    fontSize -= 8;
    lines = wrapWords(siteName, Math.floor((size * 0.8) / (fontSize * 0.58)));
  }
  const lineHeight = fontSize * 1.2;
  const top = size * 0.58;
  const text = lines
    .map(
      (line, i) =>
        `<text x="${size / 2}" y="${Math.round(top + i * lineHeight)}" font-size="${fontSize}">${escapeHtml(line)}</text>`,
    )
    .join("");
  const figureScale = (size * 0.34) / 32;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<rect width="${size}" height="${size}" fill="${identity.brand}"/>
<rect y="${size * 0.9}" width="${size}" height="${size * 0.1}" fill="${identity.brandDark}"/>
<g transform="translate(${size * 0.33} ${size * 0.08}) scale(${figureScale})">${FIGURES}</g>
<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-weight="bold">${text}
<text x="${size / 2}" y="${Math.round(size * 0.965)}" font-size="${Math.round(size * 0.045)}" font-weight="normal" letter-spacing="${Math.round(size * 0.006)}">PODCAST</text></g>
</svg>`;
}

/** A short version of the name, so that the cover's address changes (and apps fetch it again) when the name does. */
export function coverVersion(siteName: string): string {
  return crypto.createHash("sha256").update(`${COVER_SIZE}:${siteName}`).digest("hex").slice(0, 12);
}

let cover: { version: string; png: Promise<Buffer> } | null = null;

/** The podcast cover as PNG (COVER_SIZE square), rendered once per site name. */
export function podcastCover(siteName: string): Promise<Buffer> {
  const version = coverVersion(siteName);
  if (cover?.version !== version) {
    const png = sharp(Buffer.from(coverSvg(siteName)))
      .png({ compressionLevel: 9, palette: true })
      .toBuffer();
    png.catch(() => (cover = null));
    cover = { version, png };
  }
  return cover.png;
}

/**
 * A square icon from the favicon's SVG. `maskable`: the figures sit inside the safe zone (the inner 80 %) on a full
 * brand-coloured square, so launchers may cut any shape out of it (https://w3c.github.io/manifest/#icon-masks).
 */
export function iconPng(faviconSvg: string, size: number, options: { maskable?: boolean } = {}): Promise<Buffer> {
  if (!options.maskable)
    return sharp(Buffer.from(faviconSvg), { density: (72 * size) / 32 })
      .resize(size, size)
      .png()
      .toBuffer();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="${size}" height="${size}"><rect width="32" height="32" fill="${identity.brand}"/><g transform="translate(6.4 6.4) scale(0.6)">${FIGURES}</g></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * An ICO file holding PNG images (allowed since Windows Vista, read by every current browser): a 6-byte header, one
 * 16-byte directory entry per image, then the PNGs. Width and height 256 are written as 0.
 */
export function packIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

export async function faviconIco(faviconSvg: string): Promise<Buffer> {
  const sizes = [16, 32, 48];
  return packIco(await Promise.all(sizes.map(async (size) => ({ size, png: await iconPng(faviconSvg, size) }))));
}
