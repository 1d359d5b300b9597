import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import {
  dialogueRounds,
  roundAgendaItems,
  roundHosts,
  roundQuestions,
  roundQuestionVotes,
  roundRegistrations,
  roundWatches,
  users,
  profilePictures,
} from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { isPast, registrationOpen } from "../../domain/rounds/schedule.ts";
import { placeFor, promotions, waitingPlace } from "../../domain/rounds/waitlist.ts";
import { ROUNDS_PAGE_SIZE } from "../../domain/rounds/types.ts";
import type { RoundForm } from "../../schemas/rounds.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { isUuid } from "../discussions/facts.server.ts";
import { getRoundFacts, loadRound } from "./facts.server.ts";
import { notifyRoundMembers } from "./notify.server.ts";

export async function createRound(actor: Actor, form: RoundForm): Promise<{ id: string }> {
  if (!can(actor, "scheduleRound")) throw new ForbiddenError();
  const hostRows = form.hosts.length
    ? await db()
        .select({ id: users.id, handle: users.handle })
        .from(users)
        .where(and(inArray(users.handle, form.hosts), sql`${users.deactivatedAt} is null`))
    : [];
  const unknown = form.hosts.filter((h) => !hostRows.some((r) => r.handle === h));
  if (unknown.length)
    throw new InputError("hosts", `Diese Kurznamen kennen wir nicht: ${unknown.map((h) => `@${h}`).join(", ")}`);
  return db().transaction(async (tx) => {
    const [round] = await tx
      .insert(dialogueRounds)
      .values({
        title: form.title,
        description: form.description,
        startsAt: form.startsAt,
        endsAt: form.endsAt,
        registrationDeadline: form.registrationDeadline,
        capacity: form.capacity,
        conferenceUrl: form.conferenceUrl,
        orientation: form.orientation,
        createdBy: actor.id,
      })
      .returning({ id: dialogueRounds.id });
    // Whoever schedules the round hosts it, together with the named hosts.
    const hostIds = [...new Set([actor.id, ...hostRows.map((h) => h.id)])];
    await tx.insert(roundHosts).values(hostIds.map((userId) => ({ roundId: round.id, userId })));
    if (form.agenda.length) {
      await tx
        .insert(roundAgendaItems)
        .values(form.agenda.map((title, position) => ({ roundId: round.id, position, title })));
    }
    return round;
  });
}

/** Upcoming rounds (all, soonest first) and one page of past rounds (latest first), with the viewer's registration. */
export async function listRounds(viewer: Actor, page: number, now = new Date()) {
  const rows = await db()
    .select({
      id: dialogueRounds.id,
      title: dialogueRounds.title,
      description: dialogueRounds.description,
      startsAt: dialogueRounds.startsAt,
      endsAt: dialogueRounds.endsAt,
      registrationDeadline: dialogueRounds.registrationDeadline,
      capacity: dialogueRounds.capacity,
      status: dialogueRounds.status,
      outcomeMaterialId: dialogueRounds.outcomeMaterialId,
      registered: sql<number>`(select count(*)::int from ${roundRegistrations} r where r.round_id = ${dialogueRounds.id} and r.status = 'registered')`,
      mine: sql<
        string | null
      >`(select r.status from ${roundRegistrations} r where r.round_id = ${dialogueRounds.id} and r.user_id = ${viewer.id})`,
    })
    .from(dialogueRounds)
    .orderBy(asc(dialogueRounds.startsAt))
    .limit(1000);
  const upcoming = rows.filter((r) => !isPast(r, now));
  const past = rows.filter((r) => isPast(r, now)).reverse();
  const pages = Math.max(1, Math.ceil(past.length / ROUNDS_PAGE_SIZE));
  return {
    upcoming,
    past: past.slice((page - 1) * ROUNDS_PAGE_SIZE, page * ROUNDS_PAGE_SIZE),
    page,
    pages,
    may: { schedule: can(viewer, "scheduleRound") },
  };
}

export type RoundView = NonNullable<Awaited<ReturnType<typeof getRoundView>>>;

