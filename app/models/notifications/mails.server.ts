import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { bookmarks, dialogueRounds, notifications, posts, threads, users } from "../../../db/schema/index.ts";
import { formatDateTime } from "../../domain/time.ts";
import { deliveryLabels, groupInfo, groupOfType } from "../../domain/notifications/groups.ts";
import { db } from "../db.server.ts";
import { enqueueMails } from "../mail/outbox.server.ts";
import { absoluteUrl, composeMail, type MailContent } from "../mail/templates.server.ts";
import { unsubscribeHeaders, unsubscribeUrl } from "./unsubscribe.server.ts";
import { getSiteSettings } from "../settings.server.ts";

/** Case consultations: fixed texts that name no case content, not even the topic (the same as on the notifications page). */
export const caseMailTexts: Record<string, { subject: string; text: string }> = {
  case_invite: {
    subject: "Einladung zu einer Kollegialen Fallberatung",
    text: "du bist zu einer Kollegialen Fallberatung eingeladen.",
  },
  case_seat: {
    subject: "Neuigkeiten in deiner Fallberatung",
    text: "jemand hat einen freien Platz in deiner Fallberatung übernommen.",
  },
  case_phase: {
    subject: "Neue Phase in deiner Fallberatung",
    text: "in deiner Fallberatung hat eine neue Phase begonnen.",
  },
  case_reminder: {
    subject: "Eine Phase deiner Fallberatung endet bald",
    text: "eine Phase deiner Fallberatung endet bald.",
  },
};

const actor = alias(users, "actor");
/** A mention in a new thread points at the thread, not a post: its excerpt comes from the opening post. */
const opening = alias(posts, "opening");

