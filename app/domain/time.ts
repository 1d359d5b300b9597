/**
 * The one time module: the site lives in Berlin time. Everything that turns an instant into what a German reader sees
 * (dates, times, weekdays, week ranges), a datetime-local form value into an instant, or an instant into its Berlin
 * calendar day goes through here, on the server and in the browser alike (pure, no React, no I/O).
 *
 * The zone's rules come from the ICU time-zone data behind Intl (full ICU in Node 20 and every browser), asked for
 * one thing only: Berlin's wall-clock reading of an instant. All text is built from those numbers, not with Intl's
 * German patterns, so the server and every browser write exactly the same characters (no hydration drift, no ICU
 * version adding or dropping a dot).
 *
 * Daylight saving (ADR 036): on the last Sunday of March the clocks jump from 02:00 to 03:00, so a wall time from
 * 02:00 to 02:59 does not exist: a form refuses it with a German message, and internal schedules move it forward by
 * the hour (02:30 → 03:30). On the last Sunday of October 02:00 to 02:59 happens twice: it means the first of the
 * two (still summer time), the same choice as Temporal's "compatible" and calendar apps.
 */
export const TIME_ZONE = "Europe/Berlin";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Berlin's wall-clock reading of an instant; month 1–12, weekday 0 Sunday … 6 Saturday. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** The wall-clock reading, as if it were UTC (milliseconds): calendar arithmetic on it has no daylight saving. */
function wallMs(instant: number): number {
  let year = 0,
    month = 0,
    day = 0,
    hour = 0,
    minute = 0,
    second = 0;
  for (const p of partsFormat.formatToParts(instant)) {
    if (p.type === "year") year = +p.value;
    else if (p.type === "month") month = +p.value;
    else if (p.type === "day") day = +p.value;
    else if (p.type === "hour")
      hour = +p.value % 24; // some ICU versions write midnight as 24 even with h23
    else if (p.type === "minute") minute = +p.value;
    else if (p.type === "second") second = +p.value;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((instant % 1000) + 1000) % 1000);
}

/** Berlin's offset from UTC at an instant (one or two hours). */
function offsetAt(instant: number): number {
  return wallMs(instant) - instant;
}

function toInstant(value: Date | string | number): number {
  return typeof value === "number" ? value : new Date(value).getTime();
}

export function berlinWallClock(value: Date | string | number): WallClock {
  const w = new Date(wallMs(toInstant(value)));
  return {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth() + 1,
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
    second: w.getUTCSeconds(),
    weekday: w.getUTCDay(),
  };
}

/**
 * The instants at which Berlin's clocks show a wall time (given as if UTC): none in the spring gap, two in the
 * autumn overlap (earlier first), otherwise one. The offsets a day before and after cover every transition.
 */
function instantsOf(wall: number): number[] {
  const offsets = [...new Set([offsetAt(wall - DAY_MS), offsetAt(wall + DAY_MS)])].sort((a, b) => b - a);
  return offsets.map((o) => wall - o).filter((t) => wallMs(t) === wall);
}

/**
 * The instant of a Berlin wall time. A time the spring change skips moves forward by the length of the gap (02:30 →
 * 03:30 summer time); a time the autumn change repeats is the first of the two (summer time).
 */
