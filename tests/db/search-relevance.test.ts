/**
 * Relevance on questions as members ask them (issue 21): passages cut from the seed documents, questions written from
 * their content (tests/fixtures/search-relevance). Measures hit@10 (a passage that answers the question is among the
 * first ten hits) and MRR (mean of 1 / rank of the first such passage), prints the misses, and reports plain
 * PostgreSQL full-text search (websearch_to_tsquery('german') over the same texts) beside it as the baseline.
 * Runs on PGlite and PostgreSQL 15 (projects db:pglite and db:postgres).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { engine as dbEngine, useTestDatabase } from "../setup/db.ts";
import { createPostgresEngine } from "../../search/postgres.ts";
import { applyChanges } from "../../search/indexer.ts";
import type { SearchEngine } from "../../search/engine.ts";
import { passageDocuments, passages } from "../fixtures/search-relevance/corpus.ts";
import { questions, type Question } from "../fixtures/search-relevance/questions.ts";

const { handle } = useTestDatabase();
const NOW = new Date("2026-11-30T10:00:00Z");

const list = passages();
const documents = passageDocuments(list, NOW);
const passageOfKey = new Map(documents.map((d, i) => [d.key, list[i].id]));
let engine: SearchEngine;

interface Scores {
  hitAt10: number;
  mrr: number;
  misses: string[];
  byKind: Record<string, { n: number; hits: number }>;
}

function score(ranked: (q: Question) => Promise<string[]>): Promise<Scores> {
  return (async () => {
    let hits = 0;
    let reciprocal = 0;
    const misses: string[] = [];
    const byKind: Scores["byKind"] = {};
    for (const question of questions) {
      const ids = await ranked(question);
      const rank = ids.findIndex((id) => question.expect.includes(id)) + 1;
      const kind = (byKind[question.kind] ??= { n: 0, hits: 0 });
      kind.n++;
      if (rank > 0 && rank <= 10) {
        hits++;
        kind.hits++;
        reciprocal += 1 / rank;
      } else {
        misses.push(
          `${question.kind.padEnd(12)} ${JSON.stringify(question.q)} → [${ids.slice(0, 5).join(", ")}] (expected ${question.expect.join(", ")})`,
        );
      }
      if (rank > 1 && rank <= 10) misses.push(`  (rank ${rank}) ${JSON.stringify(question.q)}`);
    }
    return { hitAt10: hits / questions.length, mrr: reciprocal / questions.length, misses, byKind };
  })();
}

function report(name: string, s: Scores): string {
  const kinds = Object.entries(s.byKind)
    .map(([k, v]) => `${k} ${v.hits}/${v.n}`)
    .join(", ");
  return `${name} (${dbEngine}): hit@10 ${s.hitAt10.toFixed(3)}, MRR ${s.mrr.toFixed(3)} — ${kinds}`;
}

beforeAll(async () => {
  engine = createPostgresEngine(handle());
  // As the outbox indexer applies them: the documents and the word list behind corrections and compounds.
  await applyChanges(handle(), engine, { upsert: documents, remove: [] });
  // The baseline: the same texts (a reply without its thread's title), unfolded, as plain PostgreSQL would index them.
  await handle().db.execute(sql`CREATE TABLE relevance_baseline AS
    SELECT key, to_tsvector('german', CASE WHEN key LIKE 'reply:%' THEN '' ELSE title END || ' ' || body) AS v FROM search_texts`);
});

describe("relevance on members' questions", () => {
  it("has at least 80 questions, each about passages that exist", () => {
    expect(questions.length).toBeGreaterThanOrEqual(80);
    const ids = new Set(list.map((p) => p.id));
    for (const q of questions) for (const id of q.expect) expect(ids.has(id), `${q.q}: ${id}`).toBe(true);
  });

  it("finds an answer in the first ten hits for ≥ 95 % of questions, MRR ≥ 0.85, and beats plain full-text search", async () => {
    const started = performance.now();
    const ours = await score(async (q) => {
      const result = await engine.search({
        q: q.q,
        filters: {},
        sort: "relevance",
        page: 1,
        perPage: 10,
        visibilities: ["members"],
        now: NOW,
      });
      return result.hits.map((h) => passageOfKey.get(`${h.type}:${h.id}`) ?? "?");
    });
    const perQuery = (performance.now() - started) / questions.length;
    const baseline = await score(async (q) => {
      const rows = await handle().rows<{ key: string }>(sql`
        SELECT key FROM relevance_baseline t, websearch_to_tsquery('german', ${q.q}) AS query
        WHERE t.v @@ query ORDER BY ts_rank(t.v, query) DESC, key LIMIT 10`);
      return rows.map((r) => passageOfKey.get(r.key) ?? "?");
    });
    console.log(
      [
        `${report("search", ours)}, ${perQuery.toFixed(1)} ms per question`,
        report("baseline websearch_to_tsquery", baseline),
        "misses and lower ranks:",
        ...ours.misses,
      ].join("\n"),
    );
    expect(ours.hitAt10).toBeGreaterThanOrEqual(0.95);
    expect(ours.mrr).toBeGreaterThanOrEqual(0.85);
    expect(ours.hitAt10).toBeGreaterThan(baseline.hitAt10);
  });
});
