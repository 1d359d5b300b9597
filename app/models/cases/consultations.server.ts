import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { caseConsultations, caseContributions, caseParticipants, users } from "../../../db/schema/index.ts";
import type { Actor } from "../../auth/permissions.ts";
import {
  allowedKinds,
  advanceBlocker,
  canAdvance,
  canChooseMethod,
  canExtend,
  castingNeeds,
  castingStarters,
} from "../../domain/cases/gating.ts";
import { purgeDueAt, type CaseRole } from "../../domain/cases/phases.ts";
import { parseBerlinLocal } from "../../domain/time.ts";
import { checkAnonymity } from "../../domain/cases/anonymity.ts";
import type { CaseRequestForm } from "../../schemas/cases.ts";
import { env } from "../../env.server.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { isUuid } from "../discussions/facts.server.ts";
import { loadForParticipant, type Tx } from "./facts.server.ts";
import { broadcastCase, notifyCase } from "./notify.server.ts";

/** Retention of a closed consultation's content, in days (CASE_RETENTION_DAYS, default 30). */
export function retentionDays(): number {
  return env().CASE_RETENTION_DAYS;
}

/**
 * A new case request. The anonymisation hints must have been reviewed when there are any; the case giver is the
 * first participant and has, by writing the case, accepted the confidentiality agreement.
 */
export async function createCaseRequest(
  actor: Actor,
  input: CaseRequestForm,
  now = new Date(),
): Promise<{ id: string }> {
  const findings = checkAnonymity([input.topic, input.situation, input.tried, input.keyQuestion].join("\n"));
  if (findings.length > 0 && !input.hintsReviewed) {
    throw new InputError(
      "hintsReviewed",
      "Bitte prüfe die Hinweise zur Anonymisierung und bestätige, dass nichts Persönliches übrig ist.",
    );
  }
  let scheduledAt: Date | null = null;
  if (input.mode === "live") {
    const read = parseBerlinLocal(input.scheduledAt);
    if (!read.ok)
      throw new InputError(
        "scheduledAt",
        read.skipped ? read.message : "Bitte gib Datum und Uhrzeit der Live-Beratung an.",
      );
    scheduledAt = read.at;
    if (scheduledAt.getTime() < now.getTime() - 5 * 60_000)
      throw new InputError("scheduledAt", "Der Termin liegt in der Vergangenheit.");
  }
  return db().transaction(async (tx) => {
    const [row] = await tx
      .insert(caseConsultations)
      .values({
        caseGiverId: actor.id,
        topic: input.topic,
        situation: input.situation,
        tried: input.tried,
        keyQuestion: input.keyQuestion,
        mode: input.mode,
        scheduledAt,
        asyncDays: input.mode === "async" ? Number(input.asyncDays) : null,
        groupSize: input.groupSize,
        seatsOpen: input.seatsOpen,
        phaseStartedAt: now,
      })
      .returning({ id: caseConsultations.id });
    await tx.insert(caseParticipants).values({ caseId: row.id, userId: actor.id, role: "case_giver", agreedAt: now });
    return row;
  });
}

/** /fallberatung: the member's own consultations and the requests with free seats (topic and time only). */
export async function caseOverview(actor: Actor) {
  const mine = await db()
    .select({
      id: caseConsultations.id,
      topic: caseConsultations.topic,
      mode: caseConsultations.mode,
      scheduledAt: caseConsultations.scheduledAt,
      phase: caseConsultations.phase,
      closedAt: caseConsultations.closedAt,
      purgedAt: caseConsultations.purgedAt,
      role: caseParticipants.role,
      agreedAt: caseParticipants.agreedAt,
    })
    .from(caseParticipants)
    .innerJoin(caseConsultations, eq(caseConsultations.id, caseParticipants.caseId))
    .where(eq(caseParticipants.userId, actor.id))
    .orderBy(desc(caseConsultations.createdAt))
    .limit(100);
  const seated = await db()
    .select({ caseId: caseParticipants.caseId, n: sql<number>`count(*)::int` })
    .from(caseParticipants)
    .innerJoin(caseConsultations, eq(caseConsultations.id, caseParticipants.caseId))
    .where(and(eq(caseConsultations.seatsOpen, true), eq(caseConsultations.phase, "casting")))
    .groupBy(caseParticipants.caseId);
  const counts = new Map(seated.map((s) => [s.caseId, s.n]));
  const open = await db()
    .select({
      id: caseConsultations.id,
      topic: caseConsultations.topic,
      mode: caseConsultations.mode,
      scheduledAt: caseConsultations.scheduledAt,
      asyncDays: caseConsultations.asyncDays,
      groupSize: caseConsultations.groupSize,
    })
    .from(caseConsultations)
    .where(
      and(
        eq(caseConsultations.seatsOpen, true),
        eq(caseConsultations.phase, "casting"),
        isNull(caseConsultations.closedAt),
        or(isNull(caseConsultations.scheduledAt), gt(caseConsultations.scheduledAt, new Date())),
      ),
    )
    .orderBy(asc(caseConsultations.createdAt))
    .limit(50);
  const mineIds = new Set(mine.map((m) => m.id));
  const seats = open
    .filter((c) => !mineIds.has(c.id))
    .map((c) => ({ ...c, free: c.groupSize - (counts.get(c.id) ?? 0) }))
    .filter((c) => c.free > 0);
  return { mine, seats };
}

