import type { SearchEngine } from "../../../search/engine.ts";
import type { Indexer } from "../../../search/indexer.ts";

declare global {
  // Shared between the Express server and the Remix build (separate module graphs), like the database handle.
  var __companionSearch: { engine: SearchEngine; indexer: Indexer | null } | undefined;
}

export function setSearch(search: { engine: SearchEngine; indexer: Indexer | null } | undefined): void {
  globalThis.__companionSearch = search;
}

export function searchEngine(): SearchEngine {
  const search = globalThis.__companionSearch;
  if (!search) throw new Error("Die Suche ist noch nicht bereit");
  return search.engine;
}

/** Called by model functions after their transaction committed: apply the outbox now instead of on the next tick. */
export function indexSoon(): void {
  globalThis.__companionSearch?.indexer?.kick();
}