/** What a notification mail needs to know about one stored notification. */
async function load(ids: number[]) {
  return db()
    .select({
      id: notifications.id,
      type: notifications.type,
      userId: notifications.userId,
      email: users.email,
      name: users.displayName,
      threadId: notifications.threadId,
      postId: notifications.postId,
      caseId: notifications.caseId,
      roundId: notifications.roundId,
      bookmarkId: notifications.bookmarkId,
      bookmarkNote: bookmarks.note,
      createdAt: notifications.createdAt,
      threadTitle: threads.title,
      actorName: actor.displayName,
      preview: sql<string | null>`left(coalesce(${posts.bodyText}, ${opening.bodyText}), 300)`,
      roundTitle: dialogueRounds.title,
      roundStartsAt: dialogueRounds.startsAt,
      conferenceUrl: dialogueRounds.conferenceUrl,
      outcomeMaterialId: dialogueRounds.outcomeMaterialId,
      outcomeThreadId: dialogueRounds.outcomeThreadId,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(opening, and(isNull(notifications.postId), eq(opening.id, threads.openingPostId)))
    .leftJoin(actor, eq(actor.id, notifications.actorId))
    .leftJoin(dialogueRounds, eq(dialogueRounds.id, notifications.roundId))
    .leftJoin(bookmarks, eq(bookmarks.id, notifications.bookmarkId))
    .where(and(inArray(notifications.id, ids), isNull(users.deactivatedAt)));
}

type Row = Awaited<ReturnType<typeof load>>[number];

function roundMail(n: Row): { subject: string; paragraphs: string[]; action: { label: string; url: string } } {
  const title = n.roundTitle ?? "";
  const when = n.roundStartsAt ? formatDateTime(n.roundStartsAt) : "";
  const action = {
    label: n.type === "round_outcome" ? "Zum Ergebnis" : "Zur Dialogrunde",
    url: absoluteUrl(`/dialogrunden/${n.roundId}`),
  };
  if (n.type === "round_reminder") {
    // The 15-minute reminder is created shortly before the start, the 24-hour one a day ahead.
    const soon = !!n.roundStartsAt && n.roundStartsAt.getTime() - n.createdAt.getTime() <= 60 * 60_000;
    return {
      subject: soon ? `Gleich geht es los: ${title}` : `Erinnerung: ${title} (morgen)`,
      paragraphs: [
        soon
          ? `die Dialogrunde „${title}“ beginnt in Kürze (${when} Uhr).`
          : `die Dialogrunde „${title}“ beginnt ${when} Uhr. Du bist angemeldet.`,
        n.conferenceUrl
          ? "Ton und Bild laufen über das Konferenzsystem; den Link findest du auf der Seite der Runde. Chat, Wortmeldungen und Protokoll sind im Netzwerk."
          : "Chat, Wortmeldungen und Protokoll findest du auf der Seite der Runde.",
        "Falls du doch nicht kannst, melde dich bitte ab – dann rückt jemand von der Warteliste nach.",
      ],
      action,
    };
  }
  if (n.type === "round_changed") {
    return {
      subject: `Geändert: ${title}`,
      paragraphs: [
        `die Dialogrunde „${title}“ wurde geändert. Sie findet jetzt ${when} Uhr statt.`,
        "Was sich genau geändert hat, steht auf der Seite der Runde; dort kannst du den Kalendereintrag neu laden. Falls du nicht mehr kannst, melde dich bitte ab.",
      ],
      action,
    };
  }
  if (n.type === "round_cancelled") {
    return {
      subject: `Abgesagt: ${title}`,
      paragraphs: [
        `die Dialogrunde „${title}“ (${when} Uhr) ist abgesagt. Du musst nichts weiter tun.`,
        "Hast du sie in deinem Kalender, lade den Kalendereintrag auf der Seite der Runde neu: Er ist dort als abgesagt markiert.",
      ],
      action,
    };
  }
  if (n.type === "round_promoted") {
    return {
      subject: `Du hast einen Platz: ${title}`,
      paragraphs: [
        `in der Dialogrunde „${title}“ (${when} Uhr) ist ein Platz frei geworden. Du bist von der Warteliste nachgerückt und jetzt angemeldet.`,
      ],
      action,
    };
  }
  // The result is a library material: the mail leads there (the round's page, should the material be gone).
  return {
    subject: `Ergebnis veröffentlicht: ${title}`,
    paragraphs: [
      `das Ergebnis der Dialogrunde „${title}“ steht jetzt in den Materialien.`,
      ...(n.outcomeThreadId
        ? [`Zum Weiterdiskutieren gibt es eine Diskussion dazu: ${absoluteUrl(`/diskussionen/${n.outcomeThreadId}`)}`]
        : []),
    ],
    action: n.outcomeMaterialId
      ? { label: "Zum Ergebnis in den Materialien", url: absoluteUrl(`/materialien/${n.outcomeMaterialId}`) }
      : action,
  };
}

function discussionMail(n: Row): { subject: string; paragraphs: string[]; action: { label: string; url: string } } {
  const who = n.actorName ?? "Ein Mitglied";
  const title = n.threadTitle ?? "";
  const lead: Record<string, [string, string]> = {
    reply: [`Neue Antwort: ${title}`, `${who} hat in der Diskussion „${title}“ geantwortet:`],
    mention: [`${who} hat dich erwähnt: ${title}`, `${who} hat dich in der Diskussion „${title}“ erwähnt:`],
    answer: [`Antwort auf deine Frage: ${title}`, `deine Frage „${title}“ hat eine Antwort von ${who}:`],
    accepted: [`Als Lösung markiert: ${title}`, `${who} hat deine Antwort in „${title}“ als Lösung markiert.`],
  };
  const [subject, lead0] = lead[n.type] ?? lead.reply;
  const excerpt = n.preview?.trim().replace(/\s+/g, " ");
  const quote = excerpt && n.type !== "accepted" ? [`„${excerpt}${n.preview!.length >= 300 ? " …" : ""}“`] : [];
  // The lead ends in a colon only when an excerpt follows it.
  const first = quote.length ? lead0 : lead0.replace(/:$/, ".");
  return {
    subject,
    paragraphs: [first, ...quote],
    action: {
      label: "Zum Beitrag",
      url: absoluteUrl(`/diskussionen/${n.threadId}${n.postId ? `#beitrag-${n.postId}` : ""}`),
    },
  };
}

/** A reminder the member set in their Merkliste: it names only their own note, not the content (which may be hidden by now). */
export function bookmarkMail(
  bookmarkId: string,
  note: string | null,
): { subject: string; paragraphs: string[]; action: { label: string; url: string } } {
  return {
    subject: "Erinnerung aus deiner Merkliste",
    paragraphs: [
      "du wolltest an einen Eintrag deiner Merkliste erinnert werden.",
      ...(note ? [`Deine Notiz dazu: „${note}“`] : []),
    ],
    action: { label: "Zum Eintrag in der Merkliste", url: absoluteUrl(`/merkliste?eintrag=${bookmarkId}`) },
  };
}

/** The mail for one notification, with the reason, the one-click link for its group and RFC 8058 headers. */
async function mailFor(n: Row) {
  const group = groupOfType(n.type);
  let parts: { subject: string; paragraphs: string[]; action: { label: string; url: string } };
  if (n.bookmarkId) {
    parts = bookmarkMail(n.bookmarkId, n.bookmarkNote);
  } else if (n.caseId) {
    const fixed = caseMailTexts[n.type] ?? {
      subject: "Neuigkeiten in deiner Fallberatung",
      text: "es gibt Neuigkeiten in deiner Fallberatung.",
    };
    parts = {
      subject: fixed.subject,
      paragraphs: [fixed.text],
      action: { label: "Zur Fallberatung", url: absoluteUrl(`/fallberatung/${n.caseId}`) },
    };
  } else if (n.roundId) {
    parts = roundMail(n);
  } else {
    parts = discussionMail(n);
  }
  const content: MailContent = {
    siteName: (await getSiteSettings()).siteName,
    greeting: `Hallo ${n.name},`,
    paragraphs: parts.paragraphs,
    action: parts.action,
    reason: {
      text: `Du bekommst diese E-Mail, weil „${groupInfo[group].label}“ bei dir auf „${deliveryLabels.immediate}“ steht.`,
      unsubscribe: { label: `„${groupInfo[group].label}“ abbestellen`, url: await unsubscribeUrl(n.userId, group) },
      settingsUrl: absoluteUrl("/benachrichtigungen/einstellungen"),
    },
  };
  return {
    ...composeMail(n.email, parts.subject, content),
    headers: await unsubscribeHeaders(n.userId, group),
    dedupeKey: `notification:${n.id}`,
  };
}

/** Queues one mail per stored notification (for members who chose "immediately"); a repeated call queues nothing new. */
export async function enqueueNotificationMails(ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await load(ids);
  return enqueueMails(await Promise.all(rows.map(mailFor)));
}
