/**
 * What every server process does about signals and stray errors (ADR 041): SIGTERM and SIGINT start one clean stop
 * (a second signal while stopping does nothing; systemd signals the whole group, a terminal's Ctrl+C too), which must
 * end within STOP_BUDGET_MS, else the process ends itself (DATA_DIR's lock is released on exit either way). An error
 * that escapes a request (a rejected promise nobody awaited, a throw in a callback) is logged and the process goes
 * on: one request's failure must not end everybody's.
 */

import { errorFields, log } from "../app/log.server.ts";

/** From the signal to the exit; systemd's TimeoutStopSec (docs/deploy/) leaves a margin above it. */
export const STOP_BUDGET_MS = 10_000;
/** Requests under way get this long to finish; the rest of the budget closes jobs and the database. */
export const DRAIN_MS = 7_000;

export function guardAgainstStrayErrors(): void {
  process.on("unhandledRejection", (reason) => {
    log().error(errorFields(reason), "Unbehandelter Fehler in einer Anfrage oder Aufgabe (der Server läuft weiter)");
  });
  process.on("uncaughtException", (error) => {
    log().error(errorFields(error), "Unerwarteter Fehler außerhalb einer Anfrage (der Server läuft weiter)");
  });
}

/**
 * Runs `stop` once on the first SIGTERM or SIGINT (or when `trigger` is called), then exits with 0, or 1 when the
 * stop failed or overran the budget.
 */
export function onStopSignal(stop: () => Promise<void>, done: string, onForce?: () => void): () => void {
  let stopping = false;
  const trigger = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => {
      console.error(`Der Server hat sich nicht binnen ${STOP_BUDGET_MS / 1000} s beendet; er wird jetzt hart beendet.`);
      onForce?.();
      process.exit(1);
    }, STOP_BUDGET_MS);
    force.unref();
    stop().then(
      () => {
        console.log(done);
        process.exit(0);
      },
      (error: unknown) => {
        log().error(errorFields(error), "Beenden fehlgeschlagen");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", trigger);
  process.on("SIGINT", trigger);
  return trigger;
}
