/**
 * Accounts behind the organisation's sign-in (ADR 040). A provider subject is linked to one account: found by the
 * subject, else linked to the account with the same e-mail address when the provider vouches for it
 * (`email_verified`), else a new account is created. Roles follow the provider's groups at every sign-in, when
 * OIDC_ADMIN_GROUPS or OIDC_MODERATOR_GROUPS is set; a change is written to the audit log.
 */
import { and, eq, like, or } from "drizzle-orm";
import { accountIdentities, sessionIdTokens, users, type Role } from "../../../db/schema/index.ts";
import { env } from "../../env.server.ts";
import { roomName } from "../../realtime/events.ts";
import { disconnectRoom, publish } from "../../realtime/hub.server.ts";
import { writeAudit } from "../audit.server.ts";
import { db } from "../db.server.ts";
import { ConflictError, ForbiddenError } from "../errors.server.ts";
import { forgetMemberName } from "./names.server.ts";
import { NO_PASSWORD } from "./password.server.ts";
import { createSession } from "./sessions.server.ts";
import { hashToken } from "./tokens.server.ts";

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

export interface RoleMapping {
  groupsClaim: string;
  adminGroups: string[];
  moderatorGroups: string[];
}

/** The role the provider's groups give: admin before moderator; no known group (or no claim at all) is a member. */
export function roleFromClaims(claims: Record<string, unknown>, mapping: RoleMapping): Role {
  const raw = claims[mapping.groupsClaim];
  const groups = Array.isArray(raw)
    ? raw.filter((g): g is string => typeof g === "string")
    : typeof raw === "string"
      ? [raw]
      : [];
  if (groups.some((g) => mapping.adminGroups.includes(g))) return "admin";
  if (groups.some((g) => mapping.moderatorGroups.includes(g))) return "moderator";
  return "member";
}

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");

/** The display name from the configured claim, else given and family name, the user name, the address's local part. */
export function nameFromClaims(claims: Record<string, unknown>, nameClaim: string): string {
  const candidates = [
    text(claims[nameClaim]),
    `${text(claims.given_name)} ${text(claims.family_name)}`.trim(),
    text(claims.preferred_username),
    text(claims.email).split("@")[0] ?? "",
  ];
  const name = candidates.find((c) => c.length >= 2) ?? "Mitglied";
  return name.slice(0, 80).trim();
}

/** A handle from the name: lower case, umlauts spelled out, other characters as "-"; at least three characters. */
export function handleBase(name: string): string {
  const spelled = name
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
  const base = spelled
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 24)
    .replace(/-+$/, "");
  return base.length >= 3 ? base : "mitglied";
}

