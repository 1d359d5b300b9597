/**
 * When digests go out: every day at DIGEST_HOUR Berlin time, the weekly one on Mondays at the same hour. Pure, with
 * the clock passed in, so tests (and a server that was down over the hour) get the same answer.
 */
import type { DigestPeriod } from "./types.ts";

export const DIGEST_HOUR = 7;
const ZONE = "Europe/Berlin";

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Berlin's wall-clock reading of an instant. */
function wallClock(instant: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute, second: +p.second };
}

/** The instant at which Berlin's clocks show the given local date and hour (hours that exist; 07:00 always does). */
export function berlinTime(year: number, month: number, day: number, hour: number): Date {
  const guess = Date.UTC(year, month - 1, day, hour);
  // Berlin is UTC+1 or UTC+2: correct the guess by the offset its wall-clock reading shows, twice for DST edges.
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(instant));
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    instant -= shown - guess;
  }
  return new Date(instant);
}

/** The latest scheduled digest time at or before `now`. */
export function digestSlot(period: DigestPeriod, now: Date): Date {
  const w = wallClock(now);
  // Local calendar arithmetic in UTC fields (no DST there); the result is converted back at the end.
  const local = new Date(Date.UTC(w.year, w.month - 1, w.day));
  let slot = berlinTime(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), DIGEST_HOUR);
  if (slot.getTime() > now.getTime()) {
    local.setUTCDate(local.getUTCDate() - 1);
  }
  if (period === "weekly") {
    // getUTCDay of the local date: 0 Sunday … 1 Monday.
    const back = (local.getUTCDay() + 6) % 7;
    local.setUTCDate(local.getUTCDate() - back);
  }
  slot = berlinTime(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), DIGEST_HOUR);
  return slot;
}

/** How far ahead "upcoming rounds" look. */
export const UPCOMING_MS: Record<DigestPeriod, number> = { daily: 7 * 24 * 3600_000, weekly: 14 * 24 * 3600_000 };
