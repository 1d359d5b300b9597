/** The words for what is new in a room (ADR 030); null when nothing is. */
export function unreadText(u: { newThreads: number; newReplies: number } | undefined): string | null {
  if (!u || (u.newThreads === 0 && u.newReplies === 0)) return null;
  const parts: string[] = [];
  if (u.newThreads > 0) parts.push(u.newThreads === 1 ? "1 neue Diskussion" : `${u.newThreads} neue Diskussionen`);
  if (u.newReplies > 0) parts.push(u.newReplies === 1 ? "1 neue Antwort" : `${u.newReplies} neue Antworten`);
  return parts.join(", ");
}

/** The rule, said where the counts are shown. */
export const UNREAD_RULE =
  "Neu ist, was andere geschrieben haben, seit du eine Diskussion zuletzt geöffnet oder den Raum als gelesen markiert hast. Was vor deiner Registrierung geschrieben wurde, gilt als gelesen.";
