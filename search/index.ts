/** Which engine serves search: Meilisearch when MEILISEARCH_URL is set, otherwise the database itself. */
import type { DatabaseHandle } from "../db/client.ts";
import type { SearchEngine } from "./engine.ts";
import { createMeilisearchEngine } from "./meilisearch.ts";
import { createPostgresEngine } from "./postgres.ts";

export function createEngine(
  handle: DatabaseHandle,
  config: { MEILISEARCH_URL?: string; MEILISEARCH_KEY?: string },
): SearchEngine {
  if (config.MEILISEARCH_URL) {
    return createMeilisearchEngine(handle, { url: config.MEILISEARCH_URL, apiKey: config.MEILISEARCH_KEY });
  }
  return createPostgresEngine(handle);
}
