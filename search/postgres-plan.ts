/**
 * An analysed query (search/analysis.ts) as tsquery texts for the PostgreSQL engine: what a full match needs, what a
 * relaxed match needs, and each decisive clause as typed and as its variants, for the ranking (ADR 039). Pure.
 */
import type { AnalysedQuery, Variant } from "./analysis.ts";
import type { Clause } from "./query.ts";

export interface ClauseParts {
  /** The clause as typed (with its synonyms). */
  exact: string;
  /** Its variants (other spellings, parts, compounds), or null. */
  variant: string | null;
  weight: number;
}

export interface TsPlan {
  /** Every decisive clause (as typed or as a variant), and no excluded word. */
  strict: string;
  /** Any relaxed set of clauses, and no excluded word; null when the query has fewer than two decisive clauses. */
  relaxed: string | null;
  /** Every decisive clause, without the excluded words (what the member looks for). */
  positive: string;
  /** For ts_rank: any decisive clause, as typed or as a variant. */
  rank: string;
  parts: ClauseParts[];
  /** Whether any clause has variants (then the ranking tells them apart from the words as typed). */
  variants: boolean;
}

type Alternative = (words: string[]) => string | null;

const or = (texts: string[]) => (texts.length > 1 ? `(${texts.join(" | ")})` : texts[0]);
const and = (texts: string[]) => (texts.length > 1 ? `(${texts.join(" & ")})` : texts[0]);

function variantQuery(variant: Variant, alternative: Alternative): string | null {
  if (variant.phrase) return alternative(variant.words);
  const words = variant.words.map((w) => alternative([w]));
  return words.every((w) => w !== null) ? and(words as string[]) : null;
}

/**
 * `alternative` turns a sequence of words into tsquery text (one word, or a phrase through word pairs); `negated`
 * is the text of each excluded clause. Null when nothing decisive is left (a query of stop words only).
 */
export function tsPlan(query: AnalysedQuery, alternative: Alternative, negated: string[]): TsPlan | null {
  const parts: (ClauseParts & { index: number })[] = [];
  query.clauses.forEach((c, index) => {
    if (!c.decisive) return;
    const exact = [...new Set(c.clause.alternatives.map(alternative).filter((a): a is string => a !== null))];
    const variants = [
      ...new Set(c.variants.map((v) => variantQuery(v, alternative)).filter((a): a is string => a !== null)),
    ].filter((v) => !exact.includes(v));
    if (exact.length === 0 && variants.length === 0) return;
    parts.push({
      index,
      exact: exact.length ? or(exact) : or(variants),
      variant: exact.length && variants.length ? or(variants) : null,
      weight: c.weight,
    });
  });
  if (parts.length === 0) return null;
  const full = (p: ClauseParts) => (p.variant ? `(${p.exact} | ${p.variant})` : p.exact);
  const not = negated.map((n) => ` & !${n}`).join("");
  const byIndex = new Map(parts.map((p) => [p.index, p]));
  const sets = query.relaxed
    .map((set) => set.map((i) => byIndex.get(i)).filter((p) => p !== undefined))
    .filter((set) => set.length > 0);
  return {
    strict: `${and(parts.map(full))}${not}`,
    positive: and(parts.map(full)),
    relaxed: parts.length > 1 && sets.length ? `${or(sets.map((set) => and(set.map(full))))}${not}` : null,
    rank: or(parts.map(full)),
    parts: parts.map(({ exact, variant, weight }) => ({ exact, variant, weight })),
    variants: parts.some((p) => p.variant !== null),
  };
}

/** Clauses the member excluded ("-Telefon"), for tsPlan's `negated`. */
export function negatedClauses(clauses: Clause[]): Clause[] {
  return clauses.filter((c) => c.negated);
}
