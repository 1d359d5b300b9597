import type { AppLoadContext } from "@remix-run/node";
import { createContext, useContext } from "react";

/**
 * Large blocks of server-built HTML (a thread's posts) would otherwise travel twice in a page load: once as markup
 * and once more inside the hydration data. On a full page load the loader keeps the block out of its data
 * (`serverHtmlBlock` returns null) and hands it to the server render through this context; the browser keeps the
 * markup it received (React does not rewrite dangerouslySetInnerHTML during hydration). Later loader calls
 * (navigation, live revalidation) carry the block in their data as usual, and React replaces it.
 */
export const ServerHtmlContext = createContext<Map<string, string>>(new Map());

/** For loaders: the block in the data, or null on a full page load (where the server render reads the context). */
export function serverHtmlBlock(context: AppLoadContext, key: string, html: string): string | null {
  if (!context.documentRequest) return html;
  context.serverHtml.set(key, html);
  return null;
}

export function ServerHtml({ blockKey, html, className }: { blockKey: string; html: string | null; className?: string }) {
  const fromServer = useContext(ServerHtmlContext).get(blockKey);
  return <div className={className} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: html ?? fromServer ?? "" }} />;
}
