import { afterEach, beforeEach, expect, vi } from "vitest";
import { configureLog } from "../../app/log.server.ts";
import { testLogSink } from "./logs.ts";

// Server log lines go to .cache/test-logs (scanned after the run for personal data); errors also to console.error.
configureLog({ sink: testLogSink() });

/** An unexpected console.error fails the test; a test that expects one calls allowConsoleError(pattern). */
let allowed: RegExp[] = [];
let spy: ReturnType<typeof vi.spyOn> | undefined;
const unexpected: string[] = [];

export function allowConsoleError(pattern: RegExp): void {
  allowed.push(pattern);
}

beforeEach(() => {
  allowed = [];
  unexpected.length = 0;
  const original = console.error.bind(console);
  spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    const text = args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" ");
    if (!allowed.some((p) => p.test(text))) unexpected.push(text);
    original(...args);
  });
});

afterEach(() => {
  spy?.mockRestore();
  expect(unexpected, "unexpected console.error").toEqual([]);
});
