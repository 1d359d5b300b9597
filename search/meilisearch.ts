/**
 * The Meilisearch engine (MEILISEARCH_URL; needs Meilisearch ≥ 1.10 for localizedAttributes, `-` and "frequency").
 * Same contract as postgres.ts, through the official `meilisearch` client. Every text is indexed twice, folded with
 * fold():
 * - s_*: the text with each word replaced by its light German stem, positions kept, so phrases and synonym phrases
 *   match inflected forms ("individuellen Lernbegleitung" → "individuell lernbegleit");
 * - p_*: the distinct prefixes (≥ PREFIX_MIN_LENGTH) of its words, because Meilisearch prefix-matches only the last
 *   query word: `Lernbegleiter` → `lernbegleit`, a prefix of `lernbegleiterinnen`, wherever it stands in the query.
 * Queries send the same stems.
 */
import {
  Meilisearch,
  type EnqueuedTaskPromise,
  type MultiSearchQuery,
  type SearchResponse,
  type Settings,
} from "meilisearch";
import type { DatabaseHandle } from "../db/client.ts";
import { berlinDay } from "../app/domain/time.ts";
import { emptyFacets, emptyResult, timeRangeDays, timeRanges } from "./engine.ts";
import type { SearchDocument, SearchEngine, SearchKind, SearchRequest, SearchResult } from "./engine.ts";
import { correctedText, fold, parseQuery, positiveWords, PREFIX_MIN_LENGTH, words, type ParsedQuery } from "./query.ts";
import { buildSnippet } from "./snippet.ts";
import { loadSynonyms } from "./synonyms.ts";
import { corrections } from "./words.ts";

const BODY_CHARS = 60_000;
const EXTRA_CHARS = 200_000;
const SYNONYM_TTL_MS = 60_000;
/** Meilisearch indexes at most 65,535 positions per attribute; more prefixes would be dropped anyway. */
const MAX_PREFIXES = 20_000;
/** Well under Meilisearch's default 100 MB payload limit, which one outbox batch of long PDFs could exceed. */
const MAX_BATCH_BYTES = 20_000_000;
const TASK_TIMEOUT_MS = 120_000;
const SETTINGS_TIMEOUT_MS = 600_000;
const TEXTS = ["title", "lead", "body", "extra"] as const;
const FACETS = ["kind", "materialType", "ilbStep", "competenceArea", "audience", "room"] as const;

/** Meilisearch answers single requests in milliseconds; a request that hangs this long counts as a failure. */
const REQUEST_TIMEOUT_MS = 30_000;
/** How often a waiting write asks whether its task is done. */
const TASK_POLL_MS = 100;

type Hit = { kind: SearchKind; refId: string; title: string; url: string; text: string; date: number };
type Page = Pick<SearchResponse<Hit>, "hits" | "totalHits" | "facetDistribution">;

/** Ids allow only [A-Za-z0-9_-]: "thread:<uuid>" → "thread-<uuid>". Hits carry kind and refId, nothing maps back. */
export const toMeiliId = (key: string) => key.replace(":", "-");

/**
 * Snowball's German steps 1–3 (R1/R2 rules) on folded text. A stem shorter than PREFIX_MIN_LENGTH falls back to the
 * word: no p_* prefix is that short, and PostgreSQL expands only words of that length to prefixes.
 */
export function germanStem(word: string): string {
  if (word.length < PREFIX_MIN_LENGTH || /\d/.test(word)) return word;
  // u and y between vowels count as consonants; upper case keeps them out of the vowel class until the end.
  let w = word.replace(/([aeiouy])([uy])(?=[aeiouy])/g, (_m, v: string, c: string) => v + c.toUpperCase());
  const region = (from: number) => {
    for (let i = from + 1; i < w.length; i++) if (/[aeiouy]/.test(w[i - 1]) && !/[aeiouy]/.test(w[i])) return i + 1;
    return w.length;
  };
  const rawR1 = region(0);
  const [r1, r2] = [Math.max(3, rawR1), region(rawR1)];
  // The leftmost match of an alternation anchored at the end is the longest suffix, as Snowball's `substring` picks.
  let m = /(ern|em|er|en|es|e|s)$/.exec(w);
  if (m && m.index >= r1 && (m[1] !== "s" || /[bdfghklmnrt]$/.test(w.slice(0, m.index)))) {
    w = w.slice(0, m.index);
    if (/^e[ns]?$/.test(m[1]) && w.endsWith("niss")) w = w.slice(0, -1);
  }
  m = /(est|en|er|st)$/.exec(w);
  if (m && m.index >= r1 && (m[1] !== "st" || /^.{3,}[bdfghklmnt]$/.test(w.slice(0, m.index)))) w = w.slice(0, m.index);
  m = /(end|ung|isch|ig|ik|lich|heit|keit)$/.exec(w);
  if (m && m.index >= r2 && !(m[1].startsWith("i") && w[m.index - 1] === "e")) {
    w = w.slice(0, m.index);
    // Snowball's second deletion: "-igend/-igung" in R2, "-erlich/-enheit" in R1, "-lichkeit/-igkeit" in R2.
    const suffix = m[1];
    const next =
      suffix === "end" || suffix === "ung"
        ? /ig$/
        : suffix === "lich" || suffix === "heit"
          ? /e[rn]$/
          : suffix === "keit"
            ? /(lich|ig)$/
            : null;
    const n = next?.exec(w);
    const region = suffix === "lich" || suffix === "heit" ? r1 : r2;
    if (n && n.index >= region && !((suffix === "end" || suffix === "ung") && w[n.index - 1] === "e"))
      w = w.slice(0, n.index);
  }
  const stem = w.toLowerCase();
  return stem.length >= PREFIX_MIN_LENGTH ? stem : word;
}

