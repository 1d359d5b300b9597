/** The site's time zone: forms take German local time, the database keeps instants. */
const TIME_ZONE = "Europe/Berlin";

function offsetMs(date: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: TIME_ZONE,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** "2026-11-24T14:30" (German local time, from a datetime-local field) to an instant; null when malformed. */
export function berlinLocalToDate(local: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  if (Number.isNaN(guess)) return null;
  let result = guess - offsetMs(new Date(guess));
  // Around the clock change the offset at the result can differ from the one at the guess.
  const second = offsetMs(new Date(result));
  if (guess - second !== result) result = guess - second;
  return new Date(result);
}

/** An instant as the value of a datetime-local field in German local time. */
export function dateToBerlinLocal(date: Date): string {
  const shifted = new Date(date.getTime() + offsetMs(date));
  return shifted.toISOString().slice(0, 16);
}
