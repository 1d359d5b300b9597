/**
 * When digests go out: every day at DIGEST_HOUR Berlin time, the weekly one on Mondays at the same hour. Pure, with
 * the clock passed in, so tests (and a server that was down over the hour) get the same answer. Berlin days and
 * times come from the one time module.
 */
import { addDays, berlinDay, berlinInstant, mondayOf } from "../time.ts";
import type { DigestPeriod } from "./types.ts";

export const DIGEST_HOUR = 7;

/** DIGEST_HOUR on a Berlin calendar day (07:00 exists on every day, the change days included). */
function slotOn(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return berlinInstant(y, m, d, DIGEST_HOUR);
}

/** The latest scheduled digest time at or before `now`. */
export function digestSlot(period: DigestPeriod, now: Date): Date {
  let day = berlinDay(now);
  if (slotOn(day).getTime() > now.getTime()) day = addDays(day, -1);
  return slotOn(period === "weekly" ? mondayOf(day) : day);
}

/** How far ahead "upcoming rounds" look. */
export const UPCOMING_MS: Record<DigestPeriod, number> = { daily: 7 * 24 * 3600_000, weekly: 14 * 24 * 3600_000 };
