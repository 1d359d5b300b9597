/**
 * The default engine: PostgreSQL full-text search (german stemming over folded text, prefix-expanded so that
 * `Lernbegleiter` finds `Lernbegleiterinnen` on PostgreSQL 15 as on PGlite's 18) plus a trigram word list that
 * corrects unknown words before the full-text query runs (trigram matching over bodies would take seconds).
 */
import { sql, type SQL } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import {
  emptyFacets,
  emptyResult,
  timeRangeDays,
  type FacetName,
  type TimeRange,
  type SearchDocument,
  type SearchEngine,
  type SearchRequest,
  type SearchResult,
} from "./engine.ts";
import { correctedText, fold, parseQuery, PREFIX_MIN_LENGTH, type Clause, type ParsedQuery } from "./query.ts";
import { createFacetSets, type FacetValues } from "./facet-sets.ts";
import { buildSnippet } from "./snippet.ts";
import { loadSynonyms } from "./synonyms.ts";
import { corrections } from "./words.ts";
import { pgArray } from "./sql.ts";
import { analyse, decompound, QUESTION_WORDS, type AnalysedQuery, type Vocabulary } from "./analysis.ts";
import { createVocabulary } from "./vocabulary.ts";
import { tsPlan, type TsPlan } from "./postgres-plan.ts";

const BODY_CHARS = 60_000;
/**
 * The head vector holds the title and the start of the lead: small enough to stay in the row, so that ranking the
 * head matches of a common word reads no out-of-line data (long material summaries made it 2.5 KB and 20 ms).
 * The whole lead is in the full vector with the same weight.
 */
const HEAD_LEAD_CHARS = 240;
const EXTRA_CHARS = 200_000;
const SYNONYM_TTL_MS = 60_000;
/** Up to this many matches every one is ranked; beyond, only the best candidates (see run()). */
const RANK_ALL = 1000;
/**
 * How many head matches and how many of the newest matches are ranked. Ranking reads each candidate's whole tsvector
 * (out of line, 5-35 KB): 100 + 100 candidates cost about a third of what 300 + 300 did, for the same first pages.
 */
const CANDIDATES = 100;

/** Each folded query word's lexemes as the index has them (none for a stop word), from to_tsvector('german'). */
export type Stems = Map<string, string[]>;

interface Lexeme {
  text: string;
  prefix: boolean;
  /** Positions after the previous lexeme of the phrase (stop words in between count). */
  distance: number;
}

function lexemeSequence(words: string[], stems: Stems): Lexeme[] {
  const out: Lexeme[] = [];
  let gap = 0;
  for (const word of words) {
    const lexemes = stems.get(word) ?? [];
    if (lexemes.length === 0) {
      gap++;
      continue;
    }
    for (const lexeme of lexemes) {
      const prefix = word.length >= PREFIX_MIN_LENGTH;
      // The german stemmer keeps the plural "s" of loanwords after most consonants ("workshops", "podcasts"), so the
      // singular in a text would not start with it; as a prefix, the word without it finds both.
      const text =
        prefix && lexeme.length > 5 && /[^aeiou]s$/.test(lexeme) && !/ss$/.test(lexeme) ? lexeme.slice(0, -1) : lexeme;
      out.push({ text, prefix, distance: out.length ? 1 + gap : 1 });
      gap = 0;
    }
  }
  return out;
}

const operand = (l: Lexeme) => `'${l.text}'${l.prefix ? ":*" : ""}`;

/**
 * One alternative (a word or a phrase) as tsquery text. A phrase of adjacent words is matched through its word-pair
 * lexemes ('~p:kollegial_fallberat', stored with every document, see search_word_pairs): the index answers those
 * without reading each candidate's positions, which is what makes phrases slow. Inside quotes the words count as
 * typed (by stem); only the last one may also be the start of a longer word. Phrases with stop words inside fall
 * back to position checks.
 */
