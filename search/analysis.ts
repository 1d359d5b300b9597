/**
 * Query analysis shared by the engines (ADR 039): which words may decide a result, how much each weighs, and which
 * other spellings of a word count as the same word. Pure: the facts about the index's vocabulary come in as a
 * `Vocabulary` (search/vocabulary.ts reads them from search_words), so this is unit-tested without a database.
 *
 * - Question and filler words ("wie", "gibt es", "kann man", "für") never decide: they are dropped from what must
 *   match unless nothing else is left. Snowball's German stop word list has the umlaut spellings ("für", "können"),
 *   which folding turns into words it does not know ("fuer"), so their folded forms are listed here as well.
 * - Variants of a word: hyphenated and joined spellings are one word (E-Akte = eAkte = e-Akte), a compound is also
 *   matched by its parts anywhere in the text (Lerntherapie → Lern… and Therapie), and a word also finds the
 *   compounds that end with it (Sprechstunde → Onlinesprechstunde). Variants rank below the word as typed.
 * - Weights: the rarer a word in the index, the more it weighs (inverse document frequency). When not every word
 *   matches, documents that match half of the words (at least two) or words worth half of the query's weight are
 *   found, ranked below full matches by the weight of what they match.
 */
import type { Clause, ParsedQuery } from "./query.ts";

/** Folded question and filler words that never decide a result on their own. */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(
  (
    "wie was wo wer wen wem wessen wann warum wieso weshalb weswegen welche welcher welches welchen welchem woher " +
    "wohin womit wofuer worueber worauf wozu wodurch wobei gibt gab gibts geht es man kann kannst koennen koennte " +
    "konnte muss musst muessen soll sollte sollten darf duerfen tun macht mache viel viele vieler vielen eigentlich " +
    "genau bitte jemand irgendwie hat haben ist sind wird werden mal fuer ueber waehrend waere wuerde wuerden haette " +
    "haetten"
  ).split(" "),
);

/** Facts about the index's vocabulary (folded words of indexed text, with rough document counts). */
export interface Vocabulary {
  /** Documents in the index. */
  total: number;
  /** Rough number of documents with a word that starts with this (0: no indexed word starts with it). */
  docs: ReadonlyMap<string, number>;
  /** Indexed words, exactly. */
  exact: ReadonlySet<string>;
  /** Indexed compounds that end with this word (plus an inflection ending), most frequent first. */
  compounds: ReadonlyMap<string, string[]>;
}

export interface Variant {
  words: string[];
  /** true: the words in this order (a hyphenated or spaced spelling); false: anywhere in the text (parts). */
  phrase: boolean;
}

export interface AnalysedClause {
  clause: Clause;
  /** Other spellings and the compound's parts or wholes, each an alternative that ranks below the clause itself. */
  variants: Variant[];
  /** How much finding this clause says about a document (0 for question words that do not decide). */
  weight: number;
  decisive: boolean;
}

export interface AnalysedQuery {
  clauses: AnalysedClause[];
  /** Sets of decisive clauses (by index in `clauses`) any one of which is enough for a relaxed match. */
  relaxed: number[][];
}

/** Parts shorter than this are not split off (except a one- or two-letter head before a hyphen: e-Akte). */
const MIN_PART = 3;
/** Words shorter than this are not split into parts. */
const MIN_SPLIT = 7;
const MAX_SPLITS = 2;
const HEAD_ENDINGS = ["", "e", "en", "n"];
/** Only the weightiest clauses decide a relaxed match (the others still rank); bounds the sets to C(6,3) = 20. */
const RELAXED_CLAUSES = 6;
/** A relaxed match needs words worth at least this share of the query's weight. */
export const RELAXED_SHARE = 0.5;

/** Words a clause could be split into, for the vocabulary lookup: every head and tail of its single words. */
export function pieces(query: ParsedQuery): string[] {
  const out = new Set<string>();
  for (const clause of query.clauses) {
    if (clause.negated) continue;
    for (const alternative of clause.alternatives) {
      for (const word of alternative) {
        out.add(word);
        for (const [head, tail] of splits(word)) {
          out.add(head);
          out.add(tail);
        }
      }
      if (alternative.length > 1) out.add(alternative.join(""));
    }
  }
  return [...out];
}

/** Candidate splits of a word into head and tail, with a linking "s" dropped from the head (Zugriffs|zahlen). */
export function splits(word: string): [string, string][] {
  if (word.length < MIN_SPLIT || /\d/.test(word)) return [];
  const out: [string, string][] = [];
  for (let i = MIN_PART; i <= word.length - MIN_PART; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    out.push([head, tail]);
    if (head.endsWith("s") && head.length > MIN_PART) out.push([head.slice(0, -1), tail]);
  }
  return out;
}

/**
 * Splits of a word into two parts the index knows, best first: the tail must be an indexed word or the start of
 * one, as must the head; three-letter parts must be indexed words exactly ("Kick|off"). Balanced splits win, and a
 * compound of three parts gets two ("Lern|gesprächsführung", "Lerngesprächs|führung").
 */
