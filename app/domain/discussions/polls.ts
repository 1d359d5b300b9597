/** Polls (Umfragen) in a thread: limits and how totals read. Pure, shared by server and browser. */
export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 20;
export const POLL_QUESTION_MAX = 300;
export const POLL_OPTION_MAX = 200;

export interface PollOptionTotal {
  id: string;
  label: string;
  votes: number;
}

/** What every reader of a thread may see of a poll: counts, never who. */
export interface PollTotals {
  pollId: string;
  /** Members who voted (for multiple choice not the sum of the options' votes). */
  voters: number;
  options: { id: string; votes: number }[];
}

export interface PollView {
  id: string;
  question: string;
  multiple: boolean;
  closesAt: string | null;
  closed: boolean;
  voters: number;
  options: PollOptionTotal[];
  /** The viewer's own choice (option ids); empty when they have not voted. */
  mine: string[];
  /** The viewer may vote now (open poll, thread not locked, viewer may take part). */
  mayVote: boolean;
  /** The viewer may end the poll early (its author or a moderator). */
  mayClose: boolean;
}

export function isPollClosed(closesAt: Date | string | null, now: Date): boolean {
  return closesAt !== null && new Date(closesAt).getTime() <= now.getTime();
}

/** Whole percent of the voters who chose the option (for multiple choice these add up to more than 100). */
export function percentOf(votes: number, voters: number): number {
  return voters === 0 ? 0 : Math.round((votes / voters) * 100);
}

/** The text a screen reader and a reader without the bars get: "3 Stimmen (60 %)". */
export function votesText(votes: number, voters: number): string {
  return `${votes} ${votes === 1 ? "Stimme" : "Stimmen"} (${percentOf(votes, voters)} %)`;
}

export function votersText(voters: number): string {
  return voters === 1 ? "1 Person hat abgestimmt" : `${voters} Personen haben abgestimmt`;
}

/** The options as typed into the textarea: one per line, blank lines ignored. */
export function optionLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}
