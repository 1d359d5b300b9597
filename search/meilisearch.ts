/**
 * The Meilisearch engine (MEILISEARCH_URL, Meilisearch ≥ 1.10: localizedAttributes, `-` operator, "frequency").
 * Same contract as postgres.ts. Documents and queries are folded with fold(); because Meilisearch prefix-matches only
 * the last query word, each text also gets a p_* field with the prefixes (≥ PREFIX_MIN_LENGTH) of its words, and the
 * query sends a light German stem of each word: `Lernbegleiter` → `lernbegleit`, an indexed prefix of
 * `lernbegleiterinnen`, wherever it stands in the query. Plain fetch, no client dependency.
 */
import type { DatabaseHandle } from "../db/client.ts";
import {
  emptyFacets,
  emptyResult,
  timeRangeDays,
  timeRanges,
  type FacetName,
  type SearchDocument,
  type SearchEngine,
  type SearchKind,
  type SearchRequest,
  type SearchResult,
} from "./engine.ts";
import { correctedText, fold, parseQuery, positiveWords, PREFIX_MIN_LENGTH, words, type ParsedQuery } from "./query.ts";
import { buildSnippet } from "./snippet.ts";
import { loadSynonyms } from "./synonyms.ts";
import { corrections } from "./words.ts";

const BODY_CHARS = 60_000;
const EXTRA_CHARS = 200_000;
const SYNONYM_TTL_MS = 60_000;
/** Meilisearch indexes at most 65,535 positions per attribute; prefixes beyond this many would be dropped anyway. */
const MAX_PREFIXES = 20_000;
/** Well under the default 100 MB payload limit; one outbox batch of long PDFs can exceed it. */
const MAX_BATCH_BYTES = 20_000_000;
const TASK_TIMEOUT_MS = 120_000;
const SETTINGS_TIMEOUT_MS = 600_000;
const TEXTS = ["title", "lead", "body", "extra"] as const;
const FACETS = ["kind", "materialType", "ilbStep", "competenceArea", "audience", "room"] as const;

interface Task {
  taskUid: number;
}
interface Hit {
  kind: SearchKind;
  refId: string;
  title: string;
  url: string;
  text: string;
  date: number;
}
interface Page {
  hits: Hit[];
  totalHits?: number;
  facetDistribution?: Record<string, Record<string, number>>;
}

/** Document ids allow only [A-Za-z0-9_-]; "thread:<uuid>" becomes "thread-<uuid>" (kinds contain no "-"). */
export const toMeiliId = (key: string) => key.replace(":", "-");
export const fromMeiliId = (id: string) => id.replace("-", ":");

/**
 * Snowball's German steps 1–3 (R1/R2 rules) on folded text. Stems shorter than PREFIX_MIN_LENGTH fall back to the
 * word: no p_* prefix is that short, and PostgreSQL also matches such words only from four letters on.
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
  const r1 = Math.max(3, rawR1);
  const r2 = region(rawR1);
  let m = /(ern|em|er|en|es|e|s)$/.exec(w);
  if (m && m.index >= r1 && (m[1] !== "s" || /[bdfghklmnrt]$/.test(w.slice(0, m.index)))) {
    w = w.slice(0, m.index);
    if (/^e[ns]?$/.test(m[1]) && w.endsWith("niss")) w = w.slice(0, -1);
  }
  m = /(est|en|er|st)$/.exec(w);
  if (m && m.index >= r1 && (m[1] !== "st" || /^.{3,}[bdfghklmnt]$/.test(w.slice(0, m.index)))) w = w.slice(0, m.index);
  m = /(end|ung|isch|ig|ik|lich|heit|keit)$/.exec(w);
  if (m && m.index >= r2 && !(m[1].startsWith("i") && w[m.index - 1] === "e")) w = w.slice(0, m.index);
  const stem = w.toLowerCase();
  return stem.length >= PREFIX_MIN_LENGTH ? stem : word;
}

/** Distinct prefixes (PREFIX_MIN_LENGTH .. length-1) of a text's folded words; the whole words are in f_*. */
function prefixes(text: string): string {
  const out = new Set<string>();
  for (const word of new Set(words(text))) {
    if (out.size >= MAX_PREFIXES) break;
    if (word.length <= 40) for (let n = PREFIX_MIN_LENGTH; n < word.length; n++) out.add(word.slice(0, n));
  }
  return [...out].join(" ");
}

