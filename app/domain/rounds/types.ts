/** Limits and fixed lists of the live room, shared by the server, the socket payload schemas and the page. */
export const CHAT_MAX_BYTES = 4096;
export const NOTES_MAX_CHARS = 50_000;
export const QUESTION_MAX_CHARS = 500;
/** Quick reactions: a fixed set, so a reaction is never free text. */
export const reactionKinds = { applause: "👏", agree: "👍", idea: "💡", heart: "❤️", question: "❓" } as const;
export type ReactionKind = keyof typeof reactionKinds;
export const reactionLabels: Record<ReactionKind, string> = {
  applause: "Applaus",
  agree: "Zustimmung",
  idea: "Idee",
  heart: "Danke",
  question: "Frage",
};
export const ROUNDS_PAGE_SIZE = 20;
/** How many events one replay answer carries at most; a client far behind asks again from the last one. */
export const REPLAY_BATCH = 500;

export const statusLabels = {
  scheduled: "Geplant",
  live: "Läuft gerade",
  closed: "Beendet",
  published: "Ergebnis veröffentlicht",
  cancelled: "Abgesagt",
} as const;

export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
