import { and, asc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { calendarTokens, feedTokens, sessions, users, type Role } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { disconnectRoom, publish } from "../../realtime/hub.server.ts";
import { roomName } from "../../realtime/events.ts";
import { writeAudit } from "../audit.server.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

export const MEMBERS_PAGE_SIZE = 25;

export interface MemberListQuery {
  q: string;
  role?: Role;
  status?: "active" | "deactivated";
  page: number;
}

/**
 * The desk's member list: who has an account, with role and status. Moderators see it, admins change it. No activity
 * figures of any kind (no post counts, no last login): the desk manages accounts, it does not watch people.
 */
export async function listMembersForDesk(actor: Actor, query: MemberListQuery) {
  if (!can(actor, "moderate")) throw new ForbiddenError();
  const conditions: SQL[] = [];
  const q = query.q.trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(users.displayName, pattern), ilike(users.email, pattern), ilike(users.handle, pattern))!);
  }
  if (query.role) conditions.push(eq(users.role, query.role));
  if (query.status === "active") conditions.push(isNull(users.deactivatedAt));
  if (query.status === "deactivated") conditions.push(isNotNull(users.deactivatedAt));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({
        id: users.id,
        displayName: users.displayName,
        handle: users.handle,
        email: users.email,
        role: users.role,
        deactivatedAt: users.deactivatedAt,
        createdAt: users.createdAt,
      })
      .from(users)
      .where(where)
      .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id))
      .limit(MEMBERS_PAGE_SIZE)
      .offset((query.page - 1) * MEMBERS_PAGE_SIZE),
    db()
      .select({ total: sql<number>`count(*)::int` })
      .from(users)
      .where(where),
  ]);
  return { members: rows, total, pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)) };
}

/**
 * Locks the active admins' rows for the rest of the transaction and checks that the actor is still one of them (a
 * session may be older than a demotion) and that at least one admin remains once `leaving` is no longer one. Two
 * admins demoting each other at the same moment are serialised by the lock, so the site never ends up without one.
 */
async function keepAnAdmin(tx: Tx, actor: Actor, leaving: string) {
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)))
    .for("update");
  const ids = admins.map((a) => a.id);
  if (!ids.includes(actor.id)) throw new ForbiddenError();
  if (ids.filter((id) => id !== leaving).length === 0) {
    throw new InputError("form", "Das ist die letzte Person mit Administrationsrechten. Ernenne zuerst eine andere.");
  }
}

export async function changeRole(actor: Actor, userId: string, role: Role): Promise<void> {
  if (!can(actor, "changeRole", { type: "user", id: userId })) throw new ForbiddenError();
  await db().transaction(async (tx) => {
    const [before] = await tx.select({ role: users.role }).from(users).where(eq(users.id, userId));
    if (!before) throw new NotFoundError("Dieses Konto gibt es nicht.");
    if (before.role === role) return;
    await keepAnAdmin(tx, actor, before.role === "admin" ? userId : "");
    await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId));
    await writeAudit(tx, {
      actorId: actor.id,
      action: "user.changeRole",
      subjectType: "user",
      subjectId: userId,
      details: { from: before.role, to: role },
    });
  });
  // Open sockets carry the role they connected with: every tab of the member reloads and reconnects with the new one
  // (a demoted moderator leaves the moderation room and loses host rights in live rounds), in every server process.
  publish(roomName.user(userId), "session:changed", { reason: "roleChanged" });
  disconnectRoom(roomName.user(userId));
}

/**
 * Ends a member's access: the account is marked deactivated, every session and the feed and calendar tokens are
 * deleted (in the same transaction) and open sockets are closed. Login refuses a deactivated account. Their contributions stay.
 */
export async function deactivateMember(actor: Actor, userId: string): Promise<void> {
  if (!can(actor, "deactivate", { type: "user", id: userId })) throw new ForbiddenError();
  await db().transaction(async (tx) => {
    const [before] = await tx
      .select({ role: users.role, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.id, userId));
    if (!before) throw new NotFoundError("Dieses Konto gibt es nicht.");
    if (before.deactivatedAt) return;
    await keepAnAdmin(tx, actor, before.role === "admin" ? userId : "");
    await tx.update(users).set({ deactivatedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, userId));
    const ended = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
    // Feed and calendar apps hold tokens of their own; they end with the access (a reactivated member makes new ones).
    await tx.delete(feedTokens).where(eq(feedTokens.userId, userId));
    await tx.delete(calendarTokens).where(eq(calendarTokens.userId, userId));
    await writeAudit(tx, {
      actorId: actor.id,
      action: "user.deactivate",
      subjectType: "user",
      subjectId: userId,
      details: { sessionsEnded: ended.length },
    });
  });
  publish(roomName.user(userId), "session:ended", { reason: "deactivated" });
  disconnectRoom(roomName.user(userId));
}

export async function reactivateMember(actor: Actor, userId: string): Promise<void> {
  if (!can(actor, "deactivate", { type: "user", id: userId })) throw new ForbiddenError();
  await db().transaction(async (tx) => {
    const [before] = await tx.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, userId));
    if (!before) throw new NotFoundError("Dieses Konto gibt es nicht.");
    if (!before.deactivatedAt) return;
    await keepAnAdmin(tx, actor, "");
    await tx.update(users).set({ deactivatedAt: null, updatedAt: new Date() }).where(eq(users.id, userId));
    await writeAudit(tx, { actorId: actor.id, action: "user.reactivate", subjectType: "user", subjectId: userId });
  });
}
