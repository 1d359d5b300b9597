/**
 * Community insights are aggregates only (DOMAIN.md: no per-person figures). A figure that describes fewer than
 * five people is not shown; pages show "weniger als 5" instead. Pure: the models count, this decides what is shown.
 */
export const MIN_PEOPLE = 5;

/** A figure as the page may show it: the number, or null when it describes fewer than MIN_PEOPLE people. */
export type Shown = number | null;

/**
 * `people` is how many distinct people the figure describes. Where a counter cannot know (usage counts and searches
 * record no one, by design), the caller passes the count itself: every use might have been a different person, or
 * the same one, so a count below five may describe fewer than five people and is held back too.
 */
export function shown(count: number, people: number = count): Shown {
  // Nothing at all describes no one, so a zero is shown.
  if (count === 0) return 0;
  return people >= MIN_PEOPLE ? count : null;
}

export const SUPPRESSED_LABEL = "weniger als 5";

export function formatShown(value: Shown): string {
  return value === null ? SUPPRESSED_LABEL : value.toLocaleString("de-DE");
}
