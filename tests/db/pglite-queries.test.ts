import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { drizzleParsers, preparedQueries } from "../../db/pglite-queries.ts";

// The prepared-statement path exists for PGlite only, so vitest.config.ts leaves this file out of the PostgreSQL run.
describe("PGlite queries through prepared statements", () => {
  let pg: PGlite;
  let prepared: PGlite;

  beforeAll(async () => {
    pg = await PGlite.create({ parsers: drizzleParsers });
    prepared = preparedQueries(pg);
    await pg.exec(`
      CREATE TABLE items (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), n int NOT NULL UNIQUE, label text, tags text[],
        at timestamptz, doc jsonb);
      INSERT INTO items (n, label, tags, at, doc) VALUES
        (1, 'Lernbegleitung', '{a,b}', '2026-11-21T10:00:00Z', '{"x": 1}'),
        (2, NULL, '{}', NULL, NULL);`);
  });
  afterAll(async () => {
    await pg.close();
  });

  const statements = async () =>
    (await pg.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements")).rows[0].n;

  it("returns what PGlite's own query returns, in both row modes, with every kind of parameter", async () => {
    const text =
      "SELECT id, n, label, tags, at, doc, $1::text AS p1, $2::int AS p2, $3::jsonb AS p3 FROM items WHERE n >= $4 ORDER BY n";
    const params = ["Fallberatung", 7, { k: [1, 2] }, 1];
    for (const rowMode of ["array", "object"] as const) {
      const expected = await pg.query(text, params, { rowMode });
      // Twice: the second run uses the statement prepared by the first.
      for (let i = 0; i < 2; i++) {
        const result = await prepared.query(text, params, { rowMode });
        expect(result.rows).toEqual(expected.rows);
        expect(result.fields).toEqual(expected.fields);
      }
    }
    const nulls = await prepared.query<{ label: string | null }>(
      "SELECT label FROM items WHERE n = $1 AND $2::text IS NULL",
      [2, null],
    );
    expect(nulls.rows).toEqual([{ label: null }]);
    const written = await prepared.query("UPDATE items SET label = $1 WHERE n = $2", ["Impuls", 2]);
    expect(written.affectedRows).toBe(1);
  });

  it("rejects like PostgreSQL and keeps working: constraint errors, syntax errors, aborted transactions", async () => {
    await expect(prepared.query("INSERT INTO items (n) VALUES ($1)", [1])).rejects.toMatchObject({ code: "23505" });
    await expect(prepared.query("SELEC 1")).rejects.toMatchObject({ code: "42601" });
    await expect(prepared.query("SELECT n FROM items WHERE n = $1", [1])).resolves.toMatchObject({ rows: [{ n: 1 }] });

    await expect(
      prepared.transaction(async (tx) => {
        await tx.query("INSERT INTO items (n, label) VALUES ($1, $2)", [3, "verworfen"]);
        await tx.query("INSERT INTO items (n) VALUES ($1)", [1]);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect((await prepared.query("SELECT count(*)::int AS c FROM items WHERE n = $1", [3])).rows).toEqual([{ c: 0 }]);
  });

  it("lets a query outside a transaction wait until the transaction is done", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedNow = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = prepared.transaction(async (tx) => {
      await tx.query("INSERT INTO items (n, label) VALUES ($1, $2)", [4, "im Gespräch"]);
      inserted();
      await held;
    });
    await insertedNow;
    let outsideDone = false;
    const outside = prepared
      .query<{ c: number }>("SELECT count(*)::int AS c FROM items WHERE n = $1", [4])
      .then((r) => {
        outsideDone = true;
        return r;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(outsideDone).toBe(false);
    release();
    await transaction;
    expect((await outside).rows).toEqual([{ c: 1 }]);
  });

  it("keeps at most 500 prepared statements, closing the least recently used", async () => {
    for (let i = 0; i < 620; i++) {
      const { rows } = await prepared.query<{ v: number }>(`SELECT $1::int + ${i} AS v`, [1]);
      expect(rows[0].v).toBe(1 + i);
    }
    expect(await statements()).toBeLessThanOrEqual(500);
    // The oldest texts were closed; running one again prepares it anew.
    expect((await prepared.query<{ v: number }>("SELECT $1::int + 0 AS v", [5])).rows).toEqual([{ v: 5 }]);
  });

  it("runs many waiting statements in slices, so timers and the network get their turn in between", async () => {
    // 60 statements of ~3 ms each (PGlite blocks the thread while one runs), all asked for at once: back to back they
    // would hold the event loop for ~180 ms; in slices of 10 ms a 1 ms timer is never held up for long.
    const delay = monitorEventLoopDelay({ resolution: 1 });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    delay.enable();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => prepared.query<{ v: number }>("SELECT $1::int AS v, pg_sleep(0.003)", [i])),
    );
    const took = performance.now() - started;
    delay.disable();
    clearInterval(ticker);
    expect(results.map((r) => r.rows[0].v)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(took).toBeGreaterThan(150);
    // The timer ran again and again in between, and no single stretch came near the whole (a loaded machine stretches
    // both; back to back, the longest delay would be the whole run).
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(delay.max / 1e6).toBeLessThan(took / 4);
  });
});
