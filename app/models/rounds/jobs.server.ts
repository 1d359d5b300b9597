import { and, eq, gt, lte } from "drizzle-orm";
import { dialogueRounds, roundReminders, roundRegistrations } from "../../../db/schema/index.ts";
import { dueReminder, REMINDER_24H_MS } from "../../domain/rounds/schedule.ts";
import { db } from "../db.server.ts";
import { deliverOutbox } from "../mail/outbox.server.ts";
import { notifyRoundMembers } from "./notify.server.ts";

/**
 * The round jobs, run every 30 seconds by the server (tests call it with their own clock): reminders 24 hours and
 * 15 minutes before a round to everyone registered (in the app and by mail), then the mail outbox. A reminder is
 * recorded per member before it is sent, so two server processes or two runs never send it twice.
 */
export async function runRoundJobs(now: Date): Promise<{ reminded: number; mails: { sent: number; failed: number } }> {
  const soon = await db()
    .select()
    .from(dialogueRounds)
    .where(
      and(
        eq(dialogueRounds.status, "scheduled"),
        gt(dialogueRounds.startsAt, now),
        lte(dialogueRounds.startsAt, new Date(now.getTime() + REMINDER_24H_MS)),
      ),
    );
  let reminded = 0;
  for (const round of soon) {
    const kind = dueReminder(round.startsAt, now);
    if (!kind) continue;
    const registrants = await db()
      .select({ userId: roundRegistrations.userId })
      .from(roundRegistrations)
      .where(and(eq(roundRegistrations.roundId, round.id), eq(roundRegistrations.status, "registered")));
    if (registrants.length === 0) continue;
    const fresh = await db()
      .insert(roundReminders)
      .values(registrants.map((r) => ({ roundId: round.id, userId: r.userId, kind, sentAt: now })))
      .onConflictDoNothing()
      .returning({ userId: roundReminders.userId });
    if (fresh.length === 0) continue;
    await notifyRoundMembers(
      round,
      fresh.map((f) => f.userId),
      "round_reminder",
    );
    reminded += fresh.length;
  }
  const mails = await deliverOutbox(now);
  return { reminded, mails };
}
