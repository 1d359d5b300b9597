/**
 * react-dom 18.3.1's stream writer copies text into 2,048-byte pieces; when a multi-byte UTF-8 character did not fit
 * at the end of a piece, it sent the whole piece, its unused tail of zero bytes included (facebook/react#31134,
 * fixed in React 19 only). Pages then held NUL bytes (in /materialien, in a search field's value). Our patch in
 * patches/react-dom+18.3.1.patch sends only the written part (ADR 037).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { PassThrough } from "node:stream";
import { createElement as h } from "react";
import * as development from "react-dom/server";
import { describe, expect, test } from "vitest";

/** Texts of varying ASCII lead so that two-, three- and four-byte characters land on every byte of a piece's end. */
function page() {
  const texts = Array.from(
    { length: 400 },
    (_, i) => `${"x".repeat(i % 7)}Grüße – „Lernbegleitung“ ${"äöß€🙂".repeat(1 + (i % 5))}`,
  );
  const query = "Überprüfungsübersicht ".repeat(30);
  return h(
    "html",
    { lang: "de" },
    h(
      "body",
      null,
      ...texts.map((text, i) => h("p", { key: i, title: text }, text)),
      h("input", { type: "search", defaultValue: query }),
    ),
  );
}

type Server = Pick<typeof development, "renderToPipeableStream">;
// Tests load React's development build; the server runs the production one, which the patch changes as well.
const require = createRequire(import.meta.url);
const production = require(
  path.join(path.dirname(require.resolve("react-dom/server")), "cjs/react-dom-server.node.production.min.js"),
) as Server;

function streamed({ renderToPipeableStream }: Server): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    out.on("end", () => resolve(Buffer.concat(chunks)));
    const { pipe } = renderToPipeableStream(page(), { onAllReady: () => pipe(out), onShellError: reject });
  });
}

describe.each([
  ["development", development as Server],
  ["production", production],
])("react-dom's streamed HTML (%s build)", (_, server) => {
  test("has no NUL byte where a multi-byte character crosses a 2 KB piece, and is the same text as a string render", async () => {
    const bytes = await streamed(server);
    expect(bytes.length).toBeGreaterThan(20 * 2048);
    expect(bytes.indexOf(0), "offset of the first NUL byte").toBe(-1);
    // Invalid UTF-8 throws here.
    const html = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // renderToString builds one string, without the 2 KB pieces.
    expect(html).toBe(`<!DOCTYPE html>${development.renderToString(page())}`);
  });
});