/** Every term of a group maps to all the others, folded like the documents. */
export function synonymSettings(groups: string[][]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of groups) {
    const terms = [...new Set(group.map((t) => words(t).join(" ")).filter(Boolean))];
    for (const term of terms) {
      const others = terms.filter((t) => t !== term);
      if (others.length > 0) map[term] = [...new Set([...(map[term] ?? []), ...others])];
    }
  }
  return map;
}

/**
 * q for Meilisearch. Exclusions first, as quoted phrases (`-"stem"`): the German segmenter may split a word into
 * pieces and `-` only negates the next piece. Then positives: typed words of synonym clauses (Meilisearch applies the
 * synonyms), phrases unstemmed, single words stemmed; the last one keeps Meilisearch's prefix and typo matching.
 */
export function meiliQuery(query: ParsedQuery, mode: "all" | "similar"): string {
  const negative: string[] = [];
  const positive: string[] = [];
  for (const clause of query.clauses) {
    const alt = clause.alternatives[0];
    if (clause.negated) negative.push(`-"${alt.length === 1 ? germanStem(alt[0]) : alt.join(" ")}"`);
    else if (clause.alternatives.length > 1) positive.push(words(clause.typed).join(" "));
    else positive.push(alt.length > 1 ? `"${alt.join(" ")}"` : germanStem(alt[0]));
  }
  return (mode === "similar" ? positive : [...negative, ...positive]).join(" ");
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function secondsBefore(now: Date, days: number): number {
  return (now.getTime() - days * 86_400_000) / 1000;
}

function filterFor(request: SearchRequest, now: Date): string[] {
  const parts = [`visibility IN [${request.visibilities.map(quote).join(", ")}]`];
  for (const name of FACETS) {
    const value = request.filters[name];
    if (value) parts.push(`${name} = ${quote(value)}`);
  }
  if (request.filters.time) parts.push(`date >= ${secondsBefore(now, timeRangeDays[request.filters.time])}`);
  if (request.mode === "similar") parts.push(`(kind IN ["material", "round"] OR (kind = "thread" AND answered = true))`);
  return parts;
}

export function createMeilisearchEngine(
  handle: DatabaseHandle,
  options: { url: string; apiKey?: string; index?: string },
): SearchEngine {
  const base = options.url.replace(/\/+$/, "");
  const index = options.index ?? "search_documents";
  let synonyms: { groups: string[][]; loadedAt: number } | null = null;
  let ready: Promise<void> | null = null;

  async function call<T>(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
    const response = await fetch(base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(`Meilisearch ${method} ${path}: ${response.status} ${data?.message ?? text}`);
    return data as T;
  }

  /** Writes are asynchronous tasks; waiting lets a failure throw, so the outbox keeps the entries and retries. */
  async function done(task: Task, timeoutMs = TASK_TIMEOUT_MS, tolerated?: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      const t = await call<{ status: string; error?: { message?: string; code?: string } | null }>("GET", `/tasks/${task.taskUid}`);
      if (t.status === "succeeded" || (t.status === "failed" && t.error?.code === tolerated)) return;
      if (t.status === "failed" || t.status === "canceled") {
        throw new Error(`Meilisearch-Aufgabe ${task.taskUid} ${t.status}: ${t.error?.message ?? ""}`);
      }
      if (Date.now() > deadline) throw new Error(`Meilisearch-Aufgabe ${task.taskUid} nicht fertig nach ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async function synonymGroups(): Promise<string[][]> {
    if (!synonyms || Date.now() - synonyms.loadedAt > SYNONYM_TTL_MS) {
      synonyms = { groups: await loadSynonyms(handle), loadedAt: Date.now() };
    }
    return synonyms.groups;
  }

  /** Index and settings, once per process; PATCHing unchanged settings is a no-op for Meilisearch. */
  function ensureReady(): Promise<void> {
    ready ??= (async () => {
      await done(await call<Task>("POST", "/indexes", { uid: index, primaryKey: "id" }), TASK_TIMEOUT_MS, "index_already_exists");
      const searchable = TEXTS.flatMap((t) => [`f_${t}`, `p_${t}`]);
      const settings = {
        // Title over lead over body over extra; a prefix match ranks just below a whole-word match of its text.
        searchableAttributes: searchable,
        filterableAttributes: ["visibility", ...FACETS, "answered", "date"],
        sortableAttributes: ["date", "id"],
        // "sort" right after "words": sort=date orders by date like PostgreSQL; the score only breaks ties.
        rankingRules: ["words", "sort", "typo", "attribute", "proximity", "score:desc", "exactness"],
        localizedAttributes: [{ attributePatterns: searchable, locales: ["deu"] }],
        // Prefix fields match only exactly: typos on thousands of word stubs would match nearly anything.
        typoTolerance: { disableOnAttributes: TEXTS.map((t) => `p_${t}`) },
        pagination: { maxTotalHits: 100_000 },
        faceting: { maxValuesPerFacet: 1000 },
        synonyms: synonymSettings(await synonymGroups()),
      };
      await done(await call<Task>("PATCH", `/indexes/${index}/settings`, settings), SETTINGS_TIMEOUT_MS);
    })().catch((error) => {
      ready = null; // next call tries again
      throw error;
    });
    return ready;
  }

  function toMeili(d: SearchDocument, today: string) {
    const texts = { title: d.title, lead: d.lead, body: d.body.slice(0, BODY_CHARS), extra: d.extra.slice(0, EXTRA_CHARS) };
    const doc: Record<string, unknown> = {
      id: toMeiliId(d.key),
      kind: d.kind,
      refId: d.refId,
      visibility: d.visibility,
      title: d.title,
      text: [d.lead, d.body, d.extra].filter(Boolean).join("\n\n").slice(0, BODY_CHARS + EXTRA_CHARS),
      url: d.url,
      room: d.room,
      materialType: d.materialType,
      ilbStep: d.ilbStep,
      competenceArea: d.competenceArea,
      audience: d.audience,
      answered: d.answered,
      date: d.date.getTime() / 1000,
      // Freshness as of indexing: custom ranking rules cannot compare with the request's date.
      score: d.boost * (d.freshUntil && d.freshUntil >= today ? 1.2 : 1),
    };
    for (const t of TEXTS) {
      doc[`f_${t}`] = fold(texts[t]);
      doc[`p_${t}`] = prefixes(texts[t]);
    }
    return doc;
  }

  function baseQuery(request: SearchRequest, query: ParsedQuery, now: Date) {
    const mode = request.mode ?? "all";
    return {
      indexUid: index,
      q: meiliQuery(query, mode),
      filter: filterFor(request, now),
      locales: ["deu"],
      // "similar": any word may match; "frequency" drops the most common words first.
      matchingStrategy: mode === "similar" ? "frequency" : "all",
    };
  }

  async function multi(queries: object[]): Promise<Page[]> {
    return (await call<{ results: Page[] }>("POST", "/multi-search", { queries })).results;
  }

  async function count(request: SearchRequest, query: ParsedQuery): Promise<number> {
    const [page] = await multi([{ ...baseQuery(request, query, request.now ?? new Date()), page: 1, hitsPerPage: 0 }]);
    return page.totalHits ?? 0;
  }

  async function run(request: SearchRequest, query: ParsedQuery, highlight: ParsedQuery = query): Promise<SearchResult> {
    const now = request.now ?? new Date();
    const base = baseQuery(request, query, now);
    const withFacets = request.mode !== "similar";
    const [main, ...times] = await multi([
      {
        ...base,
        page: Math.max(1, request.page),
        hitsPerPage: request.perPage,
        attributesToRetrieve: ["kind", "refId", "title", "url", "text", "date"],
        ...(request.sort === "date" ? { sort: ["date:desc", "id:asc"] } : {}),
        ...(withFacets ? { facets: [...FACETS] } : {}),
      },
      // Time facet counts: the same search narrowed to each range, counted exhaustively (hitsPerPage 0).
      ...(withFacets
        ? timeRanges.map((range) => ({
            ...base,
            filter: [...base.filter, `date >= ${secondsBefore(now, timeRangeDays[range])}`],
            page: 1,
            hitsPerPage: 0,
          }))
        : []),
    ]);
    const facets = emptyFacets();
    for (const name of FACETS) {
      for (const [value, n] of Object.entries(main.facetDistribution?.[name] ?? {})) if (n > 0) facets[name as FacetName][value] = n;
    }
    timeRanges.forEach((range, i) => {
      const n = times[i]?.totalHits ?? 0;
      if (n > 0) facets.time[range] = n;
    });
    const stems = positiveWords(highlight).map(germanStem);
    const hits = main.hits.map((h) => ({
      type: h.kind,
      id: h.refId,
      title: h.title,
      url: h.url,
      snippet: buildSnippet([h.text, h.title], stems),
      date: new Date(Math.round(h.date * 1000)).toISOString(),
    }));
    return { total: main.totalHits ?? 0, hits, facets, didYouMean: null };
  }

  return {
    name: "meilisearch",

    async upsert(documents) {
      if (documents.length === 0) return;
      await ensureReady();
      const today = new Date().toISOString().slice(0, 10);
      let batch: string[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await done(await call<Task>("POST", `/indexes/${index}/documents?primaryKey=id`, `[${batch.join(",")}]`));
        batch = [];
        bytes = 0;
      };
      for (const d of documents) {
        const json = JSON.stringify(toMeili(d, today));
        if (bytes + json.length > MAX_BATCH_BYTES) await flush();
        batch.push(json);
        bytes += json.length;
      }
      await flush();
    },

    async remove(keys) {
      if (keys.length === 0) return;
      await ensureReady();
      await done(await call<Task>("POST", `/indexes/${index}/documents/delete-batch`, keys.map(toMeiliId)));
    },

    async clear() {
      await ensureReady();
      await done(await call<Task>("DELETE", `/indexes/${index}/documents`));
    },

    async synonymsChanged(groups) {
      synonyms = { groups, loadedAt: Date.now() };
      await ensureReady();
      await done(await call<Task>("PUT", `/indexes/${index}/settings/synonyms`, synonymSettings(groups)), SETTINGS_TIMEOUT_MS);
    },

    async search(request) {
      if (request.visibilities.length === 0) return emptyResult();
      const groups = await synonymGroups();
      const query = parseQuery(request.q, groups);
      if (query.empty) return emptyResult();
      await ensureReady();
      const fixes = request.mode === "similar" ? new Map<number, string>() : await corrections(handle, query);
      if (fixes.size === 0) return run(request, query);
      // Meilisearch's typo tolerance already finds most of these; the correction is offered only when it has hits,
      // and its results replace an empty result (typos on short words or compound pieces go unmatched).
      const text = correctedText(query, fixes);
      const corrected = parseQuery(text, groups);
      const [result, hits] = await Promise.all([run(request, query, corrected), count(request, corrected)]);
      if (hits === 0) return result;
      return { ...(result.total > 0 ? result : await run(request, corrected)), didYouMean: text };
    },
  };
}
