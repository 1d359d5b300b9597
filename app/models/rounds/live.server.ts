import { and, asc, eq, gt, isNotNull, sql } from "drizzle-orm";
import { dialogueRounds, roundAgendaItems, roundEvents, roundParticipants, roundQuestions } from "../../../db/schema/index.ts";
import { can, type Actor, type RoundFacts } from "../../auth/permissions.ts";
import { giveFloor, orderQueue, raiseHand } from "../../domain/rounds/queue.ts";
import { moveAgenda } from "../../domain/rounds/agenda.ts";
import { REPLAY_BATCH } from "../../domain/rounds/types.ts";
import { roomName, type RoundEvent, type RoundHostCommand, type RoundJoined, type RoundLiveState } from "../../realtime/events.ts";
import { leaveRoom, publish } from "../../realtime/hub.server.ts";
import { db, type Database } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { isUuid } from "../discussions/facts.server.ts";
import { memberNames } from "../accounts/names.server.ts";
import { getRoundFacts, type RoundRow } from "./facts.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
type EventRow = typeof roundEvents.$inferSelect;

/** Refusals in the live room carry a German message for the person; the socket layer sends it as an error event. */
export class RoundRefusal extends Error {}

async function factsOrThrow(actor: Actor, roundId: string): Promise<{ round: RoundRow; facts: RoundFacts }> {
  const loaded = await getRoundFacts(actor, roundId);
  if (!loaded) throw new NotFoundError("Diese Dialogrunde gibt es nicht.");
  return loaded;
}

