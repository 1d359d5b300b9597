/** The agenda of a round: a list of items and the index of the current one. Pure. */
export function clampAgendaIndex(index: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(Math.max(0, Math.trunc(index)), length - 1);
}

/** "next" and "previous" move one step and stop at the ends; a number jumps there. */
export function moveAgenda(current: number, length: number, to: "next" | "previous" | number): number {
  if (to === "next") return clampAgendaIndex(current + 1, length);
  if (to === "previous") return clampAgendaIndex(current - 1, length);
  return clampAgendaIndex(to, length);
}

/** Agenda items from a textarea: one per line, blank lines dropped. */
export function parseAgendaLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "").trim())
    .filter(Boolean);
}
