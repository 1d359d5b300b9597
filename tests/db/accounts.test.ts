import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { invitations, sessions, users, auditLog } from "../../db/schema/index.ts";
import { runMigrations } from "../../db/migrate.ts";
import {
  createUser,
  changeRole,
  changePassword,
  login,
  updateProfile,
  getUser,
} from "../../app/models/accounts/users.server.ts";
import {
  createSession,
  invalidateAllSessions,
  invalidateSession,
  validateSessionToken,
  SESSION_LIFETIME_MS,
} from "../../app/models/accounts/sessions.server.ts";
import {
  acceptInvitation,
  createInvitation,
  getInvitationState,
  revokeInvitation,
} from "../../app/models/accounts/invitations.server.ts";
import { hashToken } from "../../app/models/accounts/tokens.server.ts";
import { ForbiddenError, InputError } from "../../app/models/errors.server.ts";

const { handle, url } = useTestDatabase();
const db = () => handle().db;
let counter = 0;

async function newUser(role: "member" | "moderator" | "admin" = "member") {
  counter++;
  const input = {
    email: `person${counter}@example.org`,
    displayName: `Person ${counter}`,
    handle: `person-${counter}`,
    password: "ein-gutes-passwort",
    role,
  };
  const { id } = await createUser(input);
  return { id, role, email: input.email };
}

