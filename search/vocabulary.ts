/**
 * The index's own vocabulary for query analysis (search/analysis.ts): the word list the indexer keeps for
 * "Meintest du …?" (search_words, every folded word of indexed text with a rough document count). Shared by both
 * engines; a few index lookups per search.
 */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import { pieces, type Vocabulary } from "./analysis.ts";
import type { ParsedQuery } from "./query.ts";
import { pgArray } from "./sql.ts";

/** Words with a start shared by more than this many indexed words count as that common (bounds the lookup). */
const PREFIX_SAMPLE = 50;
const COMPOUND_SAMPLE = 40;
/** An inflection ending after the part a compound ends with (Sprechstunde|n, Verbund|es). */
const ENDING = /^(?:e|n|s|en|er|es|ern|ens)?$/;
const TOTAL_TTL_MS = 60_000;

export function createVocabulary(handle: DatabaseHandle) {
  let total: { n: number; at: number } | null = null;

  async function documents(): Promise<number> {
    if (!total || Date.now() - total.at > TOTAL_TTL_MS) {
      const [row] = await handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM search_documents`);
      total = { n: Number(row.n), at: Date.now() };
    }
    return total.n;
  }

  return async function lookup(query: ParsedQuery): Promise<Vocabulary> {
    const list = pieces(query).filter((w) => w.length >= 3 && w.length <= 40);
    const docs = new Map<string, number>();
    const exact = new Set<string>();
    const compounds = new Map<string, string[]>();
    if (list.length === 0) return { total: await documents(), docs, exact, compounds };
    // Per piece: how many documents have a word starting with it (from a bounded sample of such words), and whether
    // it is an indexed word itself. Both from the prefix index.
    const rows = await handle.rows<{ w: string; docs: number; exact: boolean }>(sql`
      SELECT w, (SELECT coalesce(sum(s.docs), 0)::int FROM (SELECT docs FROM search_words
          WHERE word ~>=~ w AND word ~<~ (w || '{') LIMIT ${PREFIX_SAMPLE}) s) AS docs,
        EXISTS (SELECT 1 FROM search_words WHERE word = w) AS exact
      FROM unnest(${pgArray(list)}::text[]) AS w`);
    for (const row of rows) {
      docs.set(row.w, Number(row.docs));
      if (row.exact) exact.add(row.w);
    }
    // Compounds ending with a typed word (parts find the whole), from the trigram index. Only for words the member
    // typed as they are (not the pieces), and only long enough for trigrams to narrow the search.
    const typed = [
      ...new Set(query.clauses.filter((c) => !c.negated && c.correctable).map((c) => c.alternatives[0][0])),
    ].filter((w) => w.length >= 4 && !/\d/.test(w));
    if (typed.length) {
      const found = await handle.rows<{ w: string; word: string }>(sql`
        SELECT w, c.word FROM unnest(${pgArray(typed)}::text[]) AS w,
          LATERAL (SELECT word, docs FROM search_words WHERE word LIKE ('%_' || w || '%') AND length(word) <= length(w) + 24
            ORDER BY docs DESC, word LIMIT ${COMPOUND_SAMPLE}) c`);
      for (const { w, word } of found) {
        const at = word.lastIndexOf(w);
        // A compound of letters (PDF text glues page numbers to words: "115lernbegleitung").
        if (at < 3 || !/^[a-z]+$/.test(word) || !ENDING.test(word.slice(at + w.length))) continue;
        const list = compounds.get(w) ?? [];
        if (list.length < 6) list.push(word);
        compounds.set(w, list);
      }
    }
    return { total: await documents(), docs, exact, compounds };
  };
}
