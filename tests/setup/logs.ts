/**
 * The logs of the whole test run (ADR 043): every server a test starts writes its log lines to
 * `.cache/test-logs/<pid>.log` (in-process servers through the log sink set in console.ts, child servers by their
 * captured output), and `scripts/test.sh` scans them after vitest for the demo members' names, handles and e-mail
 * addresses (`tests/setup/scan-logs.ts`). Personal data in a log line fails the run.
 */
import fs from "node:fs";
import path from "node:path";
import type { LogSink } from "../../app/log.server.ts";
import { demoMembers } from "../../db/seed/content.ts";

export const TEST_LOG_DIR = path.resolve(import.meta.dirname, "../../.cache/test-logs");

let fd: number | undefined;
function file(): number {
  if (fd === undefined) {
    fs.mkdirSync(TEST_LOG_DIR, { recursive: true });
    fd = fs.openSync(path.join(TEST_LOG_DIR, `${process.pid}.log`), "a");
  }
  return fd;
}

/** Appends text (whole lines) to this process's test log. */
export function appendTestLog(text: string): void {
  if (text) fs.writeSync(file(), text.endsWith("\n") ? text : `${text}\n`);
}

/** Lines go to the file; errors also to console.error, where an unexpected one fails the test (console.ts). */
export function testLogSink(): LogSink {
  return {
    write(line: string) {
      appendTestLog(line);
      if (line.includes('"level":"error"') || line.includes('"level":"fatal"')) console.error(line.trimEnd());
    },
  };
}

/** What must never appear in a log line: every demo member's display name, handle and e-mail address. */
export function personalNeedles(): string[] {
  return demoMembers.flatMap((m) => [m.displayName, m.handle, m.email]);
}

export interface Finding {
  file: string;
  line: number;
  needle: string;
}

/** Every line of every `*.log` file in `dir` that contains one of the needles (case-insensitive). */
export function scanLogs(dir: string, needles: string[]): Finding[] {
  if (!fs.existsSync(dir)) return [];
  const lower = needles.map((n) => n.toLowerCase());
  const findings: Finding[] = [];
  for (const name of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".log"))
    .sort()) {
    const lines = fs.readFileSync(path.join(dir, name), "utf8").split("\n");
    lines.forEach((text, i) => {
      const line = text.toLowerCase();
      const hit = lower.findIndex((n) => line.includes(n));
      if (hit >= 0) findings.push({ file: name, line: i + 1, needle: needles[hit] });
    });
  }
  return findings;
}