describe(`accounts on ${engine}`, () => {
  it("runs on the engine this project selected, with both extensions, and migrations are idempotent", async () => {
    const [row] = await handle().rows<{ v: string }>(sql`select current_setting('server_version_num') as v`);
    expect(Number(row.v) >= 180000).toBe(engine === "pglite");
    const ext = await handle().rows<{ extname: string }>(sql`select extname from pg_extension order by extname`);
    expect(ext.map((e) => e.extname)).toEqual(expect.arrayContaining(["pg_trgm", "unaccent"]));
    // A second run (every start does one) applies nothing and fails on nothing.
    const before = await handle().rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    await runMigrations(handle(), url());
    const after = await handle().rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(after[0].n).toBe(before[0].n);
    expect(before[0].n).toBeGreaterThanOrEqual(2);
  });

  it("stores emails and handles lower-case and refuses duplicates with a German message per field", async () => {
    const { id } = await createUser({
      email: "Gross@Example.org",
      displayName: " Anna ",
      handle: "Anna-B",
      password: "ein-gutes-passwort",
    });
    const user = await getUser(id);
    expect(user).toMatchObject({ email: "gross@example.org", handle: "anna-b", displayName: "Anna", role: "member" });
    expect(user).not.toHaveProperty("passwordHash");
    await expect(
      createUser({ email: "gross@example.org", displayName: "X", handle: "anders", password: "ein-gutes-passwort" }),
    ).rejects.toMatchObject({
      field: "email",
      message: "Für diese E-Mail-Adresse gibt es schon ein Konto.",
    });
    await expect(
      createUser({ email: "neu@example.org", displayName: "X", handle: "anna-b", password: "ein-gutes-passwort" }),
    ).rejects.toMatchObject({
      field: "handle",
    });
    const [stored] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, id));
    expect(stored.hash.startsWith("$argon2id$")).toBe(true);
  });

  it("logs in with the right password, stores only the token's hash, and refuses a wrong one", async () => {
    const person = await newUser();
    const wrong = await login({ email: person.email, password: "falsches-passwort", ip: "10.0.0.1" });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    const unknown = await login({ email: "niemand@example.org", password: "falsches-passwort", ip: "10.0.0.1" });
    expect(unknown).toEqual({ ok: false, reason: "invalid" });
    const ok = await login({ email: person.email.toUpperCase(), password: "ein-gutes-passwort", ip: "10.0.0.1" });
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const stored = await db().select().from(sessions).where(eq(sessions.userId, person.id));
    expect(stored).toHaveLength(1);
    expect(stored[0].id).toBe(hashToken(ok.token));
    expect(stored[0].id).not.toContain(ok.token);
    const valid = await validateSessionToken(ok.token);
    expect(valid?.user).toMatchObject({ id: person.id, email: person.email, role: "member" });
    expect(await validateSessionToken("a".repeat(32))).toBeNull();
  });

  // Throttling of wrong passwords: tests/db/login-throttle.test.ts.

  it("extends a session used in its second half to 30 days, deletes expired ones, and revokes one or all", async () => {
    const person = await newUser();
    const a = await createSession(person.id);
    const b = await createSession(person.id);
    const first = await validateSessionToken(a.token);
    expect(first?.session.renewed).toBe(false);
    await db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() + 5 * 24 * 3600 * 1000) })
      .where(eq(sessions.id, hashToken(a.token)));
    const renewed = await validateSessionToken(a.token);
    expect(renewed?.session.renewed).toBe(true);
    expect(Math.abs(renewed!.session.expiresAt.getTime() - (Date.now() + SESSION_LIFETIME_MS))).toBeLessThan(60_000);
    await db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, hashToken(b.token)));
    expect(await validateSessionToken(b.token)).toBeNull();
    expect(
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.id, hashToken(b.token))),
    ).toHaveLength(0);

    const c = await createSession(person.id);
    await invalidateSession(hashToken(a.token));
    expect(await validateSessionToken(a.token)).toBeNull();
    expect(await validateSessionToken(c.token)).not.toBeNull();
    const d = await createSession(person.id);
    expect(await invalidateAllSessions(person.id)).toBe(2);
    expect(await validateSessionToken(c.token)).toBeNull();
    expect(await validateSessionToken(d.token)).toBeNull();
  });

  it("ends sessions of deactivated accounts", async () => {
    const person = await newUser();
    const s = await createSession(person.id);
    await db().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, person.id));
    expect(await validateSessionToken(s.token)).toBeNull();
    expect((await login({ email: person.email, password: "ein-gutes-passwort", ip: "10.3.0.1" })).ok).toBe(false);
  });

  it("changes the password only with the current one and logs out the other devices", async () => {
    const person = await newUser();
    const here = await createSession(person.id);
    const elsewhere = await createSession(person.id);
    const actor = { id: person.id, role: person.role };
    await expect(
      changePassword(actor, {
        currentPassword: "falsch-falsch",
        newPassword: "neues-passwort-1",
        keepSessionId: hashToken(here.token),
      }),
    ).rejects.toBeInstanceOf(InputError);
    await changePassword(actor, {
      currentPassword: "ein-gutes-passwort",
      newPassword: "neues-passwort-1",
      keepSessionId: hashToken(here.token),
    });
    expect(await validateSessionToken(here.token)).not.toBeNull();
    expect(await validateSessionToken(elsewhere.token)).toBeNull();
    expect((await login({ email: person.email, password: "neues-passwort-1", ip: "10.4.0.1" })).ok).toBe(true);
  });

  it("updates one's own profile and refuses others' profiles and taken handles", async () => {
    const a = await newUser();
    const b = await newUser();
    const input = {
      displayName: "Neu Name",
      handle: "neu-name",
      roleText: "Lernbegleiterin",
      legalDomain: "sgb2" as const,
      region: "Köln",
      bio: "Hallo",
      expertise: ["Lernlandkarte"],
      listed: true,
    };
    await updateProfile({ id: a.id, role: "member" }, a.id, input);
    expect(await getUser(a.id)).toMatchObject(input);
    await expect(updateProfile({ id: b.id, role: "member" }, a.id, input)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateProfile({ id: b.id, role: "member" }, b.id, { ...input })).rejects.toMatchObject({
      field: "handle",
    });
  });

  it("lets admins change roles and writes the audit log in the same transaction", async () => {
    const admin = await newUser("admin");
    const member = await newUser();
    await changeRole({ id: admin.id, role: "admin" }, member.id, "moderator");
    expect((await getUser(member.id))?.role).toBe("moderator");
    const log = await db().select().from(auditLog).where(eq(auditLog.subjectId, member.id));
    expect(log).toMatchObject([
      { actorId: admin.id, action: "user.changeRole", details: { from: "member", to: "moderator" } },
    ]);
    await expect(changeRole({ id: member.id, role: "moderator" }, admin.id, "member")).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it("creates single-use invitations valid for 14 days that give the invited role", async () => {
    const moderator = await newUser("moderator");
    const actor = { id: moderator.id, role: moderator.role };
    await expect(createInvitation(actor, { role: "admin", note: "" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createInvitation({ id: "x", role: "member" }, { role: "member", note: "" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const { token, expiresAt } = await createInvitation(actor, { role: "member", note: "für Kim" });
    expect(Math.round((expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(14);
    expect(await getInvitationState(token)).toEqual({ state: "open", role: "member" });
    const [row] = await db()
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, hashToken(token)));
    expect(row.note).toBe("für Kim");

    const accepted = await acceptInvitation(token, {
      email: "kim@example.org",
      displayName: "Kim",
      handle: "kim",
      password: "ein-gutes-passwort",
    });
    expect((await validateSessionToken(accepted.token))?.user.email).toBe("kim@example.org");
    expect(await getInvitationState(token)).toEqual({ state: "used" });
    await expect(
      acceptInvitation(token, {
        email: "kim2@example.org",
        displayName: "Kim",
        handle: "kim2",
        password: "ein-gutes-passwort",
      }),
    ).rejects.toMatchObject({ field: "form" });
    expect(await getInvitationState("unbekannt")).toEqual({ state: "unknown" });
  });

  it("keeps an invitation usable when the account cannot be created, and handles expiry and revocation", async () => {
    const admin = await newUser("admin");
    const actor = { id: admin.id, role: admin.role };
    const taken = await newUser();
    const { token } = await createInvitation(actor, { role: "moderator", note: "" });
    await expect(
      acceptInvitation(token, {
        email: taken.email,
        displayName: "Doppelt",
        handle: "doppelt",
        password: "ein-gutes-passwort",
      }),
    ).rejects.toMatchObject({ field: "email" });
    expect((await getInvitationState(token)).state).toBe("open");
    const ok = await acceptInvitation(token, {
      email: "mod@example.org",
      displayName: "Mod",
      handle: "mod-neu",
      password: "ein-gutes-passwort",
    });
    expect((await getUser(ok.userId))?.role).toBe("moderator");

    const expired = await createInvitation(actor, { role: "member", note: "" });
    await db()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.tokenHash, hashToken(expired.token)));
    expect((await getInvitationState(expired.token)).state).toBe("expired");
    await expect(
      acceptInvitation(expired.token, {
        email: "spaet@example.org",
        displayName: "Spät",
        handle: "spaet",
        password: "ein-gutes-passwort",
      }),
    ).rejects.toBeInstanceOf(InputError);

    const revoked = await createInvitation(actor, { role: "member", note: "" });
    const [row] = await db()
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, hashToken(revoked.token)));
    await revokeInvitation(actor, row.id);
    expect((await getInvitationState(revoked.token)).state).toBe("revoked");
    await expect(revokeInvitation(actor, row.id)).rejects.toBeInstanceOf(InputError);
  });

  it("lets only one of two simultaneous redemptions of one invitation succeed", async () => {
    const moderator = await newUser("moderator");
    const { token } = await createInvitation({ id: moderator.id, role: "moderator" }, { role: "member", note: "" });
    const results = await Promise.allSettled([
      acceptInvitation(token, {
        email: "race1@example.org",
        displayName: "Eins",
        handle: "race-eins",
        password: "ein-gutes-passwort",
      }),
      acceptInvitation(token, {
        email: "race2@example.org",
        displayName: "Zwei",
        handle: "race-zwei",
        password: "ein-gutes-passwort",
      }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const created = await db()
      .select()
      .from(users)
      .where(sql`${users.email} like 'race%'`);
    expect(created).toHaveLength(1);
  });
});