export function berlinInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const found = instantsOf(wall);
  if (found.length > 0) return new Date(found[0]);
  return new Date(wall - offsetAt(wall - DAY_MS)); // the offset before the gap: lands after it
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "2026-12-07T14:30": the value for a datetime-local field showing this instant in Berlin time. */
export function toBerlinLocal(value: Date | string | number): string {
  const w = berlinWallClock(value);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The Berlin calendar day of an instant ("2026-12-07"), as usage counters, download marks and reminders keep it. */
export function berlinDay(value: Date | string | number): string {
  return toBerlinLocal(value).slice(0, 10);
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day ("2026-02-30" is none) as UTC midnight of that day, for plain calendar arithmetic; null if none. */
function dayMs(day: string): number | null {
  const m = DAY_PATTERN.exec(day);
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : null;
}

/** A calendar day moved by whole days or years ("2028-02-29" plus one year is "2029-02-28"). */
export function addDays(day: string, days: number): string {
  const ms = dayMs(day);
  if (ms === null) throw new RangeError(`Kein Kalendertag: ${day}`);
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

export function addYears(day: string, years: number): string {
  const ms = dayMs(day);
  if (ms === null) throw new RangeError(`Kein Kalendertag: ${day}`);
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

/** The weekday of a calendar day: 0 Sunday … 6 Saturday. */
export function weekdayOf(day: string): number {
  const ms = dayMs(day);
  if (ms === null) throw new RangeError(`Kein Kalendertag: ${day}`);
  return new Date(ms).getUTCDay();
}

/** The Monday of a calendar day's week (German weeks run Monday to Sunday). */
export function mondayOf(day: string): string {
  return addDays(day, -((weekdayOf(day) + 6) % 7));
}

/** The instant a Berlin calendar day ("2026-03-29" or an instant's day) begins: 00:00, which exists every day. */
export function berlinDayStart(day: string): Date {
  const ms = dayMs(day);
  if (ms === null) throw new RangeError(`Kein Kalendertag: ${day}`);
  const d = new Date(ms);
  return berlinInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The instant a Berlin calendar day begins (00:00; 23 or 25 hours before the next on change days). */
export function startOfBerlinDay(value: Date | string | number): Date {
  return berlinDayStart(berlinDay(value));
}

/** The instant the Berlin week (Monday to Sunday) of an instant begins: Monday 00:00. */
export function startOfBerlinWeek(value: Date | string | number): Date {
  return berlinDayStart(mondayOf(berlinDay(value)));
}

export type BerlinLocal = { ok: true; at: Date } | { ok: false; skipped: boolean; message: string };

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * "2026-11-25T14:00" as typed into a datetime-local field, read as Berlin wall time. Refused: anything else
 * (skipped: false; callers may say what the field wants instead) and a time the spring change skips (skipped: true,
 * with a German message naming the hour). The autumn hour that happens twice means the first (summer time).
 */
export function parseBerlinLocal(value: string): BerlinLocal {
  const m = LOCAL_PATTERN.exec(value.trim());
  const day = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
  if (!m || dayMs(day) === null || +m[4] > 23 || +m[5] > 59) {
    return { ok: false, skipped: false, message: "Bitte gib ein gültiges Datum mit Uhrzeit an (TT.MM.JJJJ, hh:mm)." };
  }
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  const found = instantsOf(wall);
  if (found.length === 0) {
    return {
      ok: false,
      skipped: true,
      message: `Am ${formatDay(day)} gibt es ${m[4]}:${m[5]} Uhr nicht: Die Uhren springen in dieser Nacht von 2 auf 3 Uhr (Sommerzeit). Bitte wähle eine andere Uhrzeit.`,
    };
  }
  return { ok: true, at: new Date(found[0]) };
}

/** "2026-12-07" as "07.12.2026". */
function formatDay(day: string): string {
  return `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
}

/**
 * Formatting costs a few microseconds per date, and list pages show the same dates to every reader, so each
 * formatter keeps what it made (bounded; an instant's text never changes).
 */
function kept(make: (w: WallClock) => string): (value: Date | string | number) => string {
  const made = new Map<number, string>();
  return (value) => {
    const time = toInstant(value);
    let text = made.get(time);
    if (text === undefined) {
      text = make(berlinWallClock(time));
      if (made.size >= 20_000) made.clear();
      made.set(time, text);
    }
    return text;
  };
}

const WEEKDAYS = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"];

const dateText = (w: WallClock) => `${pad(w.day)}.${pad(w.month)}.${w.year}`;
const timeText = (w: WallClock) => `${pad(w.hour)}:${pad(w.minute)}`;

/** "07.12.2026" */
export const formatDate = kept(dateText);
/** "14:30" (callers add "Uhr" where a sentence wants it) */
export const formatTime = kept(timeText);
/** "07.12.2026, 14:30" */
export const formatDateTime = kept((w) => `${dateText(w)}, ${timeText(w)}`);
/** "Montag" */
export const formatWeekday = kept((w) => WEEKDAYS[w.weekday]);

/** A week from its Monday ("2026-09-21"): "21.09.–27.09." (the end is the Sunday, also across a year's end). */
export function formatWeekRange(monday: string): string {
  const dayMonth = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.`;
  return `${dayMonth(monday)}–${dayMonth(addDays(monday, 6))}`;
}

/** An instant in iCalendar's UTC form ("20261207T133000Z", RFC 5545 §3.3.5): calendar apps convert it themselves. */
export function icsUtc(value: Date): string {
  return value
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}
