/**
 * Highlighted snippets built from the original text (so umlauts stay as written), HTML-escaped, with the words
 * that match the query's stems wrapped in <mark>. Pure; the PostgreSQL engine passes the stems of its tsquery.
 */
import { escapeHtml } from "../app/domain/html.ts";
import { fold, PREFIX_MIN_LENGTH } from "./query.ts";

const SNIPPET_CHARS = 240;

/** A word's first letter as folding gives it ("Ü" → "u"), remembered: it decides cheaply that most words cannot match. */
const initials = new Map<string, string>();
function initial(word: string): string {
  const first = word[0];
  let folded = initials.get(first);
  if (folded === undefined) {
    folded = fold(first)[0] ?? "";
    if (initials.size < 10_000) initials.set(first, folded);
  }
  return folded;
}

function matches(word: string, stems: string[], stemInitials: Set<string>): boolean {
  if (!stemInitials.has(initial(word))) return false;
  const folded = fold(word);
  // PostgreSQL's German stemmer writes "ue" as "u" ("ueberlastung" → "uberlast"): compare both spellings.
  const stemmed = folded.replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
  return stems.some((stem) =>
    stem.length < PREFIX_MIN_LENGTH ? folded === stem || stemmed === stem : folded.startsWith(stem) || stemmed.startsWith(stem),
  );
}

export function buildSnippet(rawTexts: string[], stems: string[]): string {
  const stemInitials = new Set(stems.map((s) => s[0]));
  const texts = rawTexts.map((t) => t.replace(/\s+/g, " ").trim());
  const wordPattern = /[\p{L}\p{N}]+/gu;
  // The first text with a match gives the snippet; otherwise the start of the first non-empty one.
  let chosen = texts.find((t) => t.trim().length > 0) ?? "";
  let first = -1;
  for (const text of texts) {
    for (const m of text.matchAll(wordPattern)) {
      if (matches(m[0], stems, stemInitials)) {
        chosen = text;
        first = m.index;
        break;
      }
    }
    if (first >= 0) break;
  }
  const clean = chosen;
  let start = first > 60 ? clean.lastIndexOf(" ", first - 60) + 1 : 0;
  if (start < 0) start = 0;
  let end = Math.min(clean.length, start + SNIPPET_CHARS);
  if (end < clean.length) {
    const space = clean.lastIndexOf(" ", end);
    if (space > start + SNIPPET_CHARS / 2) end = space;
  }
  const piece = clean.slice(start, end);
  let out = "";
  let last = 0;
  for (const m of piece.matchAll(wordPattern)) {
    if (!matches(m[0], stems, stemInitials)) continue;
    out += escapeHtml(piece.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
    last = m.index + m[0].length;
  }
  out += escapeHtml(piece.slice(last));
  return (start > 0 ? "… " : "") + out + (end < clean.length ? " …" : "");
}
