import { and, asc, eq, inArray, lte } from "drizzle-orm";
import { mailOutbox } from "../../../db/schema/index.ts";
import { db, type Database } from "../db.server.ts";
import { sendMail, type OutgoingMail } from "./transport.server.ts";

/** Pauses after the 1st, 2nd, … failed attempt; after the last one the mail is marked failed (kept for the admins). */
const RETRY_MINUTES = [1, 5, 15, 60, 180, 720];
/** How long a claimed mail is reserved for the process sending it. */
const LEASE_MS = 10 * 60_000;

export interface QueuedMail extends OutgoingMail {
  /** Same key, same mail: enqueuing it again does nothing (a job that runs twice sends once). */
  dedupeKey?: string;
}

/**
 * Writes mails to the outbox; they are sent by deliverOutbox. Returns how many were new. Pass a transaction as
 * `executor` to queue a mail together with the write it belongs to.
 */
export async function enqueueMails(
  list: QueuedMail[],
  now = new Date(),
  executor: Pick<Database, "insert"> = db(),
): Promise<number> {
  if (list.length === 0) return 0;
  const rows = await executor
    .insert(mailOutbox)
    .values(
      list.map((m) => ({
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: m.headers ?? null,
        dedupeKey: m.dedupeKey ?? null,
        nextAttemptAt: now,
      })),
    )
    .onConflictDoNothing({ target: mailOutbox.dedupeKey })
    .returning({ id: mailOutbox.id });
  return rows.length;
}

let delivering: Promise<{ sent: number; failed: number }> | null = null;

/**
 * Sends the mails that are due. A mail is marked sent only after the server accepted it; a refused or unreachable
 * server leaves it pending with the next attempt later. One delivery at a time per process.
 */
export function deliverOutbox(now = new Date(), limit = 50): Promise<{ sent: number; failed: number }> {
  delivering ??= deliver(now, limit).finally(() => (delivering = null));
  return delivering;
}

async function deliver(now: Date, limit: number): Promise<{ sent: number; failed: number }> {
  // Claimed with a lease (skip locked): another server process running the same job takes other mails, and a mail
  // whose sender died is tried again when the lease ends.
  const lease = new Date(now.getTime() + LEASE_MS);
  const claimable = db()
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, now)))
    .orderBy(asc(mailOutbox.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  const due = (
    await db().update(mailOutbox).set({ nextAttemptAt: lease }).where(inArray(mailOutbox.id, claimable)).returning()
  ).sort((a, b) => a.id - b.id);
  let sent = 0;
  let failed = 0;
  for (const mail of due) {
    try {
      await sendMail(mail);
      await db()
        .update(mailOutbox)
        .set({ status: "sent", sentAt: new Date(), attempts: mail.attempts + 1, lastError: null })
        .where(eq(mailOutbox.id, mail.id));
      sent++;
    } catch (error) {
      failed++;
      const attempts = mail.attempts + 1;
      const pause = RETRY_MINUTES[attempts - 1];
      await db()
        .update(mailOutbox)
        .set({
          attempts,
          lastError: String((error as Error).message ?? error).slice(0, 500),
          status: pause === undefined ? "failed" : "pending",
          nextAttemptAt: new Date(now.getTime() + (pause ?? 0) * 60_000),
        })
        .where(eq(mailOutbox.id, mail.id));
    }
  }
  return { sent, failed };
}
