/**
 * What autovacuum does on a PostgreSQL server, for the embedded PGlite: PGlite runs PostgreSQL in single-user mode,
 * where no autovacuum worker ever starts. Without it, tables are never analyzed (the planner guesses every row count,
 * and search picked plans 3–5× slower than with statistics) and dead rows are never reclaimed.
 *
 * Each round looks at PostgreSQL's own counters and treats at most one table, the one furthest past its threshold,
 * with autovacuum's default thresholds: analyze after 50 + 10 % of the rows changed, vacuum after 50 + 20 % died.
 * PGlite runs on the server's one thread, and requests wait while a table is treated: one table per round bounds
 * each pause to that table (ANALYZE samples, ~3 s for all tables of 110 000 search documents; VACUUM reads the whole
 * table, so a large one that lost a fifth of its rows pauses longer).
 */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client.ts";

const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;

export interface MaintenanceStep {
  table: string;
  action: "VACUUM ANALYZE" | "ANALYZE";
}

/** Treats the table that needs it most, if any, and says what it did. */
export async function maintainOneTable(handle: DatabaseHandle): Promise<MaintenanceStep | null> {
  // The counters reach pg_stat_user_tables at most once a second; the latest ones decide.
  await handle.db.execute(sql`SELECT pg_stat_force_next_flush()`);
  const vacuumAt = sql`(${VACUUM_BASE}::float8 + ${VACUUM_SCALE}::float8 * n_live_tup)`;
  const analyzeAt = sql`(${ANALYZE_BASE}::float8 + ${ANALYZE_SCALE}::float8 * n_live_tup)`;
  const [due] = await handle.rows<{ table: string; vacuum: boolean }>(sql`
    SELECT relname AS table, n_dead_tup > ${vacuumAt} AS vacuum
    FROM pg_stat_user_tables
    WHERE schemaname = 'public' AND (n_dead_tup > ${vacuumAt} OR n_mod_since_analyze > ${analyzeAt})
    ORDER BY greatest(n_dead_tup / ${vacuumAt}, n_mod_since_analyze / ${analyzeAt}) DESC, relname
    LIMIT 1`);
  if (!due) return null;
  const action = due.vacuum ? "VACUUM ANALYZE" : "ANALYZE";
  await handle.db.execute(sql`${sql.raw(action)} ${sql.identifier(due.table)}`);
  return { table: due.table, action };
}

/** On PGlite: a round every few minutes (PostgreSQL servers have their own autovacuum). Returns a stop function. */
export function startMaintenance(
  handle: DatabaseHandle,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): () => void {
  if (handle.kind !== "pglite") return () => {};
  let running = false;
  const timer = setInterval(
    () => {
      if (running) return;
      running = true;
      maintainOneTable(handle)
        .catch((error) => options.onError?.(error))
        .finally(() => (running = false));
    },
    options.intervalMs ?? 5 * 60_000,
  );
  timer.unref();
  return () => clearInterval(timer);
}
