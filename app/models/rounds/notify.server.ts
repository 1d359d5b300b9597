import { and, inArray, isNull } from "drizzle-orm";
import { users } from "../../../db/schema/index.ts";
import { db } from "../db.server.ts";
import { notify } from "../discussions/notifications.server.ts";
import type { RoundRow } from "./facts.server.ts";

export type RoundNotice = "round_reminder" | "round_promoted" | "round_outcome" | "round_changed" | "round_cancelled";

/**
 * Tells members about a round. Called after the write that caused it committed. Whether it is stored, mailed at
 * once or waits for a digest is each member's choice for "Dialogrunden" (notify() decides, one path for all types).
 */
export async function notifyRoundMembers(
  round: Pick<RoundRow, "id">,
  userIds: string[],
  kind: RoundNotice,
  extra: { actorId?: string | null } = {},
): Promise<void> {
  if (userIds.length === 0) return;
  const people = await db()
    .select({ id: users.id, name: users.displayName, email: users.email })
    .from(users)
    .where(and(inArray(users.id, userIds), isNull(users.deactivatedAt)));
  await notify(
    people.map((p) => ({
      userId: p.id,
      type: kind,
      threadId: null,
      postId: null,
      roundId: round.id,
      actorId: extra.actorId ?? null,
    })),
  );
}