function alternativeQuery(words: string[], stems: Stems): string | null {
  const lexemes = lexemeSequence(words, stems);
  if (lexemes.length === 0) return null;
  if (lexemes.length === 1) return `(${operand(lexemes[0])})`;
  const positional = lexemes.map((l, i) => (i === 0 ? operand(l) : `<${l.distance}> ${operand(l)}`)).join(" ");
  if (lexemes.some((l, i) => i > 0 && l.distance !== 1)) return `(${positional})`;
  const pairs = lexemes
    .slice(1)
    .map((l, i) => `'~p:${lexemes[i].text}_${l.text}'${i === lexemes.length - 2 && l.prefix ? ":*" : ""}`);
  // Pairs alone cannot tell "a b c" from "a b … b c"; for three words and more the positions decide among them.
  return lexemes.length === 2 ? `(${pairs[0]})` : `(${pairs.join(" & ")} & (${positional}))`;
}

/**
 * Alternatives without repeats and without prefixes that a shorter prefix already covers: synonyms often stem alike
 * ("Lernbegleiter", "Lernbegleitung" → 'lernbegleit':*), and every operand is one more walk through the index.
 */
function distinctAlternatives(alternatives: string[]): string[] {
  const prefixOf = (a: string) => /^\('([^']+)':\*\)$/.exec(a)?.[1];
  const prefixes = alternatives.map(prefixOf).filter((p): p is string => p !== undefined);
  const kept = alternatives.filter((a) => {
    const own = prefixOf(a);
    return own === undefined || !prefixes.some((p) => p !== own && own.startsWith(p));
  });
  return [...new Set(kept)];
}

function clauseQuery(clause: Clause, stems: Stems): string | null {
  const alternatives = distinctAlternatives(
    clause.alternatives.map((alt) => alternativeQuery(alt, stems)).filter((a): a is string => a !== null),
  );
  if (alternatives.length === 0) return null;
  const joined = alternatives.length > 1 ? `(${alternatives.join(" | ")})` : alternatives[0];
  return clause.negated ? `!${joined}` : joined;
}

/**
 * The query as a tsquery literal of index lexemes (words are letters and digits only, so it is safe). Clauses of stop
 * words only drop out, as to_tsquery would drop them; null when nothing positive is left.
 */
export function toTsquery(query: ParsedQuery, mode: "all" | "similar", stems: Stems): string | null {
  if (mode === "similar") {
    const positive = query.clauses
      .filter((c) => !c.negated)
      .flatMap((c) => c.alternatives.map((alt) => alternativeQuery(alt, stems)));
    const kept = positive.filter((a): a is string => a !== null);
    return kept.length ? kept.join(" | ") : null;
  }
  const parts = query.clauses
    .map((c) => ({ negated: c.negated, text: clauseQuery(c, stems) }))
    .filter((p) => p.text !== null);
  if (!parts.some((p) => !p.negated)) return null;
  return parts.map((p) => p.text).join(" & ");
}

/** The facets with values of their own, and their columns in search_documents. */
const valueFacetColumns = {
  kind: "kind",
  materialType: "material_type",
  ilbStep: "ilb_step",
  competenceArea: "competence_area",
  audience: "audience",
  room: "room",
} as const satisfies Partial<Record<FacetName, string>>;
const valueFacets = Object.keys(valueFacetColumns) as (keyof typeof valueFacetColumns)[];

/** Whether a group of matches passes the viewer's visibility and the filters (as facetFilters() for rows). */
function passes(values: FacetValues, request: SearchRequest): boolean {
  return (
    request.visibilities.includes(values.visibility) &&
    valueFacets.every((name) => !request.filters[name] || values[name] === request.filters[name])
  );
}

