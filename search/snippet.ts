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

/** The stem a word matches (or null). */
function matchedStem(word: string, stems: string[], stemInitials: Set<string>): string | null {
  if (!stemInitials.has(initial(word))) return null;
  const folded = fold(word);
  // PostgreSQL's German stemmer writes "ue" as "u" ("ueberlastung" → "uberlast"): compare both spellings.
  const stemmed = folded.replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
  return (
    stems.find((stem) =>
      stem.length < PREFIX_MIN_LENGTH
        ? folded === stem || stemmed === stem
        : folded.startsWith(stem) || stemmed.startsWith(stem),
    ) ?? null
  );
}

function matches(word: string, stems: string[], stemInitials: Set<string>): boolean {
  return matchedStem(word, stems, stemInitials) !== null;
}

/** How far into a long text (a transcript, a PDF's text) the snippet looks for the passage that matches best. */
const SCAN_CHARS = 20_000;
const LEAD_IN = 60;

/**
 * The passage to show: the window of SNIPPET_CHARS with the most different words of the query (issue 21: the
 * sentence that matched, not a material's tags or the first line of its PDF that happens to hold one word).
 * Ties go to the earlier text and place.
 */
function bestWindow(texts: string[], stems: string[], stemInitials: Set<string>): { text: string; first: number } {
  const wordPattern = /[\p{L}\p{N}]+/gu;
  let best = { text: texts.find((t) => t.trim().length > 0) ?? "", first: -1, distinct: 0 };
  for (const text of texts) {
    const found: { at: number; stem: string }[] = [];
    for (const m of text.slice(0, SCAN_CHARS).matchAll(wordPattern)) {
      const stem = matchedStem(m[0], stems, stemInitials);
      if (stem) found.push({ at: m.index, stem });
    }
    for (let i = 0; i < found.length; i++) {
      const until = found[i].at - LEAD_IN + SNIPPET_CHARS;
      const distinct = new Set<string>();
      for (let j = i; j < found.length && found[j].at < until; j++) distinct.add(found[j].stem);
      if (distinct.size > best.distinct) best = { text, first: found[i].at, distinct: distinct.size };
      if (distinct.size === stems.length) break;
    }
  }
  return best;
}

export function buildSnippet(rawTexts: string[], stems: string[]): string {
  const stemInitials = new Set(stems.map((s) => s[0]));
  const texts = rawTexts.map((t) => t.replace(/\s+/g, " ").trim());
  const wordPattern = /[\p{L}\p{N}]+/gu;
  const { text: chosen, first } = bestWindow(texts, stems, stemInitials);
  const clean = chosen;
  let start = first > LEAD_IN ? clean.lastIndexOf(" ", first - LEAD_IN) + 1 : 0;
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
