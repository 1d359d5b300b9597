/**
 * Turning what a member typed into engine-neutral clauses. Pure: no I/O, unit-tested.
 *
 * German spelling is folded the same way for documents and queries (ä → ae, ß → ss, other accents dropped), so
 * `Ueberlastung` finds `Überlastung` on both PostgreSQL versions without relying on a dictionary.
 */

/** Queries longer than this are cut: nobody types more into a search box, and it bounds the work per request. */
export const MAX_QUERY_CHARS = 200;
export const MAX_CLAUSES = 10;

export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
}

/** Folded words of a text: letters and digits only, which also makes them safe inside a tsquery. */
export function words(text: string): string[] {
  return fold(text).match(/[a-z0-9]+/g) ?? [];
}

/** One condition of the query: any of the alternatives (each a sequence of words, matched as a phrase). */
export interface Clause {
  alternatives: string[][];
  negated: boolean;
  /** A single typed word, not quoted and not a synonym: it may be corrected when the index does not know it. */
  correctable: boolean;
  /** What the member typed for this clause, to rebuild the query for "Meintest du …?". */
  typed: string;
}

export interface ParsedQuery {
  clauses: Clause[];
  /** True when nothing searchable is left (empty, only operators, only exclusions). */
  empty: boolean;
}

/** Each synonym group lists equivalent terms, e.g. ["iLB", "individuelle Lernbegleitung"]. */
export type SynonymGroups = string[][];

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
}

function tokenize(input: string): Token[] {
  const text = input.replace(/\0/g, "").slice(0, MAX_QUERY_CHARS);
  const tokens: Token[] = [];
  // A quote without its partner still starts a phrase that runs to the end of the input.
  const pattern = /(-?)"([^"]*)"?|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[2] !== undefined) {
      tokens.push({ text: match[2], quoted: true, negated: match[1] === "-" });
    } else {
      const raw = match[3];
      const negated = raw.startsWith("-") && raw.length > 1;
      tokens.push({ text: negated ? raw.slice(1) : raw, quoted: false, negated });
    }
  }
  return tokens;
}

/** Synonym groups as folded word sequences, longest first so that "SGB III" wins over "SGB". */
function prepareSynonyms(groups: SynonymGroups): string[][][] {
  return groups.map((group) => group.map(words).filter((w) => w.length > 0)).filter((group) => group.length > 1);
}

export function parseQuery(input: string, synonymGroups: SynonymGroups = []): ParsedQuery {
  const synonyms = prepareSynonyms(synonymGroups);
  const clauses: Clause[] = [];
  const plain: { word: string; typed: string }[] = [];

  const flushPlain = () => {
    let i = 0;
    while (i < plain.length) {
      const match = longestSynonymAt(
        plain.map((p) => p.word),
        i,
        synonyms,
      );
      if (match) {
        clauses.push({
          alternatives: match.group,
          negated: false,
          correctable: false,
          typed: plain
            .slice(i, i + match.length)
            .map((p) => p.typed)
            .join(" "),
        });
        i += match.length;
      } else {
        clauses.push({ alternatives: [[plain[i].word]], negated: false, correctable: true, typed: plain[i].typed });
        i += 1;
      }
    }
    plain.length = 0;
  };

  for (const token of tokenize(input)) {
    const tokenWords = words(token.text);
    if (tokenWords.length === 0) continue;
    if (token.quoted || token.negated) {
      flushPlain();
      clauses.push({ alternatives: [tokenWords], negated: token.negated, correctable: false, typed: token.text });
    } else if (tokenWords.length === 1) {
      plain.push({ word: tokenWords[0], typed: token.text });
    } else {
      // "SGB-II" or "E-Akte": written as one token, searched as the words in order.
      flushPlain();
      clauses.push({ alternatives: [tokenWords], negated: false, correctable: false, typed: token.text });
    }
  }
  flushPlain();

  const limited = clauses.slice(0, MAX_CLAUSES);
  return { clauses: limited, empty: !limited.some((c) => !c.negated) };
}

function longestSynonymAt(
  plain: string[],
  start: number,
  synonyms: string[][][],
): { group: string[][]; length: number } | null {
  let best: { group: string[][]; length: number } | null = null;
  for (const group of synonyms) {
    for (const term of group) {
      if (term.length <= (best?.length ?? 0) || start + term.length > plain.length) continue;
      if (term.every((w, k) => plain[start + k] === w)) best = { group, length: term.length };
    }
  }
  return best;
}

/** Positive words of a query (with synonyms), for highlighting and "similar" searches. */
export function positiveWords(query: ParsedQuery): string[] {
  const out = new Set<string>();
  for (const clause of query.clauses) {
    if (clause.negated) continue;
    for (const alternative of clause.alternatives) for (const word of alternative) out.add(word);
  }
  return [...out];
}

/** The query with corrected words, as the member would type it ("Meintest du …?"). */
export function correctedText(query: ParsedQuery, corrections: Map<number, string>): string {
  return query.clauses
    .map((clause, index) => {
      const fix = corrections.get(index);
      if (fix) return inCaseOf(clause.typed, fix);
      if (clause.negated) return `-${clause.typed.includes(" ") ? `"${clause.typed}"` : clause.typed}`;
      return clause.alternatives.length === 1 && clause.alternatives[0].length > 1 && !clause.typed.includes("-")
        ? `"${clause.typed}"`
        : clause.typed;
    })
    .join(" ");
}

/**
 * A correction written as the member wrote the word: the word list is folded and lower-case, but "Lernbegleitng"
 * should be offered as "Lernbegleitung" and "ILB" as upper case.
 */
function inCaseOf(typed: string, fix: string): string {
  const letters = typed.replace(/[^\p{L}]/gu, "");
  if (letters.length > 1 && letters === letters.toUpperCase()) return fix.toUpperCase();
  if (letters && letters[0] === letters[0].toUpperCase() && letters[0] !== letters[0].toLowerCase())
    return fix[0].toUpperCase() + fix.slice(1);
  return fix;
}

/** Words shorter than this are matched exactly; longer ones also as prefixes (German inflection and compounds). */
export const PREFIX_MIN_LENGTH = 4;
