/** The benchmarks use the same throwaway PostgreSQL 15 cluster as the test run. */
export { startCluster, freePort, type Cluster } from "../../tests/setup/pgcluster.ts";
