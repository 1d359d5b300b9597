import { and, inArray, isNull } from "drizzle-orm";
import { users } from "../../../db/schema/index.ts";
import { formatDateTime } from "../../components/format.ts";
import { db } from "../db.server.ts";
import { notify } from "../discussions/notifications.server.ts";
import { enqueueMails } from "../mail/outbox.server.ts";
import { absoluteUrl, composeMail } from "../mail/templates.server.ts";
import type { RoundRow } from "./facts.server.ts";

export type RoundNotice = "round_reminder" | "round_promoted" | "round_outcome";

function mailFor(kind: RoundNotice, round: Pick<RoundRow, "id" | "title" | "startsAt" | "conferenceUrl">, name: string, email: string, extra: { reminder?: "24h" | "15min" }) {
  const when = formatDateTime(round.startsAt);
  const page = absoluteUrl(`/dialogrunden/${round.id}`);
  const greeting = `Hallo ${name},`;
  if (kind === "round_reminder") {
    const soon = extra.reminder === "15min";
    return composeMail(email, soon ? `Gleich geht es los: ${round.title}` : `Erinnerung: ${round.title} (morgen)`, {
      greeting,
      paragraphs: [
        soon ? `die Dialogrunde „${round.title}“ beginnt in 15 Minuten (${when} Uhr).` : `die Dialogrunde „${round.title}“ beginnt ${when} Uhr. Du bist angemeldet.`,
        round.conferenceUrl
          ? `Ton und Bild laufen über das Konferenzsystem; den Link findest du auf der Seite der Runde. Chat, Wortmeldungen und Protokoll sind im Netzwerk.`
          : `Chat, Wortmeldungen und Protokoll findest du auf der Seite der Runde.`,
        `Falls du doch nicht kannst, melde dich bitte ab – dann rückt jemand von der Warteliste nach.`,
      ],
      action: { label: "Zur Dialogrunde", url: page },
    });
  }
  if (kind === "round_promoted") {
    return composeMail(email, `Du hast einen Platz: ${round.title}`, {
      greeting,
      paragraphs: [`in der Dialogrunde „${round.title}“ (${when} Uhr) ist ein Platz frei geworden. Du bist von der Warteliste nachgerückt und jetzt angemeldet.`],
      action: { label: "Zur Dialogrunde", url: page },
    });
  }
  return composeMail(email, `Ergebnis veröffentlicht: ${round.title}`, {
    greeting,
    paragraphs: [`das Ergebnis der Dialogrunde „${round.title}“ steht jetzt in den Materialien. Zum Weiterdiskutieren gibt es eine Diskussion dazu.`],
    action: { label: "Zum Ergebnis", url: page },
  });
}

/**
 * Tells members about a round in the app (notification, badge) and by mail (through the outbox). Called after the
 * write that caused it committed. The mails go out with the next run of the round jobs (every 30 seconds). `dedupeKey` prefixes keep a repeated call from mailing twice.
 */
export async function notifyRoundMembers(
  round: Pick<RoundRow, "id" | "title" | "startsAt" | "conferenceUrl">,
  userIds: string[],
  kind: RoundNotice,
  extra: { reminder?: "24h" | "15min"; actorId?: string | null } = {},
): Promise<void> {
  if (userIds.length === 0) return;
  const people = await db()
    .select({ id: users.id, name: users.displayName, email: users.email })
    .from(users)
    .where(and(inArray(users.id, userIds), isNull(users.deactivatedAt)));
  await notify(people.map((p) => ({ userId: p.id, type: kind, threadId: null, postId: null, roundId: round.id, actorId: extra.actorId ?? null })));
  await enqueueMails(
    people.map((p) => ({
      ...mailFor(kind, round, p.name, p.email, extra),
      dedupeKey: `${kind}:${extra.reminder ?? ""}:${round.id}:${p.id}${kind === "round_promoted" ? `:${Date.now()}` : ""}`,
    })),
  );
}
