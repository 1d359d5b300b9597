import { eq, sql } from "drizzle-orm";
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

/**
 * The round and the actor's place in it, for can(), in one query (asked for every live-room action, so it must be
 * cheap). Null when the round does not exist.
 */
export async function getRoundFacts(
  actor: Pick<Actor, "id">,
  roundId: string,
): Promise<{ round: RoundRow; facts: RoundFacts } | null> {
  if (!isUuid(roundId)) return null;
  const [row] = await db()
    .select({
      round: dialogueRounds,
      hostIds: sql<
        string[]
      >`coalesce((select array_agg(h.user_id::text) from ${roundHosts} h where h.round_id = ${dialogueRounds.id}), '{}')`,
      registration: sql<
        string | null
      >`(select r.status from ${roundRegistrations} r where r.round_id = ${dialogueRounds.id} and r.user_id = ${actor.id})`,
      muted: sql<
        boolean | null
      >`(select p.muted from ${roundParticipants} p where p.round_id = ${dialogueRounds.id} and p.user_id = ${actor.id})`,
      removed: sql<
        boolean | null
      >`(select p.removed from ${roundParticipants} p where p.round_id = ${dialogueRounds.id} and p.user_id = ${actor.id})`,
      scribe: sql<
        boolean | null
      >`(select p.scribe from ${roundParticipants} p where p.round_id = ${dialogueRounds.id} and p.user_id = ${actor.id})`,
    })
    .from(dialogueRounds)
    .where(eq(dialogueRounds.id, roundId));
  if (!row) return null;
  return {
    round: row.round,
    facts: {
      status: row.round.status,
      hostIds: row.hostIds ?? [],
      registered: row.registration === "registered",
      removed: row.removed ?? false,
      muted: row.muted ?? false,
      scribe: row.scribe ?? false,
    },
  };
}
