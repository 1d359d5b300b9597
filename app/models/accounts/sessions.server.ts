import { and, eq, gt, isNull, lt, ne, sql } from "drizzle-orm";
import { sessions, users } from "../../../db/schema/index.ts";
import { db, preparedQuery } from "../db.server.ts";
import { disconnectRoom, publish } from "../../realtime/hub.server.ts";
import { roomName } from "../../realtime/events.ts";
import { generateToken, hashToken } from "./tokens.server.ts";
import type { SessionUser } from "../../domain/accounts.ts";

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;
/** A session used in its second half is extended to the full lifetime again (sliding expiry). */
const RENEW_WHEN_LEFT_MS = 15 * DAY;

export type { SessionUser };

export interface ValidSession {
  id: string;
  userId: string;
  expiresAt: Date;
  /** True when this validation extended the expiry, so the cookie must be sent again. */
  renewed: boolean;
}

export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await db()
    .insert(sessions)
    .values({ id: hashToken(token), userId, expiresAt });
  return { token, expiresAt };
}

// Runs on every request that carries a session cookie.
const sessionQuery = preparedQuery((d) =>
  d
    .select({
      expiresAt: sessions.expiresAt,
      user: {
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        handle: users.handle,
        role: users.role,
        deactivatedAt: users.deactivatedAt,
      },
      // Every page shows the notification badge: read with the session, not in a query of its own.
      unread: sql<number>`(select count(*)::int from notifications n where n.user_id = ${users.id} and n.read_at is null)`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("id")))
    .prepare("session_by_id"),
);

/** `renew: false` for callers that cannot send a new cookie (the socket handshake): otherwise the stored expiry would
 * move ahead of the browser's cookie, and pages would never re-send it. */
export async function validateSessionToken(
  token: string,
  options: { renew?: boolean } = {},
): Promise<{ session: ValidSession; user: SessionUser; unreadNotifications: number } | null> {
  const id = hashToken(token);
  const [row] = await sessionQuery().execute({ id });
  if (!row) return null;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now || row.user.deactivatedAt) {
    await db().delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let expiresAt = row.expiresAt;
  let renewed = false;
  if (options.renew !== false && expiresAt.getTime() - now < RENEW_WHEN_LEFT_MS) {
    expiresAt = new Date(now + SESSION_LIFETIME_MS);
    await db().update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
    renewed = true;
  }
  const { deactivatedAt: _, ...user } = row.user;
  return { session: { id, userId: user.id, expiresAt, renewed }, user, unreadNotifications: row.unread };
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await db().delete(sessions).where(eq(sessions.id, sessionId));
  // Sockets opened with this session end with it (another tab, or a copied cookie).
  publish(roomName.session(sessionId), "session:ended", { reason: "logout" });
  disconnectRoom(roomName.session(sessionId));
}

/** "Auf allen Geräten abmelden": every session of the user ends, and their open sockets are told and closed. */
export async function invalidateAllSessions(userId: string): Promise<number> {
  const removed = await db().delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  publish(roomName.user(userId), "session:ended", { reason: "logoutAll" });
  disconnectRoom(roomName.user(userId));
  return removed.length;
}

export async function countActiveSessions(userId: string): Promise<number> {
  const [row] = await db()
    .select({ n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())));
  return row?.n ?? 0;
}

export async function deleteExpiredSessions(): Promise<void> {
  await db().delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

/** Ends the user's other sessions, e.g. after a password change (not used for the current device); their open
 * sockets, in any server process, are told and closed like at a logout. */
export async function invalidateOtherSessions(userId: string, keepSessionId: string): Promise<void> {
  const ended = await db()
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
    .returning({ id: sessions.id });
  for (const { id } of ended) {
    publish(roomName.session(id), "session:ended", { reason: "passwordChanged" });
    disconnectRoom(roomName.session(id));
  }
}

/**
 * The account behind a session as it is now (null: the session ended or the account was deactivated). Sockets ask
 * before every privileged event, so a right withdrawn over HTTP is gone there too even if a disconnect got lost.
 */
export async function currentSessionUser(sessionId: string, now = new Date()): Promise<SessionUser | null> {
  const [row] = await db()
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      handle: users.handle,
      role: users.role,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, now), isNull(users.deactivatedAt)));
  return row ?? null;
}
