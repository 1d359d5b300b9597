/** Synonym groups (abbreviations and what they stand for) as moderators maintain them. */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";

export async function loadSynonyms(handle: DatabaseHandle): Promise<string[][]> {
  const rows = await handle.rows<{ terms: string[] }>(sql`SELECT terms FROM search_synonyms ORDER BY updated_at, id`);
  return rows.map((r) => r.terms);
}
