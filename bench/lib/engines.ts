/** The engines a benchmark measures: PGlite, then PostgreSQL 15 in a throwaway cluster; BENCH_ENGINES=pglite or
 * =postgres measures one of them only. */
import { startCluster, type Cluster } from "../../tests/setup/pgcluster.ts";
import { cleanups, log } from "./run.ts";

export async function forEachEngine<T>(
  bench: (engine: "pglite" | "postgres", cluster: Cluster | null) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  if (process.env.BENCH_ENGINES !== "postgres") results.push(await bench("pglite", null));
  if (process.env.BENCH_ENGINES !== "pglite") {
    log("\nPostgreSQL 15 starten …");
    const cluster = await startCluster();
    cleanups.push(() => cluster.stop());
    results.push(await bench("postgres", cluster));
  }
  return results;
}
