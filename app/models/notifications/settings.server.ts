import { and, eq, inArray, sql } from "drizzle-orm";
import { notificationSettings, users } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import {
  effectiveSettings,
  groupInfo,
  notificationGroups,
  type DeliveryOption,
  type NotificationGroup,
} from "../../domain/notifications/groups.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, NotFoundError } from "../errors.server.ts";

export type NotificationSettings = Record<NotificationGroup, DeliveryOption>;

/** Effective settings (stored choices over defaults) for many members at once. */
export async function settingsFor(userIds: string[]): Promise<Map<string, NotificationSettings>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db()
    .select({
      userId: notificationSettings.userId,
      group: notificationSettings.group,
      delivery: notificationSettings.delivery,
    })
    .from(notificationSettings)
    .where(inArray(notificationSettings.userId, ids));
  return new Map(ids.map((id) => [id, effectiveSettings(rows.filter((r) => r.userId === id))]));
}

export async function getNotificationSettings(actor: Actor, userId: string): Promise<NotificationSettings> {
  if (!can(actor, "editProfile", { type: "user", id: userId })) throw new ForbiddenError();
  return (await settingsFor([userId])).get(userId)!;
}

/** Saves the member's choices. Only groups that differ from their default are stored, so better defaults reach everyone. */
export async function saveNotificationSettings(
  actor: Actor,
  userId: string,
  values: Partial<NotificationSettings>,
): Promise<void> {
  if (!can(actor, "editProfile", { type: "user", id: userId })) throw new ForbiddenError();
  await writeSettings(userId, values);
}

/** The write behind the settings page and the unsubscribe link (whose signature stands in for the login). */
export async function writeSettings(userId: string, values: Partial<NotificationSettings>): Promise<void> {
  const [user] = await db().select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError();
  const entries = notificationGroups.filter((g) => values[g] !== undefined).map((g) => [g, values[g]!] as const);
  const stored = entries.filter(([g, d]) => d !== groupInfo[g].default);
  const defaults = entries.filter(([g, d]) => d === groupInfo[g].default).map(([g]) => g);
  await db().transaction(async (tx) => {
    if (defaults.length) {
      await tx
        .delete(notificationSettings)
        .where(and(eq(notificationSettings.userId, userId), inArray(notificationSettings.group, defaults)));
    }
    if (stored.length) {
      await tx
        .insert(notificationSettings)
        .values(stored.map(([group, delivery]) => ({ userId, group, delivery })))
        .onConflictDoUpdate({
          target: [notificationSettings.userId, notificationSettings.group],
          set: { delivery: sql`excluded.delivery`, updatedAt: sql`now()` },
        });
    }
  });
}
