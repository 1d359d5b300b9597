import { and, eq, inArray, isNotNull, isNull, lte, ne, sql } from "drizzle-orm";
import { caseConsultations, caseContributions, caseParticipants, notifications } from "../../../db/schema/index.ts";
import { reminderDueAt } from "../../domain/cases/phases.ts";
import { db } from "../db.server.ts";
import { retentionDays } from "./consultations.server.ts";
import { announceMove, moveOn, type Moved } from "./phases.server.ts";
import { broadcastCase, notifyCase } from "./notify.server.ts";
import { berlinDay } from "../../domain/time.ts";
import { log } from "../../log.server.ts";

export interface CaseJobResult {
  advanced: number;
  reminded: number;
  purged: number;
  contributionsDeleted: number;
}

const DAY = 24 * 60 * 60 * 1000;

declare global {
  // The calendar day (UTC) of the last retention purge in this process.
  var __casePurgeDay: string | undefined;
}

/**
 * The consultations' clock, run every minute by the server (tests pass their own `now`):
 * asynchronous phases move on at their deadline and the group is reminded before a phase closes; once a day
 * (the first run of each calendar day) the content of consultations closed longer than the retention period is
 * deleted, the case giver's takeaway excepted.
 */
export async function runCaseJobs(now: Date): Promise<CaseJobResult> {
  const advanced = await advanceDueAsyncPhases(now);
  const reminded = await sendReminders(now);
  const day = berlinDay(now);
  let purge = { purged: 0, contributionsDeleted: 0 };
  if (globalThis.__casePurgeDay !== day) {
    purge = await purgeClosed(now);
    globalThis.__casePurgeDay = day;
  }
  return { advanced, reminded, ...purge };
}

async function advanceDueAsyncPhases(now: Date): Promise<number> {
  const due = await db()
    .select({ id: caseConsultations.id })
    .from(caseConsultations)
    .where(
      and(
        eq(caseConsultations.mode, "async"),
        isNull(caseConsultations.closedAt),
        lte(caseConsultations.phaseEndsAt, now),
      ),
    )
    .limit(200);
  let count = 0;
  for (const { id } of due) {
    const moved = await db().transaction(async (tx): Promise<Moved | null> => {
      const [row] = await tx.select().from(caseConsultations).where(eq(caseConsultations.id, id)).for("update");
      // The moderation may have moved on meanwhile.
      if (!row || row.closedAt || !row.phaseEndsAt || row.phaseEndsAt > now) return null;
      const group = await tx.select().from(caseParticipants).where(eq(caseParticipants.caseId, id));
      return moveOn(tx, row, group, now);
    });
    if (moved) {
      count++;
      await announceMove(moved, null);
    }
  }
  return count;
}

async function sendReminders(now: Date): Promise<number> {
  const open = await db()
    .select({
      id: caseConsultations.id,
      phaseStartedAt: caseConsultations.phaseStartedAt,
      phaseEndsAt: caseConsultations.phaseEndsAt,
    })
    .from(caseConsultations)
    .where(
      and(
        eq(caseConsultations.mode, "async"),
        isNull(caseConsultations.closedAt),
        isNull(caseConsultations.reminderSentAt),
        isNotNull(caseConsultations.phaseEndsAt),
        // Due now (the same rule as reminderDueAt), so phases not yet due never crowd out due ones.
        sql`${caseConsultations.phaseEndsAt} - least(interval '12 hours', (${caseConsultations.phaseEndsAt} - ${caseConsultations.phaseStartedAt}) / 4) <= ${now.toISOString()}::timestamptz`,
        sql`${caseConsultations.phaseEndsAt} > ${now.toISOString()}::timestamptz`,
      ),
    )
    .limit(500);
  let count = 0;
  for (const c of open) {
    if (!c.phaseEndsAt || reminderDueAt(c.phaseStartedAt, c.phaseEndsAt) > now || c.phaseEndsAt <= now) continue;
    // Claim the reminder first, so two servers (or two ticks) send it once.
    const claimed = await db()
      .update(caseConsultations)
      .set({ reminderSentAt: now })
      .where(and(eq(caseConsultations.id, c.id), isNull(caseConsultations.reminderSentAt)))
      .returning({ id: caseConsultations.id });
    if (claimed.length === 0) continue;
    const group = await db()
      .select({ userId: caseParticipants.userId })
      .from(caseParticipants)
      .where(and(eq(caseParticipants.caseId, c.id), isNotNull(caseParticipants.agreedAt)));
    await notifyCase(
      group.map((p) => p.userId),
      "case_reminder",
      c.id,
    );
    count++;
  }
  return count;
}

const PURGE_BATCH = 200;

/** Deletes in short transactions of at most PURGE_BATCH consultations (PGlite blocks everything during one). */
async function purgeClosed(now: Date): Promise<{ purged: number; contributionsDeleted: number }> {
  const cutoff = new Date(now.getTime() - retentionDays() * DAY);
  const total = { purged: 0, contributionsDeleted: 0 };
  for (;;) {
    const batch = await db().transaction(async (tx) => {
      const due = await tx
        .select({ id: caseConsultations.id })
        .from(caseConsultations)
        .where(and(isNull(caseConsultations.purgedAt), lte(caseConsultations.closedAt, cutoff)))
        .limit(PURGE_BATCH)
        .for("update");
      if (due.length === 0) return { ids: [] as string[], contributions: 0 };
      const ids = due.map((d) => d.id);
      const deleted = await tx
        .delete(caseContributions)
        .where(inArray(caseContributions.caseId, ids))
        .returning({ id: caseContributions.id });
      // Who took part is content too; the case giver stays, to keep their takeaway. Their notifications go as well.
      await tx
        .delete(caseParticipants)
        .where(and(inArray(caseParticipants.caseId, ids), ne(caseParticipants.role, "case_giver")));
      await tx.delete(notifications).where(inArray(notifications.caseId, ids));
      await tx
        .update(caseConsultations)
        .set({
          topic: "",
          situation: "",
          tried: "",
          keyQuestion: "",
          method: null,
          learningTitle: "",
          learningText: "",
          seatsOpen: false,
          purgedAt: now,
        })
        .where(inArray(caseConsultations.id, ids));
      return { ids, contributions: deleted.length };
    });
    total.purged += batch.ids.length;
    total.contributionsDeleted += batch.contributions;
    for (const id of batch.ids) broadcastCase(id, "closed");
    if (batch.ids.length < PURGE_BATCH) break;
  }
  if (total.purged > 0) {
    // Counts only: the log must not become a copy of what it deletes.
    log().info(
      total,
      `Fallberatung: Inhalte von ${total.purged} abgeschlossenen Fallberatungen gelöscht (${total.contributionsDeleted} Beiträge).`,
    );
  }
  return total;
}

/** How many consultations exist, for the moderators' desk: counts only, never what they are about. */
export async function caseCounts(): Promise<{ running: number; forming: number; closed: number }> {
  const [row] = await db()
    .select({
      running: sql<number>`count(*) filter (where ${caseConsultations.closedAt} is null and ${caseConsultations.phase} <> 'casting')::int`,
      forming: sql<number>`count(*) filter (where ${caseConsultations.closedAt} is null and ${caseConsultations.phase} = 'casting')::int`,
      closed: sql<number>`count(*) filter (where ${caseConsultations.closedAt} is not null)::int`,
    })
    .from(caseConsultations);
  return row;
}
