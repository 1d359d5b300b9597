import { and, eq, inArray, isNotNull, isNull, lte, ne, sql } from "drizzle-orm";
import { caseConsultations, caseContributions, caseParticipants } from "../../../db/schema/index.ts";
import { reminderDueAt } from "../../domain/cases/phases.ts";
import { db } from "../db.server.ts";
import { retentionDays } from "./consultations.server.ts";
import { announceMove, moveOn, type Moved } from "./phases.server.ts";
import { broadcastCase, notifyCase } from "./notify.server.ts";

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
  const day = now.toISOString().slice(0, 10);
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
    .where(and(eq(caseConsultations.mode, "async"), isNull(caseConsultations.closedAt), lte(caseConsultations.phaseEndsAt, now)))
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
    .select({ id: caseConsultations.id, phaseStartedAt: caseConsultations.phaseStartedAt, phaseEndsAt: caseConsultations.phaseEndsAt })
    .from(caseConsultations)
    .where(
      and(
        eq(caseConsultations.mode, "async"),
        isNull(caseConsultations.closedAt),
        isNull(caseConsultations.reminderSentAt),
        isNotNull(caseConsultations.phaseEndsAt),
        lte(caseConsultations.phaseEndsAt, new Date(now.getTime() + 3 * DAY)),
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
    await notifyCase(group.map((p) => p.userId), "case_reminder", c.id);
    count++;
  }
  return count;
}

async function purgeClosed(now: Date): Promise<{ purged: number; contributionsDeleted: number }> {
  const cutoff = new Date(now.getTime() - retentionDays() * DAY);
  const result = await db().transaction(async (tx) => {
    const due = await tx
      .select({ id: caseConsultations.id, caseGiverId: caseConsultations.caseGiverId })
      .from(caseConsultations)
      .where(and(isNull(caseConsultations.purgedAt), lte(caseConsultations.closedAt, cutoff)))
      .limit(500)
      .for("update");
    if (due.length === 0) return { purged: 0, contributionsDeleted: 0, ids: [] as string[] };
    const ids = due.map((d) => d.id);
    const deleted = await tx.delete(caseContributions).where(inArray(caseContributions.caseId, ids)).returning({ id: caseContributions.id });
    // Who took part is content too; the case giver stays, to keep their takeaway.
    await tx.delete(caseParticipants).where(and(inArray(caseParticipants.caseId, ids), ne(caseParticipants.role, "case_giver")));
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
    return { purged: ids.length, contributionsDeleted: deleted.length, ids };
  });
  if (result.purged > 0) {
    // Counts only: the log must not become a copy of what it deletes.
    console.log(`Fallberatung: Inhalte von ${result.purged} abgeschlossenen Fallberatungen gelöscht (${result.contributionsDeleted} Beiträge).`);
    for (const id of result.ids) broadcastCase(id, "closed");
  }
  return { purged: result.purged, contributionsDeleted: result.contributionsDeleted };
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
