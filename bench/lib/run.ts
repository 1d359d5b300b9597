/** What every benchmark needs: a log on stderr (stdout is the JSON), cleanup of all it started, a seeded PRNG. */
import os from "node:os";

export const log = (line: string) => process.stderr.write(`${line}\n`);

/** Things to undo at the end, last first; also run on Ctrl-C, so no server or cluster is left behind. */
export const cleanups: (() => Promise<void> | void)[] = [];

export async function cleanupAll(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (error) {
      log(`Aufräumen fehlgeschlagen: ${(error as Error).message}`);
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: räume auf …`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

/** A small deterministic PRNG, so every run seeds the same data. */
export function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The p-th percentile of an ascending list (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The 1-, 5- and 15-minute load averages: a figure taken on a busy machine says so. */
export function loadAverage(): number[] {
  return os.loadavg().map((n) => round(n, 2));
}

/**
 * How fast the machine is right now: milliseconds for a fixed piece of string, JSON and sorting work (the median of
 * three). This machine's speed changes by a quarter or more from one minute to the next, and by more between hours;
 * the figure at the start and at the end of a benchmark tells a slow run from a slow machine.
 */
export function referenceWorkMs(): number {
  const samples: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    let checksum = 0;
    for (let i = 0; i < 5_000; i++) {
      const items = Array.from({ length: 50 }, (_, j) => ({
        id: `beitrag-${i}-${j}`,
        text: `Lernbegleitung ${(i * 31 + j * 17) % 97}`,
        n: (i * j) % 13,
      }));
      const html = items.map((item) => `<li id="${item.id}">${item.text.replace(/[&<>]/g, "")}</li>`).join("");
      const parsed = JSON.parse(JSON.stringify(items)) as typeof items;
      parsed.sort((a, b) => a.n - b.n || a.text.localeCompare(b.text));
      checksum += html.length + parsed[0].n;
    }
    samples.push(performance.now() - started + (checksum < 0 ? 1 : 0));
  }
  samples.sort((a, b) => a - b);
  return round(samples[1]);
}

/** What a report says about the machine it was measured on. */
export function machineReport(loadAtStart: number[], referenceWorkMsAtStart?: number) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    memoryGb: round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAverage(),
    ...(referenceWorkMsAtStart === undefined
      ? {}
      : { referenceWorkMsAtStart, referenceWorkMsAtEnd: referenceWorkMs() }),
  };
}

/** Runs a benchmark: a failure is logged and sets exit code 1; whatever it started is cleaned up in any case. */
export async function runBenchmark(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    log(`Benchmark fehlgeschlagen: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}
