import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import {
  auditLog,
  categories,
  dialogueRounds,
  materials,
  roundRegistrations,
  searchQueryStats,
  sessions,
  threads,
  users,
} from "../../db/schema/index.ts";
import { createUser, login } from "../../app/models/accounts/users.server.ts";
import { createSession, validateSessionToken } from "../../app/models/accounts/sessions.server.ts";
import {
  changeRole,
  deactivateMember,
  listMembersForDesk,
  reactivateMember,
} from "../../app/models/accounts/roles.server.ts";
import { listAudit, writeAudit } from "../../app/models/audit.server.ts";
import { getSiteSettings, saveSiteSettings } from "../../app/models/settings.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { createReply } from "../../app/models/discussions/posts.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { countUsage } from "../../app/models/library/usage.server.ts";
import { weeklyActivity } from "../../app/models/insights/activity.server.ts";
import { unansweredQuestions } from "../../app/models/insights/unanswered.server.ts";
import { trendingTags } from "../../app/models/insights/tags.server.ts";
import { materialsMostUsed } from "../../app/models/insights/materials.server.ts";
import { roundAttendance } from "../../app/models/insights/rounds.server.ts";
import { zeroResultSearches } from "../../app/models/insights/searches.server.ts";
import { ForbiddenError } from "../../app/models/errors.server.ts";
import { auditQuerySchema } from "../../app/schemas/moderation.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;

async function person(role: Actor["role"] = "member", name?: string): Promise<Actor & { email: string; name: string }> {
  n++;
  const displayName = name ?? `Person ${n}`;
  const email = `desk${n}@example.org`;
  const { id } = await createUser({ email, displayName, handle: `desk-${n}`, password: "ein-gutes-passwort", role });
  return { id, role, email, name: displayName };
}

async function room() {
  n++;
  const slug = `raum-${n}`;
  const [row] = await db()
    .insert(categories)
    .values({ slug, name: `Raum ${n}`, position: n })
    .returning({ id: categories.id });
  return { slug, id: row.id };
}

async function question(author: Actor, categorySlug: string, tags: string[] = []) {
  return createThread(author, {
    categorySlug,
    type: "question",
    title: `Frage ${++n}`,
    body: renderMarkdown("Wie macht ihr das?"),
    anonymous: false,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    legalDomain: null,
    tags,
  });
}

