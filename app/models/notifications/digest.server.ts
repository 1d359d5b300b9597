import { and, asc, desc, eq, gt, inArray, isNull, lte, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  dialogueRounds,
  digestRuns,
  materials,
  notifications,
  posts,
  roundRegistrations,
  threads,
  users,
} from "../../../db/schema/index.ts";
import { formatDateTime } from "../../domain/time.ts";
import { materialTypeLabels, type MaterialType } from "../../domain/library/types.ts";
import { groupInfo, groupOfType, type NotificationGroup } from "../../domain/notifications/groups.ts";
import { digestSlot, UPCOMING_MS } from "../../domain/notifications/schedule.ts";
import type { DigestPeriod } from "../../domain/notifications/types.ts";
import { db, type Database } from "../db.server.ts";
import { enqueueMails } from "../mail/outbox.server.ts";
import { absoluteUrl, composeMail, type MailSection } from "../mail/templates.server.ts";
import { caseMailTexts } from "./mails.server.ts";
import { settingsFor } from "./settings.server.ts";
import { unsubscribeHeaders, unsubscribeUrl } from "./unsubscribe.server.ts";
import { getSiteSettings } from "../settings.server.ts";

/** Items per part of a digest; the rest is counted and linked. */
const SECTION_LIMIT = 15;
/** Members handled per batch (one settings query per batch). */
const BATCH = 200;

const actor = alias(users, "actor");

interface Window {
  from: Date;
  to: Date;
}

/** Stored notifications of the member's digest groups in the window, leaving out what was deleted or hidden since. */
async function notificationItems(userId: string, groups: NotificationGroup[], w: Window) {
  const rows = await db()
    .select({
      id: notifications.id,
      type: notifications.type,
      threadId: notifications.threadId,
      postId: notifications.postId,
      caseId: notifications.caseId,
      roundId: notifications.roundId,
      bookmarkId: notifications.bookmarkId,
      threadTitle: threads.title,
      roundTitle: dialogueRounds.title,
      outcomeMaterialId: dialogueRounds.outcomeMaterialId,
      actorName: actor.displayName,
    })
    .from(notifications)
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(actor, eq(actor.id, notifications.actorId))
    .leftJoin(dialogueRounds, eq(dialogueRounds.id, notifications.roundId))
    .where(
      and(
        eq(notifications.userId, userId),
        gt(notifications.createdAt, w.from),
        lte(notifications.createdAt, w.to),
        or(isNull(notifications.threadId), and(isNull(threads.deletedAt), isNull(threads.hiddenAt))),
        or(isNull(notifications.postId), and(isNull(posts.deletedAt), isNull(posts.hiddenAt))),
      ),
    )
    .orderBy(asc(notifications.id))
    .limit(500);
  return rows.filter((r) => groups.includes(groupOfType(r.type)));
}

type NotificationItem = Awaited<ReturnType<typeof notificationItems>>[number];

const singleTexts: Record<string, (who: string, title: string) => string> = {
  mention: (who, title) => `${who} hat dich in „${title}“ erwähnt`,
  answer: (who, title) => `Deine Frage „${title}“ hat eine Antwort von ${who}`,
  accepted: (who, title) => `${who} hat deine Antwort in „${title}“ als Lösung markiert`,
  round_reminder: (_, title) => `Erinnerung: Die Dialogrunde „${title}“ beginnt bald`,
  round_promoted: (_, title) => `Du bist in der Dialogrunde „${title}“ von der Warteliste nachgerückt`,
  round_outcome: (_, title) => `Das Ergebnis der Dialogrunde „${title}“ ist veröffentlicht`,
  round_changed: (_, title) => `Die Dialogrunde „${title}“ wurde geändert`,
  round_cancelled: (_, title) => `Die Dialogrunde „${title}“ ist abgesagt`,
};