/** Everything the round page shows before, during and after the round, as this viewer may see it. */
export async function getRoundView(viewer: Actor, id: string, now = new Date()) {
  const loaded = await getRoundFacts(viewer, id);
  if (!loaded) return null;
  const { round, facts } = loaded;
  const [hosts, agenda, registrations, questions, myVotes, [watch]] = await Promise.all([
    db()
      .select({ id: users.id, name: users.displayName, handle: users.handle, picture: profilePictures.stamp })
      .from(roundHosts)
      .innerJoin(users, eq(users.id, roundHosts.userId))
      .leftJoin(profilePictures, eq(profilePictures.userId, users.id))
      .where(eq(roundHosts.roundId, id)),
    db()
      .select({ title: roundAgendaItems.title })
      .from(roundAgendaItems)
      .where(eq(roundAgendaItems.roundId, id))
      .orderBy(asc(roundAgendaItems.position)),
    db()
      .select({
        userId: roundRegistrations.userId,
        status: roundRegistrations.status,
        queuedAt: roundRegistrations.queuedAt,
      })
      .from(roundRegistrations)
      .where(eq(roundRegistrations.roundId, id)),
    db()
      .select({
        id: roundQuestions.id,
        text: roundQuestions.text,
        votes: roundQuestions.votes,
        takenAt: roundQuestions.takenAt,
        authorId: roundQuestions.authorId,
        authorName: users.displayName,
        createdAt: roundQuestions.createdAt,
      })
      .from(roundQuestions)
      .leftJoin(users, eq(users.id, roundQuestions.authorId))
      .where(eq(roundQuestions.roundId, id))
      .orderBy(desc(roundQuestions.votes), asc(roundQuestions.createdAt))
      .limit(200),
    db()
      .select({ questionId: roundQuestionVotes.questionId })
      .from(roundQuestionVotes)
      .innerJoin(roundQuestions, eq(roundQuestions.id, roundQuestionVotes.questionId))
      .where(and(eq(roundQuestions.roundId, id), eq(roundQuestionVotes.userId, viewer.id))),
    db()
      .select({ userId: roundWatches.userId })
      .from(roundWatches)
      .where(and(eq(roundWatches.roundId, id), eq(roundWatches.userId, viewer.id))),
  ]);
  const mine = registrations.find((r) => r.userId === viewer.id);
  const registeredCount = registrations.filter((r) => r.status === "registered").length;
  const isHost = can(viewer, "hostRound", { type: "round", round: facts });
  const voted = new Set(myVotes.map((v) => v.questionId));
  return {
    round: {
      id: round.id,
      title: round.title,
      description: round.description,
      startsAt: round.startsAt,
      endsAt: round.endsAt,
      registrationDeadline: round.registrationDeadline,
      capacity: round.capacity,
      status: round.status,
      conferenceUrl: facts.registered || isHost ? round.conferenceUrl : null,
      hasConferenceUrl: !!round.conferenceUrl,
      outcomeMaterialId: round.outcomeMaterialId,
      outcomeThreadId: round.outcomeThreadId,
      /** The notes, for the host who turns them into the result. */
      notes: isHost && round.status === "closed" ? round.notes : null,
    },
    hosts,
    agenda: agenda.map((a) => a.title),
    registeredCount,
    waitingCount: registrations.filter((r) => r.status === "waiting").length,
    my: {
      status: mine?.status ?? null,
      waitingPlace: mine ? waitingPlace(registrations, viewer.id) : null,
      watching: !!watch,
      removed: facts.removed,
    },
    questions: questions.map((q) => ({ ...q, mine: q.authorId === viewer.id, voted: voted.has(q.id) })),
    may: {
      host: isHost,
      // Hosts are in the room anyway: no registration, no waiting list for them.
      register: !isHost && registrationOpen(round, now) && mine?.status !== "registered" && mine?.status !== "waiting",
      /** Change or call off the round: its hosts and the moderation, while it is scheduled. */
      change: isHost && round.status === "scheduled",
      cancel:
        (mine?.status === "registered" || mine?.status === "waiting") &&
        (round.status === "scheduled" || round.status === "live"),
      ask: (facts.registered || isHost) && (round.status === "scheduled" || round.status === "live"),
      join: can(viewer, "join", { type: "room", name: `round:${round.id}`, round: facts }),
    },
  };
}

/** Registers the member, or puts them on the waiting list when the round is full. */
export async function registerForRound(actor: Actor, id: string, now = new Date()): Promise<"registered" | "waiting"> {
  const round = await loadRound(id);
  if (!round) throw new NotFoundError();
  if (!registrationOpen(round, now))
    throw new InputError("form", "Für diese Dialogrunde ist die Anmeldung geschlossen.");
  return db().transaction(async (tx) => {
    // The row lock orders concurrent registrations, so the last place is given once.
    await tx.execute(sql`select id from dialogue_rounds where id = ${id} for update`);
    const [existing] = await tx
      .select({ status: roundRegistrations.status })
      .from(roundRegistrations)
      .where(and(eq(roundRegistrations.roundId, id), eq(roundRegistrations.userId, actor.id)));
    if (existing && existing.status !== "cancelled") return existing.status;
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(roundRegistrations)
      .where(and(eq(roundRegistrations.roundId, id), eq(roundRegistrations.status, "registered")));
    const status = placeFor(n, round.capacity);
    await tx
      .insert(roundRegistrations)
      .values({ roundId: id, userId: actor.id, status, queuedAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [roundRegistrations.roundId, roundRegistrations.userId],
        set: { status, queuedAt: now, updatedAt: now },
      });
    return status;
  });
}

