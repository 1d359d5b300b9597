/**
 * A scheduled round changes or is called off: its hosts and the moderation edit it or cancel it. Every change
 * members were told about raises the round's calendar SEQUENCE (so calendar apps replace their copy), and the
 * people who signed up (registered or waiting) and the hosts hear about it in the app and, as they chose, by mail.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { dialogueRounds, roundAgendaItems, roundHosts, roundRegistrations, users } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { toBerlinLocal } from "../../domain/time.ts";
import { promotions } from "../../domain/rounds/waitlist.ts";
import { roomName } from "../../realtime/events.ts";
import { publish } from "../../realtime/hub.server.ts";
import type { RoundForm } from "../../schemas/rounds.ts";
import { writeAudit } from "../audit.server.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { getRoundFacts, type RoundRow } from "./facts.server.ts";
import { notifyRoundMembers } from "./notify.server.ts";

async function forChange(actor: Actor, id: string): Promise<RoundRow> {
  const loaded = await getRoundFacts(actor, id);
  if (!loaded) throw new NotFoundError();
  if (!can(actor, "hostRound", { type: "round", round: loaded.facts }))
    throw new ForbiddenError("Das dürfen die Gastgebenden der Runde und die Moderation.");
  if (loaded.round.status !== "scheduled") {
    throw new InputError(
      "form",
      loaded.round.status === "cancelled"
        ? "Die Dialogrunde ist schon abgesagt."
        : "Nur eine geplante Dialogrunde lässt sich ändern oder absagen.",
    );
  }
  return loaded.round;
}

/** Everyone a change concerns: registered, waiting, hosts (not the person who made it). */
async function concerned(roundId: string, actorId: string): Promise<string[]> {
  const [signedUp, hosts] = await Promise.all([
    db()
      .select({ id: roundRegistrations.userId })
      .from(roundRegistrations)
      .where(
        and(eq(roundRegistrations.roundId, roundId), inArray(roundRegistrations.status, ["registered", "waiting"])),
      ),
    db().select({ id: roundHosts.userId }).from(roundHosts).where(eq(roundHosts.roundId, roundId)),
  ]);
  return [...new Set([...signedUp, ...hosts].map((r) => r.id))].filter((id) => id !== actorId);
}

/** Open round pages of these members reload (their own socket rooms; no new room to authorize). */
export function announceRoundChange(
  roundId: string,
  userIds: string[],
  change: "opened" | "edited" | "cancelled",
): void {
  for (const id of userIds) publish(roomName.user(id), "round:changed", { roundId, change });
}

