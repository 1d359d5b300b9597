/**
 * Merkliste: kinds, their German names and filter slugs, and when a reminder is due. Pure and browser-safe.
 */
import { berlinDay, parseBerlinLocal } from "./time.ts";

export const bookmarkKinds = ["post", "thread", "material"] as const;
export type BookmarkKind = (typeof bookmarkKinds)[number];

export function isBookmarkKind(value: unknown): value is BookmarkKind {
  return typeof value === "string" && (bookmarkKinds as readonly string[]).includes(value);
}

/** The list's filters (`?art=`), in the order the page offers them. */
export const bookmarkFilters = {
  beitraege: { kind: "post", label: "Beiträge" },
  diskussionen: { kind: "thread", label: "Diskussionen" },
  materialien: { kind: "material", label: "Materialien" },
} as const satisfies Record<string, { kind: BookmarkKind; label: string }>;
export type BookmarkFilter = keyof typeof bookmarkFilters;

export function isBookmarkFilter(value: unknown): value is BookmarkFilter {
  return typeof value === "string" && Object.hasOwn(bookmarkFilters, value);
}

export const bookmarkKindLabels: Record<BookmarkKind, string> = {
  post: "Beitrag",
  thread: "Diskussion",
  material: "Material",
};

export const NOTE_MAX = 500;
/** Reminders go out at this hour (Berlin time) on the chosen day. */
export const REMINDER_HOUR = 8;
/** The furthest a reminder may lie ahead, in years. */
export const REMINDER_MAX_YEARS = 5;

/**
 * A reminder day as typed into a date field: the instant it is due, or a German message. Today is allowed (a
 * reminder for today after the hour is due at once); the past, impossible days and days too far ahead are not.
 */
export function reminderFromDay(day: string, now: Date): { at: Date } | { error: string } {
  const read = /^\d{4}-\d{2}-\d{2}$/.test(day)
    ? parseBerlinLocal(`${day}T${String(REMINDER_HOUR).padStart(2, "0")}:00`)
    : null;
  if (!read?.ok) return { error: "Bitte gib ein gültiges Datum an (TT.MM.JJJJ)." };
  const today = berlinDay(now);
  if (day < today) return { error: "Dieses Datum liegt in der Vergangenheit. Wähle heute oder einen späteren Tag." };
  const limit = `${Number(today.slice(0, 4)) + REMINDER_MAX_YEARS}${today.slice(4)}`;
  if (day > limit) return { error: `Eine Erinnerung kann höchstens ${REMINDER_MAX_YEARS} Jahre im Voraus liegen.` };
  return { at: read.at };
}
