import { and, asc, eq, gt, sql } from "drizzle-orm";
import { dialogueRounds, roundEvents, roundParticipants } from "../../../db/schema/index.ts";
import { can, type Actor, type RoundFacts } from "../../auth/permissions.ts";
import { orderQueue } from "../../domain/rounds/queue.ts";
import { REPLAY_BATCH } from "../../domain/rounds/types.ts";
import { roomName, type RoundEvent, type RoundJoined, type RoundLiveState } from "../../realtime/events.ts";
import { publish } from "../../realtime/hub.server.ts";
import { db, type Database } from "../db.server.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.server.ts";
import { memberNames } from "../accounts/names.server.ts";
import { getRoundFacts, type RoundRow } from "./facts.server.ts";

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type EventRow = typeof roundEvents.$inferSelect;

/** The live room's state does not allow it (not open, nobody to call on): a conflict with a German message. */
export class RoundRefusal extends ConflictError {}

export async function factsOrThrow(actor: Actor, roundId: string): Promise<{ round: RoundRow; facts: RoundFacts }> {
  const loaded = await getRoundFacts(actor, roundId);
  if (!loaded) throw new NotFoundError("Diese Dialogrunde gibt es nicht.");
  return loaded;
}

export async function toEvents(rows: EventRow[], keepNotes: "all" | "last" = "last"): Promise<RoundEvent[]> {
  const names = await memberNames(rows.map((r) => r.authorId).filter((id): id is string => !!id));
  // A replay needs only the latest notes text: earlier versions are listed (they keep the numbering) but empty.
  const lastNotes = keepNotes === "last" ? rows.findLast((r) => r.kind === "notes")?.seq : undefined;
  return rows.map((r) => ({
    seq: r.seq,
    kind: r.kind,
    authorId: r.authorId,
    authorName: r.authorId ? (names.get(r.authorId)?.name ?? "Ehemaliges Mitglied") : null,
    authorPicture: r.authorId ? (names.get(r.authorId)?.picture ?? null) : null,
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
  const hands = orderQueue(
    participants
      .filter((p) => p.handRaisedAt && !p.removed)
      .map((p) => ({ userId: p.userId, raisedAt: p.handRaisedAt! })),
  );
  const names = await memberNames(hands.map((h) => h.userId));
  return {
    roundId,
    status: round.status,
    seq: round.seq,
    agendaIndex: round.agendaIndex,
    speakerId: round.speakerId,
    pinnedSeq: round.pinnedSeq,
    queue: hands.map((h) => ({
      userId: h.userId,
      name: names.get(h.userId)?.name ?? "Mitglied",
      picture: names.get(h.userId)?.picture ?? null,
      raisedAt: h.raisedAt.toISOString(),
    })),
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
export async function appendEvent(
  exec: Tx | Database,
  roundId: string,
  e: {
    kind: EventRow["kind"];
    authorId: string | null;
    text?: string;
    ref?: string | null;
    clientId?: string | null;
    notes?: string;
  },
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

export async function broadcastEvents(roundId: string, rows: EventRow[]): Promise<void> {
  for (const event of await toEvents(rows, "all")) publish(roomName.round(roundId), "round:event", { roundId, event });
}

export async function broadcastState(roundId: string): Promise<void> {
  publish(roomName.round(roundId), "round:state", await liveState(roundId));
}

async function existingByClientId(roundId: string, authorId: string, clientId: string): Promise<EventRow | null> {
  const [row] = await db()
    .select()
    .from(roundEvents)
    .where(
      and(eq(roundEvents.roundId, roundId), eq(roundEvents.authorId, authorId), eq(roundEvents.clientId, clientId)),
    );
  return row ?? null;
}

/**
 * A chat message: stored (with its room number) before anyone hears of it. Sending the same clientId again, e.g.
 * after a reconnect without an answer, returns the stored number and stores nothing new.
 */
export async function postChat(
  actor: Actor,
  roundId: string,
  text: string,
  clientId: string,
): Promise<{ seq: number }> {
  const { facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "speakInRound", { type: "round", round: facts })) {
    throw new ForbiddenError(
      facts.muted ? "Die Moderation hat deinen Chat stummgeschaltet." : "Du kannst in diesem Raum nicht schreiben.",
    );
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
export async function saveNotes(
  actor: Actor,
  roundId: string,
  text: string,
  clientId: string,
): Promise<{ seq: number }> {
  const { facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "writeNotes", { type: "round", round: facts }))
    throw new ForbiddenError("Das Protokoll schreiben die Gastgebenden und die Protokollführung.");
  const earlier = await existingByClientId(roundId, actor.id, clientId);
  if (earlier) return { seq: earlier.seq };
  const row = await appendEvent(db(), roundId, { kind: "notes", authorId: actor.id, text, clientId, notes: text });
  await broadcastEvents(roundId, [row]);
  return { seq: row.seq };
}

/** Raising keeps the first place; lowering takes the hand out of the queue. People lower only their own hand. */
export async function setHand(actor: Actor, roundId: string, raised: boolean, now = new Date()): Promise<void> {
  const { facts } = await factsOrThrow(actor, roundId);
  if (raised && !can(actor, "speakInRound", { type: "round", round: facts }))
    throw new ForbiddenError("Du kannst dich in diesem Raum nicht melden.");
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
  if (!can(actor, "speakInRound", { type: "round", round: facts }))
    throw new ForbiddenError("Du kannst in diesem Raum nicht reagieren.");
  const name = (await memberNames([actor.id])).get(actor.id)?.name ?? "Mitglied";
  publish(roomName.round(roundId), "round:reaction", { roundId, userId: actor.id, name, kind });
}
