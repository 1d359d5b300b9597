/** Times of a round: registration open or not, which reminders are due. Pure (Berlin times: domain/time.ts). */
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
  return (
    (round.status === "scheduled" || round.status === "live") &&
    now.getTime() <= round.registrationDeadline.getTime() &&
    now < round.endsAt
  );
}

/** Past rounds are those that ended (or were closed); everything else is upcoming. */
export function isPast(round: RoundTimes, now: Date): boolean {
  return (
    round.status === "closed" ||
    round.status === "published" ||
    ((round.status === "scheduled" || round.status === "cancelled") && round.endsAt < now)
  );
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
