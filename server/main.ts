/**
 * The server's entry (`node build/node/server.js`, `npm start`, `tsx server/index.ts`): one process on PGlite, or a
 * service of WEB_CONCURRENCY workers on PostgreSQL (server/cluster.ts). Modules are loaded by role, so that a
 * cluster's primary holds none of the site's code.
 */
import cluster from "node:cluster";
import { env, EnvError, workerCount } from "../app/env.server.ts";
import { DRAIN_MS, guardAgainstStrayErrors, onStopSignal } from "./lifecycle.ts";

export async function main(): Promise<void> {
  let config;
  try {
    config = env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  guardAgainstStrayErrors();
  if (cluster.isWorker) return runWorker();
  const workers = workerCount(config);
  if (workers > 1) {
    const { runPrimary } = await import("./cluster.ts");
    return runPrimary(config, workers);
  }
  // Handlers first: a stop signal during start-up waits for the start, then shuts down cleanly (lock released).
  const starting = import("./index.ts").then(({ startServer }) => startServer());
  onStopSignal(async () => (await starting).shutdown(DRAIN_MS), "Server beendet, Datenbank geschlossen.");
  try {
    await starting;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

/** One worker of the service: connections come from the primary; the first worker runs the timed jobs. */
async function runWorker(): Promise<void> {
  const index = Number(process.env.COMPANION_WORKER_INDEX ?? 0);
  const jobs = index === 0;
  // Connections the primary hands over while this worker is still starting wait here, then go to the server.
  const early: [unknown, unknown][] = [];
  const hold = (message: unknown, handle: unknown) => early.push([message, handle]);
  process.on("message", hold);
  const starting = import("./index.ts").then(({ startServer }) =>
    startServer({ quiet: true, jobs, clusterWorker: true }),
  );
  const stop = onStopSignal(
    async () => (await starting).shutdown(DRAIN_MS),
    `Worker ${index + 1} beendet, Datenbank geschlossen.`,
  );
  process.on("message", (message: { type?: string }) => {
    if (message?.type === "companion:stop") stop();
  });
  // The primary is gone (killed): nobody hands over connections any more.
  process.on("disconnect", stop);
  try {
    await starting;
  } catch (error) {
    console.error(`Worker ${index + 1}: ${(error as Error).message}`);
    process.exit(1);
  }
  process.off("message", hold);
  for (const [message, handle] of early) process.emit("message" as never, message as never, handle as never);
  if (jobs) console.log(`Zeitgesteuerte Aufgaben und Suchindex laufen in Worker ${index + 1} (pid ${process.pid}).`);
  process.send?.({ type: "companion:ready" });
}
