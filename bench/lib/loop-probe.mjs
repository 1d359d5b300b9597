// Preloaded into a server process by bench/hostile.ts (NODE_OPTIONS=--import): every 250 ms one line on stdout with
// the largest event-loop delay of that interval (perf_hooks.monitorEventLoopDelay) and the resident memory.
// Plain JavaScript, because NODE_OPTIONS imports run before tsx is loaded.
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
setInterval(() => {
  const line = { maxMs: Math.round(histogram.max / 1e4) / 100, rss: process.memoryUsage().rss, at: Date.now() };
  histogram.reset();
  process.stdout.write(`LOOP_PROBE ${JSON.stringify(line)}\n`);
}, 250).unref();
