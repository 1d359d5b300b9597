import crypto from "node:crypto";
import { and, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { accessibilityFeedback, users } from "../../../db/schema/index.ts";
import { isModerator, type Actor } from "../../auth/permissions.ts";
import type { AccessibilityFeedbackInput } from "../../schemas/feedback.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import { enqueueMails } from "../mail/outbox.server.ts";
import { absoluteUrl, composeMail } from "../mail/templates.server.ts";
import { siteKey } from "../notifications/keys.server.ts";
import { getSiteSettings } from "../settings.server.ts";

/** Per sender (account or client address) and hour; enough for real reports, too few for a flood. */
export const FEEDBACK_PER_HOUR = 5;
/** From everyone together per hour, so rotating addresses cannot fill the moderators' inboxes. */
export const FEEDBACK_ALL_PER_HOUR = 60;
const HOUR = 3_600_000;

/**
 * Stores a visitor's or member's accessibility feedback and, in the same transaction, queues a mail to every active
 * moderator and admin (the feedback mechanism BITV 2.0 asks for). Refused with a German message when the sender (or
 * everyone together) sent too much in the last hour.
 */
export async function submitAccessibilityFeedback(
  input: AccessibilityFeedbackInput,
  sender: { userId: string | null; clientIp: string },
  now = new Date(),
): Promise<{ id: number }> {
  const senderKey = crypto
    .createHmac("sha256", await siteKey("feedback-senders"))
    .update(sender.userId ? `user:${sender.userId}` : `ip:${sender.clientIp}`)
    .digest("base64url");
  const { siteName } = await getSiteSettings();
  const moderators = await db()
    .select({ email: users.email, name: users.displayName })
    .from(users)
    .where(and(inArray(users.role, ["moderator", "admin"]), isNull(users.deactivatedAt)));
  const since = new Date(now.getTime() - HOUR);
  return db().transaction(async (tx) => {
    const [{ mine, all }] = await tx
      .select({
        mine: sql<number>`count(*) filter (where ${accessibilityFeedback.senderKey} = ${senderKey})::int`,
        all: sql<number>`count(*)::int`,
      })
      .from(accessibilityFeedback)
      .where(gt(accessibilityFeedback.createdAt, since));
    if (mine >= FEEDBACK_PER_HOUR || all >= FEEDBACK_ALL_PER_HOUR) {
      throw new InputError("form", "Es sind gerade sehr viele Rückmeldungen eingegangen. Bitte versuche es in einer Stunde noch einmal – dein Text bleibt hier stehen.");
    }
    const [row] = await tx
      .insert(accessibilityFeedback)
      .values({ userId: sender.userId, name: input.name, contact: input.contact, page: input.page, message: input.message, senderKey, createdAt: now })
      .returning({ id: accessibilityFeedback.id });
    const from = input.name || (sender.userId ? "Ein Mitglied" : "Eine Besucherin oder ein Besucher");
    await enqueueMails(
      moderators.map((m) =>
        Object.assign(
          composeMail(m.email, "Rückmeldung zur Barrierefreiheit", {
            siteName,
            greeting: `Hallo ${m.name},`,
            paragraphs: [
              `${from} hat über die Erklärung zur Barrierefreiheit eine Rückmeldung geschickt:`,
              input.message,
              ...(input.page ? [`Betroffene Seite: ${input.page}`] : []),
              input.contact ? `Antwort erbeten an: ${input.contact}` : "Es wurde keine Kontaktadresse angegeben.",
              "Nach BITV 2.0 soll die Antwort innerhalb von sechs Wochen erfolgen.",
            ],
            action: { label: "Alle Rückmeldungen ansehen", url: absoluteUrl("/moderation/meldungen#barrierefreiheit") },
          }),
          { dedupeKey: `accessibility-feedback:${row.id}:${m.email}` },
        ),
      ),
      now,
      tx,
    );
    return row;
  });
}

/** The latest feedback, for the moderators' reports page. */
export async function listAccessibilityFeedback(actor: Actor, limit = 20) {
  if (!isModerator(actor)) throw new ForbiddenError();
  return db()
    .select({
      id: accessibilityFeedback.id,
      name: accessibilityFeedback.name,
      contact: accessibilityFeedback.contact,
      page: accessibilityFeedback.page,
      message: accessibilityFeedback.message,
      createdAt: accessibilityFeedback.createdAt,
      memberName: users.displayName,
    })
    .from(accessibilityFeedback)
    .leftJoin(users, eq(users.id, accessibilityFeedback.userId))
    .orderBy(desc(accessibilityFeedback.id))
    .limit(limit);
}