export function createPostgresEngine(handle: DatabaseHandle): SearchEngine {
  const facetSets = createFacetSets(handle);
  let synonyms: { groups: string[][]; loadedAt: number } | null = null;
  /** Stemming never changes for a word: asked once per word and process (bounded). */
  const stemCache: Stems = new Map();
  const vocabularyOf = createVocabulary(handle);

  async function stemsFor(query: ParsedQuery, analysed: AnalysedQuery | null): Promise<Stems> {
    const variantWords = analysed?.clauses.flatMap((c) => c.variants.flatMap((v) => v.words)) ?? [];
    const wanted = [...new Set([...query.clauses.flatMap((c) => c.alternatives.flat()), ...variantWords])];
    const missing = wanted.filter((w) => !stemCache.has(w));
    if (missing.length) {
      const rows = await handle.rows<{ w: string; v: string }>(
        sql`SELECT w, to_tsvector('german', w)::text AS v FROM unnest(${pgArray(missing)}::text[]) AS w`,
      );
      if (stemCache.size > 50_000) stemCache.clear();
      // "'lernbegleit':1" → ["lernbegleit"]; a stop word gives "".
      for (const row of rows)
        stemCache.set(
          row.w,
          [...row.v.matchAll(/'([^']+)':(\d+)/g)].sort((a, b) => Number(a[2]) - Number(b[2])).map((m) => m[1]),
        );
    }
    return new Map(wanted.map((w) => [w, stemCache.get(w) ?? []]));
  }

  /** The query analysed (ADR 039), with the german configuration's stop words (no lexemes) as stop words. */
  async function analysed(query: ParsedQuery, vocabulary: Vocabulary): Promise<AnalysedQuery> {
    const stems = await stemsFor(query, null);
    return analyse(query, vocabulary, (word) => (stems.get(word) ?? []).length === 0);
  }

  async function synonymGroups(): Promise<string[][]> {
    if (!synonyms || Date.now() - synonyms.loadedAt > SYNONYM_TTL_MS) {
      synonyms = { groups: await loadSynonyms(handle), loadedAt: Date.now() };
    }
    return synonyms.groups;
  }

  /** Visibility and facet filters on a document's row (passes() decides them for a group of matches). */
  function facetFilters(request: SearchRequest): SQL[] {
    const parts: SQL[] = [sql`d.visibility = ANY(${pgArray(request.visibilities)}::text[])`];
    for (const name of valueFacets) {
      const value = request.filters[name];
      if (value) parts.push(sql`${sql.raw(`d.${valueFacetColumns[name]}`)} = ${value}`);
    }
    return parts;
  }

  /** Filters on a document's own columns. */
  function rowFilters(request: SearchRequest, now: Date): SQL[] {
    const parts: SQL[] = [];
    if (request.filters.time) parts.push(dateAtLeast(daysBefore(now, timeRangeDays[request.filters.time])));
    if (request.mode === "similar")
      parts.push(sql`(d.kind IN ('material', 'round') OR (d.kind = 'thread' AND d.answered = 1))`);
    return parts;
  }

  function filterSql(request: SearchRequest, now: Date): SQL[] {
    return [...facetFilters(request), ...rowFilters(request, now)];
  }

  /**
   * Filters as lexemes stored in each document's tsvector ("~kind:reply", "~room:raum-3"), so the index narrows the
   * matches before any row is read. The "~" keeps them apart from words: query words are [a-z0-9] only, so not even
   * a prefix search ("Kind" → 'kind':*) can reach them. Values are enum keys and page addresses, safe inside quotes.
   * Visibility has no token: nearly everything is visible to members, so the index could not narrow anything and
   * intersecting with such a token costs a common word several milliseconds; the row filter decides it.
   */
  function filterTokens(request: SearchRequest): string | null {
    const f = request.filters;
    const tokens = [
      f.kind && `~kind:${f.kind}`,
      f.materialType && `~type:${f.materialType}`,
      f.ilbStep && `~step:${f.ilbStep}`,
      f.competenceArea && `~area:${f.competenceArea}`,
      f.audience && `~aud:${f.audience}`,
      f.room && `~room:${f.room}`,
    ].filter((t): t is string => typeof t === "string" && /^~[a-z]+:[a-z0-9_-]+$/.test(t));
    return tokens.length ? tokens.map((t) => `'${t}'`).join(" & ") : null;
  }

  async function run(
    request: SearchRequest,
    query: ParsedQuery,
    analysed: AnalysedQuery | null,
  ): Promise<SearchResult> {
    const now = request.now ?? new Date();
    const mode = request.mode ?? "all";
    const stems = await stemsFor(query, analysed);
    const excluded = query.clauses
      .filter((c) => c.negated)
      .map((c) => clauseQuery({ ...c, negated: false }, stems))
      .filter((t): t is string => t !== null);
    const plan = analysed ? tsPlan(analysed, (words) => alternativeQuery(words, stems), excluded) : null;
    const tsquery = plan ? plan.strict : toTsquery(query, mode, stems);
    if (tsquery === null) return emptyResult();
    // What snippets highlight: the stems of every word that decides, as typed and in its variants.
    const highlightWords = analysed
      ? analysed.clauses
          .filter((c) => c.decisive)
          .flatMap((c) => [...c.clause.alternatives.flat(), ...c.variants.flatMap((v) => v.words)])
      : query.clauses.filter((c) => !c.negated).flatMap((c) => c.alternatives.flat());
    const highlight = [...new Set(highlightWords.flatMap((w) => stems.get(w) ?? []))];
    const today = now.toISOString().slice(0, 10);
    const offset = (request.page - 1) * request.perPage;
    const wanted = offset + request.perPage;
    const since = (range: TimeRange) => sql`${daysBefore(now, timeRangeDays[range]).toISOString()}::timestamptz`;
    const tokens = filterTokens(request);
    const match = tokens ? sql`d.tsv @@ (q.q && ${tokens}::tsquery)` : sql`d.tsv @@ q.q`;
    const where = sql.join([match, ...filterSql(request, now)], sql` AND `);
    // ts_rank scores every word of a query, excluded ones too: "a & !b" gave every match a score of 0. It ranks by
    // what the member looks for (r); what they exclude only decides what matches (q).
    const ranked = plan
      ? plan.positive
      : (toTsquery({ ...query, clauses: query.clauses.filter((c) => !c.negated) }, mode, stems) ?? tsquery);
    const fresh = sql`(CASE WHEN d.fresh_until >= ${today}::date THEN 1.2 ELSE 1 END)`;

    const found = await handle.db.transaction(async (tx) => {
      const rows = async <T>(statement: SQL) => {
        const result = (await tx.execute(statement)) as unknown;
        return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
      };
      // Without this the planner reads every row for a common word (it cannot see that the tsvector lives out of
      // line); the indexes find the matches and leave the tsvector alone.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);

      // One pass over the matches counts them per combination of visibility and facet values (one small number at
      // the start of each row, far fewer groups than matches). Visibility and facet filters then apply per group,
      // and the total, the facets and the time ranges are sums over the groups that pass.
      const count = async (matching: string) => {
        const q = sql`(SELECT ${matching}::tsquery AS q) AS q`;
        const groups = await rows<{ facet_set: number; n: number; d7: number; d30: number; d365: number }>(sql`
          SELECT d.facet_set, count(*)::float8 AS n,
            count(*) FILTER (WHERE d.date >= ${since("7t")})::float8 AS d7,
            count(*) FILTER (WHERE d.date >= ${since("30t")})::float8 AS d30,
            count(*) FILTER (WHERE d.date >= ${since("12m")})::float8 AS d365
          FROM search_documents d, ${q} WHERE ${sql.join([match, ...rowFilters(request, now)], sql` AND `)} GROUP BY d.facet_set`);
        const values = await facetSets.valuesOf(
          groups.map((g) => Number(g.facet_set)),
          rows,
        );
        const facets = emptyFacets();
        const totals = { n: 0, d7: 0, d30: 0, d365: 0 };
        for (const group of groups) {
          const v = values.get(Number(group.facet_set))!;
          if (!passes(v, request)) continue;
          for (const key of ["n", "d7", "d30", "d365"] as const) totals[key] += Number(group[key]);
          if (mode === "similar") continue;
          for (const name of valueFacets) {
            const value = v[name];
            if (value != null) facets[name][value] = (facets[name][value] ?? 0) + Number(group.n);
          }
        }
        if (mode !== "similar") {
          for (const [range, n] of [
            ["7t", totals.d7],
            ["30t", totals.d30],
            ["12m", totals.d365],
          ] as const)
            if (n > 0) facets.time[range] = n;
        }
        return { totals, facets };
      };
      let matching = tsquery;
      let { totals, facets } = await count(matching);
      // Fewer full matches than the page shows: documents that match most of the words (by weight) follow them.
      let relaxed = false;
      if (plan?.relaxed && totals.n < wanted) {
        const wider = await count(plan.relaxed);
        if (wider.totals.n > totals.n) ({ totals, facets, relaxed } = { ...wider, relaxed: true });
        if (relaxed) matching = plan.relaxed;
      }
      if (totals.n === 0 || offset >= totals.n) return { total: totals.n, keys: [] as string[], facets };

      const q = sql`(SELECT ${matching}::tsquery AS q, ${plan && (plan.variants || relaxed) ? plan.rank : ranked}::tsquery AS r) AS q`;
      const score =
        plan && (plan.variants || relaxed)
          ? coverageScore(plan, relaxed, fresh)
          : sql`ts_rank(d.tsv, q.r, 1) * d.boost * ${fresh}`;
      // The newest matches, read only from the shortest time range that holds enough of them.
      const window =
        totals.d7 >= Math.max(wanted, CANDIDATES)
          ? sql`AND ${dateAtLeast(daysBefore(now, timeRangeDays["7t"]))}`
          : totals.d30 >= Math.max(wanted, CANDIDATES)
            ? sql`AND ${dateAtLeast(daysBefore(now, timeRangeDays["30t"]))}`
            : totals.d365 >= Math.max(wanted, CANDIDATES)
              ? sql`AND ${dateAtLeast(daysBefore(now, timeRangeDays["12m"]))}`
              : sql``;
      let top: { key: string }[];
      if (request.sort === "date") {
        top = await rows(sql`SELECT d.key FROM search_documents d, ${q} WHERE ${where} ${window}
          ORDER BY d.date DESC, d.key LIMIT ${request.perPage} OFFSET ${offset}`);
      } else if (totals.n <= RANK_ALL) {
        top = await rows(sql`SELECT d.key FROM search_documents d, ${q} WHERE ${where}
          ORDER BY ${score} DESC, d.date DESC, d.key LIMIT ${request.perPage} OFFSET ${offset}`);
      } else {
        // Many matches: rank the best head (title, lead) matches and the newest matches, not all of them, so a word
        // found in most documents costs about what a rarer one does. A head match is a match of the whole document
        // unless the query excludes a word (which may stand in the body): only then is each candidate checked again,
        // as that reads its whole vector a second time.
        const k = Math.max(CANDIDATES, wanted);
        const recheck = matching.includes("!") ? sql`WHERE d.tsv @@ q.q` : sql``;
        top = await rows(sql`
          WITH c AS (
            (SELECT d.key FROM search_documents d, ${q} WHERE ${sql.join([sql`d.tsv_head @@ q.q`, ...filterSql(request, now)], sql` AND `)}
              ORDER BY ts_rank(d.tsv_head, q.r) * d.boost DESC LIMIT ${k})
            UNION (SELECT d.key FROM search_documents d, ${q} WHERE ${where} ${window} ORDER BY d.date DESC LIMIT ${k}))
          SELECT d.key FROM search_documents d JOIN c USING (key), ${q}
          ${recheck} ORDER BY ${score} DESC, d.date DESC, d.key LIMIT ${request.perPage} OFFSET ${offset}`);
      }
      return { total: totals.n, keys: top.map((r) => r.key), facets };
    });
    const hits = found.keys.length ? await loadHits(found.keys, highlight) : [];
    return { total: found.total, hits, facets: found.facets, didYouMean: null };
  }

  async function loadHits(keys: string[], stems: string[]) {
    const rows = await handle.rows<{
      key: string;
      kind: string;
      ref_id: string;
      title: string;
      body: string;
      url: string;
      date: Date | string;
    }>(sql`
      SELECT d.key, d.kind, t.ref_id, t.title, t.body, t.url, d.date
      FROM search_documents d JOIN search_texts t USING (key) WHERE d.key = ANY(${pgArray(keys)}::text[])`);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return keys
      .map((key) => byKey.get(key))
      .filter((r) => r !== undefined)
      .map((r) => ({
        type: r.kind as SearchDocument["kind"],
        id: r.ref_id,
        title: r.title,
        url: r.url,
        // A reply's title is its thread's: context, not something the reply says.
        snippet: buildSnippet(r.kind === "reply" ? [r.body] : [r.body, r.title], stems),
        date: new Date(r.date).toISOString(),
      }));
  }

  return {
    name: "postgres",

    async upsert(documents) {
      if (documents.length === 0) return;
      const facetSetIds = await facetSets.idsFor(documents);
      const payload = documents.map((d, i) => ({
        key: d.key,
        kind: d.kind,
        ref_id: d.refId,
        visibility: d.visibility,
        title: d.title,
        // The text snippets come from: the body before the lead, which holds tags and labels besides a summary, so
        // that a snippet shows a sentence that matched rather than a list of tags (issue 21).
        body: [d.body, d.lead, d.extra]
          .filter(Boolean)
          .join("\n\n")
          .slice(0, BODY_CHARS + EXTRA_CHARS),
        url: d.url,
        room: d.room,
        material_type: d.materialType,
        ilb_step: d.ilbStep,
        competence_area: d.competenceArea,
        audience: d.audience,
        facet_set: facetSetIds[i],
        answered: d.answered ? 1 : 0,
        boost: d.boost,
        fresh_until: d.freshUntil,
        date: d.date.toISOString(),
        // A reply's title is its thread's: shown for context, not searched (the thread itself has it).
        f_title: d.kind === "reply" ? "" : fold(d.title),
        f_lead: fold(d.lead),
        f_lead_head: leadStart(fold(d.lead)),
        f_body: fold(d.body.slice(0, BODY_CHARS)),
        f_extra: fold(d.extra.slice(0, EXTRA_CHARS)),
      }));
      const rows = sql`jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(key text, kind text, ref_id uuid,
        visibility text, title text, body text, url text, room text, material_type text, ilb_step text,
        competence_area text, audience text, facet_set int, answered int, boost real, fresh_until date, date timestamptz, f_title text,
        f_lead text, f_lead_head text, f_body text, f_extra text)`;
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`
          INSERT INTO search_documents (key, kind, visibility, room, material_type, ilb_step, competence_area, audience,
            facet_set, answered, boost, fresh_until, date, tsv_head, tsv)
          SELECT key, kind, visibility, room, material_type, ilb_step, competence_area, audience, facet_set, answered, boost,
            fresh_until, date,
            search_word_pairs(v_title || setweight(to_tsvector('german', f_lead_head), 'B')),
            search_word_pairs(v_title || setweight(to_tsvector('german', f_lead), 'B') || setweight(to_tsvector('german', f_body), 'C')
              || setweight(to_tsvector('german', f_extra), 'D'))
              || array_to_tsvector(array_remove(ARRAY['~kind:' || kind, '~type:' || material_type,
                '~step:' || ilb_step, '~area:' || competence_area, '~aud:' || audience, '~room:' || room], NULL))
          FROM (SELECT *, setweight(to_tsvector('german', f_title), 'A') AS v_title FROM ${rows}) AS x
          ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, visibility = excluded.visibility, room = excluded.room,
            material_type = excluded.material_type, ilb_step = excluded.ilb_step,
            competence_area = excluded.competence_area, audience = excluded.audience, facet_set = excluded.facet_set,
            answered = excluded.answered,
            boost = excluded.boost, fresh_until = excluded.fresh_until, date = excluded.date,
            tsv_head = excluded.tsv_head, tsv = excluded.tsv`);
        await tx.execute(sql`
          INSERT INTO search_texts (key, ref_id, title, body, url) SELECT key, ref_id, title, body, url FROM ${rows}
          ON CONFLICT (key) DO UPDATE SET ref_id = excluded.ref_id, title = excluded.title, body = excluded.body, url = excluded.url`);
      });
    },

    async remove(keys) {
      if (keys.length === 0) return;
      // search_texts rows go with them (ON DELETE CASCADE).
      await handle.db.execute(sql`DELETE FROM search_documents WHERE key = ANY(${pgArray(keys)}::text[])`);
    },

    async clear() {
      await handle.db.execute(sql`DELETE FROM search_documents`);
    },

    async synonymsChanged(groups) {
      synonyms = { groups, loadedAt: Date.now() };
    },

    async search(request) {
      const query = parseQuery(request.q, await synonymGroups());
      if (query.empty) return emptyResult();
      if (request.mode === "similar") return run(request, query, null);
      const vocabulary = await vocabularyOf(query);
      const fixes = await corrections(handle, query, (word) => keepAsTyped(word, vocabulary));
      if (fixes.size === 0) return run(request, query, await analysed(query, vocabulary));
      const corrected = parseQuery(correctedText(query, fixes), await synonymGroups());
      const result = await run(request, corrected, await analysed(corrected, await vocabularyOf(corrected)));
      return { ...result, didYouMean: result.total > 0 ? correctedText(query, fixes) : null };
    },
  };
}