/** Cancels; the first on the waiting list moves up into the free place and is told so. */
export async function cancelRegistration(actor: Actor, id: string, now = new Date()): Promise<void> {
  const round = await loadRound(id);
  if (!round) throw new NotFoundError();
  if (round.status === "closed" || round.status === "published")
    throw new InputError("form", "Die Dialogrunde ist schon vorbei.");
  const promoted = await db().transaction(async (tx) => {
    await tx.execute(sql`select id from dialogue_rounds where id = ${id} for update`);
    await tx
      .update(roundRegistrations)
      .set({ status: "cancelled", updatedAt: now })
      .where(and(eq(roundRegistrations.roundId, id), eq(roundRegistrations.userId, actor.id)));
    const all = await tx
      .select({
        userId: roundRegistrations.userId,
        status: roundRegistrations.status,
        queuedAt: roundRegistrations.queuedAt,
      })
      .from(roundRegistrations)
      .where(eq(roundRegistrations.roundId, id));
    const up = promotions(all, round.capacity);
    if (up.length) {
      await tx
        .update(roundRegistrations)
        .set({ status: "registered", updatedAt: now })
        .where(and(eq(roundRegistrations.roundId, id), inArray(roundRegistrations.userId, up)));
    }
    return up;
  });
  if (promoted.length) await notifyRoundMembers(round, promoted, "round_promoted");
}

export async function setRoundWatch(actor: Actor, id: string, on: boolean): Promise<void> {
  if (!(await loadRound(id))) throw new NotFoundError();
  if (on) await db().insert(roundWatches).values({ roundId: id, userId: actor.id }).onConflictDoNothing();
  else
    await db()
      .delete(roundWatches)
      .where(and(eq(roundWatches.roundId, id), eq(roundWatches.userId, actor.id)));
}

/** Questions in advance: from registrants and hosts, until the round is closed. */
export async function askQuestion(actor: Actor, id: string, text: string): Promise<void> {
  const loaded = await getRoundFacts(actor, id);
  if (!loaded) throw new NotFoundError();
  const { round, facts } = loaded;
  if (!facts.registered && !can(actor, "hostRound", { type: "round", round: facts })) {
    throw new ForbiddenError("Fragen stellen können alle, die für die Dialogrunde angemeldet sind.");
  }
  if (round.status !== "scheduled" && round.status !== "live")
    throw new InputError("text", "Die Dialogrunde ist vorbei; Fragen sind nicht mehr möglich.");
  const [{ n }] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(roundQuestions)
    .where(and(eq(roundQuestions.roundId, id), eq(roundQuestions.authorId, actor.id)));
  if (n >= 10) throw new InputError("text", "Du hast schon 10 Fragen zu dieser Runde gestellt.");
  await db().insert(roundQuestions).values({ roundId: id, authorId: actor.id, text });
}

/** One vote per member and question; not for one's own question. */
export async function voteQuestion(actor: Actor, questionId: string, on: boolean): Promise<{ roundId: string }> {
  if (!isUuid(questionId)) throw new NotFoundError();
  const [question] = await db().select().from(roundQuestions).where(eq(roundQuestions.id, questionId));
  if (!question) throw new NotFoundError();
  const loaded = await getRoundFacts(actor, question.roundId);
  if (!loaded) throw new NotFoundError();
  if (!loaded.facts.registered && !can(actor, "hostRound", { type: "round", round: loaded.facts })) {
    throw new ForbiddenError("Abstimmen können alle, die für die Dialogrunde angemeldet sind.");
  }
  if (question.authorId === actor.id) throw new InputError("form", "Für deine eigene Frage kannst du nicht stimmen.");
  await db().transaction(async (tx) => {
    const changed = on
      ? await tx
          .insert(roundQuestionVotes)
          .values({ questionId, userId: actor.id })
          .onConflictDoNothing()
          .returning({ q: roundQuestionVotes.questionId })
      : await tx
          .delete(roundQuestionVotes)
          .where(and(eq(roundQuestionVotes.questionId, questionId), eq(roundQuestionVotes.userId, actor.id)))
          .returning({ q: roundQuestionVotes.questionId });
    if (changed.length) {
      await tx
        .update(roundQuestions)
        .set({ votes: sql`${roundQuestions.votes} + ${on ? 1 : -1}` })
        .where(eq(roundQuestions.id, questionId));
    }
  });
  return { roundId: question.roundId };
}

/** Registrants and hosts of rounds (for the calendar feed and reminders). */
export async function registrantIds(roundId: string): Promise<string[]> {
  const rows = await db()
    .select({ userId: roundRegistrations.userId })
    .from(roundRegistrations)
    .where(and(eq(roundRegistrations.roundId, roundId), eq(roundRegistrations.status, "registered")));
  return rows.map((r) => r.userId);
}
