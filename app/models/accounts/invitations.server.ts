import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { invitations, users } from "../../../db/schema/index.ts";
import { can, type Actor, type Role } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { writeAudit } from "../audit.server.ts";
import { hashPassword } from "./password.server.ts";
import { createSession } from "./sessions.server.ts";
import { generateToken, hashToken } from "./tokens.server.ts";
import { insertUser } from "./users.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import { requireId } from "../input.server.ts";

export const INVITATION_VALID_MS = 14 * 24 * 60 * 60 * 1000;

/** Creates a single-use invitation link. The token is returned once; only its hash is stored. */
export async function createInvitation(
  actor: Actor,
  input: { role: Role; note: string },
): Promise<{ token: string; expiresAt: Date }> {
  if (!can(actor, "invite", { type: "invitation", role: input.role })) throw new ForbiddenError();
  const token = generateToken();
  const expiresAt = new Date(Date.now() + INVITATION_VALID_MS);
  await db().transaction(async (tx) => {
    const [row] = await tx
      .insert(invitations)
      .values({ tokenHash: hashToken(token), role: input.role, note: input.note, createdBy: actor.id, expiresAt })
      .returning({ id: invitations.id });
    await writeAudit(tx, {
      actorId: actor.id,
      action: "invitation.create",
      subjectType: "invitation",
      subjectId: row.id,
      details: { role: input.role },
    });
  });
  return { token, expiresAt };
}

export type InvitationState = "open" | "used" | "expired" | "revoked" | "unknown";

export async function getInvitationState(token: string): Promise<{ state: InvitationState; role?: Role }> {
  const [row] = await db()
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, hashToken(token)));
  if (!row) return { state: "unknown" };
  if (row.revokedAt) return { state: "revoked" };
  if (row.usedAt) return { state: "used" };
  if (row.expiresAt.getTime() <= Date.now()) return { state: "expired" };
  return { state: "open", role: row.role };
}

/** Redeems an invitation: creates the account with the invited role and logs it in. Single use even under races:
 * the invitation is claimed with a conditional UPDATE in the same transaction that creates the account. */
export async function acceptInvitation(
  token: string,
  input: { email: string; displayName: string; handle: string; password: string },
): Promise<{ userId: string; token: string; expiresAt: Date }> {
  const passwordHash = await hashPassword(input.password);
  const userId = await db().transaction(async (tx) => {
    const [claimed] = await tx
      .update(invitations)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(invitations.tokenHash, hashToken(token)),
          isNull(invitations.usedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      )
      .returning({ id: invitations.id, role: invitations.role });
    if (!claimed) throw new InputError("form", "Diese Einladung ist nicht mehr gültig.");
    const user = await insertUser(tx, { ...input, passwordHash, role: claimed.role });
    await tx.update(invitations).set({ usedBy: user.id }).where(eq(invitations.id, claimed.id));
    return user.id;
  });
  const session = await createSession(userId);
  return { userId, ...session };
}

export async function listInvitations(actor: Actor) {
  if (!can(actor, "moderate")) throw new ForbiddenError();
  return db()
    .select({
      id: invitations.id,
      role: invitations.role,
      note: invitations.note,
      expiresAt: invitations.expiresAt,
      usedAt: invitations.usedAt,
      revokedAt: invitations.revokedAt,
      createdAt: invitations.createdAt,
      createdByName: users.displayName,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.createdBy))
    .orderBy(desc(invitations.createdAt))
    .limit(50);
}

export async function revokeInvitation(actor: Actor, id: string): Promise<void> {
  if (!can(actor, "moderate")) throw new ForbiddenError();
  requireId(id, "Diese Einladung gibt es nicht.");
  await db().transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, id), isNull(invitations.usedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (!row) throw new InputError("form", "Diese Einladung ist schon benutzt oder zurückgezogen.");
    await writeAudit(tx, { actorId: actor.id, action: "invitation.revoke", subjectType: "invitation", subjectId: id });
  });
}
