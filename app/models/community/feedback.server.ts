import crypto from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { accessibilityFeedback, users } from "../../../db/schema/index.ts";
import { isModerator, type Actor } from "../../auth/permissions.ts";
import type { AccessibilityFeedbackInput } from "../../schemas/feedback.ts";
import { db } from "../db.server.ts";
import { writeAudit } from "../audit.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
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
      throw new InputError(
        "form",
        "Es sind gerade sehr viele Rückmeldungen eingegangen. Bitte versuche es in einer Stunde noch einmal – dein Text bleibt hier stehen.",
      );
    }
    const [row] = await tx
      .insert(accessibilityFeedback)
      .values({
        userId: sender.userId,
        name: input.name,
        contact: input.contact,
        page: input.page,
        message: input.message,
        senderKey,
        createdAt: now,
      })
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

/** Open feedback first (oldest first: the six weeks run), then the latest answered ones; for the reports page. */
export async function listAccessibilityFeedback(actor: Actor, limit = 20) {
  if (!isModerator(actor)) throw new ForbiddenError();
  const handler = alias(users, "handler");
  const columns = {
    id: accessibilityFeedback.id,
    name: accessibilityFeedback.name,
    contact: accessibilityFeedback.contact,
    page: accessibilityFeedback.page,
    message: accessibilityFeedback.message,
    createdAt: accessibilityFeedback.createdAt,
    handledAt: accessibilityFeedback.handledAt,
    memberName: users.displayName,
    handlerName: handler.displayName,
  };
  const base = () =>
    db()
      .select(columns)
      .from(accessibilityFeedback)
      .leftJoin(users, eq(users.id, accessibilityFeedback.userId))
      .leftJoin(handler, eq(handler.id, accessibilityFeedback.handledBy));
  const [open, handled] = await Promise.all([
    base().where(isNull(accessibilityFeedback.handledAt)).orderBy(asc(accessibilityFeedback.id)).limit(limit),
    base()
      .where(isNotNull(accessibilityFeedback.handledAt))
      .orderBy(desc(accessibilityFeedback.handledAt), desc(accessibilityFeedback.id))
      .limit(limit),
  ]);
  return { open, handled };
}

/**
 * Marks feedback answered (or open again), with an audit entry. `id` comes from a form: anything but a known
 * feedback number is "not found". Marking it as it already is changes nothing (a second click).
 */
export async function setFeedbackHandled(actor: Actor, id: unknown, handled: boolean, now = new Date()): Promise<void> {
  if (!isModerator(actor)) throw new ForbiddenError();
  const number = typeof id === "string" && /^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(number) || number > 2_147_483_647)
    throw new NotFoundError("Diese Rückmeldung gibt es nicht.");
  await db().transaction(async (tx) => {
    const [row] = await tx
      .select({ handledAt: accessibilityFeedback.handledAt })
      .from(accessibilityFeedback)
      .where(eq(accessibilityFeedback.id, number))
      .for("update");
    if (!row) throw new NotFoundError("Diese Rückmeldung gibt es nicht.");
    if ((row.handledAt !== null) === handled) return;
    await tx
      .update(accessibilityFeedback)
      .set(handled ? { handledAt: now, handledBy: actor.id } : { handledAt: null, handledBy: null })
      .where(eq(accessibilityFeedback.id, number));
    await writeAudit(tx, {
      actorId: actor.id,
      action: handled ? "feedback.handle" : "feedback.reopen",
      subjectType: "feedback",
      subjectId: String(number),
    });
  });
}