async function freeHandle(tx: Tx, base: string): Promise<string> {
  const taken = new Set(
    (
      await tx
        .select({ handle: users.handle })
        .from(users)
        .where(or(eq(users.handle, base), like(users.handle, `${base}-%`)))
    ).map((r) => r.handle),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface ProviderIdentity {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

interface Account {
  id: string;
  role: Role;
  deactivatedAt: Date | null;
}

const accountColumns = { id: users.id, role: users.role, deactivatedAt: users.deactivatedAt };

/** The linked account, or the one to link, or a new one; refuses a deactivated account before anything is written. */
async function accountFor(
  tx: Tx,
  identity: ProviderIdentity,
  now: Date,
): Promise<{ account: Account; created: boolean }> {
  const [linked] = await tx
    .select(accountColumns)
    .from(accountIdentities)
    .innerJoin(users, eq(users.id, accountIdentities.userId))
    .where(and(eq(accountIdentities.issuer, identity.issuer), eq(accountIdentities.subject, identity.subject)));
  if (linked) {
    refuseDeactivated(linked);
    await tx
      .update(accountIdentities)
      .set({ lastSignInAt: now })
      .where(and(eq(accountIdentities.issuer, identity.issuer), eq(accountIdentities.subject, identity.subject)));
    return { account: linked, created: false };
  }

  const email = text(identity.claims.email).toLowerCase();
  if (!email || email.length > 254) {
    throw new ConflictError(
      "Die Organisation hat keine E-Mail-Adresse für dich übermittelt. Bitte wende dich an die Moderation.",
    );
  }
  const verified = identity.claims.email_verified === true || identity.claims.email_verified === "true";
  const [existing] = await tx.select(accountColumns).from(users).where(eq(users.email, email));
  let account: Account;
  let created = false;
  if (existing) {
    if (!verified) {
      throw new ConflictError(
        "Für deine E-Mail-Adresse gibt es schon ein Konto. Die Organisation bestätigt die Adresse aber nicht, darum verbinden wir es nicht. Bitte wende dich an die Moderation.",
      );
    }
    refuseDeactivated(existing);
    account = existing;
  } else {
    const displayName = nameFromClaims(identity.claims, env().OIDC_NAME_CLAIM);
    const handle = await freeHandle(tx, handleBase(displayName));
    // Created as a member: a provider role follows below like any other change, so the audit log shows it.
    const [row] = await tx
      .insert(users)
      .values({ email, displayName, handle, passwordHash: NO_PASSWORD, role: "member", createdAt: now, updatedAt: now })
      .returning(accountColumns);
    account = row;
    created = true;
  }
  await tx.insert(accountIdentities).values({
    issuer: identity.issuer,
    subject: identity.subject,
    userId: account.id,
    createdAt: now,
    lastSignInAt: now,
  });
  return { account, created };
}

function refuseDeactivated(account: Account) {
  if (account.deactivatedAt) {
    throw new ForbiddenError(
      "Dein Zugang zum Netzwerk ist deaktiviert. Bitte wende dich an die Moderation, wenn das ein Irrtum ist.",
    );
  }
}

/**
 * Signs a person in with the provider's identity and returns a new session. The ID token is kept with the session,
 * only as the hint for logging out at the provider (ADR 040).
 */
export async function signInWithProvider(
  identity: ProviderIdentity,
  idToken: string,
  now = new Date(),
): Promise<{ userId: string; created: boolean; token: string; expiresAt: Date }> {
  const config = env();
  const managed = config.OIDC_ADMIN_GROUPS.length > 0 || config.OIDC_MODERATOR_GROUPS.length > 0;
  const role = managed
    ? roleFromClaims(identity.claims, {
        groupsClaim: config.OIDC_GROUPS_CLAIM,
        adminGroups: config.OIDC_ADMIN_GROUPS,
        moderatorGroups: config.OIDC_MODERATOR_GROUPS,
      })
    : null;
  const { userId, created, roleChanged } = await db().transaction(async (tx) => {
    const { account, created } = await accountFor(tx, identity, now);
    let roleChanged = false;
    if (role && account.role !== role) {
      await tx.update(users).set({ role, updatedAt: now }).where(eq(users.id, account.id));
      await writeAudit(tx, {
        actorId: null,
        action: "user.roleFromProvider",
        subjectType: "user",
        subjectId: account.id,
        details: { from: account.role, to: role },
      });
      roleChanged = true;
    }
    return { userId: account.id, created, roleChanged };
  });
  if (roleChanged) {
    // As with a change on the desk: open tabs reload with the new role, in every server process.
    publish(roomName.user(userId), "session:changed", { reason: "roleChanged" });
    disconnectRoom(roomName.user(userId));
  }
  if (created) forgetMemberName(userId);
  const session = await createSession(userId);
  await db()
    .insert(sessionIdTokens)
    .values({ sessionId: hashToken(session.token), idToken });
  return { userId, created, token: session.token, expiresAt: session.expiresAt };
}

/** The provider's ID token of this session, if it began at the provider. */
export async function sessionIdToken(sessionId: string): Promise<string | null> {
  const [row] = await db()
    .select({ idToken: sessionIdTokens.idToken })
    .from(sessionIdTokens)
    .where(eq(sessionIdTokens.sessionId, sessionId));
  return row?.idToken ?? null;
}

/** False for an account created by the organisation's sign-in, which confirms with its e-mail address instead. */
export async function hasPassword(userId: string): Promise<boolean> {
  const [row] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return !!row && row.passwordHash !== NO_PASSWORD;
}