async function toEvents(rows: EventRow[], keepNotes: "all" | "last" = "last"): Promise<RoundEvent[]> {
  const names = await memberNames(rows.map((r) => r.authorId).filter((id): id is string => !!id));
  // A replay needs only the latest notes text: earlier versions are listed (they keep the numbering) but empty.
  const lastNotes = keepNotes === "last" ? rows.findLast((r) => r.kind === "notes")?.seq : undefined;
  return rows.map((r) => ({
    seq: r.seq,
    kind: r.kind,
    authorId: r.authorId,
    authorName: r.authorId ? (names.get(r.authorId)?.name ?? "Ehemaliges Mitglied") : null,
    text: r.kind === "notes" && lastNotes !== undefined && r.seq !== lastNotes ? "" : r.text,
    ref: r.ref,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Events after `since`, in order; at most REPLAY_BATCH (the client asks again while `more` is true). */
export async function eventsSince(roundId: string, since: number): Promise<{ events: RoundEvent[]; more: boolean }> {
  const rows = await db()
    .select()
    .from(roundEvents)
    .where(and(eq(roundEvents.roundId, roundId), gt(roundEvents.seq, since)))
    .orderBy(asc(roundEvents.seq))
    .limit(REPLAY_BATCH + 1);
  return { events: await toEvents(rows.slice(0, REPLAY_BATCH)), more: rows.length > REPLAY_BATCH };
}

export async function liveState(roundId: string): Promise<RoundLiveState> {
  const [[round], participants] = await Promise.all([
    db().select().from(dialogueRounds).where(eq(dialogueRounds.id, roundId)),
    db().select().from(roundParticipants).where(eq(roundParticipants.roundId, roundId)),
  ]);
  if (!round) throw new NotFoundError();
  const hands = orderQueue(participants.filter((p) => p.handRaisedAt && !p.removed).map((p) => ({ userId: p.userId, raisedAt: p.handRaisedAt! })));
  const names = await memberNames(hands.map((h) => h.userId));
  return {
    roundId,
    status: round.status,
    seq: round.seq,
    agendaIndex: round.agendaIndex,
    speakerId: round.speakerId,
    pinnedSeq: round.pinnedSeq,
    queue: hands.map((h) => ({ userId: h.userId, name: names.get(h.userId)?.name ?? "Mitglied", raisedAt: h.raisedAt.toISOString() })),
    muted: participants.filter((p) => p.muted).map((p) => p.userId),
    scribes: participants.filter((p) => p.scribe).map((p) => p.userId),
  };
}

/** Checks that the member may be in the live room and returns what they missed since `since`. */
export async function joinLiveRound(actor: Actor, roundId: string, since: number): Promise<RoundJoined> {
  const { round, facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "join", { type: "room", name: roomName.round(roundId), round: facts })) {
    if (facts.removed) throw new ForbiddenError("Du wurdest von der Moderation aus dieser Runde entfernt.");
    if (round.status !== "live") throw new ForbiddenError("Der Raum ist nicht geöffnet.");
    throw new ForbiddenError("Der Raum ist für angemeldete Teilnehmende.");
  }
  const [state, replay] = await Promise.all([liveState(roundId), eventsSince(roundId, since)]);
  return { state, ...replay, notes: round.notes };
}

/**
 * Stores an event with the room's next number in one statement: the update takes the round's row lock and the next
 * number (only while the room is open), the insert uses it. Atomic without a transaction, so a chat message costs one
 * round trip; a failing insert (a resent clientId) rolls the number back with it. `notes` replaces the notes text.
 */
async function appendEvent(
  exec: Tx | Database,
  roundId: string,
  e: { kind: EventRow["kind"]; authorId: string | null; text?: string; ref?: string | null; clientId?: string | null; notes?: string },
): Promise<EventRow> {
  const result = await exec.execute(sql`
    with next as (
      update dialogue_rounds set seq = seq + 1${e.notes !== undefined ? sql`, notes = ${e.notes}` : sql``}
      where id = ${roundId}::uuid and status = 'live'
      returning seq
    )
    insert into round_events (round_id, seq, kind, author_id, text, ref, client_id)
    select ${roundId}::uuid, next.seq, ${e.kind}, ${e.authorId}::uuid, ${e.text ?? ""}, ${e.ref ?? null}::text, ${e.clientId ?? null}::text from next
    returning seq, kind, author_id, text, ref, client_id, created_at`);
  // PGlite answers { rows }, postgres.js an array.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  const row = rows[0];
  if (!row) throw new RoundRefusal("Der Raum ist nicht geöffnet.");
  return {
    id: 0,
    roundId,
    seq: Number(row.seq),
    kind: row.kind as EventRow["kind"],
    authorId: (row.author_id as string | null) ?? null,
    text: String(row.text),
    ref: (row.ref as string | null) ?? null,
    clientId: (row.client_id as string | null) ?? null,
    createdAt: new Date(row.created_at as string | Date),
  };
}

async function broadcastEvents(roundId: string, rows: EventRow[]): Promise<void> {
  for (const event of await toEvents(rows, "all")) publish(roomName.round(roundId), "round:event", { roundId, event });
}

async function broadcastState(roundId: string): Promise<void> {
  publish(roomName.round(roundId), "round:state", await liveState(roundId));
}

async function existingByClientId(roundId: string, authorId: string, clientId: string): Promise<EventRow | null> {
  const [row] = await db()
    .select()
    .from(roundEvents)
    .where(and(eq(roundEvents.roundId, roundId), eq(roundEvents.authorId, authorId), eq(roundEvents.clientId, clientId)));
  return row ?? null;
}

/**
 * A chat message: stored (with its room number) before anyone hears of it. Sending the same clientId again, e.g.
 * after a reconnect without an answer, returns the stored number and stores nothing new.
 */
export async function postChat(actor: Actor, roundId: string, text: string, clientId: string): Promise<{ seq: number }> {
  const { facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "speakInRound", { type: "round", round: facts })) {
    throw new ForbiddenError(facts.muted ? "Die Moderation hat deinen Chat stummgeschaltet." : "Du kannst in diesem Raum nicht schreiben.");
  }
  let row: EventRow;
  try {
    row = await appendEvent(db(), roundId, { kind: "chat", authorId: actor.id, text: text.trim(), clientId });
  } catch (error) {
    // Sent before (a resend after a lost answer, or twice at once): the insert hits the unique (round, author,
    // clientId), the transaction rolls back with its number, and the stored message's number is the answer.
    const raced = await existingByClientId(roundId, actor.id, clientId);
    if (raced) return { seq: raced.seq };
    throw error;
  }
  await broadcastEvents(roundId, [row]);
  return { seq: row.seq };
}

/** The shared notes, whole text each time (last writer wins); hosts and the scribe write, everyone reads live. */
export async function saveNotes(actor: Actor, roundId: string, text: string, clientId: string): Promise<{ seq: number }> {
  const { facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "writeNotes", { type: "round", round: facts })) throw new ForbiddenError("Das Protokoll schreiben die Gastgebenden und die Protokollführung.");
  const earlier = await existingByClientId(roundId, actor.id, clientId);
  if (earlier) return { seq: earlier.seq };
  const row = await appendEvent(db(), roundId, { kind: "notes", authorId: actor.id, text, clientId, notes: text });
  await broadcastEvents(roundId, [row]);
  return { seq: row.seq };
}

/** Raising keeps the first place; lowering takes the hand out of the queue. People lower only their own hand. */
export async function setHand(actor: Actor, roundId: string, raised: boolean, now = new Date()): Promise<void> {
  const { facts } = await factsOrThrow(actor, roundId);
  if (raised && !can(actor, "speakInRound", { type: "round", round: facts })) throw new ForbiddenError("Du kannst dich in diesem Raum nicht melden.");
  if (!raised && facts.status !== "live") throw new RoundRefusal("Der Raum ist nicht geöffnet.");
  if (raised) {
    await db()
      .insert(roundParticipants)
      .values({ roundId, userId: actor.id, handRaisedAt: now })
      .onConflictDoUpdate({
        target: [roundParticipants.roundId, roundParticipants.userId],
        set: { handRaisedAt: sql`coalesce(${roundParticipants.handRaisedAt}, ${now.toISOString()}::timestamptz)` },
      });
  } else {
    await db()
      .update(roundParticipants)
      .set({ handRaisedAt: null })
      .where(and(eq(roundParticipants.roundId, roundId), eq(roundParticipants.userId, actor.id)));
  }
  await broadcastState(roundId);
}

export async function sendReaction(actor: Actor, roundId: string, kind: string): Promise<void> {
  const { facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "speakInRound", { type: "round", round: facts })) throw new ForbiddenError("Du kannst in diesem Raum nicht reagieren.");
  const name = (await memberNames([actor.id])).get(actor.id)?.name ?? "Mitglied";
  publish(roomName.round(roundId), "round:reaction", { roundId, userId: actor.id, name, kind });
}