const stemWords = (text: string) => words(text).map(germanStem);

/** The folded text with every word stemmed; separators stay, so positions (phrases, proximity) are kept. */
const stemmed = (text: string) => fold(text).replace(/[a-z0-9]+/g, germanStem);

/** Distinct prefixes (PREFIX_MIN_LENGTH .. length-1) of a text's folded words. */
function prefixes(text: string): string {
  const out = new Set<string>();
  for (const word of new Set(words(text))) {
    if (out.size >= MAX_PREFIXES) break;
    if (word.length <= 40) for (let n = PREFIX_MIN_LENGTH; n < word.length; n++) out.add(word.slice(0, n));
  }
  return [...out].join(" ");
}

/**
 * Synonyms: every term of a group maps to all the others, as stems like s_* and the query. Their words also go into
 * the tokenizer dictionary: Meilisearch normalizes synonyms with a detected language, not the "deu" of documents and
 * queries, so the German compound segmenter could otherwise cut a term in the index but not in the synonym list.
 * Short words only when they stand alone (abbreviations): a dictionary word is cut out of every text containing it.
 */
export function synonymSettings(groups: string[][]): { synonyms: Record<string, string[]>; dictionary: string[] } {
  const synonyms: Record<string, string[]> = {};
  const dictionary = new Set<string>();
  for (const group of groups) {
    const terms = [...new Set(group.map((t) => stemWords(t).join(" ")).filter(Boolean))];
    for (const term of terms) {
      const parts = term.split(" ");
      for (const w of parts) if (w.length >= (parts.length > 1 ? PREFIX_MIN_LENGTH : 2)) dictionary.add(w);
      const others = terms.filter((t) => t !== term);
      if (others.length > 0) synonyms[term] = [...new Set([...(synonyms[term] ?? []), ...others])];
    }
  }
  return { synonyms, dictionary: [...dictionary].sort() };
}

/**
 * q for Meilisearch, all stems. Exclusions first and always quoted (`-"stem"`): the German segmenter may cut a word
 * into pieces, and a bare `-` negates only the first one. Synonym clauses send what was typed, which Meilisearch
 * expands from the settings. The last positive word keeps Meilisearch's prefix and typo matching.
 */
export function meiliQuery(query: ParsedQuery, mode: "all" | "similar"): string {
  const negative: string[] = [];
  const positive: string[] = [];
  for (const clause of query.clauses) {
    const alt = clause.alternatives[0].map(germanStem);
    if (clause.negated) negative.push(`-"${alt.join(" ")}"`);
    else if (clause.alternatives.length > 1) positive.push(stemWords(clause.typed).join(" "));
    else positive.push(alt.length > 1 ? `"${alt.join(" ")}"` : alt[0]);
  }
  return (mode === "similar" ? positive : [...negative, ...positive]).join(" ");
}

/** A double-quoted filter value; Meilisearch's filter parser unescapes \" and \\. */
const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const secondsBefore = (now: Date, days: number) => (now.getTime() - days * 86_400_000) / 1000;

/** The filter of a search: what the viewer may read, the chosen facets and time range, and "similar"'s kinds. */
export function filterFor(request: SearchRequest, now: Date): string[] {
  const parts = [`visibility IN [${request.visibilities.map(quote).join(", ")}]`];
  for (const name of FACETS) if (request.filters[name]) parts.push(`${name} = ${quote(request.filters[name])}`);
  if (request.filters.time) parts.push(`date >= ${secondsBefore(now, timeRangeDays[request.filters.time])}`);
  if (request.mode === "similar") parts.push(`(kind IN [material, round] OR (kind = thread AND answered = true))`);
  return parts;
}

