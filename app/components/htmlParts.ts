/**
 * Server-built HTML as a list of markup strings and post bodies, in order. A long thread's page is ~380 KB, and on a
 * full page load turning one JavaScript string of that size into UTF-8 (after joining it) cost ~1 ms per request.
 * Kept apart, the bodies (rendered once at write time, and handed to every request by the posts cache) are encoded
 * once and copied afterwards, and the markup around them stays a one-byte string that encodes quickly.
 */
export interface PostBody {
  body: string;
}
export type HtmlParts = (string | PostBody)[];

export function htmlString(parts: HtmlParts): string {
  let html = "";
  for (const part of parts) html += typeof part === "string" ? part : part.body;
  return html;
}

// Keyed by the body string itself: the posts cache hands the same string objects to every request, whose hash V8
// keeps, so a lookup does not read the body again. Bounded by bytes, since a body may be up to ~150 KB of UTF-8.
const MAX_KEPT_BYTES = 32 * 1024 * 1024;
const keptBodies = new Map<string, Buffer>();
let keptBytes = 0;

function bodyBytes(body: string): Buffer {
  let bytes = keptBodies.get(body);
  if (bytes === undefined) {
    bytes = Buffer.from(body);
    if (keptBytes + bytes.length > MAX_KEPT_BYTES) {
      keptBodies.clear();
      keptBytes = 0;
    }
    keptBodies.set(body, bytes);
    keptBytes += bytes.length;
  }
  return bytes;
}

/** The same HTML as UTF-8 bytes, in pieces to be copied once into the response (server only). */
export function htmlBytes(parts: HtmlParts): Buffer[] {
  const buffers: Buffer[] = [];
  let markup = "";
  for (const part of parts) {
    if (typeof part === "string") {
      markup += part;
    } else {
      if (markup) buffers.push(Buffer.from(markup));
      markup = "";
      buffers.push(bodyBytes(part.body));
    }
  }
  if (markup) buffers.push(Buffer.from(markup));
  return buffers;
}
