// Replaced by the Meilisearch engine (being written); until then selecting it fails loudly at start.
import type { DatabaseHandle } from "../db/client.ts";
import type { SearchEngine } from "./engine.ts";

export function createMeilisearchEngine(_handle: DatabaseHandle, _options: { url: string; apiKey?: string }): SearchEngine {
  throw new Error("Die Meilisearch-Anbindung ist noch nicht verfügbar.");
}
