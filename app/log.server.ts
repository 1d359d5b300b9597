/**
 * The server's log (ADR 043): one JSON object per line (pino), `{"level":"info","time":…,"msg":"…", …fields}`.
 *
 * What never goes into a line: names, e-mail addresses, message texts, search terms, case content, raw paths (a
 * member's page is /mitglieder/<name>), query strings. Callers log ids, counts and route patterns; errors go through
 * `errorFields`, which drops drizzle's query parameters and anything shaped like an e-mail address.
 *
 * The Remix build and the Express server are separate module graphs; the logger lives on `globalThis` so both write
 * through the same one (level and destination set once by the server, or by the test set-up).
 */
import pino, { type Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where lines go: stdout by default; tests send them to a file (tests/setup/console.ts). */
export interface LogSink {
  write(line: string): void;
}

declare global {
  var __companionLog: Logger | undefined;
  var __companionLogSink: LogSink | undefined;
}

function create(level: LogLevel, sink: LogSink | undefined): Logger {
  return pino(
    {
      level,
      base: undefined,
      // "level":"info" instead of 30: read by people and by log shippers alike.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    sink ?? pino.destination({ dest: 1, sync: true }),
  );
}

export function log(): Logger {
  return (globalThis.__companionLog ??= create("info", globalThis.__companionLogSink));
}

/** Sets the level (LOG_LEVEL) and, for tests, the destination. */
export function configureLog(options: { level?: LogLevel; sink?: LogSink }): void {
  if (options.sink) globalThis.__companionLogSink = options.sink;
  globalThis.__companionLog = create(
    options.level ?? (globalThis.__companionLog?.level as LogLevel | undefined) ?? "info",
    globalThis.__companionLogSink,
  );
}

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;
/** drizzle puts the statement's parameters (what members typed) into its error message: "Failed query: …\nparams: …". */
const PARAMS = /\nparams: [\s\S]*?(?=\n {4}at |$)/g;

export function redact(text: string): string {
  return text.replace(PARAMS, "\nparams: [entfernt]").replace(EMAIL, "[E-Mail entfernt]");
}

/** An error as log fields: kind, SQLSTATE-like code, message and stack without parameters or addresses. */
export function errorFields(error: unknown): { err: { type: string; code?: string; message: string; stack?: string } } {
  if (!(error instanceof Error)) return { err: { type: typeof error, message: redact(String(error)) } };
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  return {
    err: {
      type: error.name,
      ...(typeof code === "string" ? { code } : {}),
      message: redact(error.message),
      ...(error.stack ? { stack: redact(error.stack) } : {}),
    },
  };
}
