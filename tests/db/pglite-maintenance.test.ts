import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { maintainOneTable } from "../../db/maintenance.ts";
import { useTestDatabase } from "../setup/db.ts";

// PGlite has no autovacuum; db/maintenance.ts stands in for it (vitest.config.ts runs this file on PGlite only).
const { handle } = useTestDatabase();

interface TableStats {
  analyzed: boolean;
  dead: number;
  changed: number;
}

async function stats(table: string): Promise<TableStats> {
  // PostgreSQL publishes the counters at most once a second unless asked to.
  await handle().db.execute(sql`SELECT pg_stat_force_next_flush()`);
  const [row] = await handle().rows<{ analyzed: boolean; dead: number; changed: number }>(sql`
    SELECT last_analyze IS NOT NULL AS analyzed, n_dead_tup::int AS dead, n_mod_since_analyze::int AS changed
    FROM pg_stat_user_tables WHERE relname = ${table}`);
  return row;
}

/** Rounds until nothing is due, as the timer would run them; at most one per table and kind of work. */
async function maintainAll(): Promise<string[]> {
  const done: string[] = [];
  for (let i = 0; i < 200; i++) {
    const step = await maintainOneTable(handle());
    if (!step) return done;
    done.push(`${step.action} ${step.table}`);
  }
  throw new Error(`Die Pflege endet nicht: ${done.slice(-5).join(", ")}`);
}

describe("database maintenance on PGlite", () => {
  it("analyzes a table after many changes and vacuums it after many deletions, one table per round", async () => {
    await handle().db.execute(sql`CREATE TABLE pflege_probe (id int PRIMARY KEY, text text)`);
    await handle().db.execute(sql`INSERT INTO pflege_probe SELECT g, 'Zeile ' || g FROM generate_series(1, 2000) AS g`);
    expect(await stats("pflege_probe")).toMatchObject({ analyzed: false, changed: 2000 });

    // The new table is furthest past its threshold, so it comes first.
    expect(await maintainOneTable(handle())).toEqual({ table: "pflege_probe", action: "ANALYZE" });
    expect(await stats("pflege_probe")).toMatchObject({ analyzed: true, changed: 0 });
    const [estimate] = await handle().rows<{ rows: number }>(
      sql`SELECT reltuples::int AS rows FROM pg_class WHERE relname = 'pflege_probe'`,
    );
    expect(estimate.rows).toBe(2000);

    await handle().db.execute(sql`DELETE FROM pflege_probe WHERE id > 500`);
    expect((await stats("pflege_probe")).dead).toBe(1500);
    expect(await maintainOneTable(handle())).toEqual({ table: "pflege_probe", action: "VACUUM ANALYZE" });
    expect(await stats("pflege_probe")).toMatchObject({ dead: 0, changed: 0 });

    // The rest of the freshly migrated database, then nothing is due.
    const rest = await maintainAll();
    expect(rest).not.toContain("ANALYZE pflege_probe");
    expect(await maintainOneTable(handle())).toBeNull();

    // A few changes stay under the threshold (50 + 10 % of 500 rows).
    await handle().db.execute(sql`UPDATE pflege_probe SET text = 'geändert' WHERE id <= 90`);
    expect(await maintainOneTable(handle())).toBeNull();
  });
});
