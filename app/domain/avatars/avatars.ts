/**
 * Faces (ADR 028): what every member list shows beside a name. A member's own square picture where there is one,
 * otherwise their initials on a colour that stays the same for them. Pure: used on the server (the thread page's
 * string-built HTML) and in the browser (React lists, the live room) alike.
 */

/** The stored square sizes in pixels (WebP each). */
export const PICTURE_SIZES = [48, 96, 192] as const;
export type PictureSize = (typeof PICTURE_SIZES)[number];

/** How large a face is shown, in CSS pixels, and which stored files serve it (1x and 2x screens). */
export const AVATAR_DISPLAY = {
  s: { css: 32, src: 48, src2x: 96 },
  m: { css: 40, src: 48, src2x: 96 },
  l: { css: 96, src: 96, src2x: 192 },
} as const;
export type AvatarSize = keyof typeof AVATAR_DISPLAY;

/** A member as lists show them: enough for a picture or initials. `picture` is the current picture's stamp. */
export interface Face {
  id: string;
  name: string;
  picture: string | null;
}

/**
 * Background colours of the initials, all with white text. Each must reach 4.5:1 against white (WCAG 2.1 AA for
 * normal text; tests/unit/avatars.test.ts checks every one, and that app/styles/avatars.css uses exactly these).
 */
export const AVATAR_TEXT_COLOUR = "#ffffff";
export const AVATAR_COLOURS = [
  "#1f5f8b",
  "#2c6e3f",
  "#8a3b12",
  "#6b3fa0",
  "#a3214a",
  "#00665e",
  "#595959",
  "#7a4d00",
] as const;

/** FNV-1a over the id: the same member always gets the same colour, on every page and in every process. */
export function colourIndex(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % AVATAR_COLOURS.length;
}

const graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("de", { granularity: "grapheme" }) : null;
function firstGrapheme(word: string): string {
  if (graphemes) for (const { segment } of graphemes.segment(word)) return segment;
  return Array.from(word)[0] ?? "";
}

/**
 * Up to two letters: of the first and the last word that start with a letter ("Sevgi Schneider" → "SS",
 * "Anna-Lena Müller" → "AM", "Dr. Özlem Yıldız" → "DY", "mitglied" → "M"). A name without any letter gives its first
 * character, an empty one a dash.
 */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s\-–—_.]+/u)
    .filter((w) => /^\p{L}/u.test(w));
  if (words.length === 0) return firstGrapheme(name.trim()) || "–";
  const first = firstGrapheme(words[0]);
  const last = words.length > 1 ? firstGrapheme(words[words.length - 1]) : "";
  return (first + last).toLocaleUpperCase("de-DE");
}

/** The address of a stored size of a member's picture; the stamp makes a new picture a new address. */
export function pictureUrl(face: Pick<Face, "id" | "picture">, size: PictureSize): string {
  return `/profilbilder/${face.id}/${size}.webp?v=${face.picture}`;
}

export interface Crop {
  /** Centre of the square as fractions (0–1) of the picture's width and height. */
  x: number;
  y: number;
  /** 1 = the largest square that fits; 3 = a third of that. */
  zoom: number;
}

export const MAX_ZOOM = 3;
export const CENTRE: Crop = { x: 0.5, y: 0.5, zoom: 1 };

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** A crop made safe: numbers in range, anything unreadable as the centre. */
export function cleanCrop(crop: Partial<Crop>): Crop {
  const num = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
  return {
    x: clamp(num(crop.x, 0.5), 0, 1),
    y: clamp(num(crop.y, 0.5), 0, 1),
    zoom: clamp(num(crop.zoom, 1), 1, MAX_ZOOM),
  };
}

/**
 * The square (in source pixels) that a crop chooses from a width × height picture: side = shorter side / zoom, centred
 * on the focus as far as the picture's edges allow. The settings page's preview uses the same numbers.
 */
export function squareCrop(width: number, height: number, crop: Crop): { left: number; top: number; size: number } {
  const c = cleanCrop(crop);
  const size = Math.max(1, Math.floor(Math.min(width, height) / c.zoom));
  const left = Math.round(clamp(c.x * width - size / 2, 0, width - size));
  const top = Math.round(clamp(c.y * height - size / 2, 0, height - size));
  return { left, top, size };
}

/** Relative luminance and contrast ratio after WCAG 2.1 (for the colour test and anyone adding a colour). */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
