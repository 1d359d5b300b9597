import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { users } from "../../../db/schema/index.ts";
import { groupInfo, isNotificationGroup, type NotificationGroup } from "../../domain/notifications/groups.ts";
import type { DigestPeriod } from "../../domain/notifications/types.ts";
import { db } from "../db.server.ts";
import { absoluteUrl } from "../mail/templates.server.ts";
import { siteKey } from "./keys.server.ts";
import { settingsFor, writeSettings } from "./settings.server.ts";

/** What one link turns off: a notification group, or a whole digest (every group the member gets in it). */
export type UnsubscribeTarget = NotificationGroup | `digest_${DigestPeriod}`;

export const UNSUBSCRIBE_PATH = "/benachrichtigungen/abbestellen";

export function isUnsubscribeTarget(value: string): value is UnsubscribeTarget {
  return isNotificationGroup(value) || value === "digest_daily" || value === "digest_weekly";
}

async function signature(userId: string, target: UnsubscribeTarget): Promise<string> {
  // The purpose is part of the signed text, so this key's signatures mean nothing anywhere else.
  return crypto
    .createHmac("sha256", await siteKey("unsubscribe"))
    .update(`unsubscribe\n${userId}\n${target}`)
    .digest("base64url");
}

/** The signed one-click link for one member and target (in the mail body and in the List-Unsubscribe header). */
export async function unsubscribeUrl(userId: string, target: UnsubscribeTarget): Promise<string> {
  const query = new URLSearchParams({ m: userId, art: target, sig: await signature(userId, target) });
  return absoluteUrl(`${UNSUBSCRIBE_PATH}?${query}`);
}

/** RFC 8058: mail programs offer "unsubscribe" and POST to the link themselves. */
export async function unsubscribeHeaders(userId: string, target: UnsubscribeTarget): Promise<Record<string, string>> {
  return {
    "List-Unsubscribe": `<${await unsubscribeUrl(userId, target)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

export type UnsubscribeCheck =
  | { ok: true; userId: string; target: UnsubscribeTarget; label: string; groups: NotificationGroup[] }
  | { ok: false; message: string };

const INVALID =
  "Dieser Abmeldelink ist ungültig oder unvollständig. Es wurde nichts geändert. Melde dich an und ändere deine Benachrichtigungen in den Einstellungen.";

export function targetLabel(target: UnsubscribeTarget): string {
  if (target === "digest_daily") return "Tägliche Zusammenfassung";
  if (target === "digest_weekly") return "Wöchentliche Zusammenfassung";
  return groupInfo[target].label;
}

/** Checks a link's signature (constant time) and what it would turn off; changes nothing. */
export async function checkUnsubscribe(params: {
  m?: string | null;
  art?: string | null;
  sig?: string | null;
}): Promise<UnsubscribeCheck> {
  const { m, art, sig } = params;
  if (!m || !art || !sig || !isUnsubscribeTarget(art) || !/^[0-9a-f-]{36}$/i.test(m))
    return { ok: false, message: INVALID };
  const expected = Buffer.from(await signature(m, art));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
    return { ok: false, message: INVALID };
  const [user] = await db().select({ id: users.id }).from(users).where(eq(users.id, m));
  if (!user) return { ok: false, message: "Dieses Konto gibt es nicht mehr. Es werden keine E-Mails mehr verschickt." };
  const groups = await groupsOf(m, art);
  return { ok: true, userId: m, target: art, label: targetLabel(art), groups };
}

async function groupsOf(userId: string, target: UnsubscribeTarget): Promise<NotificationGroup[]> {
  if (isNotificationGroup(target)) return [target];
  const period = target === "digest_daily" ? "daily" : "weekly";
  const settings = (await settingsFor([userId])).get(userId)!;
  return (Object.keys(settings) as NotificationGroup[]).filter((g) => settings[g] === period);
}

/** The link's POST: turns the target off without a login; a bad link changes nothing. */
export async function unsubscribe(params: {
  m?: string | null;
  art?: string | null;
  sig?: string | null;
}): Promise<UnsubscribeCheck> {
  const check = await checkUnsubscribe(params);
  if (!check.ok) return check;
  await writeSettings(check.userId, Object.fromEntries(check.groups.map((g) => [g, "off"])));
  return check;
}
