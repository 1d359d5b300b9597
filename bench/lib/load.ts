/** Load and timing measurements shared by the page benchmarks (autocannon, sequential requests, server CPU). */
import fs from "node:fs";
import autocannon from "autocannon";
import { log, percentile, round } from "./run.ts";

export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p97_5: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU time (user + system) the server's processes spent per request: what bounds the throughput. */
  serverCpuMsPerRequest: number | null;
}

/** User + system CPU time of a process so far, in ms (Linux /proc; null elsewhere). */
export function cpuMs(pid: number): number | null {
  try {
    const fields = fs
      .readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /, "")
      .split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The process and its children (a cluster's workers), from /proc. */
export function processTree(pid: number): number[] {
  const pids = [pid];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (children) pids.push(...children.split(" ").map(Number));
    }
  } catch {
    // not Linux, or gone
  }
  return pids;
}

/** CPU time of a process and its children (summed over the tree as it is now), in ms. */
export function treeCpuMs(pid: number): number | null {
  const all = processTree(pid).map(cpuMs);
  return all.some((ms) => ms === null) ? null : all.reduce((a, b) => a! + b!, 0);
}

/** Peak resident memory (VmHWM) of each process of the tree, in MB. */
export function peakRssMb(pid: number): number[] {
  return processTree(pid).map((p) => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
      return match ? round(Number(match[1]) / 1024) : NaN;
    } catch {
      return NaN;
    }
  });
}

export async function load(
  url: string,
  cookie: string,
  connections: number,
  durationS: number,
  serverPid?: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpuBefore = serverPid ? treeCpuMs(serverPid) : null;
  // Without a callback autocannon returns its running instance, an event emitter that is also a promise of the result.
  const instance = autocannon({
    url,
    connections,
    duration: durationS,
    headers: { cookie, "accept-encoding": "gzip" },
    timeout: 10,
  }) as unknown as Promise<autocannon.Result> & import("node:events").EventEmitter;
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
    latencies.push(responseTime),
  );
  const result = await instance;
  const cpuAfter = serverPid ? treeCpuMs(serverPid) : null;
  latencies.sort((a, b) => a - b);
  const total = latencies.length;
  return {
    connections,
    durationS,
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.total / durationS),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p97_5: round(percentile(latencies, 97.5)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[total - 1] ?? NaN),
      mean: round(total ? latencies.reduce((a, b) => a + b, 0) / total : NaN),
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    serverCpuMsPerRequest:
      cpuBefore !== null && cpuAfter !== null && total ? round((cpuAfter - cpuBefore) / total, 2) : null,
  };
}

/**
 * The load part every page benchmark shares: a warm-up at 10 connections, then one run per connection count, each
 * logged to stderr as it ends. `label` prefixes the log lines when a benchmark measures several pages.
 */
export async function warmAndLoad(
  url: string,
  cookie: string,
  options: { warmupS: number; durationS: number; concurrency: readonly number[]; serverPid: number; label?: string },
): Promise<LoadResult[]> {
  const prefix = options.label ? `${options.label}: ` : "";
  log(`${prefix}aufwärmen ${options.warmupS} s …`);
  await load(url, cookie, 10, options.warmupS);
  const results: LoadResult[] = [];
  for (const connections of options.concurrency) {
    log(`${prefix}${connections} Verbindungen, ${options.durationS} s …`);
    results.push(await load(url, cookie, connections, options.durationS, options.serverPid));
    log(`  ${JSON.stringify(results.at(-1))}`);
  }
  return results;
}

/** Sequential requests without concurrency: where does the page's time go, the loader (single-fetch .data) or render? */
export async function profile(url: string, cookie: string, n = 30) {
  const time = async (target: string) => {
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const response = await fetch(target, { headers: { cookie } });
      bytes = (await response.arrayBuffer()).byteLength;
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return { medianMs: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)), bytes };
  };
  const page = await time(url);
  const loaderOnly = await time(url.replace(/\/?$/, ".data"));
  return {
    sequentialRequests: n,
    htmlPage: page,
    loaderDataOnly: loaderOnly,
    renderShareOfMedian: round(Math.max(0, page.medianMs - loaderOnly.medianMs) / page.medianMs, 2),
  };
}
