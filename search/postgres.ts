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
  timeRanges,
  type FacetName,
  type SearchDocument,
  type SearchEngine,
  type SearchRequest,
  type SearchResult,
} from "./engine.ts";
import { correctedText, fold, parseQuery, PREFIX_MIN_LENGTH, type Clause, type ParsedQuery } from "./query.ts";
import { buildSnippet } from "./snippet.ts";
import { loadSynonyms } from "./synonyms.ts";
import { corrections } from "./words.ts";
import { pgArray } from "./sql.ts";

const BODY_CHARS = 60_000;
const EXTRA_CHARS = 200_000;
const SYNONYM_TTL_MS = 60_000;

function tsqueryWord(word: string): string {
  return word.length >= PREFIX_MIN_LENGTH ? `'${word}':*` : `'${word}'`;
}

function tsqueryClause(clause: Clause): string {
  const alternatives = clause.alternatives.map((alt) => alt.map(tsqueryWord).join(" <-> "));
  const joined = alternatives.length > 1 ? `(${alternatives.map((a) => `(${a})`).join(" | ")})` : `(${alternatives[0]})`;
  return clause.negated ? `!${joined}` : joined;
}

/** Words are letters and digits only (see words()), so this string is a safe tsquery. */
export function toTsquery(query: ParsedQuery, mode: "all" | "similar"): string {
  if (mode === "similar") {
    const positive = query.clauses.filter((c) => !c.negated);
    return positive.flatMap((c) => c.alternatives.map((alt) => `(${alt.map(tsqueryWord).join(" <-> ")})`)).join(" | ");
  }
  return query.clauses.map(tsqueryClause).join(" & ");
}

const facetColumns: Record<Exclude<FacetName, "time">, string> = {
  kind: "kind",
  materialType: "material_type",
  ilbStep: "ilb_step",
  competenceArea: "competence_area",
  audience: "audience",
  room: "room",
};