/** Replies are summed up per thread; everything else is one line per notification. */
function notificationSection(group: NotificationGroup, items: NotificationItem[]): MailSection["items"] {
  if (group === "replies") {
    const byThread = new Map<string, { title: string; count: number; names: Set<string>; firstPost: string | null }>();
    for (const n of items) {
      if (!n.threadId) continue;
      const entry = byThread.get(n.threadId) ?? {
        title: n.threadTitle ?? "",
        count: 0,
        names: new Set<string>(),
        firstPost: n.postId,
      };
      entry.count++;
      if (n.actorName) entry.names.add(n.actorName);
      byThread.set(n.threadId, entry);
    }
    return [...byThread].map(([threadId, t]) => ({
      text: `„${t.title}“: ${t.count === 1 ? "1 neue Antwort" : `${t.count} neue Antworten`}`,
      note: t.names.size
        ? `von ${[...t.names].slice(0, 3).join(", ")}${t.names.size > 3 ? " und weiteren" : ""}`
        : undefined,
      url: absoluteUrl(`/diskussionen/${threadId}${t.firstPost ? `#beitrag-${t.firstPost}` : ""}`),
    }));
  }
  return items.map((n) => {
    if (n.bookmarkId)
      return { text: "Erinnerung aus deiner Merkliste", url: absoluteUrl(`/merkliste?eintrag=${n.bookmarkId}`) };
    if (n.caseId) {
      // Fixed text: a consultation's notification names nothing of the case, in a digest as anywhere.
      const text = caseMailTexts[n.type]?.subject ?? "Neuigkeiten in deiner Fallberatung";
      return { text, url: absoluteUrl(`/fallberatung/${n.caseId}`) };
    }
    if (n.roundId) {
      // A published result is a library material: the line leads there.
      const path =
        n.type === "round_outcome" && n.outcomeMaterialId
          ? `/materialien/${n.outcomeMaterialId}`
          : `/dialogrunden/${n.roundId}`;
      return {
        text: (singleTexts[n.type] ?? singleTexts.round_outcome)("", n.roundTitle ?? ""),
        url: absoluteUrl(path),
      };
    }
    return {
      text: (singleTexts[n.type] ?? singleTexts.mention)(n.actorName ?? "Ein Mitglied", n.threadTitle ?? ""),
      url: absoluteUrl(`/diskussionen/${n.threadId}${n.postId ? `#beitrag-${n.postId}` : ""}`),
    };
  });
}

/** Materials published in the window (the same for every member with that window). */
async function newMaterials(w: Window) {
  return db()
    .select({ id: materials.id, title: materials.title, type: materials.type })
    .from(materials)
    .where(and(eq(materials.status, "published"), gt(materials.publishedAt, w.from), lte(materials.publishedAt, w.to)))
    .orderBy(desc(materials.publishedAt))
    .limit(100);
}

/**
 * Rounds the member can still register for, each in one digest only: those whose start came into the look-ahead
 * since the last digest, and those scheduled since then that start within the look-ahead already covered.
 */
async function upcomingRounds(userId: string, period: DigestPeriod, w: Window) {
  const ahead = UPCOMING_MS[period];
  const coveredAhead = new Date(w.from.getTime() + ahead);
  return db()
    .select({ id: dialogueRounds.id, title: dialogueRounds.title, startsAt: dialogueRounds.startsAt })
    .from(dialogueRounds)
    .where(
      and(
        eq(dialogueRounds.status, "scheduled"),
        gt(dialogueRounds.startsAt, w.to),
        lte(dialogueRounds.startsAt, new Date(w.to.getTime() + ahead)),
        gt(dialogueRounds.registrationDeadline, w.to),
        or(
          gt(dialogueRounds.startsAt, coveredAhead),
          and(gt(dialogueRounds.createdAt, w.from), lte(dialogueRounds.createdAt, w.to)),
        ),
        notExists(
          db()
            .select({ one: sql`1` })
            .from(roundRegistrations)
            .where(
              and(
                eq(roundRegistrations.roundId, dialogueRounds.id),
                eq(roundRegistrations.userId, userId),
                inArray(roundRegistrations.status, ["registered", "waiting"]),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(dialogueRounds.startsAt))
    .limit(100);
}

function limited(items: MailSection["items"]): MailSection["items"] {
  if (items.length <= SECTION_LIMIT) return items;
  return [
    ...items.slice(0, SECTION_LIMIT),
    { text: `… und ${items.length - SECTION_LIMIT} weitere`, url: absoluteUrl("/benachrichtigungen") },
  ];
}

/** The parts of one member's digest; empty when there is nothing new. */
export async function digestSections(
  userId: string,
  period: DigestPeriod,
  groups: NotificationGroup[],
  w: Window,
  cache = new Map<string, unknown>(),
) {
  const sections: { group: NotificationGroup; items: MailSection["items"] }[] = [];
  const stored = groups.filter((g) => g !== "materials" && g !== "upcoming_rounds");
  const notes = stored.length ? await notificationItems(userId, stored, w) : [];
  for (const group of stored) {
    const items = notificationSection(
      group,
      notes.filter((n) => groupOfType(n.type) === group),
    );
    if (items.length) sections.push({ group, items });
  }
  if (groups.includes("materials")) {
    const key = `materials:${w.from.toISOString()}:${w.to.toISOString()}`;
    if (!cache.has(key)) cache.set(key, await newMaterials(w));
    const list = cache.get(key) as Awaited<ReturnType<typeof newMaterials>>;
    const items = list.map((m) => ({
      text: m.title,
      note: materialTypeLabels[m.type as MaterialType],
      url: absoluteUrl(`/materialien/${m.id}`),
    }));
    if (items.length) sections.push({ group: "materials", items });
  }
  if (groups.includes("upcoming_rounds")) {
    const items = (await upcomingRounds(userId, period, w)).map((r) => ({
      text: r.title,
      note: `${formatDateTime(r.startsAt)} Uhr`,
      url: absoluteUrl(`/dialogrunden/${r.id}`),
    }));
    if (items.length) sections.push({ group: "upcoming_rounds", items });
  }
  return sections;
}

async function digestMail(
  user: { id: string; email: string; name: string },
  period: DigestPeriod,
  sections: Awaited<ReturnType<typeof digestSections>>,
  w: Window,
  slot: Date,
) {
  const daily = period === "daily";
  const count = sections.reduce((sum, s) => sum + s.items.length, 0);
  const target = daily ? "digest_daily" : "digest_weekly";
  const mailSections: MailSection[] = [];
  for (const s of sections) {
    mailSections.push({
      heading: groupInfo[s.group].label,
      items: limited(s.items),
      unsubscribe: { label: `„${groupInfo[s.group].label}“ abbestellen`, url: await unsubscribeUrl(user.id, s.group) },
    });
  }
  const mail = composeMail(
    user.email,
    daily
      ? `Deine tägliche Zusammenfassung: ${count} ${count === 1 ? "Neuigkeit" : "Neuigkeiten"}`
      : `Deine Woche im Netzwerk: ${count} ${count === 1 ? "Neuigkeit" : "Neuigkeiten"}`,
    {
      siteName: (await getSiteSettings()).siteName,
      greeting: `Hallo ${user.name},`,
      paragraphs: [`hier ist, was seit ${formatDateTime(w.from)} Uhr für dich neu ist.`],
      sections: mailSections,
      action: { label: "Alle Benachrichtigungen", url: absoluteUrl("/benachrichtigungen") },
      reason: {
        text: `Du bekommst diese ${daily ? "tägliche" : "wöchentliche"} Zusammenfassung, weil du sie in deinen Benachrichtigungen gewählt hast.`,
        unsubscribe: {
          label: `${daily ? "Tägliche" : "Wöchentliche"} Zusammenfassung abbestellen`,
          url: await unsubscribeUrl(user.id, target),
        },
        settingsUrl: absoluteUrl("/benachrichtigungen/einstellungen"),
      },
    },
  );
  return {
    ...mail,
    headers: await unsubscribeHeaders(user.id, target),
    dedupeKey: `digest:${period}:${user.id}:${slot.toISOString()}`,
  };
}

/**
 * The digest job (the server runs it every few minutes; tests pass their own clock). For each member whose last
 * digest of a period is older than the latest scheduled time (07:00 Berlin; weekly on Mondays), it collects what is
 * new since the previous digest and queues one mail, or none when nothing is new. A member without an earlier run
 * gets none: their first run marks the start of their first window. The run is recorded in the same
 * transaction that queues the mail, guarded by the slot, so a second run or a second process sends nothing again.
 */
export async function runDigests(now: Date): Promise<Record<DigestPeriod, number>> {
  const sent: Record<DigestPeriod, number> = { daily: 0, weekly: 0 };
  for (const period of ["daily", "weekly"] as const) {
    const slot = digestSlot(period, now);
    const due = await db()
      .select({ id: users.id, email: users.email, name: users.displayName, coveredUntil: digestRuns.coveredUntil })
      .from(users)
      .leftJoin(digestRuns, and(eq(digestRuns.userId, users.id), eq(digestRuns.period, period)))
      .where(
        and(
          isNull(users.deactivatedAt),
          or(isNull(digestRuns.slot), sql`${digestRuns.slot} < ${slot.toISOString()}::timestamptz`),
        ),
      )
      .orderBy(asc(users.id));
    const cache = new Map<string, unknown>();
    for (let i = 0; i < due.length; i += BATCH) {
      const batch = due.slice(i, i + BATCH);
      const settings = await settingsFor(batch.map((u) => u.id));
      for (const user of batch) {
        const chosen = settings.get(user.id)!;
        const groups = (Object.keys(chosen) as NotificationGroup[]).filter((g) => chosen[g] === period);
        // A member's first run only records where their first window begins, and sends nothing: on a new install
        // (or for a new member) there is no "since your last digest" yet, and looking back would mail every account
        // at once, at whatever hour the server happened to start. Later windows continue where the previous ended.
        const w: Window | null = user.coveredUntil ? { from: user.coveredUntil, to: now } : null;
        const sections = w && groups.length ? await digestSections(user.id, period, groups, w, cache) : [];
        const mail = w && sections.length ? await digestMail(user, period, sections, w, slot) : null;
        const claim = (executor: Pick<Database, "insert">) =>
          executor
            .insert(digestRuns)
            .values({ userId: user.id, period, slot, coveredUntil: now })
            .onConflictDoUpdate({
              target: [digestRuns.userId, digestRuns.period],
              set: { slot, coveredUntil: now },
              setWhere: sql`${digestRuns.slot} < ${slot.toISOString()}::timestamptz`,
            })
            .returning({ userId: digestRuns.userId });
        if (!mail) {
          // Nothing to send: recording the run is one statement, no transaction needed.
          await claim(db());
          continue;
        }
        const claimed = await db().transaction(async (tx) => {
          const rows = await claim(tx);
          if (rows.length) await enqueueMails([mail], now, tx);
          return rows.length > 0;
        });
        if (claimed) sent[period]++;
      }
    }
  }
  return sent;
}
