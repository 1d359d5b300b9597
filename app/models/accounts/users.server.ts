import { eq, or } from "drizzle-orm";
import { users } from "../../../db/schema/index.ts";
import type { ProfileInput } from "../../schemas/accounts.ts";
import { can, type Actor, type Role } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { getSiteSettings } from "../settings.server.ts";
import { burnVerifyTime, hashPassword, verifyPassword } from "./password.server.ts";
import { createSession, invalidateOtherSessions } from "./sessions.server.ts";
import {
  attemptSucceeded,
  isKnownAddress,
  pruneThrottle,
  rememberAddress,
  reserveAttempt,
  THROTTLE,
  throttleKey,
} from "./throttle.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import { forgetMemberName } from "./names.server.ts";
import { enqueueSearch, indexSoon } from "../search/outbox.server.ts";

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
export async function register(
  input: Omit<NewUser, "role">,
): Promise<{ userId: string; token: string; expiresAt: Date }> {
  if (!(await getSiteSettings()).openRegistration)
    throw new ForbiddenError("Die Registrierung ist geschlossen. Bitte nutze deine Einladung.");
  const { id } = await createUser({ ...input, role: "member" });
  const session = await createSession(id);
  return { userId: id, ...session };
}

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks the password under the throttling of ADR 020: the attempt is reserved on its counters first (per account
 * and per address, or per known address when the member signed in from this address before), and only an attempt
 * that every counter allowed reaches the password check. `now` is the caller's clock (tests set it).
 */
export async function login(input: { email: string; password: string; ip: string; now?: Date }): Promise<LoginResult> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const [user] = await db()
    .select({ id: users.id, passwordHash: users.passwordHash, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(eq(users.email, email));
  const address = await throttleKey.knownAddress(input.ip);
  const known = !!user && !user.deactivatedAt && (await isKnownAddress(user.id, address, now));
  const ownerKey = known ? await throttleKey.known(user.id, input.ip) : await throttleKey.account(email);
  const addressKey = known ? undefined : await throttleKey.address(input.ip);
  const keys: { key: string; allowance: number }[] = [
    { key: ownerKey, allowance: known ? THROTTLE.known : THROTTLE.account },
  ];
  if (addressKey) keys.push({ key: addressKey, allowance: THROTTLE.address });
  const wait = await reserveAttempt(keys, now);
  if (wait !== null) return { ok: false, reason: "throttled", retryAfterSeconds: wait };

  let valid = false;
  if (user && !user.deactivatedAt) valid = await verifyPassword(user.passwordHash, input.password);
  else await burnVerifyTime(input.password);
  if (!valid || !user) {
    await pruneThrottle(now);
    return { ok: false, reason: "invalid" };
  }
  await attemptSucceeded({ ownerKey, addressKey, now });
  await rememberAddress(user.id, address, now);
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