/**
 * The index settings. Title over lead over body over extra; a prefix-only match ranks just below a stem match of the
 * same text.
 */
export function indexSettings(groups: string[][]): Settings {
  const searchable = TEXTS.flatMap((t) => [`s_${t}`, `p_${t}`]);
  return {
    searchableAttributes: searchable,
    filterableAttributes: ["visibility", ...FACETS, "answered", "date"],
    sortableAttributes: ["date", "id"],
    // "sort" right after "words": sort=date orders by date as in PostgreSQL. "score" (boost, freshness) decides
    // between otherwise equal matches, like ts_rank × boost does for equal texts.
    rankingRules: ["words", "sort", "typo", "attribute", "proximity", "score:desc", "exactness"],
    localizedAttributes: [{ attributePatterns: searchable, locales: ["deu"] }],
    // Prefixes match exactly: typos on thousands of word stubs would match nearly anything.
    typoTolerance: { disableOnAttributes: TEXTS.map((t) => `p_${t}`) },
    pagination: { maxTotalHits: 100_000 },
    faceting: { maxValuesPerFacet: 1000 },
    ...synonymSettings(groups),
  };
}

/** A search document as Meilisearch stores it; `today` (a Berlin day) decides freshness as of indexing. */
export function toMeiliDocument(d: SearchDocument, today: string): Record<string, unknown> {
  const { kind, refId, visibility, title, url, room, materialType, ilbStep, competenceArea, audience, answered } = d;
  // A reply's title is its thread's: shown for context, not searched.
  const texts = {
    title: kind === "reply" ? "" : title,
    lead: d.lead,
    body: d.body.slice(0, BODY_CHARS),
    extra: d.extra.slice(0, EXTRA_CHARS),
  };
  const doc: Record<string, unknown> = {
    id: toMeiliId(d.key),
    kind,
    refId,
    visibility,
    title,
    url,
    room,
    materialType,
    ilbStep,
    competenceArea,
    audience,
    answered,
    // Original spelling for snippets, as PostgreSQL keeps it.
    text: [d.lead, d.body, d.extra]
      .filter(Boolean)
      .join("\n\n")
      .slice(0, BODY_CHARS + EXTRA_CHARS),
    date: d.date.getTime() / 1000,
    // Freshness as of indexing: a custom ranking rule cannot compare with the request's date.
    score: d.boost * (d.freshUntil && d.freshUntil >= today ? 1.2 : 1),
  };
  for (const t of TEXTS) Object.assign(doc, { [`s_${t}`]: stemmed(texts[t]), [`p_${t}`]: prefixes(texts[t]) });
  return doc;
}

/**
 * The multi-search of one request: the page of hits with the facet counts, then (not for "similar") the same search
 * narrowed to each time range, counted exhaustively without hits, for the time facet.
 */
export function searchQueries(
  index: string,
  request: SearchRequest,
  query: ParsedQuery,
  now: Date,
): MultiSearchQuery[] {
  const similar = request.mode === "similar";
  const [filter, q] = [filterFor(request, now), meiliQuery(query, similar ? "similar" : "all")];
  // "similar": any word may match; "frequency" drops the most common words first.
  const base = {
    indexUid: index,
    q,
    locales: ["deu"],
    matchingStrategy: similar ? "frequency" : "all",
  } satisfies MultiSearchQuery;
  return [
    {
      ...base,
      filter,
      page: Math.max(1, request.page),
      hitsPerPage: request.perPage, // page: exact totalHits
      attributesToRetrieve: ["kind", "refId", "title", "url", "text", "date"],
      ...(request.sort === "date" ? { sort: ["date:desc", "id:asc"] } : {}),
      ...(similar ? {} : { facets: [...FACETS] }),
    },
    ...(similar ? [] : timeRanges).map((range) => {
      const since = `date >= ${secondsBefore(now, timeRangeDays[range])}`;
      return { ...base, filter: [...filter, since], page: 1, hitsPerPage: 0 };
    }),
  ];
}

/** The answers of searchQueries() as the engine contract's result: hits with snippets, facet counts. */
export function toResult(main: Page, times: Page[], query: ParsedQuery): SearchResult {
  const facets = emptyFacets();
  for (const name of FACETS) {
    for (const [value, n] of Object.entries(main.facetDistribution?.[name] ?? {})) if (n > 0) facets[name][value] = n;
  }
  for (const [i, page] of times.entries()) if (page.totalHits) facets.time[timeRanges[i]] = page.totalHits;
  const stems = positiveWords(query).map(germanStem);
  const hits = main.hits.map(({ kind: type, refId: id, title, url, text, date }) => {
    const snippet = buildSnippet(type === "reply" ? [text] : [text, title], stems);
    return { type, id, title, url, snippet, date: new Date(Math.round(date * 1000)).toISOString() };
  });
  return { total: main.totalHits ?? 0, hits, facets, didYouMean: null };
}

