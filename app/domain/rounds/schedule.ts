/** Times of a round: registration open or not, which reminders are due, Berlin wall-clock times from forms. Pure. */
export const REMINDER_24H_MS = 24 * 60 * 60 * 1000;
export const REMINDER_15MIN_MS = 15 * 60 * 1000;

export interface RoundTimes {
  startsAt: Date;
  endsAt: Date;
  registrationDeadline: Date;
  status: "scheduled" | "live" | "closed" | "published" | "cancelled";
}

/** Until the deadline, also when the hosts opened the room early. */
export function registrationOpen(round: RoundTimes, now: Date): boolean {
  return (round.status === "scheduled" || round.status === "live") && now.getTime() <= round.registrationDeadline.getTime() && now < round.endsAt;
}

/** Past rounds are those that ended (or were closed); everything else is upcoming. */
export function isPast(round: RoundTimes, now: Date): boolean {
  return round.status === "closed" || round.status === "published" || ((round.status === "scheduled" || round.status === "cancelled") && round.endsAt < now);
}

/**
 * Which reminder is due now: "24h" from 24 hours before the start until 15 minutes before, "15min" in the last 15
 * minutes. Someone who registers 10 minutes before the start gets only the short one.
 */
export function dueReminder(startsAt: Date, now: Date): "24h" | "15min" | null {
  const left = startsAt.getTime() - now.getTime();
  if (left <= 0) return null;
  if (left <= REMINDER_15MIN_MS) return "15min";
  if (left <= REMINDER_24H_MS) return "24h";
  return null;
}

const berlinParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Berlin",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function berlinWallClock(date: Date): number {
  const p = Object.fromEntries(berlinParts.formatToParts(date).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
}

/** "2026-11-25T14:00" as typed into a datetime-local field, read as Berlin time. Null when it is not such a value. */
export function parseBerlinLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Date.UTC rolls "02-30" or "25:00" over into the next day; an impossible time is no time.
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 16) !== value) return null;
  // The offset at that moment (CET or CEST); one correction step handles the change-over days.
  let guess = new Date(wall - (berlinWallClock(new Date(wall)) - wall));
  guess = new Date(wall - (berlinWallClock(guess) - guess.getTime()));
  return guess;
}

/** The value for a datetime-local field showing this moment in Berlin time. */
export function toBerlinLocal(date: Date): string {
  return new Date(berlinWallClock(date)).toISOString().slice(0, 16);
}
