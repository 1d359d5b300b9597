import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Parses a submitted form with a zod schema; on failure returns the first German message per field and the
 * submitted text, so the page can show the message next to the field and keep what the user typed. */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.infer<S>> {
  const values = keptValues(formData);
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    raw[key] = all.length > 1 ? all : all[0];
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** A little above the longest text any field accepts (a post: 50,000 characters). */
const KEEP_MAX = 60_000;

/**
 * What the member typed, to send back with a refusal so the form keeps it. Passwords are never sent back, and a
 * huge paste is cut to a little more than any field accepts (a refused 10 MB body must not come back as 20 MB).
 */
export function keptValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !/password|passwort/i.test(key)) values[key] = value.slice(0, KEEP_MAX);
  }
  return values;
}
