/**
 * The one HTML escaper, for every place that writes markup or XML by hand (the thread page, mails, the podcast feed,
 * the generated SVG artwork, rich-text fallbacks). Escapes all five characters that matter in text and in quoted
 * attribute values alike, so one function is safe in both places. `&#39;` rather than `&apos;`: it means the same in
 * XML and also in HTML 4 parsers (old mail clients). Pure and browser-safe.
 */
const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const special = /[&<>"']/;
const specials = /[&<>"']/g;

/**
 * Text or an attribute value as markup. Most values (names, handles, titles) have nothing to escape: testing first
 * returns the very same string without building a new one (the thread page calls this several times per post,
 * see docs/decisions/007 and 017). Numbers and other values are written as text; null and undefined as nothing.
 */
export function escapeHtml(value: unknown): string {
  const text = typeof value === "string" ? value : value == null ? "" : String(value);
  return special.test(text) ? text.replace(specials, (c) => entities[c]) : text;
}