async function setParticipant(tx: Tx, roundId: string, userId: string, set: Partial<typeof roundParticipants.$inferInsert>) {
  await tx
    .insert(roundParticipants)
    .values({ roundId, userId, ...set })
    .onConflictDoUpdate({ target: [roundParticipants.roundId, roundParticipants.userId], set });
}

/** What only hosts do in the live room. Every change is stored, numbered where it belongs in the record, then sent. */
export async function hostCommand(actor: Actor, roundId: string, command: RoundHostCommand): Promise<void> {
  const { round, facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "hostRound", { type: "round", round: facts })) throw new ForbiddenError("Das dürfen nur die Gastgebenden der Runde.");
  if (round.status !== "live") throw new RoundRefusal("Der Raum ist nicht geöffnet.");
  const events: EventRow[] = [];
  switch (command.action) {
    case "floor": {
      const hands = (await db().select().from(roundParticipants).where(and(eq(roundParticipants.roundId, roundId), isNotNull(roundParticipants.handRaisedAt))))
        .filter((p) => !p.removed)
        .map((p) => ({ userId: p.userId, raisedAt: p.handRaisedAt! }));
      // A host may also give the floor to someone who has not raised a hand (e.g. to ask them directly).
      const handed = command.userId && !hands.some((h) => h.userId === command.userId) ? giveFloor(raiseHand(hands, command.userId, new Date()), command.userId) : giveFloor(hands, command.userId);
      if (!handed) throw new RoundRefusal("Niemand hat sich gemeldet.");
      events.push(
        await db().transaction(async (tx) => {
          await tx.update(dialogueRounds).set({ speakerId: handed.speakerId }).where(eq(dialogueRounds.id, roundId));
          await tx.update(roundParticipants).set({ handRaisedAt: null }).where(and(eq(roundParticipants.roundId, roundId), eq(roundParticipants.userId, handed.speakerId)));
          return appendEvent(tx, roundId, { kind: "floor", authorId: actor.id, ref: handed.speakerId });
        }),
      );
      break;
    }
    case "endFloor":
      events.push(
        await db().transaction(async (tx) => {
          await tx.update(dialogueRounds).set({ speakerId: null }).where(eq(dialogueRounds.id, roundId));
          return appendEvent(tx, roundId, { kind: "floor", authorId: actor.id, ref: null });
        }),
      );
      break;
    case "mute":
    case "unmute":
    case "scribe":
    case "unscribe":
    case "remove": {
      if (!isUuid(command.userId)) throw new RoundRefusal("Unbekannte Person.");
      if (command.action === "remove" && (facts.hostIds.includes(command.userId) || command.userId === actor.id)) {
        throw new RoundRefusal("Gastgebende können nicht entfernt werden.");
      }
      const set =
        command.action === "mute" ? { muted: true, handRaisedAt: null }
        : command.action === "unmute" ? { muted: false }
        : command.action === "scribe" ? { scribe: true }
        : command.action === "unscribe" ? { scribe: false }
        : { removed: true, handRaisedAt: null, scribe: false };
      await db().transaction(async (tx) => {
        await setParticipant(tx, roundId, command.userId, set);
        if (command.action === "remove" && round.speakerId === command.userId) {
          await tx.update(dialogueRounds).set({ speakerId: null }).where(eq(dialogueRounds.id, roundId));
        }
      });
      if (command.action === "remove") {
        publish(roomName.user(command.userId), "round:removed", { roundId });
        leaveRoom(roomName.user(command.userId), roomName.round(roundId));
      }
      break;
    }
    case "pin": {
      if (command.seq !== null) {
        const [target] = await db()
          .select({ kind: roundEvents.kind })
          .from(roundEvents)
          .where(and(eq(roundEvents.roundId, roundId), eq(roundEvents.seq, command.seq)));
        if (target?.kind !== "chat") throw new RoundRefusal("Diese Nachricht gibt es nicht.");
      }
      events.push(
        await db().transaction(async (tx) => {
          await tx.update(dialogueRounds).set({ pinnedSeq: command.seq }).where(eq(dialogueRounds.id, roundId));
          return appendEvent(tx, roundId, { kind: "pin", authorId: actor.id, ref: command.seq === null ? null : String(command.seq) });
        }),
      );
      break;
    }
    case "agenda": {
      const items = await db().select({ title: roundAgendaItems.title }).from(roundAgendaItems).where(eq(roundAgendaItems.roundId, roundId)).orderBy(asc(roundAgendaItems.position));
      if (items.length === 0) throw new RoundRefusal("Diese Runde hat keine Tagesordnung.");
      const index = moveAgenda(round.agendaIndex, items.length, command.to);
      events.push(
        await db().transaction(async (tx) => {
          await tx.update(dialogueRounds).set({ agendaIndex: index }).where(eq(dialogueRounds.id, roundId));
          return appendEvent(tx, roundId, { kind: "agenda", authorId: actor.id, ref: String(index), text: items[index].title });
        }),
      );
      break;
    }
    case "takeQuestion": {
      if (!isUuid(command.questionId)) throw new RoundRefusal("Diese Frage gibt es in dieser Runde nicht.");
      const [question] = await db()
        .select()
        .from(roundQuestions)
        .where(and(eq(roundQuestions.id, command.questionId), eq(roundQuestions.roundId, roundId)));
      if (!question) throw new RoundRefusal("Diese Frage gibt es in dieser Runde nicht.");
      events.push(
        await db().transaction(async (tx) => {
          await tx.update(roundQuestions).set({ takenAt: new Date() }).where(eq(roundQuestions.id, question.id));
          return appendEvent(tx, roundId, { kind: "question", authorId: actor.id, ref: question.id, text: question.text });
        }),
      );
      break;
    }
  }
  await broadcastEvents(roundId, events);
  await broadcastState(roundId);
}

