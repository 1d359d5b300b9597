/**
 * The primary of a service of several workers on PostgreSQL (ADR 041, `WEB_CONCURRENCY`). It listens on PORT and
 * hands each connection to a worker: a socket.io long-polling request goes to the worker that holds its session
 * (@socket.io/sticky reads the `sid` from the first packet), any other connection to the worker with the fewest
 * sockets. Live events cross workers through the PostgreSQL adapter (ADR 003); worker 1 runs the timed jobs. A worker
 * that dies is started again in its place (with its role). The primary holds none of the site's code.
 */
import cluster, { type Worker } from "node:cluster";
import http from "node:http";
import sticky from "@socket.io/sticky";
import type { Env } from "../app/env.server.ts";
import { onStopSignal } from "./lifecycle.ts";

const RESTART_DELAY_MS = 1000;

export async function runPrimary(config: Env, count: number): Promise<void> {
  // Buffers (request bodies the primary relays) cross to the workers as bytes, not as JSON arrays.
  cluster.setupPrimary({ serialization: "advanced" });
  const server = http.createServer();
  sticky.setupMaster(server, { loadBalancingMethod: "least-connection" });

  const workers: (Worker | null)[] = Array.from({ length: count }, () => null);
  let stopping = false;
  let serving = false;

  const fork = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ COMPANION_WORKER_INDEX: String(index) });
      workers[index] = worker;
      let ready = false;
      worker.on("message", (message: { type?: string }) => {
        if (message?.type !== "companion:ready") return;
        ready = true;
        resolve();
      });
      worker.on("exit", (code, signal) => {
        if (workers[index] === worker) workers[index] = null;
        if (!ready) reject(new Error(`Worker ${index + 1} konnte nicht starten (${signal ?? `Code ${code}`}).`));
        if (stopping || !serving) return;
        console.error(`Worker ${index + 1} endete unerwartet (${signal ?? `Code ${code}`}); er wird neu gestartet.`);
        setTimeout(() => {
          if (!stopping) fork(index).catch((error: Error) => console.error(error.message));
        }, RESTART_DELAY_MS);
      });
    });

  const alive = () => workers.filter((w): w is Worker => w !== null && !w.isDead());
  onStopSignal(
    async () => {
      stopping = true;
      server.close();
      const exits = alive().map(
        (worker) => new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code))),
      );
      for (const worker of alive()) if (worker.isConnected()) worker.send({ type: "companion:stop" });
      const codes = await Promise.all(exits);
      if (codes.some((code) => code !== 0))
        throw new Error(`Nicht jeder Worker wurde sauber beendet (Codes ${codes.join(", ")}).`);
    },
    `Server beendet, Datenbank geschlossen (${count} Worker).`,
    () => alive().forEach((worker) => worker.process.kill("SIGKILL")),
  );

  try {
    await Promise.all(workers.map((_, index) => fork(index)));
  } catch (error) {
    console.error((error as Error).message);
    stopping = true;
    for (const worker of alive()) worker.process.kill("SIGTERM");
    process.exitCode = 1;
    return;
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  serving = true;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  console.log(
    `Das Netzwerk läuft auf http://localhost:${port} (Produktion, Datenbank: PostgreSQL, ${count} Worker, Prozess ${process.pid})`,
  );
}