/** A database error's message, whichever driver wrapped it (drizzle puts the server's message in `cause`). */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ""}`;
  }
  throw new Error("expected the statement to fail");
}

describe(`audit log on ${engine}`, () => {
  it("rejects UPDATE, DELETE and TRUNCATE for everyone, but lets a member who acted delete their account", async () => {
    const admin = await person("admin");
    const leaving = await person("moderator");
    await writeAudit(db(), {
      actorId: leaving.id,
      action: "invitation.revoke",
      subjectType: "invitation",
      subjectId: "x1",
      details: { a: 1 },
    });
    const [entry] = await db().select().from(auditLog).where(eq(auditLog.actorId, leaving.id));

    expect(
      await failure(db().update(auditLog).set({ action: "user.changeRole" }).where(eq(auditLog.id, entry.id))),
    ).toMatch(/Protokoll kann nicht geändert werden/);
    expect(await failure(db().delete(auditLog).where(eq(auditLog.id, entry.id)))).toMatch(
      /Protokoll kann nicht geändert werden/,
    );
    expect(await failure(db().execute(sql`truncate audit_log`))).toMatch(/Protokoll kann nicht geändert werden/);
    // Moving an entry to another actor, or clearing the actor while changing anything else, is an edit too.
    expect(await failure(db().update(auditLog).set({ actorId: admin.id }).where(eq(auditLog.id, entry.id)))).toMatch(
      /Protokoll/,
    );
    expect(
      await failure(db().update(auditLog).set({ actorId: null, details: {} }).where(eq(auditLog.id, entry.id))),
    ).toMatch(/Protokoll/);

    // Account deletion: the foreign key sets actor_id to NULL and nothing else changes.
    await db().delete(users).where(eq(users.id, leaving.id));
    const [after] = await db().select().from(auditLog).where(eq(auditLog.id, entry.id));
    expect(after).toEqual({ ...entry, actorId: null });
  });

  it("lists entries newest first with German descriptions, filtered by kind, actor, subject and days", async () => {
    const admin = await person("admin");
    const moderator = await person("moderator");
    const member = await person("member", "Mia Muster");
    await changeRole(admin, member.id, "moderator");
    // An entry whose subject id is no uuid (written by code this page does not know) still lists.
    await writeAudit(db(), { actorId: admin.id, action: "user.export", subjectType: "user", subjectId: "kein-uuid" });
    await writeAudit(db(), {
      actorId: moderator.id,
      action: "invitation.create",
      subjectType: "invitation",
      subjectId: "i1",
      details: { role: "member" },
    });

    const all = await listAudit(moderator, auditQuerySchema.parse({}));
    expect(all.entries[0]).toMatchObject({
      actorName: moderator.name,
      description: "Einladung erstellt (Rolle: Mitglied)",
    });
    expect(all.actors.map((a) => a.id)).toEqual(expect.arrayContaining([admin.id, moderator.id]));

    const byKind = await listAudit(moderator, auditQuerySchema.parse({ art: "user", wer: admin.id }));
    expect(byKind.entries).toEqual([
      expect.objectContaining({ actorName: admin.name, description: "Mitglieder und Rollen: user.export" }),
      expect.objectContaining({
        actorName: admin.name,
        description: "Rolle von „Mia Muster“ geändert: Mitglied → Moderation",
      }),
    ]);
    expect(
      (await listAudit(moderator, auditQuerySchema.parse({ betrifft: "invitation", wer: moderator.id }))).total,
    ).toBe(1);

    const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Berlin" });
    const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Europe/Berlin" });
    expect((await listAudit(moderator, auditQuerySchema.parse({ von: today, bis: today, wer: admin.id }))).total).toBe(
      2,
    );
    expect((await listAudit(moderator, auditQuerySchema.parse({ bis: yesterday, wer: admin.id }))).total).toBe(0);
    // A nonsense filter value is ignored rather than failing the page.
    expect(auditQuerySchema.parse({ art: "drop table", von: "gestern", seite: "-3" })).toEqual({ seite: 1 });

    await expect(listAudit(member, auditQuerySchema.parse({}))).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe(`roles and deactivation on ${engine}`, () => {
  it("lets only admins change roles, never their own, and writes the log", async () => {
    const admin = await person("admin");
    const moderator = await person("moderator");
    const member = await person();
    await expect(changeRole(moderator, member.id, "moderator")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(changeRole(admin, admin.id, "member")).rejects.toBeInstanceOf(ForbiddenError);
    await changeRole(admin, member.id, "admin");
    const [row] = await db().select({ role: users.role }).from(users).where(eq(users.id, member.id));
    expect(row.role).toBe("admin");
    const log = await db().select().from(auditLog).where(eq(auditLog.subjectId, member.id));
    expect(log).toMatchObject([
      { actorId: admin.id, action: "user.changeRole", details: { from: "member", to: "admin" } },
    ]);
  });

  it("never leaves the site without an admin, even when two admins demote each other at once", async () => {
    const a = await person("admin");
    const b = await person("admin");
    // Every other admin is demoted first, so a and b are the last two.
    const others = await db().select({ id: users.id }).from(users).where(eq(users.role, "admin"));
    for (const o of others) if (o.id !== a.id && o.id !== b.id) await changeRole(a, o.id, "member");

    const results = await Promise.allSettled([changeRole(a, b.id, "member"), changeRole(b, a.id, "member")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ForbiddenError);
    const admins = await db().select({ id: users.id }).from(users).where(eq(users.role, "admin"));
    expect(admins).toHaveLength(1);
    // The one admin left cannot demote or deactivate themselves.
    const last = { id: admins[0].id, role: "admin" as const };
    await expect(changeRole(last, last.id, "member")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deactivateMember(last, last.id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("deactivation ends every session and blocks login until an admin reactivates the account", async () => {
    const admin = (await db().select({ id: users.id }).from(users).where(eq(users.role, "admin")))[0];
    const actor = { id: admin.id, role: "admin" as const };
    const moderator = await person("moderator");
    const member = await person();
    const { token } = await createSession(member.id);
    await createSession(member.id);
    expect(await validateSessionToken(token)).not.toBeNull();

    await expect(deactivateMember(moderator, member.id)).rejects.toBeInstanceOf(ForbiddenError);
    await deactivateMember(actor, member.id);
    expect(await db().select().from(sessions).where(eq(sessions.userId, member.id))).toEqual([]);
    expect(await validateSessionToken(token)).toBeNull();
    expect(await login({ email: member.email, password: "ein-gutes-passwort", ip: "10.0.0.1" })).toMatchObject({
      ok: false,
    });

    await reactivateMember(actor, member.id);
    expect(await login({ email: member.email, password: "ein-gutes-passwort", ip: "10.0.0.1" })).toMatchObject({
      ok: true,
    });
    const actions = (await db().select().from(auditLog).where(eq(auditLog.subjectId, member.id))).map((l) => l.action);
    expect(actions).toEqual(["user.deactivate", "user.reactivate"]);
  });

  it("lists members for moderators: search, role and status filters, pages of 25", async () => {
    const moderator = await person("moderator");
    for (let i = 0; i < 27; i++) await person("member", `Seitenprobe ${String(i).padStart(2, "0")}`);
    const first = await listMembersForDesk(moderator, { q: "seitenprobe", page: 1 });
    expect(first).toMatchObject({ total: 27, pages: 2 });
    expect(first.members).toHaveLength(25);
    expect(first.members[0]).not.toHaveProperty("passwordHash");
    expect(
      (await listMembersForDesk(moderator, { q: "seitenprobe", page: 2 })).members.map((m) => m.displayName),
    ).toEqual(["Seitenprobe 25", "Seitenprobe 26"]);
    expect((await listMembersForDesk(moderator, { q: "seitenprobe", role: "moderator", page: 1 })).total).toBe(0);
    expect((await listMembersForDesk(moderator, { q: "%", page: 1 })).total).toBe(0);
    const member = await person();
    await expect(listMembersForDesk(member, { q: "", page: 1 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe(`site settings on ${engine}`, () => {
  it("start with the defaults, then only admins change them, and the log names what changed", async () => {
    expect(await getSiteSettings()).toEqual({
      siteName: "Das Lernbegleitungs-Netzwerk",
      welcomeText: "",
      openRegistration: false,
      contactEmail: "",
    });
    const admin = await person("admin");
    const moderator = await person("moderator");
    const input = { siteName: "Netzwerk Nord", welcomeText: "Hallo!", openRegistration: true };
    await expect(saveSiteSettings(moderator, input)).rejects.toBeInstanceOf(ForbiddenError);
    await saveSiteSettings(admin, input);
    expect(await getSiteSettings()).toEqual({ ...input, contactEmail: "" });
    await saveSiteSettings(admin, { ...input, openRegistration: false });
    const log = await db().select().from(auditLog).where(eq(auditLog.action, "settings.update")).orderBy(auditLog.id);
    expect(log.map((l) => l.details)).toEqual([
      { changed: ["siteName", "welcomeText", "openRegistration"], openRegistration: true },
      { changed: ["openRegistration"], openRegistration: false },
    ]);
  });
});

describe(`community insights on ${engine}`, () => {
  it("count threads and replies per week and hold back a week with fewer than five authors", async () => {
    const moderator = await person("moderator");
    const { slug } = await room();
    const authors = await Promise.all([1, 2, 3, 4, 5].map(() => person()));
    const before = (await weeklyActivity(moderator)).at(-1)!;
    expect(before.threads === null || typeof before.threads === "number").toBe(true);
    // Earlier tests wrote no threads: this week starts empty, then three authors are "fewer than 5".
    expect(before).toMatchObject({ threads: 0, replies: 0 });
    const ids: string[] = [];
    for (const a of authors.slice(0, 3)) ids.push((await question(a, slug)).id);
    let week = (await weeklyActivity(moderator)).at(-1)!;
    expect(week.threads).toBeNull();
    for (const a of authors.slice(3)) ids.push((await question(a, slug)).id);
    // Six replies by one person: many replies, still one person, so held back.
    for (let i = 0; i < 6; i++)
      await createReply(authors[0], {
        threadId: ids[4],
        parentId: null,
        body: renderMarkdown("Antwort"),
        anonymous: false,
      });
    week = (await weeklyActivity(moderator)).at(-1)!;
    expect(week).toEqual({ week: expect.any(String), threads: 5, replies: null });
    expect(await weeklyActivity(moderator)).toHaveLength(12);
    await expect(weeklyActivity(authors[0])).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("count unanswered questions older than 48 hours per room, held back below five askers", async () => {
    const moderator = await person("moderator");
    const busy = await room();
    const quiet = await room();
    const askers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => person()));
    const old = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000);
    for (const a of askers.slice(0, 5)) {
      const { id } = await question(a, busy.slug);
      await db().update(threads).set({ createdAt: old }).where(eq(threads.id, id));
    }
    const { id: quietId } = await question(askers[5], quiet.slug);
    await db().update(threads).set({ createdAt: old }).where(eq(threads.id, quietId));
    // Fresh questions do not count yet.
    await question(askers[5], busy.slug);
    const result = await unansweredQuestions(moderator);
    expect(result.rooms).toEqual(
      expect.arrayContaining([
        { room: `Raum ${busy.slug.split("-")[1]}`, slug: busy.slug, questions: 5 },
        { room: `Raum ${quiet.slug.split("-")[1]}`, slug: quiet.slug, questions: null },
      ]),
    );
    expect(result.total).toBeGreaterThanOrEqual(6);
  });

  it("list trending tags used by at least five people and only count the rest", async () => {
    const moderator = await person("moderator");
    const { slug } = await room();
    const people = await Promise.all([1, 2, 3, 4, 5].map(() => person()));
    // Counted regardless of case, shown as most people spelled it.
    for (const [i, p] of people.entries()) await question(p, slug, [i === 4 ? "eakte" : "eAkte"]);
    await question(people[0], slug, ["nischenthema"]);
    await question(people[0], slug, ["nischenthema"]);
    const result = await trendingTags(moderator);
    expect(result.tags.find((t) => t.tag.toLowerCase() === "eakte")).toEqual({ tag: "eAkte", uses: 5, previous: 0 });
    expect(result.tags.find((t) => t.tag === "nischenthema")).toBeUndefined();
    expect(result.rare).toBeGreaterThanOrEqual(1);
  });

  it("rank materials by the daily usage counter and hold back counts below five", async () => {
    const moderator = await person("moderator");
    const [used, rare] = await db()
      .insert(materials)
      .values([
        { type: "one_pager", status: "published", title: "Viel genutzt", publishedAt: new Date() },
        { type: "one_pager", status: "published", title: "Selten genutzt", publishedAt: new Date() },
      ])
      .returning({ id: materials.id });
    for (let i = 0; i < 7; i++) await countUsage(db(), used.id, "views");
    for (let i = 0; i < 2; i++) await countUsage(db(), used.id, "downloads");
    await countUsage(db(), rare.id, "downloads");
    const result = await materialsMostUsed(moderator);
    expect(result.materials).toEqual([{ id: used.id, title: "Viel genutzt", uses: 9, views: 7, downloads: null }]);
    expect(result.rare).toBe(1);
    const rows = await handle().rows<{ n: number }>(sql`select count(*)::int as n from material_usage`);
    expect(rows[0].n).toBe(2);
  });

  it("show round attendance from registrations, held back below five, and zero-result searches searched five times", async () => {
    const moderator = await person("moderator");
    const start = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const round = {
      startsAt: start,
      endsAt: new Date(start.getTime() + 3600_000),
      capacity: 20,
      registrationDeadline: start,
      status: "closed" as const,
    };
    const [big, small] = await db()
      .insert(dialogueRounds)
      .values([
        { ...round, title: "Große Runde" },
        { ...round, title: "Kleine Runde" },
      ])
      .returning({ id: dialogueRounds.id });
    const people = await Promise.all([1, 2, 3, 4, 5, 6].map(() => person()));
    await db()
      .insert(roundRegistrations)
      .values(people.map((p) => ({ roundId: big.id, userId: p.id, status: "registered" as const })));
    await db()
      .insert(roundRegistrations)
      .values(people.slice(0, 2).map((p) => ({ roundId: small.id, userId: p.id, status: "registered" as const })));
    const rounds = await roundAttendance(moderator);
    expect(rounds.find((r) => r.id === big.id)).toMatchObject({ registered: 6, waiting: 0, capacity: 20 });
    expect(rounds.find((r) => r.id === small.id)).toMatchObject({ registered: null });

    const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Berlin" });
    await db()
      .insert(searchQueryStats)
      .values([
        { day: today, query: "bürgergeld lernzeit", searches: 6, zeroResults: 6 },
        { day: today, query: "name einer kollegin", searches: 1, zeroResults: 1 },
        { day: today, query: "lernbedarf", searches: 9, zeroResults: 0 },
      ]);
    const searches = await zeroResultSearches(moderator);
    expect(searches).toEqual({ days: 30, total: 7, rare: 1, queries: [{ query: "bürgergeld lernzeit", searches: 6 }] });
  });
});