/** `index` (default "search_documents") lets tests or several sites share a server. */
type Options = { url: string; apiKey?: string; index?: string };

export function createMeilisearchEngine(handle: DatabaseHandle, options: Options): SearchEngine {
  const client = new Meilisearch({ host: options.url, apiKey: options.apiKey, timeout: REQUEST_TIMEOUT_MS });
  const indexUid = options.index ?? "search_documents";
  const index = client.index<Record<string, unknown>>(indexUid);
  let synonyms: { groups: string[][]; loadedAt: number } | null = null;
  let ready: Promise<void> | null = null;

  /**
   * Writes are asynchronous tasks; waiting lets a failure throw, so the outbox keeps its entries and retries. A
   * failure with the `tolerated` code counts as done (the index that already exists).
   */
  async function settle(enqueued: EnqueuedTaskPromise, timeoutMs = TASK_TIMEOUT_MS, tolerated?: string): Promise<void> {
    const task = await enqueued.waitTask({ timeout: timeoutMs, interval: TASK_POLL_MS });
    if (task.status === "succeeded" || (task.status === "failed" && task.error?.code === tolerated)) return;
    throw new Error(`Meilisearch-Aufgabe ${task.uid} ${task.status}: ${task.error?.message ?? ""}`);
  }

  async function synonymGroups(): Promise<string[][]> {
    if (!synonyms || Date.now() - synonyms.loadedAt > SYNONYM_TTL_MS) {
      synonyms = { groups: await loadSynonyms(handle), loadedAt: Date.now() };
    }
    return synonyms.groups;
  }

  /** Index and settings, once per process; Meilisearch treats unchanged settings as a no-op. */
  function ensureReady(): Promise<void> {
    ready ??= (async () => {
      await settle(client.createIndex(indexUid, { primaryKey: "id" }), TASK_TIMEOUT_MS, "index_already_exists");
      await settle(index.updateSettings(indexSettings(await synonymGroups())), SETTINGS_TIMEOUT_MS);
    })().catch((error) => {
      ready = null; // the next call tries again
      throw error;
    });
    return ready;
  }

  async function run(request: SearchRequest, query: ParsedQuery): Promise<SearchResult> {
    const queries = searchQueries(indexUid, request, query, request.now ?? new Date());
    const [main, ...times] = (await client.multiSearch<{ queries: MultiSearchQuery[] }, Hit>({ queries })).results;
    return toResult(main, times, query);
  }

  return {
    name: "meilisearch",
    async upsert(documents) {
      if (documents.length === 0) return;
      await ensureReady();
      const today = berlinDay(new Date());
      // Documents go as JSON text in batches under MAX_BATCH_BYTES; add = add or replace: always written whole.
      let batch: string[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length > 0) await settle(index.addDocumentsFromString(`[${batch.join(",")}]`, "application/json"));
        batch = [];
        bytes = 0;
      };
      for (const d of documents) {
        const json = JSON.stringify(toMeiliDocument(d, today));
        if (bytes + json.length > MAX_BATCH_BYTES) await flush();
        batch.push(json);
        bytes += json.length;
      }
      await flush();
    },
    async remove(keys) {
      if (keys.length === 0) return;
      await ensureReady();
      await settle(index.deleteDocuments(keys.map(toMeiliId)));
    },
    async clear() {
      await ensureReady();
      await settle(index.deleteAllDocuments());
    },
    async synonymsChanged(groups) {
      synonyms = { groups, loadedAt: Date.now() };
      await ensureReady();
      // A changed dictionary re-tokenizes the index: rare (moderators' editor), and awaited like any write.
      await settle(index.updateSettings(synonymSettings(groups)), SETTINGS_TIMEOUT_MS);
    },
    async search(request) {
      if (request.visibilities.length === 0) return emptyResult();
      const groups = await synonymGroups();
      const query = parseQuery(request.q, groups);
      if (query.empty) return emptyResult();
      await ensureReady();
      const fixes = request.mode === "similar" ? new Map<number, string>() : await corrections(handle, query);
      if (fixes.size > 0) {
        // As in postgres.ts: an unknown word's nearest indexed word is searched, and offered when that finds something.
        const text = correctedText(query, fixes);
        const corrected = await run(request, parseQuery(text, groups));
        if (corrected.total > 0) return { ...corrected, didYouMean: text };
      }
      // Otherwise Meilisearch's own typo tolerance (on s_*) has its go.
      return run(request, query);
    },
  };
}