/** A volunteer takes a free seat; they see the case only after accepting the confidentiality agreement. */
export async function takeSeat(actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) throw new NotFoundError();
  const giver = await db().transaction(async (tx) => {
    const [row] = await tx.select().from(caseConsultations).where(eq(caseConsultations.id, id)).for("update");
    if (!row || !row.seatsOpen || row.phase !== "casting" || row.closedAt) throw new NotFoundError();
    const group = await tx
      .select({ userId: caseParticipants.userId })
      .from(caseParticipants)
      .where(eq(caseParticipants.caseId, id));
    if (group.some((p) => p.userId === actor.id)) return null;
    if (group.length >= row.groupSize) throw new InputError("seat", "Alle Plätze sind inzwischen vergeben.");
    await tx.insert(caseParticipants).values({ caseId: id, userId: actor.id, role: "consultant" });
    return row.caseGiverId;
  });
  if (giver) {
    await notifyCase([giver], "case_seat", id, actor.id);
    broadcastCase(id, "group");
  }
}

/** Accepts the confidentiality agreement (then the case becomes visible) or declines and leaves the group. */
export async function respondToInvitation(
  actor: Actor,
  id: string,
  answer: "agree" | "decline",
  now = new Date(),
): Promise<void> {
  await db().transaction(async (tx) => {
    const { row, me } = await loadForParticipant(tx, actor, id, { allowPending: true });
    if (me.role === "case_giver") throw new ForbiddenError("Als fallgebende Person gehörst du zur Gruppe.");
    if (answer === "agree") {
      if (row.closedAt) throw new NotFoundError();
      if (!me.agreedAt)
        await tx
          .update(caseParticipants)
          .set({ agreedAt: now })
          .where(and(eq(caseParticipants.caseId, id), eq(caseParticipants.userId, actor.id)));
    } else {
      if (row.phase !== "casting" && me.agreedAt)
        throw new ForbiddenError("Die Beratung läuft schon; bitte sprich mit der Moderation.");
      await tx
        .delete(caseParticipants)
        .where(and(eq(caseParticipants.caseId, id), eq(caseParticipants.userId, actor.id)));
    }
  });
  broadcastCase(id, "group");
}

/** Loads the consultation for a change to the group: only its case giver, only while the group forms. */
async function forCasting(tx: Tx, actor: Actor, id: string) {
  const loaded = await loadForParticipant(tx, actor, id);
  if (loaded.me.role !== "case_giver") throw new ForbiddenError("Das kann nur die Fallgeberin oder der Fallgeber.");
  if (loaded.row.phase !== "casting" || loaded.row.closedAt)
    throw new InputError("group", "Die Gruppe steht fest, sobald die Beratung begonnen hat.");
  return loaded;
}

/** The case giver invites a member by their short name (Kurzname). */
export async function inviteParticipant(actor: Actor, id: string, handle: string): Promise<void> {
  const invitee = await db().transaction(async (tx) => {
    const { row, group } = await forCasting(tx, actor, id);
    const [member] = await tx
      .select({ id: users.id, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.handle, handle));
    if (!member || member.deactivatedAt)
      throw new InputError("handle", "Ein Mitglied mit diesem Kurznamen gibt es nicht.");
    if (group.some((p) => p.userId === member.id))
      throw new InputError("handle", "Diese Person gehört schon zur Gruppe.");
    if (group.length >= row.groupSize)
      throw new InputError(
        "handle",
        "Die Gruppe ist voll. Du kannst die Gruppengröße in der Anfrage nicht überschreiten.",
      );
    await tx.insert(caseParticipants).values({ caseId: id, userId: member.id, role: "consultant" });
    return member.id;
  });
  await notifyCase([invitee], "case_invite", id, actor.id);
  broadcastCase(id, "group");
}

/** Roles are cast by the case giver: exactly one Moderation; Protokoll and Zeitwache at most once each. */
export async function assignRole(
  actor: Actor,
  id: string,
  userId: string,
  role: Exclude<CaseRole, "case_giver">,
): Promise<void> {
  await db().transaction(async (tx) => {
    const { group } = await forCasting(tx, actor, id);
    const target = group.find((p) => p.userId === userId);
    if (!target || target.role === "case_giver")
      throw new InputError("role", "Diese Person gehört nicht zu den Beratenden.");
    if (role !== "consultant") {
      // The role moves: whoever had it becomes a consultant again.
      await tx
        .update(caseParticipants)
        .set({ role: "consultant" })
        .where(and(eq(caseParticipants.caseId, id), eq(caseParticipants.role, role)));
    }
    await tx
      .update(caseParticipants)
      .set({ role })
      .where(and(eq(caseParticipants.caseId, id), eq(caseParticipants.userId, userId)));
  });
  broadcastCase(id, "group");
}

