import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";

const { handle } = useTestDatabase();

describe(`search word pairs on ${engine}`, () => {
  it("adds each adjacent pair with its first word's position and weight, and nothing for stop words in between", async () => {
    const [row] = await handle().rows<{ v: string }>(
      sql`SELECT search_word_pairs(setweight(to_tsvector('german', 'Kollegiale Fallberatung im lokalen Verbund'), 'A'))::text AS v`,
    );
    expect(row.v).toContain("'~p:kollegial_fallberat':");
    expect(row.v).toMatch(/'~p:lokal_verbund':\d+A/);
    expect(row.v).not.toContain("~p:fallberat_lokal");
  });

  it("stays within PostgreSQL's limits for huge documents and very long tokens", async () => {
    // 40 000 different words (far more text than a document may bring) and two tokens of 1 500 letters side by side.
    const words = Array.from({ length: 40_000 }, (_, i) => `wort${i.toString(36)}x${(i * 7919).toString(36)}`);
    const long = `${"a".repeat(1500)} ${"b".repeat(1500)}`;
    const text = `kollegiale fallberatung ${long} ${words.join(" ")}`;
    const [row] = await handle().rows<{ size: number; first: boolean; lexemes: number }>(sql`
      SELECT pg_column_size(p) AS size, p @@ ${"'~p:kollegial_fallberat'"}::tsquery AS first, length(p) AS lexemes
      FROM (SELECT search_word_pairs(to_tsvector('german', ${text})) AS p) AS x`);
    expect(row.first).toBe(true);
    expect(Number(row.size)).toBeLessThan(2_000_000);
    // The words, and pairs only as far as the bound allows.
    expect(Number(row.lexemes)).toBeGreaterThan(40_000);
    expect(Number(row.lexemes)).toBeLessThan(80_000);
  });
});