/** A host opens the room (from scheduled, or again after closing); members on the page are let in. */
export async function openRoom(actor: Actor, roundId: string, now = new Date()): Promise<void> {
  const { round, facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "hostRound", { type: "round", round: facts })) throw new ForbiddenError();
  if (round.status === "published") throw new InputError("form", "Das Ergebnis ist schon veröffentlicht; der Raum bleibt geschlossen.");
  if (round.status === "live") return;
  const row = await db().transaction(async (tx) => {
    await tx.update(dialogueRounds).set({ status: "live", openedAt: round.openedAt ?? now, closedAt: null }).where(eq(dialogueRounds.id, roundId));
    return appendEvent(tx, roundId, { kind: "status", authorId: actor.id, ref: "live" });
  });
  await broadcastEvents(roundId, [row]);
  await broadcastState(roundId);
}

/** Closing ends the floor and clears the queue; the notes stay for the result. */
export async function closeRoom(actor: Actor, roundId: string, now = new Date()): Promise<void> {
  const { round, facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "hostRound", { type: "round", round: facts })) throw new ForbiddenError();
  if (round.status !== "live") return;
  const row = await db().transaction(async (tx) => {
    const event = await appendEvent(tx, roundId, { kind: "status", authorId: actor.id, ref: "closed" });
    await tx.update(dialogueRounds).set({ status: "closed", closedAt: now, speakerId: null }).where(eq(dialogueRounds.id, roundId));
    await tx.update(roundParticipants).set({ handRaisedAt: null }).where(eq(roundParticipants.roundId, roundId));
    return event;
  });
  await broadcastEvents(roundId, [row]);
  await broadcastState(roundId);
}

/** Chat messages of a closed round, for the host choosing highlights for the result. */
export async function chatForOutcome(actor: Actor, roundId: string) {
  const { facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "hostRound", { type: "round", round: facts })) throw new ForbiddenError();
  const rows = await db()
    .select()
    .from(roundEvents)
    .where(and(eq(roundEvents.roundId, roundId), eq(roundEvents.kind, "chat")))
    .orderBy(asc(roundEvents.seq))
    .limit(2000);
  return toEvents(rows, "all");
}