/**
 * Words not to correct although no indexed word starts with them: question words (they never decide) and compounds
 * whose parts the index knows ("Onlinesprechstunden" where the texts say "Online-Sprechstunden").
 */
function keepAsTyped(word: string, vocabulary: Vocabulary): boolean {
  return QUESTION_WORDS.has(word) || decompound(word, vocabulary) !== null;
}

/**
 * Ranking when variants or a relaxed match are in play (ADR 039): the share of the query's weight a document
 * matches, a word as typed counting fully and a variant (other spelling, parts, compound) at VARIANT_CREDIT; full
 * matches of a relaxed search come first; ts_rank orders what is otherwise equal.
 */
const VARIANT_CREDIT = 0.6;
function coverageScore(plan: TsPlan, relaxed: boolean, fresh: SQL): SQL {
  const total = plan.parts.reduce((sum, p) => sum + p.weight, 0) || 1;
  const terms = plan.parts.map((p) => {
    const w = p.weight / total;
    return p.variant
      ? sql`(CASE WHEN d.tsv @@ ${p.exact}::tsquery THEN ${w}::float8 WHEN d.tsv @@ ${p.variant}::tsquery THEN ${w * VARIANT_CREDIT}::float8 ELSE 0 END)`
      : sql`(CASE WHEN d.tsv @@ ${p.exact}::tsquery THEN ${w}::float8 ELSE 0 END)`;
  });
  const full = relaxed ? sql`(CASE WHEN d.tsv @@ ${plan.strict}::tsquery THEN 1 ELSE 0 END) + ` : sql``;
  return sql`(${full}${sql.join(terms, sql` + `)} + 0.2 * ts_rank(d.tsv, q.r, 1)) * d.boost * ${fresh}`;
}

/**
 * A time-range condition the planner cannot answer from the date index: with it, PostgreSQL would walk every
 * document of the range and read its tsvector; the full-text index finds the matches far faster, and the date is
 * then checked on the rows it found.
 */
function dateAtLeast(since: Date): SQL {
  return sql`(d.date + interval '0 s') >= ${since.toISOString()}::timestamptz`;
}

/** The start of a folded lead, ending at a word's end. */
function leadStart(folded: string): string {
  if (folded.length <= HEAD_LEAD_CHARS) return folded;
  const cut = folded.lastIndexOf(" ", HEAD_LEAD_CHARS);
  return folded.slice(0, cut > 0 ? cut : HEAD_LEAD_CHARS);
}

function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
