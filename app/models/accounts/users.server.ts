import { and, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import { loginFailures, users } from "../../../db/schema/index.ts";
import type { ProfileInput } from "../../schemas/accounts.ts";
import { can, type Actor, type Role } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { getSiteSettings } from "../settings.server.ts";
import { burnVerifyTime, hashPassword, verifyPassword } from "./password.server.ts";
import { createSession, invalidateOtherSessions } from "./sessions.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import { forgetMemberName } from "./names.server.ts";
import { enqueueSearch, indexSoon } from "../search/outbox.server.ts";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Ten failures per account or per IP within the window; the eleventh attempt is refused even if correct. */
export const LOGIN_MAX_FAILURES = 10;

export interface NewUser {
  email: string;
  displayName: string;
  handle: string;
  password: string;
  role?: Role;
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

async function assertUnique(tx: Tx | ReturnType<typeof db>, email: string, handle: string, exceptId?: string) {
  const clash = await tx
    .select({ id: users.id, email: users.email, handle: users.handle })
    .from(users)
    .where(or(eq(users.email, email), eq(users.handle, handle)));
  for (const row of clash) {
    if (row.id === exceptId) continue;
    if (row.email === email) throw new InputError("email", "Für diese E-Mail-Adresse gibt es schon ein Konto.");
    if (row.handle === handle) throw new InputError("handle", "Dieser Kurzname ist schon vergeben.");
  }
}

/** Inserts an account inside the caller's transaction; the password is hashed beforehand, outside it. */
export async function insertUser(
  tx: Tx,
  input: { email: string; displayName: string; handle: string; passwordHash: string; role: Role },
): Promise<{ id: string }> {
  const email = input.email.trim().toLowerCase();
  const handle = input.handle.trim().toLowerCase();
  await assertUnique(tx, email, handle);
  const [row] = await tx
    .insert(users)
    .values({ ...input, email, handle, displayName: input.displayName.trim() })
    .returning({ id: users.id });
  return row;
}

/** Creates an account. Callers have authorised the creation (open registration, the install CLI, the seed). */
export async function createUser(input: NewUser): Promise<{ id: string }> {
  const passwordHash = await hashPassword(input.password);
  return db().transaction((tx) => insertUser(tx, { ...input, passwordHash, role: input.role ?? "member" }));
}

/** Self-registration, only while the site settings open it; otherwise people join through an invitation. */
export async function register(input: Omit<NewUser, "role">): Promise<{ userId: string; token: string; expiresAt: Date }> {
  if (!(await getSiteSettings()).openRegistration) throw new ForbiddenError("Die Registrierung ist geschlossen. Bitte nutze deine Einladung.");
  const { id } = await createUser({ ...input, role: "member" });
  const session = await createSession(id);
  return { userId: id, ...session };
}

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; userId: string }
  | { ok: false; reason: "invalid" | "rateLimited" };

/** Checks the password with rate limiting per account and per client address. */
export async function login(input: { email: string; password: string; ip: string }): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const keys = [`account:${email}`, `ip:${input.ip}`];
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const counts = await db()
    .select({ key: loginFailures.key, n: sql<number>`count(*)::int` })
    .from(loginFailures)
    .where(and(inArray(loginFailures.key, keys), gt(loginFailures.failedAt, since)))
    .groupBy(loginFailures.key);
  if (counts.some((c) => c.n >= LOGIN_MAX_FAILURES)) return { ok: false, reason: "rateLimited" };

  const [user] = await db()
    .select({ id: users.id, passwordHash: users.passwordHash, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(eq(users.email, email));
  let valid = false;
  if (user && !user.deactivatedAt) valid = await verifyPassword(user.passwordHash, input.password);
  else await burnVerifyTime(input.password);

  if (!valid || !user) {
    await db().insert(loginFailures).values(keys.map((key) => ({ key })));
    // Old rows serve no window any more.
    await db()
      .delete(loginFailures)
      .where(lt(loginFailures.failedAt, new Date(Date.now() - 24 * 60 * 60 * 1000)));
    return { ok: false, reason: "invalid" };
  }
  await db().delete(loginFailures).where(eq(loginFailures.key, keys[0]));
  const session = await createSession(user.id);
  return { ok: true, ...session, userId: user.id };
}

export async function getUser(id: string) {
  const [row] = await db().select().from(users).where(eq(users.id, id));
  if (!row) return null;
  const { passwordHash: _, ...user } = row;
  return user;
}


export async function updateProfile(actor: Actor, userId: string, input: ProfileInput): Promise<void> {
  if (!can(actor, "editProfile", { type: "user", id: userId })) throw new ForbiddenError();
  await db().transaction(async (tx) => {
    const [current] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (!current) throw new InputError("form", "Dieses Konto gibt es nicht mehr.");
    await assertUnique(tx, current.email, input.handle, userId);
    await tx
      .update(users)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(users.id, userId));
    // Listed profiles are searchable; unlisting removes the profile from search.
    await enqueueSearch(tx, "member", [userId]);
  });
  indexSoon();
  forgetMemberName(userId);
}

export async function changePassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string; keepSessionId: string },
): Promise<void> {
  const [row] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw new InputError("currentPassword", "Das bisherige Passwort stimmt nicht.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db().update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, actor.id));
  // Whoever knew the old password is logged out everywhere else.
  await invalidateOtherSessions(actor.id, input.keepSessionId);
}

// Role changes and deactivation live with the desk that makes them.
export { changeRole } from "./roles.server.ts";
