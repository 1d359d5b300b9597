/**
 * Checks for values that come from outside (URLs, forms, sockets) and end up in SQL: PostgreSQL refuses a malformed
 * UUID, an impossible date and a NUL byte with an error, so they are refused here, at the boundary, instead.
 * Shared by the zod schemas and the model functions (input.server.ts).
 */
import { z } from "./zod.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** "2026-02-28" yes, "2026-02-30" no (Date.parse accepts it and rolls over into March). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A calendar day as typed into a date field ("2026-11-24"). */
export const calendarDay = z.string().refine(isCalendarDay, "Bitte gib ein gültiges Datum an (TT.MM.JJJJ).");
