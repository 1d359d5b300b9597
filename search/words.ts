/**
 * The word list behind "Meintest du …?": every folded word of indexed text with a rough document count.
 * Shared by both engines (Meilisearch has no suggestion API), maintained by the PostgreSQL side of the indexer.
 */
import { sql } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../db/client.ts";
import type { SearchDocument } from "./engine.ts";
import { words, type ParsedQuery } from "./query.ts";
import { pgArray } from "./sql.ts";

const MIN_WORD = 3;
const MAX_WORD = 40;

type Executor = Pick<Database, "execute">;

/** Distinct words per document, counted across the batch. */
export function documentWords(documents: SearchDocument[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of documents) {
    const distinct = new Set(words(`${d.title} ${d.lead} ${d.body} ${d.extra}`));
    for (const w of distinct) {
      if (w.length < MIN_WORD || w.length > MAX_WORD || /^\d+$/.test(w)) continue;
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return counts;
}

export async function addWords(executor: Executor, counts: Map<string, number>): Promise<void> {
  if (counts.size === 0) return;
  // Sorted, so that two indexers adding overlapping words lock rows in the same order (no deadlock).
  const entries = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const CHUNK = 5000;
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    await executor.execute(sql`
      INSERT INTO search_words (word, docs)
      SELECT * FROM unnest(${pgArray(chunk.map(([w]) => w))}::text[], ${pgArray(chunk.map(([, c]) => c))}::int[])
      ON CONFLICT (word) DO UPDATE SET docs = search_words.docs + excluded.docs`);
  }
}

/**
 * Unknown single words (not even the start of an indexed word) mapped to their nearest indexed word, by clause
 * index. Engines search with the corrected words and offer the correction as "Meintest du …?".
 */
export async function corrections(
  handle: DatabaseHandle,
  query: ParsedQuery,
  keep: (word: string) => boolean = () => false,
): Promise<Map<number, string>> {
  const candidates = query.clauses
    .map((clause, index) => ({ clause, index, word: clause.alternatives[0][0] }))
    .filter(({ clause, word }) => clause.correctable && word.length >= 4 && !/\d/.test(word) && !keep(word));
  const fixes = new Map<number, string>();
  if (candidates.length === 0) return fixes;
  const known = await handle.rows<{ w: string }>(sql`
    SELECT w FROM unnest(${pgArray(candidates.map((c) => c.word))}::text[]) AS w
    WHERE EXISTS (SELECT 1 FROM search_words WHERE word ~>=~ w AND word ~<~ (w || '{'))`);
  const knownSet = new Set(known.map((r) => r.w));
  for (const candidate of candidates) {
    if (knownSet.has(candidate.word)) continue;
    const [best] = await handle.rows<{ word: string }>(sql`
      SELECT word FROM search_words WHERE word % ${candidate.word}
      ORDER BY similarity(word, ${candidate.word}) DESC, docs DESC, word LIMIT 1`);
    if (best) fixes.set(candidate.index, best.word);
  }
  return fixes;
}

/**
 * Drops the words of a text from the list (a deleted member's name and handle): suggestions must not offer them.
 * A word that other documents also contain comes back with their next index update.
 */
export async function forgetWords(executor: Executor, text: string): Promise<void> {
  const list = [...new Set(words(text))].filter((w) => w.length >= MIN_WORD);
  if (list.length === 0) return;
  await executor.execute(sql`DELETE FROM search_words WHERE word = ANY(${pgArray(list)}::text[])`);
}