export function createPostgresEngine(handle: DatabaseHandle): SearchEngine {
  let synonyms: { groups: string[][]; loadedAt: number } | null = null;

  async function synonymGroups(): Promise<string[][]> {
    if (!synonyms || Date.now() - synonyms.loadedAt > SYNONYM_TTL_MS) {
      synonyms = { groups: await loadSynonyms(handle), loadedAt: Date.now() };
    }
    return synonyms.groups;
  }

  function filterSql(request: SearchRequest, now: Date): SQL[] {
    const f = request.filters;
    const parts: SQL[] = [sql`d.visibility = ANY(${pgArray(request.visibilities)}::text[])`];
    if (f.kind) parts.push(sql`d.kind = ${f.kind}`);
    if (f.materialType) parts.push(sql`d.material_type = ${f.materialType}`);
    if (f.ilbStep) parts.push(sql`d.ilb_step = ${f.ilbStep}`);
    if (f.competenceArea) parts.push(sql`d.competence_area = ${f.competenceArea}`);
    if (f.audience) parts.push(sql`d.audience = ${f.audience}`);
    if (f.room) parts.push(sql`d.room = ${f.room}`);
    if (f.time) parts.push(sql`d.date >= ${daysBefore(now, timeRangeDays[f.time]).toISOString()}::timestamptz`);
    if (request.mode === "similar") parts.push(sql`(d.kind IN ('material', 'round') OR (d.kind = 'thread' AND d.answered = 1))`);
    return parts;
  }

  async function run(request: SearchRequest, query: ParsedQuery): Promise<SearchResult> {
    const now = request.now ?? new Date();
    const tsquery = toTsquery(query, request.mode ?? "all");
    const byDate = request.sort === "date";
    const today = now.toISOString().slice(0, 10);
    const rank = byDate
      ? sql`0::real`
      : sql`ts_rank(d.tsv, q.q, 1) * d.boost * (CASE WHEN d.fresh_until >= ${today}::date THEN 1.2 ELSE 1 END)`;
    const order = byDate ? sql`date DESC, key` : sql`rank DESC, date DESC, key`;
    const offset = (request.page - 1) * request.perPage;
    const withFacets = request.mode !== "similar";
    const facetParts = withFacets
      ? Object.entries(facetColumns).map(
          ([name, column]) =>
            sql`UNION ALL SELECT 1, ${name}, ${sql.raw(column)}, count(*)::float8 FROM m WHERE ${sql.raw(column)} IS NOT NULL GROUP BY ${sql.raw(column)}`,
        )
      : [];
    const timeParts = withFacets
      ? timeRanges.map(
          (range) =>
            sql`UNION ALL SELECT 1, 'time', ${range}, count(*)::float8 FROM m WHERE date >= ${daysBefore(now, timeRangeDays[range]).toISOString()}::timestamptz`,
        )
      : [];
    const rows = await handle.rows<{ part: number; a: string | null; b: string | null; n: number }>(sql`
      WITH q AS (SELECT to_tsquery('german', ${tsquery}) AS q),
      m AS MATERIALIZED (
        SELECT d.key, d.kind, d.material_type, d.ilb_step, d.competence_area, d.audience, d.room, d.date, ${rank} AS rank
        FROM search_documents d, q
        WHERE d.tsv @@ q.q AND ${sql.join(filterSql(request, now), sql` AND `)}
      ),
      top AS (SELECT key, rank, date FROM m ORDER BY ${order} LIMIT ${request.perPage} OFFSET ${offset})
      SELECT 0 AS part, key AS a, NULL::text AS b, (row_number() OVER (ORDER BY ${order}))::float8 AS n FROM top
      UNION ALL SELECT 2, NULL, (SELECT q::text FROM q), count(*)::float8 FROM m
      ${sql.join([...facetParts, ...timeParts], sql` `)}`);

    const facets = emptyFacets();
    let total = 0;
    let stems: string[] = [];
    const ranked: { key: string; position: number }[] = [];
    for (const row of rows) {
      if (Number(row.part) === 0 && row.a) ranked.push({ key: row.a, position: Number(row.n) });
      else if (Number(row.part) === 2) {
        total = Number(row.n);
        stems = [...(row.b ?? "").matchAll(/'([^']+)'/g)].map((m) => m[1]);
      } else if (Number(row.part) === 1 && row.a && row.b) {
        const count = Number(row.n);
        if (count > 0) facets[row.a as FacetName][row.b] = count;
      }
    }
    const keys = ranked.sort((x, y) => x.position - y.position).map((r) => r.key);
    const hits = keys.length ? await loadHits(keys, stems) : [];
    return { total, hits, facets, didYouMean: null };
  }

  async function loadHits(keys: string[], stems: string[]) {
    const rows = await handle.rows<{ key: string; kind: string; ref_id: string; title: string; body: string; url: string; date: Date | string }>(sql`
      SELECT key, kind, ref_id, title, body, url, date FROM search_documents WHERE key = ANY(${pgArray(keys)}::text[])`);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return keys
      .map((key) => byKey.get(key))
      .filter((r) => r !== undefined)
      .map((r) => ({
        type: r.kind as SearchDocument["kind"],
        id: r.ref_id,
        title: r.title,
        url: r.url,
        snippet: buildSnippet([r.body, r.title], stems),
        date: new Date(r.date).toISOString(),
      }));
  }

  return {
    name: "postgres",

    async upsert(documents) {
      if (documents.length === 0) return;
      const payload = documents.map((d) => ({
        key: d.key,
        kind: d.kind,
        ref_id: d.refId,
        visibility: d.visibility,
        title: d.title,
        body: [d.lead, d.body, d.extra].filter(Boolean).join("\n\n").slice(0, BODY_CHARS + EXTRA_CHARS),
        url: d.url,
        room: d.room,
        material_type: d.materialType,
        ilb_step: d.ilbStep,
        competence_area: d.competenceArea,
        audience: d.audience,
        answered: d.answered ? 1 : 0,
        boost: d.boost,
        fresh_until: d.freshUntil,
        date: d.date.toISOString(),
        f_title: fold(d.title),
        f_lead: fold(d.lead),
        f_body: fold(d.body.slice(0, BODY_CHARS)),
        f_extra: fold(d.extra.slice(0, EXTRA_CHARS)),
      }));
      await handle.db.execute(sql`
          INSERT INTO search_documents AS s (key, kind, ref_id, visibility, title, body, url, room, material_type, ilb_step,
            competence_area, audience, answered, boost, fresh_until, date, tsv)
          SELECT key, kind, ref_id, visibility, title, body, url, room, material_type, ilb_step, competence_area, audience,
            answered, boost, fresh_until, date,
            setweight(to_tsvector('german', f_title), 'A') || setweight(to_tsvector('german', f_lead), 'B')
              || setweight(to_tsvector('german', f_body), 'C') || setweight(to_tsvector('german', f_extra), 'D')
          FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(key text, kind text, ref_id uuid, visibility text,
            title text, body text, url text, room text, material_type text, ilb_step text, competence_area text,
            audience text, answered int, boost real, fresh_until date, date timestamptz, f_title text, f_lead text,
            f_body text, f_extra text)
          ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, ref_id = excluded.ref_id, visibility = excluded.visibility,
            title = excluded.title, body = excluded.body, url = excluded.url, room = excluded.room,
            material_type = excluded.material_type, ilb_step = excluded.ilb_step,
            competence_area = excluded.competence_area, audience = excluded.audience, answered = excluded.answered,
            boost = excluded.boost, fresh_until = excluded.fresh_until, date = excluded.date, tsv = excluded.tsv`);
    },

    async remove(keys) {
      if (keys.length === 0) return;
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
      const fixes = request.mode === "similar" ? new Map<number, string>() : await corrections(handle, query);
      if (fixes.size === 0) return run(request, query);
      const corrected = parseQuery(correctedText(query, fixes), await synonymGroups());
      const result = await run(request, corrected);
      return { ...result, didYouMean: result.total > 0 ? correctedText(query, fixes) : null };
    },
  };
}

function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
