import type { AppLoadContext } from "@remix-run/node";
import { createContext, useContext } from "react";
import { useNonce } from "../nonce.tsx";
import { htmlBytes, htmlString, type HtmlParts } from "./htmlParts.ts";

/**
 * Large blocks of server-built HTML (a thread's posts) would otherwise travel twice in a page load: once as markup
 * and once more inside the hydration data. On a full page load the loader keeps the block out of its data
 * (`serverHtmlBlock` returns null) and hands it, as UTF-8 bytes, to the document: React renders a marker comment
 * where the block belongs, and `entry.server` puts the bytes in its place, so React never copies or encodes them.
 * The browser keeps the markup it received (React does not rewrite dangerouslySetInnerHTML during hydration). Later
 * loader calls (navigation, live revalidation) carry the block in their data as a string, and React replaces it.
 */
export const ServerHtmlContext = createContext<Map<string, Buffer[]>>(new Map());

/** For loaders: the block in the data, or null on a full page load (where the document gets its bytes). */
export function serverHtmlBlock(context: AppLoadContext, key: string, parts: HtmlParts): string | null {
  if (!context.documentRequest) return htmlString(parts);
  context.serverHtml.set(key, htmlBytes(parts));
  return null;
}

// The nonce is this response's random CSP nonce: no text of the page can contain the marker by chance or design
// (and everything React renders from data is escaped, so a comment cannot come from a post either).
const marker = (nonce: string, key: string) => `<!--server-html:${nonce}:${key}-->`;

export function ServerHtml({
  blockKey,
  html,
  className,
}: {
  blockKey: string;
  html: string | null;
  className?: string;
}) {
  const nonce = useNonce();
  const fromServer = useContext(ServerHtmlContext).has(blockKey) ? marker(nonce, blockKey) : undefined;
  return (
    <div
      className={className}
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: html ?? fromServer ?? "" }}
    />
  );
}

/** For entry.server: the rendered document's pieces with each block's bytes in place of its marker. */
export function spliceServerHtml(
  document: Buffer<ArrayBuffer>,
  blocks: Map<string, Buffer[]>,
  nonce: string,
): Buffer[] {
  if (blocks.size === 0) return [document];
  const pieces: Buffer[] = [];
  let from = 0;
  const found = [...blocks]
    .map(([key, bytes]) => {
      const text = Buffer.from(marker(nonce, key));
      return { at: document.indexOf(text), length: text.length, bytes };
    })
    .filter((f) => f.at >= 0)
    .sort((a, b) => a.at - b.at);
  for (const f of found) {
    pieces.push(document.subarray(from, f.at), ...f.bytes);
    from = f.at + f.length;
  }
  pieces.push(document.subarray(from));
  return pieces;
}