/** Saves the edited round. Returns whether anything changed (nothing changed: no SEQUENCE, no notices). */
export async function updateRound(
  actor: Actor,
  id: string,
  form: RoundForm,
  now = new Date(),
): Promise<{ changed: boolean }> {
  const round = await forChange(actor, id);
  const hostRows = form.hosts.length
    ? await db()
        .select({ id: users.id, handle: users.handle })
        .from(users)
        .where(and(inArray(users.handle, form.hosts), sql`${users.deactivatedAt} is null`))
    : [];
  const unknown = form.hosts.filter((h) => !hostRows.some((r) => r.handle === h));
  if (unknown.length)
    throw new InputError("hosts", `Diese Kurznamen kennen wir nicht: ${unknown.map((h) => `@${h}`).join(", ")}`);
  const result = await db().transaction(async (tx) => {
    // The same row lock as registrations: a place is never given twice while the capacity changes.
    await tx.execute(sql`select id from dialogue_rounds where id = ${id} for update`);
    const registrations = await tx
      .select({
        userId: roundRegistrations.userId,
        status: roundRegistrations.status,
        queuedAt: roundRegistrations.queuedAt,
      })
      .from(roundRegistrations)
      .where(eq(roundRegistrations.roundId, id));
    const registered = registrations.filter((r) => r.status === "registered").length;
    if (form.capacity < registered) {
      throw new InputError("capacity", `Es sind schon ${registered} Personen angemeldet; weniger Plätze gehen nicht.`);
    }
    const [agenda, hosts] = await Promise.all([
      tx
        .select({ title: roundAgendaItems.title })
        .from(roundAgendaItems)
        .where(eq(roundAgendaItems.roundId, id))
        .orderBy(roundAgendaItems.position),
      tx.select({ userId: roundHosts.userId }).from(roundHosts).where(eq(roundHosts.roundId, id)),
    ]);
    // The person who scheduled the round stays a host; the named hosts are the others.
    const hostIds = [...new Set([...(round.createdBy ? [round.createdBy] : []), ...hostRows.map((h) => h.id)])];
    if (hostIds.length === 0) hostIds.push(actor.id);
    const fields = {
      title: form.title,
      description: form.description,
      startsAt: form.startsAt,
      endsAt: form.endsAt,
      registrationDeadline: form.registrationDeadline,
      capacity: form.capacity,
      conferenceUrl: form.conferenceUrl,
      orientation: form.orientation,
    };
    const changedFields: string[] = (Object.keys(fields) as (keyof typeof fields)[]).filter(
      (k) => String(round[k]) !== String(fields[k]),
    );
    const fieldsChanged = changedFields.length > 0;
    const agendaChanged = agenda.map((a) => a.title).join("\n") !== form.agenda.join("\n");
    const hostsChanged =
      hosts
        .map((h) => h.userId)
        .sort()
        .join() !== [...hostIds].sort().join();
    if (!fieldsChanged && !agendaChanged && !hostsChanged) return { changed: false, promoted: [] as string[] };
    const changed = [...changedFields, ...(agendaChanged ? ["agenda"] : []), ...(hostsChanged ? ["hosts"] : [])];
    await writeAudit(tx, {
      actorId: actor.id,
      action: "round.update",
      subjectType: "round",
      subjectId: id,
      details: { changed },
    });
    await tx
      .update(dialogueRounds)
      .set({ ...fields, sequence: sql`${dialogueRounds.sequence} + 1`, updatedAt: now })
      .where(eq(dialogueRounds.id, id));
    if (agendaChanged) {
      await tx.delete(roundAgendaItems).where(eq(roundAgendaItems.roundId, id));
      if (form.agenda.length)
        await tx
          .insert(roundAgendaItems)
          .values(form.agenda.map((title, position) => ({ roundId: id, position, title })));
    }
    if (hostsChanged) {
      await tx.delete(roundHosts).where(eq(roundHosts.roundId, id));
      await tx.insert(roundHosts).values(hostIds.map((userId) => ({ roundId: id, userId })));
    }
    // More places: the waiting list moves up.
    const up = promotions(registrations, form.capacity);
    if (up.length) {
      await tx
        .update(roundRegistrations)
        .set({ status: "registered", updatedAt: now })
        .where(and(eq(roundRegistrations.roundId, id), inArray(roundRegistrations.userId, up)));
    }
    return { changed: true, promoted: up };
  });
  if (!result.changed) return { changed: false };
  const people = await concerned(id, actor.id);
  await notifyRoundMembers(
    { id },
    people.filter((p) => !result.promoted.includes(p)),
    "round_changed",
    { actorId: actor.id },
  );
  await notifyRoundMembers({ id }, result.promoted, "round_promoted");
  announceRoundChange(id, people, "edited");
  return { changed: true };
}

/** Calls the round off: it stays visible as "Abgesagt", its calendar entry says CANCELLED, everyone concerned hears it. */
export async function cancelRound(actor: Actor, id: string, now = new Date()): Promise<void> {
  await forChange(actor, id);
  const cancelled = await db().transaction(async (tx) => {
    const rows = await tx
      .update(dialogueRounds)
      .set({ status: "cancelled", cancelledAt: now, updatedAt: now, sequence: sql`${dialogueRounds.sequence} + 1` })
      .where(and(eq(dialogueRounds.id, id), eq(dialogueRounds.status, "scheduled")))
      .returning({ id: dialogueRounds.id });
    if (rows.length)
      await writeAudit(tx, { actorId: actor.id, action: "round.cancel", subjectType: "round", subjectId: id });
    return rows.length > 0;
  });
  // Cancelled a moment ago by someone else (a second click, another host): they have been told already.
  if (!cancelled) return;
  const people = await concerned(id, actor.id);
  await notifyRoundMembers({ id }, people, "round_cancelled", { actorId: actor.id });
  announceRoundChange(id, people, "cancelled");
}

/** The round as its edit form shows it (Berlin wall-clock times, handles of the hosts besides its creator). */
export async function getRoundForEdit(
  actor: Actor,
  id: string,
): Promise<{ id: string; title: string; values: Record<string, string> }> {
  const round = await forChange(actor, id);
  const [agenda, hosts] = await Promise.all([
    db()
      .select({ title: roundAgendaItems.title })
      .from(roundAgendaItems)
      .where(eq(roundAgendaItems.roundId, id))
      .orderBy(roundAgendaItems.position),
    db()
      .select({ id: users.id, handle: users.handle })
      .from(roundHosts)
      .innerJoin(users, eq(users.id, roundHosts.userId))
      .where(eq(roundHosts.roundId, id)),
  ]);
  return {
    id,
    title: round.title,
    values: {
      title: round.title,
      description: round.description,
      startsAt: toBerlinLocal(round.startsAt),
      endsAt: toBerlinLocal(round.endsAt),
      registrationDeadline: toBerlinLocal(round.registrationDeadline),
      capacity: String(round.capacity),
      conferenceUrl: round.conferenceUrl ?? "",
      orientation: round.orientation ? "on" : "",
      hosts: hosts
        .filter((h) => h.id !== round.createdBy)
        .map((h) => `@${h.handle}`)
        .join(", "),
      agenda: agenda.map((a) => a.title).join("\n"),
    },
  };
}
