import { and, eq } from "drizzle-orm";
import { dialogueRounds, roundHosts, roundParticipants, roundRegistrations } from "../../../db/schema/index.ts";
import type { Actor, RoundFacts } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { isUuid } from "../discussions/facts.server.ts";

export type RoundRow = typeof dialogueRounds.$inferSelect;

export async function loadRound(id: string): Promise<RoundRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db().select().from(dialogueRounds).where(eq(dialogueRounds.id, id));
  return row ?? null;
}

/** The round and the actor's place in it, for can(). Null when the round does not exist. */
export async function getRoundFacts(actor: Pick<Actor, "id">, roundId: string): Promise<{ round: RoundRow; facts: RoundFacts } | null> {
  const round = await loadRound(roundId);
  if (!round) return null;
  const [hosts, [registration], [participant]] = await Promise.all([
    db().select({ userId: roundHosts.userId }).from(roundHosts).where(eq(roundHosts.roundId, roundId)),
    db()
      .select({ status: roundRegistrations.status })
      .from(roundRegistrations)
      .where(and(eq(roundRegistrations.roundId, roundId), eq(roundRegistrations.userId, actor.id))),
    db()
      .select({ muted: roundParticipants.muted, removed: roundParticipants.removed, scribe: roundParticipants.scribe })
      .from(roundParticipants)
      .where(and(eq(roundParticipants.roundId, roundId), eq(roundParticipants.userId, actor.id))),
  ]);
  return {
    round,
    facts: {
      status: round.status,
      hostIds: hosts.map((h) => h.userId),
      registered: registration?.status === "registered",
      removed: participant?.removed ?? false,
      muted: participant?.muted ?? false,
      scribe: participant?.scribe ?? false,
    },
  };
}
