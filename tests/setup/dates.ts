/**
 * Dates for forms sent to the real server, whose clock is the machine's (tests on the models set their own clock
 * instead, ADR 018): the year after next is ahead of that clock on any day the suite runs.
 */
export const AHEAD_YEAR = new Date().getUTCFullYear() + 2;

/** "MM-DDTHH:MM" in the year after next, as a datetime-local field takes it. */
export const ahead = (monthDayTime: string): string => `${AHEAD_YEAR}-${monthDayTime}`;
