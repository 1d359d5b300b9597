// Preloaded into a server process by bench/hostile.ts (NODE_OPTIONS=--import): every 250 ms one line on stdout with
// the largest event-loop delay of that interval (perf_hooks.monitorEventLoopDelay), the longest garbage-collection
// pause in it (to tell a collection from our own code holding the loop) and the resident memory.
// Plain JavaScript, because NODE_OPTIONS imports run before tsx is loaded.
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let gcMaxMs = 0;
let gcKind = "";
// perf_hooks.constants.NODE_PERFORMANCE_GC_*: a scavenge of the young generation or a full mark-compact, and the rest.
const KINDS = { 1: "minor", 4: "major", 8: "incremental", 16: "weakcb" };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.duration <= gcMaxMs) continue;
    gcMaxMs = entry.duration;
    gcKind = KINDS[entry.detail?.kind] ?? String(entry.detail?.kind);
  }
}).observe({ entryTypes: ["gc"] });
setInterval(() => {
  const line = {
    maxMs: Math.round(histogram.max / 1e4) / 100,
    gcMaxMs: Math.round(gcMaxMs * 100) / 100,
    gcKind,
    rss: process.memoryUsage().rss,
    at: Date.now(),
  };
  histogram.reset();
  gcMaxMs = 0;
  gcKind = "";
  process.stdout.write(`LOOP_PROBE ${JSON.stringify(line)}\n`);
}, 250).unref();
