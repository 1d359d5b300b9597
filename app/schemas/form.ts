import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Parses a submitted form with a zod schema; on failure returns the first German message per field and the
 * submitted text, so the page can show the message next to the field and keep what the user typed. */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.infer<S>> {
  const limits = fieldLimits(schema);
  const values = keptValues(formData, limits);
  // A field longer than the schema allows is refused before anything (zod, the model, a check in the page) reads it.
  const oversized: FieldErrors = {};
  for (const [key, max] of Object.entries(limits)) {
    const value = formData.get(key);
    if (typeof value === "string" && value.length > max && value.trim().length > max) oversized[key] = tooLong(max);
  }
  if (Object.keys(oversized).length > 0) return { ok: false, errors: oversized, values };
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
 * What the member typed, to send back with a refusal so the form keeps it. Passwords are never sent back, and each
 * value is cut to what its field accepts (`limits`, from the schema) or else to a little more than any field accepts:
 * a refused 10 MB body must not come back as 20 MB, nor reach a check that runs while the page renders.
 */
export function keptValues(formData: FormData, limits: Record<string, number> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !/password|passwort/i.test(key))
      values[key] = value.slice(0, limits[key] ?? KEEP_MAX);
  }
  return values;
}

export function tooLong(max: number): string {
  return `Dieser Text ist zu lang: höchstens ${max.toLocaleString("de-DE")} Zeichen.`;
}

/** The longest text each field of an object schema accepts (its `.max()`), by field name. */
export function fieldLimits(schema: z.ZodType): Record<string, number> {
  const shape = (schema as unknown as { shape?: Record<string, SchemaField> }).shape;
  const limits: Record<string, number> = {};
  for (const [key, outer] of Object.entries(shape ?? {})) {
    let field: SchemaField | undefined = outer;
    // Through .default() and .optional() to the string inside.
    while (field && typeof field.maxLength !== "number" && field._zod?.def?.innerType) field = field._zod.def.innerType;
    if (typeof field?.maxLength === "number") limits[key] = field.maxLength;
  }
  return limits;
}

interface SchemaField {
  maxLength?: number | null;
  _zod?: { def?: { innerType?: SchemaField } };
}