export async function setSeatsOpen(actor: Actor, id: string, open: boolean): Promise<void> {
  await db().transaction(async (tx) => {
    await forCasting(tx, actor, id);
    await tx.update(caseConsultations).set({ seatsOpen: open }).where(eq(caseConsultations.id, id));
  });
  broadcastCase(id, "group");
}

/** The case giver withdraws a request before it starts; it is deleted with everything in it. */
export async function withdrawCase(actor: Actor, id: string): Promise<void> {
  await db().transaction(async (tx) => {
    await forCasting(tx, actor, id);
    await tx.delete(caseConsultations).where(eq(caseConsultations.id, id));
  });
  broadcastCase(id, "closed");
}

/**
 * Everything a participant's page shows. Pending invitees see only what the list of seats shows (topic, time,
 * mode) and the agreement; non-participants get NotFoundError, whatever their site role.
 */
export async function getCaseView(actor: Actor, id: string, now = new Date()) {
  const loaded = await loadForParticipant(db(), actor, id, { allowPending: true, forUpdate: false });
  const { row, me } = loaded;
  const caseGiver = me.role === "case_giver";
  const names = await db()
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(
      inArray(
        users.id,
        loaded.group.map((p) => p.userId),
      ),
    );
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const meta = {
    id: row.id,
    topic: row.topic,
    mode: row.mode,
    scheduledAt: row.scheduledAt,
    asyncDays: row.asyncDays,
    groupSize: row.groupSize,
    phase: row.phase,
    closedAt: row.closedAt,
    caseGiverName: nameOf.get(row.caseGiverId) ?? "Ein Mitglied",
    myRole: me.role as CaseRole,
  };
  if (!me.agreedAt) return { kind: "pending" as const, ...meta };
  if (row.purgedAt) {
    return { kind: "purged" as const, ...meta, purgedAt: row.purgedAt, takeaway: row.takeaway };
  }
  const contributions = await db()
    .select({
      id: caseContributions.id,
      authorId: caseContributions.authorId,
      phase: caseContributions.phase,
      kind: caseContributions.kind,
      prompt: caseContributions.prompt,
      body: caseContributions.body,
      createdAt: caseContributions.createdAt,
    })
    .from(caseContributions)
    .where(eq(caseContributions.caseId, id))
    .orderBy(asc(caseContributions.id))
    .limit(2000);
  const state = { phase: row.phase, closed: row.closedAt !== null, method: row.method };
  const group = loaded.group
    .map((p) => ({
      userId: p.userId,
      name: nameOf.get(p.userId) ?? "Ein Mitglied",
      role: p.role as CaseRole,
      agreed: p.agreedAt !== null,
      nameConsent: p.nameConsent,
    }))
    .sort((a, b) => (a.role === "case_giver" ? -1 : b.role === "case_giver" ? 1 : a.name.localeCompare(b.name, "de")));
  return {
    kind: "full" as const,
    ...meta,
    situation: row.situation,
    tried: row.tried,
    keyQuestion: row.keyQuestion,
    seatsOpen: row.seatsOpen,
    method: row.method,
    phaseStartedAt: row.phaseStartedAt,
    phaseEndsAt: row.phaseEndsAt,
    serverNow: now,
    myUserId: actor.id,
    myNameConsent: me.nameConsent,
    group,
    contributions: contributions.map((c) => {
      const author = group.find((p) => p.userId === c.authorId);
      return { ...c, authorName: author?.name ?? "Ehemaliges Mitglied", authorRole: author?.role ?? null };
    }),
    allowedKinds: allowedKinds(me.role as CaseRole, state),
    canAdvance: canAdvance(me.role as CaseRole, state),
    canChooseMethod: canChooseMethod(me.role as CaseRole, state),
    canExtend: canExtend(me.role as CaseRole, state, row.mode),
    advanceBlocker: advanceBlocker(state, {
      agreed: loaded.group.filter((p) => p.agreedAt).length,
      hasModeration: loaded.group.some((p) => p.role === "moderation" && p.agreedAt),
    }),
    casting:
      row.phase === "casting" && !row.closedAt
        ? { needs: castingNeeds(group, actor.id, row.groupSize), starters: castingStarters(group, actor.id) }
        : null,
    // Private to the case giver: nobody else's page ever carries these.
    takeaway: caseGiver ? row.takeaway : null,
    learning: caseGiver
      ? { title: row.learningTitle, text: row.learningText, publishedAt: row.learningPublishedAt }
      : null,
    purgeAt: row.closedAt ? purgeDueAt(row.closedAt, retentionDays()) : null,
  };
}

export type CaseView = Awaited<ReturnType<typeof getCaseView>>;
export type FullCaseView = Extract<CaseView, { kind: "full" }>;