export function decompose(word: string, vocabulary: Vocabulary, max = MAX_SPLITS): [string, string][] {
  // A head is a word of its own, or the stem of one ("lern" of "lernen"): merely starting indexed words is not
  // enough ("lernbeg|leitung"). A tail may be inflected in the index ("sprechstunde" of "sprechstunden").
  const head = (part: string) => HEAD_ENDINGS.some((ending) => vocabulary.exact.has(part + ending));
  const tail = (part: string) =>
    part.length > MIN_PART ? (vocabulary.docs.get(part) ?? 0) > 0 : vocabulary.exact.has(part);
  const ranked = splits(word)
    .filter(([h, t]) => head(h) && tail(t))
    .map((split) => ({ split, score: Math.min(split[0].length, split[1].length) * 100 + split[1].length }))
    .sort((a, b) => b.score - a.score);
  // Different splits, not one split with and without its linking "s".
  const tails = new Set<string>();
  return ranked
    .filter(({ split }) => !tails.has(split[1]) && tails.add(split[1]))
    .slice(0, max)
    .map((s) => s.split);
}

export function decompound(word: string, vocabulary: Vocabulary): [string, string] | null {
  return decompose(word, vocabulary, 1)[0] ?? null;
}

function variantsOf(clause: Clause, vocabulary: Vocabulary): Variant[] {
  const out: Variant[] = [];
  const seen = new Set(clause.alternatives.map((a) => a.join(" ")));
  const add = (variant: Variant) => {
    const key = variant.words.join(" ");
    if (seen.has(key)) return;
    seen.add(key);
    out.push(variant);
  };
  for (const alternative of clause.alternatives) {
    if (alternative.length > 1) {
      // "E-Akte", "Online-Sprechstunde" typed with a hyphen: the joined spelling is the same word.
      if (alternative.length <= 3) add({ words: [alternative.join("")], phrase: true });
      continue;
    }
    const [word] = alternative;
    // Joined as typed ("eAkte", "Onlinesprechstunde"): the parts anywhere (hyphenated, apart or in other words).
    for (const split of decompose(word, vocabulary)) add({ words: split, phrase: false });
    for (const compound of vocabulary.compounds.get(word) ?? []) add({ words: [compound], phrase: true });
  }
  return out;
}

/** Inverse document frequency, from the vocabulary's rough counts. */
function weightOf(clause: Clause, vocabulary: Vocabulary): number {
  const counts = clause.alternatives.map((alt) => Math.max(...alt.map((w) => vocabulary.docs.get(w) ?? 0)));
  const docs = Math.min(
    vocabulary.total,
    counts.reduce((a, b) => a + b, 0),
  );
  return Math.log(1 + (vocabulary.total + 1) / (docs + 1));
}

function isQuestionWord(clause: Clause): boolean {
  return clause.correctable && clause.alternatives.length === 1 && QUESTION_WORDS.has(clause.alternatives[0][0]);
}

/**
 * `stopWord` tells the engine's own stop words (PostgreSQL's german configuration drops "die", "bei", "nicht"):
 * a clause of stop words only cannot decide either.
 */
export function analyse(
  query: ParsedQuery,
  vocabulary: Vocabulary,
  stopWord: (word: string) => boolean = () => false,
): AnalysedQuery {
  const stop = (clause: Clause) => clause.alternatives.every((alt) => alt.every(stopWord));
  const positive = query.clauses.filter((c) => !c.negated && !stop(c));
  const questionOnly = positive.every(isQuestionWord);
  const clauses = positive.map((clause) => {
    const decisive = questionOnly || !isQuestionWord(clause);
    return {
      clause,
      variants: decisive ? variantsOf(clause, vocabulary) : [],
      weight: decisive ? weightOf(clause, vocabulary) : 0,
      decisive,
    };
  });
  return { clauses, relaxed: relaxedSets(clauses) };
}

/**
 * The smallest sets of decisive clauses that make "most of the query": half of its clauses (at least two), or words
 * worth RELAXED_SHARE of its weight. A document matching any of them is a relaxed match; the ranking then weighs what
 * it matched. Only the weightiest clauses take part, so the sets stay few (at most C(6,3) = 20).
 */
export function relaxedSets(clauses: Pick<AnalysedClause, "weight" | "decisive">[]): number[][] {
  const ranked = clauses
    .map((c, index) => ({ index, weight: c.weight, decisive: c.decisive }))
    .filter((c) => c.decisive)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .slice(0, RELAXED_CLAUSES);
  if (ranked.length < 2) return [];
  const needed = RELAXED_SHARE * ranked.reduce((sum, c) => sum + c.weight, 0);
  const half = Math.max(2, Math.ceil(ranked.length / 2));
  const sets: number[][] = [];
  const walk = (start: number, chosen: typeof ranked, weight: number) => {
    if (weight >= needed || chosen.length >= half) {
      sets.push(chosen.map((c) => c.index).sort((a, b) => a - b));
      return;
    }
    for (let i = start; i < ranked.length; i++) walk(i + 1, [...chosen, ranked[i]], weight + ranked[i].weight);
  };
  walk(0, [], 0);
  // Minimal sets only: a set that contains another adds nothing to an OR of ANDs.
  return sets.filter((s) => !sets.some((t) => t !== s && t.length < s.length && t.every((i) => s.includes(i))));
}
