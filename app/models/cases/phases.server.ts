import { and, eq, isNull } from "drizzle-orm";
import { caseConsultations, caseContributions } from "../../../db/schema/index.ts";
import type { Actor } from "../../auth/permissions.ts";
import {
  advanceBlocker,
  canAdvance,
  canChooseMethod,
  canExtend,
  checkContribution,
  EXTEND_MINUTES,
  type ContributionKind,
} from "../../domain/cases/gating.ts";
import { nextPhase, phaseDeadline, type CaseMethod, type CasePhase } from "../../domain/cases/phases.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import { loadForParticipant, type CaseRow, type ParticipantRow, type Tx } from "./facts.server.ts";
import { broadcastCase, notifyCase } from "./notify.server.ts";

export interface Moved {
  caseId: string;
  phase: CasePhase;
  closed: boolean;
  mode: CaseRow["mode"];
  /** Everyone who accepted the agreement: told (asynchronous) that a phase opened. */
  recipients: string[];
}

/**
 * Moves a consultation (locked by the caller) to its next phase, or closes it after Abschluss. The clock of the
 * new phase starts now; the reminder flag resets. Used by the moderation and by the deadline job alike.
 */
export async function moveOn(tx: Tx, row: CaseRow, group: ParticipantRow[], now: Date): Promise<Moved> {
  const recipients = group.filter((p) => p.agreedAt).map((p) => p.userId);
  const next = nextPhase(row.phase);
  if (!next) {
    await tx
      .update(caseConsultations)
      .set({ closedAt: now, phaseEndsAt: null, seatsOpen: false })
      .where(eq(caseConsultations.id, row.id));
    return { caseId: row.id, phase: row.phase, closed: true, mode: row.mode, recipients };
  }
  await tx
    .update(caseConsultations)
    .set({
      phase: next,
      phaseStartedAt: now,
      phaseEndsAt: phaseDeadline(row.mode, next, row.asyncDays, now),
      reminderSentAt: null,
      // Once the consultation runs, nobody new takes a seat.
      seatsOpen: false,
    })
    .where(eq(caseConsultations.id, row.id));
  return { caseId: row.id, phase: next, closed: false, mode: row.mode, recipients };
}

/** After the commit: the open pages reload; asynchronous groups hear that the next phase is open. */
export async function announceMove(moved: Moved, actorId: string | null): Promise<void> {
  broadcastCase(moved.caseId, moved.closed ? "closed" : "phase");
  if (moved.mode === "async" && !moved.closed) {
    await notifyCase(
      moved.recipients.filter((id) => id !== actorId),
      "case_phase",
      moved.caseId,
      actorId,
    );
  }
}

/** The moderation moves the group on (from Abschluss: closes the consultation). */
export async function advancePhase(
  actor: Actor,
  id: string,
  expectedPhase: CasePhase | null,
  now = new Date(),
): Promise<void> {
  const moved = await db().transaction(async (tx) => {
    const { row, group, me } = await loadForParticipant(tx, actor, id);
    const state = { phase: row.phase, closed: row.closedAt !== null, method: row.method };
    if (!canAdvance(me.role, state)) throw new ForbiddenError("Die Phasen wechselt die Moderation.");
    // Two clicks (or the moderation and the deadline) must not skip a phase.
    if (expectedPhase && expectedPhase !== row.phase) return null;
    const blocker = advanceBlocker(state, {
      agreed: group.filter((p) => p.agreedAt).length,
      hasModeration: group.some((p) => p.role === "moderation" && p.agreedAt),
    });
    if (blocker) throw new InputError("phase", blocker);
    return moveOn(tx, row, group, now);
  });
  if (moved) await announceMove(moved, actor.id);
}

/** The timekeeper (Zeitwache) gives a live phase five more minutes (counted from now if the time had already run out). */
export async function extendPhase(actor: Actor, id: string, now = new Date()): Promise<void> {
  await db().transaction(async (tx) => {
    const { row, me } = await loadForParticipant(tx, actor, id);
    if (!canExtend(me.role, { phase: row.phase, closed: row.closedAt !== null, method: row.method }, row.mode)) {
      throw new ForbiddenError("Die Zeit verlängert die Zeitwächterin oder der Zeitwächter in einer Live-Beratung.");
    }
    const from = Math.max(now.getTime(), row.phaseEndsAt?.getTime() ?? now.getTime());
    await tx
      .update(caseConsultations)
      .set({ phaseEndsAt: new Date(from + EXTEND_MINUTES * 60_000) })
      .where(eq(caseConsultations.id, id));
  });
  broadcastCase(id, "phase");
}

export async function chooseMethod(actor: Actor, id: string, method: CaseMethod): Promise<void> {
  await db().transaction(async (tx) => {
    const { row, me } = await loadForParticipant(tx, actor, id);
    if (!canChooseMethod(me.role, { phase: row.phase, closed: row.closedAt !== null, method: row.method })) {
      throw new ForbiddenError("Die Methode wählt die Moderation in der Phase Methodenwahl.");
    }
    await tx.update(caseConsultations).set({ method }).where(eq(caseConsultations.id, id));
  });
  broadcastCase(id, "method");
}

/** A contribution, if the phase and the participant's role allow it (gating.ts). */
export async function addContribution(
  actor: Actor,
  id: string,
  input: { kind: ContributionKind; prompt?: string; body: string },
  now = new Date(),
): Promise<{ id: number }> {
  const row = await db().transaction(async (tx) => {
    const { row: consultation, me } = await loadForParticipant(tx, actor, id);
    const gate = checkContribution(
      me.role,
      { phase: consultation.phase, closed: consultation.closedAt !== null, method: consultation.method },
      input.kind,
      input.prompt,
    );
    if (!gate.ok) throw new InputError("body", gate.message);
    const [inserted] = await tx
      .insert(caseContributions)
      .values({
        caseId: id,
        authorId: actor.id,
        phase: consultation.phase,
        kind: input.kind,
        prompt: gate.prompt,
        body: input.body,
        createdAt: now,
      })
      .returning({ id: caseContributions.id });
    if (input.kind === "key_question") {
      await tx
        .update(caseConsultations)
        .set({ keyQuestion: input.body.slice(0, 500) })
        .where(and(eq(caseConsultations.id, id), isNull(caseConsultations.purgedAt)));
    }
    return inserted;
  });
  broadcastCase(id, "contribution");
  return row;
}
