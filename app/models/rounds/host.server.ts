import { and, asc, eq, isNotNull } from "drizzle-orm";
import {
  dialogueRounds,
  roundAgendaItems,
  roundEvents,
  roundParticipants,
  roundQuestions,
} from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { giveFloor, raiseHand } from "../../domain/rounds/queue.ts";
import { moveAgenda } from "../../domain/rounds/agenda.ts";
import { roomName, type RoundHostCommand } from "../../realtime/events.ts";
import { leaveRoom, publish } from "../../realtime/hub.server.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import { isUuid } from "../discussions/facts.server.ts";
import { announceRoundChange } from "./changes.server.ts";
import { registrantIds } from "./rounds.server.ts";
import {
  appendEvent,
  broadcastEvents,
  broadcastState,
  factsOrThrow,
  RoundRefusal,
  toEvents,
  type EventRow,
  type Tx,
} from "./live.server.ts";

/** What hosts do: open and close the room, the floor, mute, remove, scribe, pin, agenda, questions into the round. */

async function setParticipant(
  tx: Tx,
  roundId: string,
  userId: string,
  set: Partial<typeof roundParticipants.$inferInsert>,
) {
  await tx
    .insert(roundParticipants)
    .values({ roundId, userId, ...set })
    .onConflictDoUpdate({ target: [roundParticipants.roundId, roundParticipants.userId], set });
}

/** What only hosts do in the live room. Every change is stored, numbered where it belongs in the record, then sent. */
export async function hostCommand(actor: Actor, roundId: string, command: RoundHostCommand): Promise<void> {
  const { round, facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "hostRound", { type: "round", round: facts }))
    throw new ForbiddenError("Das dürfen nur die Gastgebenden der Runde.");
  if (round.status !== "live") throw new RoundRefusal("Der Raum ist nicht geöffnet.");
  const events: EventRow[] = [];
  switch (command.action) {
    case "floor": {
      const hands = (
        await db()
          .select()
          .from(roundParticipants)
          .where(and(eq(roundParticipants.roundId, roundId), isNotNull(roundParticipants.handRaisedAt)))
      )
        .filter((p) => !p.removed)
        .map((p) => ({ userId: p.userId, raisedAt: p.handRaisedAt! }));
      // A host may also give the floor to someone who has not raised a hand (e.g. to ask them directly).
      const handed =
        command.userId && !hands.some((h) => h.userId === command.userId)
          ? giveFloor(raiseHand(hands, command.userId, new Date()), command.userId)
          : giveFloor(hands, command.userId);
      if (!handed) throw new RoundRefusal("Niemand hat sich gemeldet.");
      events.push(
        await db().transaction(async (tx) => {
          await tx.update(dialogueRounds).set({ speakerId: handed.speakerId }).where(eq(dialogueRounds.id, roundId));
          await tx
            .update(roundParticipants)
            .set({ handRaisedAt: null })
            .where(and(eq(roundParticipants.roundId, roundId), eq(roundParticipants.userId, handed.speakerId)));
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
        command.action === "mute"
          ? { muted: true, handRaisedAt: null }
          : command.action === "unmute"
            ? { muted: false }
            : command.action === "scribe"
              ? { scribe: true }
              : command.action === "unscribe"
                ? { scribe: false }
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
          return appendEvent(tx, roundId, {
            kind: "pin",
            authorId: actor.id,
            ref: command.seq === null ? null : String(command.seq),
          });
        }),
      );
      break;
    }
    case "agenda": {
      const items = await db()
        .select({ title: roundAgendaItems.title })
        .from(roundAgendaItems)
        .where(eq(roundAgendaItems.roundId, roundId))
        .orderBy(asc(roundAgendaItems.position));
      if (items.length === 0) throw new RoundRefusal("Diese Runde hat keine Tagesordnung.");
      const index = moveAgenda(round.agendaIndex, items.length, command.to);
      events.push(
        await db().transaction(async (tx) => {
          await tx.update(dialogueRounds).set({ agendaIndex: index }).where(eq(dialogueRounds.id, roundId));
          return appendEvent(tx, roundId, {
            kind: "agenda",
            authorId: actor.id,
            ref: String(index),
            text: items[index].title,
          });
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
          return appendEvent(tx, roundId, {
            kind: "question",
            authorId: actor.id,
            ref: question.id,
            text: question.text,
          });
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
  if (round.status === "published")
    throw new InputError("form", "Das Ergebnis ist schon veröffentlicht; der Raum bleibt geschlossen.");
  if (round.status === "cancelled") throw new InputError("form", "Die Dialogrunde ist abgesagt.");
  if (round.status === "live") return;
  const row = await db().transaction(async (tx) => {
    await tx
      .update(dialogueRounds)
      .set({ status: "live", openedAt: round.openedAt ?? now, closedAt: null })
      .where(eq(dialogueRounds.id, roundId));
    return appendEvent(tx, roundId, { kind: "status", authorId: actor.id, ref: "live" });
  });
  await broadcastEvents(roundId, [row]);
  await broadcastState(roundId);
  // Registrants waiting on the round's page come in at once (their page reloads and shows the room).
  announceRoundChange(roundId, [...(await registrantIds(roundId)), ...facts.hostIds], "opened");
}

/** Closing ends the floor and clears the queue; the notes stay for the result. */
export async function closeRoom(actor: Actor, roundId: string, now = new Date()): Promise<void> {
  const { round, facts } = await factsOrThrow(actor, roundId);
  if (!can(actor, "hostRound", { type: "round", round: facts })) throw new ForbiddenError();
  if (round.status !== "live") return;
  const row = await db().transaction(async (tx) => {
    const event = await appendEvent(tx, roundId, { kind: "status", authorId: actor.id, ref: "closed" });
    await tx
      .update(dialogueRounds)
      .set({ status: "closed", closedAt: now, speakerId: null })
      .where(eq(dialogueRounds.id, roundId));
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
