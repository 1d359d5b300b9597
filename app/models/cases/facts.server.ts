import { eq } from "drizzle-orm";
import { caseConsultations, caseParticipants } from "../../../db/schema/index.ts";
import { can, type Actor, type CaseFacts } from "../../auth/permissions.ts";
import type { CaseRole } from "../../domain/cases/phases.ts";
import { db, type Database } from "../db.server.ts";
import { NotFoundError } from "../errors.server.ts";
import { isUuid } from "../discussions/facts.server.ts";

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type CaseRow = typeof caseConsultations.$inferSelect;
export type ParticipantRow = typeof caseParticipants.$inferSelect;

export function caseFacts(participants: Pick<ParticipantRow, "userId" | "agreedAt">[]): CaseFacts {
  return { participants: participants.map((p) => ({ userId: p.userId, agreed: p.agreedAt !== null })) };
}

/** For the socket server's room joins: who may read this consultation. Null when it does not exist. */
export async function getCaseFacts(id: string): Promise<CaseFacts | null> {
  if (!isUuid(id)) return null;
  const rows = await db()
    .select({
      userId: caseParticipants.userId,
      agreedAt: caseParticipants.agreedAt,
      purgedAt: caseConsultations.purgedAt,
    })
    .from(caseConsultations)
    .leftJoin(caseParticipants, eq(caseParticipants.caseId, caseConsultations.id))
    .where(eq(caseConsultations.id, id));
  if (rows.length === 0) return null;
  // After the purge there is nothing left to follow live.
  if (rows[0].purgedAt) return { participants: [] };
  return caseFacts(rows.filter((r) => r.userId !== null) as { userId: string; agreedAt: Date | null }[]);
}

/**
 * Loads a consultation with its group (inside a write's transaction: locked) and checks that the actor
 * has accepted the confidentiality agreement. Anyone else, moderators and admins included, gets "not found":
 * a refusal must not even confirm what is behind the id.
 */
export async function loadForParticipant(
  tx: Tx | Database,
  actor: Actor,
  id: string,
  options: { allowPending?: boolean; forUpdate?: boolean } = {},
): Promise<{ row: CaseRow; group: ParticipantRow[]; me: ParticipantRow & { role: CaseRole } }> {
  if (!isUuid(id)) throw new NotFoundError();
  const query = tx.select().from(caseConsultations).where(eq(caseConsultations.id, id));
  // Writes lock the row (two moderators clicking "weiter" at once); reads do not.
  const [row] = options.forUpdate === false ? await query : await query.for("update");
  if (!row) throw new NotFoundError();
  const group = await tx.select().from(caseParticipants).where(eq(caseParticipants.caseId, id));
  const facts = caseFacts(group);
  const allowed = options.allowPending
    ? can(actor, "respond", { type: "caseConsultation", consultation: facts })
    : can(actor, "view", { type: "caseConsultation", consultation: facts });
  const me = group.find((p) => p.userId === actor.id);
  if (!allowed || !me || (row.purgedAt && row.caseGiverId !== actor.id)) throw new NotFoundError();
  return { row, group, me };
}
