/**
 * React 18 closes the document (`</body></html>`) as soon as the app's own elements are done, and Remix renders its
 * data scripts (single fetch's stream transfer, `window.__remixContext.streamController.enqueue(...)`) as a sibling
 * of the app, so they come after `</html>`. Browsers move such content into the body, but the document is invalid
 * HTML and a checker stops reading at `</html>` (ADR 037). Our documents are sent whole (entry.server), so the bytes
 * after `</html>` are put before `</body>`: the same place the browser's parser puts them, so the page and its
 * hydration do not change.
 */
const END = Buffer.from("</body></html>");

/** The document's pieces (in order) with whatever follows `</body></html>` in the last piece moved before it. */
export function endDocumentAfterScripts(pieces: Buffer[]): Buffer[] {
  const last = pieces.at(-1);
  if (!last) return pieces;
  const at = last.lastIndexOf(END);
  if (at < 0 || at + END.length === last.length) return pieces;
  return [...pieces.slice(0, -1), last.subarray(0, at), last.subarray(at + END.length), END];
}
