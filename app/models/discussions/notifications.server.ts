import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  bookmarks,
  dialogueRounds,
  notifications,
  posts,
  profilePictures,
  threads,
  users,
} from "../../../db/schema/index.ts";
import type { NotificationType } from "../../../db/schema/index.ts";
import { roomName } from "../../realtime/events.ts";
import { publish } from "../../realtime/hub.server.ts";
import { db } from "../db.server.ts";
import { groupOfType } from "../../domain/notifications/groups.ts";
import { settingsFor } from "../notifications/settings.server.ts";
import { enqueueNotificationMails } from "../notifications/mails.server.ts";

/** A case consultation's notifications (their text is fixed per type, see the notifications page). */
export type CaseNotificationType = "case_invite" | "case_seat" | "case_phase" | "case_reminder";

export interface NewNotification {
  userId: string;
  type: NotificationType | CaseNotificationType;
  threadId: string | null;
  postId: string | null;
  /** Set for notifications about a dialogue round. */
  roundId?: string | null;
  actorId: string | null;
  /** A case consultation's notification: shown from its type alone, so it names no case content. */
  caseId?: string | null;
  /** A reminder from the member's Merkliste: shown from the bookmark (the member's own note), naming no content. */
  bookmarkId?: string | null;
}

/**
 * Delivers notifications after the write that caused them committed, as each recipient chose for the type's group:
 * "off" stores nothing, "in_app" stores it (badge updated live), "immediate" also queues a mail; daily and weekly
 * digests pick stored notifications up later (digest.server.ts).
 */
export async function notify(list: NewNotification[]): Promise<void> {
  if (list.length === 0) return;
  const settings = await settingsFor(list.map((n) => n.userId));
  const delivery = (n: { userId: string; type: string }) => settings.get(n.userId)![groupOfType(n.type)];
  const kept = list.filter((n) => delivery(n) !== "off");
  if (kept.length === 0) return;
  const stored = await db()
    .insert(notifications)
    .values(kept)
    .returning({ id: notifications.id, userId: notifications.userId, type: notifications.type });
  await enqueueNotificationMails(stored.filter((n) => delivery(n) === "immediate").map((n) => n.id));
  const recipients = [...new Set(kept.map((n) => n.userId))];
  const counts = await unreadCounts(recipients);
  for (const userId of recipients) {
    publish(roomName.user(userId), "notifications:unread", { count: counts.get(userId) ?? 0 });
  }
}

async function unreadCounts(userIds: string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db()
    .select({ userId: notifications.userId, n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(inArray(notifications.userId, userIds), isNull(notifications.readAt)))
    .groupBy(notifications.userId);
  return new Map(rows.map((r) => [r.userId, r.n]));
}

export async function unreadNotificationCount(userId: string): Promise<number> {
  return (await unreadCounts([userId])).get(userId) ?? 0;
}

export const NOTIFICATIONS_PAGE_SIZE = 30;

/** The member's notifications, newest first. Names of anonymous authors were never stored (actorId null). */
export async function listNotifications(userId: string, page = 1) {
  const rows = await db()
    .select({
      id: notifications.id,
      type: notifications.type,
      threadId: notifications.threadId,
      postId: notifications.postId,
      caseId: notifications.caseId,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
      threadTitle: threads.title,
      roundId: notifications.roundId,
      roundTitle: dialogueRounds.title,
      bookmarkId: notifications.bookmarkId,
      bookmarkNote: bookmarks.note,
      actorId: notifications.actorId,
      actorName: users.displayName,
      // The face of who acted (ADR 028), by the same join as the name: no query per row.
      actorPicture: profilePictures.stamp,
      preview: sql<string | null>`left(${posts.bodyText}, 160)`,
    })
    .from(notifications)
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .leftJoin(dialogueRounds, eq(dialogueRounds.id, notifications.roundId))
    .leftJoin(bookmarks, eq(bookmarks.id, notifications.bookmarkId))
    .leftJoin(users, eq(users.id, notifications.actorId))
    .leftJoin(profilePictures, eq(profilePictures.userId, notifications.actorId))
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE_SIZE + 1)
    .offset((page - 1) * NOTIFICATIONS_PAGE_SIZE);
  const items = rows.slice(0, NOTIFICATIONS_PAGE_SIZE).map(({ actorId, actorPicture, ...n }) => ({
    ...n,
    // A face only where the text names who acted: discussions. Case consultations keep their anonymity design, and
    // round and Merkliste notices name nobody.
    actor:
      !n.caseId && !n.roundId && !n.bookmarkId && actorId && n.actorName
        ? { id: actorId, name: n.actorName, picture: actorPicture }
        : null,
  }));
  return { items, hasMore: rows.length > NOTIFICATIONS_PAGE_SIZE };
}

export async function markNotificationsRead(userId: string, ids: number[] | "all"): Promise<void> {
  const where =
    ids === "all"
      ? and(eq(notifications.userId, userId), isNull(notifications.readAt))
      : and(eq(notifications.userId, userId), inArray(notifications.id, ids.length ? ids : [-1]));
  await db().update(notifications).set({ readAt: new Date() }).where(where);
  await publishUnreadCount(userId);
}

/** Tells the member's open tabs their current number of unread notifications (header badge). */
export async function publishUnreadCount(userId: string): Promise<void> {
  publish(roomName.user(userId), "notifications:unread", { count: await unreadNotificationCount(userId) });
}

/** Where a notification leads (a consultation's notification leads only to the consultation, whose page checks access). */
export function notificationTarget(n: {
  threadId: string | null;
  postId: string | null;
  caseId: string | null;
  roundId: string | null;
  bookmarkId?: string | null;
}): string {
  if (n.caseId) return `/fallberatung/${n.caseId}`;
  if (n.bookmarkId) return `/merkliste?eintrag=${n.bookmarkId}`;
  if (n.roundId) return `/dialogrunden/${n.roundId}`;
  if (n.threadId) return `/diskussionen/${n.threadId}${n.postId ? `#beitrag-${n.postId}` : ""}`;
  return "/benachrichtigungen";
}

/** Opening a notification marks it read and says where it leads; null when it is not the member's (or gone). */
export async function openNotification(userId: string, id: number): Promise<string | null> {
  const [row] = await db()
    .select({
      threadId: notifications.threadId,
      postId: notifications.postId,
      caseId: notifications.caseId,
      roundId: notifications.roundId,
      bookmarkId: notifications.bookmarkId,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
  if (!row) return null;
  if (!row.readAt) await markNotificationsRead(userId, [id]);
  return notificationTarget(row);
}
