/**
 * The allow-list rules shared by the server validator, the Markdown converter and the browser editor.
 * Pure and browser-safe: no node: imports, no tiptap.
 */

/** Member handles, as used in `/mitglieder/:handle` and in mention nodes. */
export const HANDLE_PATTERN = /^[a-z0-9][a-z0-9_-]{2,29}$/;

export const MAX_MENTION_LABEL = 80;
export const MAX_HREF_CHARS = 2_000;

/** The `rel` every user link is rendered with (and the only value a stored link may carry). */
export const LINK_REL = "noopener noreferrer nofollow";

/**
 * Links may only point to http(s), mailto or a path on this site. Anything else (javascript:, data:, vbscript:,
 * protocol-relative `//host`, backslash tricks browsers normalise to `//`) is refused. Control characters and
 * whitespace are refused outright rather than stripped, because browsers strip them before parsing the scheme;
 * `<`, `>` and `"` belong percent-encoded in a URL, and refusing them keeps markup-like text out of attributes.
 */
export function isSafeHref(href: unknown): href is string {
  if (typeof href !== "string" || href.length === 0 || href.length > MAX_HREF_CHARS) return false;
  if (/[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff\\<>"]/.test(href)) return false;
  if (href.startsWith("/")) return !href.startsWith("//");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href);
  if (!scheme) return false;
  const name = scheme[1].toLowerCase();
  if (name === "mailto") return href.length > "mailto:".length;
  if (name !== "http" && name !== "https") return false;
  try {
    const url = new URL(href);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Profile path of a member; the handle is encoded in case a document bypassed validation. */
export function memberPath(handle: string): string {
  return `/mitglieder/${encodeURIComponent(handle)}`;
}
