import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { readZip } from "../setup/zip.ts";
import { findEverywhere as scan } from "../setup/scan.ts";
import { seedPeople, type Person } from "./privacy-fixture.ts";
import { parseEnv } from "../../app/env.server.ts";
import {
  accountIdentities,
  sessionIdTokens,
  accessibilityFeedback,
  auditLog,
  categoryReads,
  dataExports,
  materialFiles,
  posts,
  roundEvents,
  roundQuestions,
  roundRegistrations,
  sessions,
  threadReads,
  threads,
  users,
} from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { createSession } from "../../app/models/accounts/sessions.server.ts";
import { NO_PASSWORD } from "../../app/models/accounts/password.server.ts";
import { inventory } from "../../app/models/privacy/inventory.server.ts";
import {
  getExportDownload,
  latestExport,
  requestExport,
  deleteExpiredExports,
} from "../../app/models/privacy/export.server.ts";
import { deleteAccount } from "../../app/models/privacy/deletion.server.ts";
import { submitAccessibilityFeedback } from "../../app/models/community/feedback.server.ts";
import { uploadsDir } from "../../app/models/library/files.server.ts";
import { ForbiddenError, InputError } from "../../app/models/errors.server.ts";
import { processOutbox } from "../../search/indexer.ts";
import { createPostgresEngine } from "../../search/postgres.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let dataDir = "";

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-privacy-"));
  globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir });
});
afterAll(() => {
  globalThis.__companionEnv = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function waitForExport(actor: Person) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await latestExport(actor);
    if (status?.state === "ready" || status?.state === "failed") return status;
    if (Date.now() > deadline) throw new Error(`export not finished: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const findEverywhere = (needles: string[]) => scan(handle(), needles);

const needlesOf = (p: Person) => [p.name, p.email, p.handle, p.name.split(" ")[1]];

describe(`your data on ${engine}`, () => {
  it("lists every table of the database, each exported or with a reason, each with its deletion rule", async () => {
    const tables = await handle().rows<{ table_name: string }>(sql`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    expect(inventory.map((e) => e.table).sort()).toEqual(tables.map((t) => t.table_name).sort());
    for (const entry of inventory) {
      expect(!!entry.export !== !!entry.notExported, entry.table).toBe(true);
      expect(entry.deletion.length, entry.table).toBeGreaterThan(3);
    }
  });

  let a: Person;
  let b: Person;

  it("exports everything of the member and nothing of anyone else, only for that member", async () => {
    ({ a, b } = await seedPeople(db()));
    const { id, started } = await requestExport(a);
    expect(started).toBe(true);
    // Asking again while it runs gives the same export.
    const again = await requestExport(a);
    expect(again.id).toBe(id);
    const status = await waitForExport(a);
    expect(status).toMatchObject({ state: "ready", progress: 100 });
    expect(status!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    await expect(getExportDownload(b, id)).rejects.toBeInstanceOf(ForbiddenError);
    const download = await getExportDownload(a, id);
    if (!download) throw new Error("no download");
    expect(download.name).toMatch(/^meine-daten-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = await readZip(download.path);
    const names = [...zip.keys()].sort();
    expect(names).toHaveLength(4);
    expect(names.slice(0, 2)).toEqual(["LIESMICH.txt", "daten.json"]);
    expect(names.filter((n) => /^uploads\/[0-9a-f]{8}-(liste|vorschlag)-ZEPHMARK\.txt$/.test(n))).toHaveLength(2);
    const upload = [...zip.entries()].find(([name]) => name.includes("liste-"))!;
    expect(upload[1].toString()).toBe("Dateiinhalt ZEPHMARK");

    const text = zip.get("daten.json")!.toString("utf8");
    const { data } = JSON.parse(text) as { data: Record<string, any> };
    expect(data.users).toMatchObject({
      id: a.id,
      email: a.email,
      displayName: a.name,
      handle: a.handle,
      bio: `Ich bin ${a.name} (ZEPHMARK).`,
    });
    expect(data.users).not.toHaveProperty("passwordHash");
    expect(data.threads.map((t: any) => t.title).sort()).toEqual(["Anonyme Frage ZEPHMARK", "Frage von ZEPHMARK"]);
    expect(data.threads.find((t: any) => t.anonymous)).toBeTruthy();
    const postTexts = data.posts.map((p: any) => p.text);
    expect(postTexts).toEqual(
      expect.arrayContaining([
        "Eröffnung ZEPHMARK",
        "Anonym ZEPHMARK",
        `Antwort ZEPHMARK an @${b.name}, ergänzt`,
        "Anonyme Antwort ZEPHMARK",
        "Gelöscht ZEPHMARK",
      ]),
    );
    expect(data.posts).toHaveLength(5);
    expect(data.post_revisions).toHaveLength(1);
    expect(JSON.stringify(data.post_revisions)).toContain("Antwort ZEPHMARK an");
    expect(data.reactions).toEqual([expect.objectContaining({ kind: "thanks" })]);
    expect(data.thread_watches.map((w: any) => w.threadId)).toContain(a.threadId);
    expect(data.category_watches).toHaveLength(1);
    expect(data.thread_reads).toHaveLength(1);
    expect(data.category_reads).toEqual([
      expect.objectContaining({ room: expect.any(String), readAt: expect.any(String) }),
    ]);
    expect(JSON.stringify(data.drafts)).toContain("Entwurf ZEPHMARK");
    expect(data.flags).toEqual([expect.objectContaining({ reason: "Meldung ZEPHMARK" })]);
    expect(data.notifications.length).toBeGreaterThan(0);
    expect(data.notifications[0]).not.toHaveProperty("actorId");
    expect(data.invitations.created).toEqual([expect.objectContaining({ note: "Einladung ZEPHMARK" })]);
    expect(data.audit_log.length).toBeGreaterThanOrEqual(2);
    expect(data.feed_tokens).toMatchObject({ exists: true });
    expect(data.calendar_tokens).toMatchObject({ exists: true });
    expect(data.materials.map((m: any) => m.title).sort()).toEqual(["Material ZEPHMARK", "Vorschlag ZEPHMARK"]);
    expect(data.material_files).toHaveLength(2);
    expect(data.case_consultations).toEqual([expect.objectContaining({ situation: "Situation ZEPHMARK" })]);
    expect(data.case_contributions.map((c: any) => c.body).sort()).toEqual(["Bericht ZEPHMARK", "Hypothese ZEPHMARK"]);
    expect(data.case_participants).toHaveLength(2);
    expect(data.round_registrations).toEqual([expect.objectContaining({ status: "registered" })]);
    expect(data.round_questions).toEqual([expect.objectContaining({ text: "Frage vorab ZEPHMARK" })]);
    expect(data.round_events).toEqual([expect.objectContaining({ text: "Chat ZEPHMARK" })]);
    expect(data.round_question_votes).toHaveLength(1);
    // Mails to the member: when and whether they went out, not their texts (those quote other members).
    expect(data.mail_outbox.length).toBeGreaterThan(0);
    for (const mail of data.mail_outbox) expect(Object.keys(mail).sort()).toEqual(["createdAt", "sentAt", "status"]);
    expect(data.sessions).toEqual([]);

    // Nothing of the other member: none of their texts, neither their address nor their id; no secrets.
    expect(text).not.toContain("BARTMARK");
    expect(text).not.toContain(b.email);
    expect(text).not.toContain(b.id);
    const hashes = await handle().rows<{ h: string }>(
      sql`select token_hash as h from feed_tokens union all select token_hash from calendar_tokens union all select password_hash from users`,
    );
    for (const { h } of hashes) expect(text).not.toContain(h);

    // An export that stopped moving (its process ended) counts as failed; a new one can start.
    const [stuck] = await db()
      .insert(dataExports)
      .values({ userId: b.id, state: "running", progress: 30, updatedAt: new Date(Date.now() - 11 * 60_000) })
      .returning();
    expect(await latestExport(b)).toMatchObject({ id: stuck.id, state: "failed" });
    const fresh = await requestExport(b);
    expect(fresh.started).toBe(true);
    expect((await waitForExport(b)).state).toBe("ready");

    // Only one export per member on disk: a new one replaces the old file.
    await requestExport(a);
    await waitForExport(a);
    expect(fs.existsSync(download.path)).toBe(false);
    expect(fs.readdirSync(path.join(dataDir, "exports"))).toHaveLength(2);
    // Expired exports go, file and all.
    expect(await deleteExpiredExports(new Date(Date.now() + 8 * 86_400_000))).toBe(2);
    expect(fs.readdirSync(path.join(dataDir, "exports"))).toHaveLength(0);
    expect(await latestExport(a)).toBeNull();
  });

  it("deletes an account keeping the posts: no trace of name, e-mail or handle in any column of any table", async () => {
    await processOutbox(handle(), createPostgresEngine(handle()));
    // Before: the member is findable everywhere the scan looks (so the scan itself works).
    expect((await findEverywhere([a.name])).length).toBeGreaterThan(3);
    await createSession(a.id);
    await requestExport(a);
    await waitForExport(a);
    const auditBefore = await db().select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.actorId, a.id));
    expect(auditBefore.length).toBeGreaterThanOrEqual(2);

    await expect(deleteAccount(a, { password: "falsch-falsch-falsch", posts: "keep" })).rejects.toMatchObject({
      field: "password",
    });
    expect(await db().select().from(users).where(eq(users.id, a.id))).toHaveLength(1);

    // Accessibility feedback with the name and address typed into the form: the report stays, those go.
    const feedback = await submitAccessibilityFeedback(
      { name: a.name, contact: a.email, page: "", message: "Die Schrift ist zu klein, ZEPHMARK." },
      { userId: a.id, clientIp: "198.51.100.7" },
    );

    await deleteAccount(a, { password: "ein-gutes-passwort", posts: "keep" });
    await processOutbox(handle(), createPostgresEngine(handle()));

    expect(await findEverywhere(needlesOf(a))).toEqual([]);
    expect(
      await db()
        .select({
          userId: accessibilityFeedback.userId,
          name: accessibilityFeedback.name,
          contact: accessibilityFeedback.contact,
          message: accessibilityFeedback.message,
        })
        .from(accessibilityFeedback)
        .where(eq(accessibilityFeedback.id, feedback.id)),
    ).toEqual([{ userId: null, name: "", contact: "", message: "Die Schrift ist zu klein, ZEPHMARK." }]);
    // The other member's data is all there.
    expect((await findEverywhere([b.name, b.email, b.handle])).length).toBeGreaterThan(3);

    expect(await db().select().from(sessions).where(eq(sessions.userId, a.id))).toHaveLength(0);
    // Read state goes with the account.
    expect(await db().select().from(categoryReads).where(eq(categoryReads.userId, a.id))).toHaveLength(0);
    expect(await db().select().from(threadReads).where(eq(threadReads.userId, a.id))).toHaveLength(0);
    expect(await db().select().from(categoryReads).where(eq(categoryReads.userId, b.id))).toHaveLength(1);
    // Audit rows stay, without actor.
    const auditAfter = await db()
      .select({ actorId: auditLog.actorId })
      .from(auditLog)
      .where(
        inArray(
          auditLog.id,
          auditBefore.map((r) => r.id),
        ),
      );
    expect(auditAfter).toHaveLength(auditBefore.length);
    expect(auditAfter.every((r) => r.actorId === null)).toBe(true);
    // Kept posts: their text stays, without author (shown as "ehemaliges Mitglied"); deleted ones lost their text.
    const [kept] = await db().select().from(posts).where(eq(posts.id, a.replyId));
    expect(kept).toMatchObject({ authorId: null, deletedAt: null });
    expect(kept.bodyText).toContain("Antwort ZEPHMARK");
    const erased = await db()
      .select({ text: posts.bodyText })
      .from(posts)
      .where(sql`${posts.bodyText} like 'Gelöscht ZEPHMARK%'`);
    expect(erased).toHaveLength(0);
    // The mention in the other's reply (and its earlier version) now names nobody.
    const [mentioning] = await db().select().from(posts).where(eq(posts.id, b.replyId));
    expect(mentioning.bodyText).toBe("Antwort BARTMARK an @ehemaliges Mitglied, ergänzt");
    expect(mentioning.bodyHtml).not.toContain("data-mention");
    // Reactions counted again; the waiting list moved up into the freed seat.
    const [opening] = await db()
      .select()
      .from(posts)
      .where(and(eq(posts.threadId, b.threadId), isNull(posts.parentId)));
    expect(opening.thanksCount).toBe(0);
    const [seat] = await db().select().from(roundRegistrations).where(eq(roundRegistrations.userId, b.id));
    expect(seat.status).toBe("registered");
    // Files: the suggestion's and the export go, the published material's file stays in the library.
    expect(fs.existsSync(path.join(uploadsDir(), a.fileStorageName))).toBe(true);
    const [file] = await db().select().from(materialFiles).where(eq(materialFiles.storageName, a.fileStorageName));
    expect(file.uploadedBy).toBeNull();
    expect(fs.readdirSync(uploadsDir()).length).toBe(3);
    expect(fs.readdirSync(path.join(dataDir, "exports"))).toHaveLength(0);
  });

  it("deletes an account with its posts: texts go, threads with others' replies keep a placeholder", async () => {
    const { a: c, b: d } = await seedPeople(db(), "-2");
    await deleteAccount(c, { password: "ein-gutes-passwort", posts: "delete" });
    await processOutbox(handle(), createPostgresEngine(handle()));
    expect(await findEverywhere(needlesOf(c))).toEqual([]);

    const [reply] = await db().select().from(posts).where(eq(posts.id, c.replyId));
    expect(reply.deletedAt).not.toBeNull();
    expect(reply.bodyText).toBe("");
    // Her thread has a reply by the other member: it stays, its opening post is a placeholder.
    const [own] = await db().select().from(threads).where(eq(threads.id, c.threadId));
    expect(own.deletedAt).toBeNull();
    const [openingPost] = await db()
      .select()
      .from(posts)
      .where(and(eq(posts.threadId, c.threadId), isNull(posts.parentId)));
    expect(openingPost).toMatchObject({ bodyText: "", authorId: null });
    expect(openingPost.deletedAt).not.toBeNull();
    // Her anonymous thread had no replies: it is gone.
    const [anon] = await db().select().from(threads).where(eq(threads.id, c.anonymousThreadId));
    expect(anon.deletedAt).not.toBeNull();
    const texts = await db()
      .select({ t: posts.bodyText })
      .from(posts)
      .where(sql`${posts.bodyText} like '%ZEPHMARK-2%'`);
    expect(texts).toEqual([]);
    expect(
      await db()
        .select()
        .from(roundQuestions)
        .where(sql`${roundQuestions.text} like '%ZEPHMARK-2%'`),
    ).toEqual([]);
    expect(
      await db()
        .select()
        .from(roundEvents)
        .where(sql`${roundEvents.text} like '%ZEPHMARK-2%'`),
    ).toEqual([]);
    // The other member's thread counts only the replies that are left.
    const [dThread] = await db().select().from(threads).where(eq(threads.id, d.threadId));
    const left = await db()
      .select()
      .from(posts)
      .where(and(eq(posts.threadId, d.threadId), isNull(posts.deletedAt), sql`${posts.parentId} is not null`));
    expect(dThread.replyCount).toBe(left.length);
    // The other member's replies in her thread are untouched.
    const others = await db().select({ t: posts.bodyText }).from(posts).where(eq(posts.threadId, c.threadId));
    expect(others.map((o) => o.t)).toEqual(
      expect.arrayContaining([`Antwort BARTMARK-2 an @ehemaliges Mitglied, ergänzt`]),
    );
    expect((await findEverywhere([d.name, d.email])).length).toBeGreaterThan(3);
  });

  it("refuses to delete the last admin", async () => {
    const first = await createUser({
      email: "admin-eins@example.org",
      displayName: "Admin Eins",
      handle: "admin-eins",
      password: "ein-gutes-passwort",
      role: "admin",
    });
    const admin = { id: first.id, role: "admin" as const };
    const refused = deleteAccount(admin, { password: "ein-gutes-passwort", posts: "keep" });
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toMatchObject({ field: "form" });
    expect(await db().select().from(users).where(eq(users.id, admin.id))).toHaveLength(1);
    await createUser({
      email: "admin-zwei@example.org",
      displayName: "Admin Zwei",
      handle: "admin-zwei",
      password: "ein-gutes-passwort",
      role: "admin",
    });
    await deleteAccount(admin, { password: "ein-gutes-passwort", posts: "keep" });
    expect(await db().select().from(users).where(eq(users.id, admin.id))).toHaveLength(0);
  });

  it("an account from the organisation's sign-in: its identity is exported, and it goes with the account (confirmed by the address)", async () => {
    const [sso] = await db()
      .insert(users)
      .values({
        email: "olga@organisation.example",
        displayName: "Olga SSO",
        handle: "olga-sso",
        passwordHash: NO_PASSWORD,
      })
      .returning({ id: users.id });
    const olga = { id: sso.id, role: "member" as const };
    await db()
      .insert(accountIdentities)
      .values({ issuer: "https://login.organisation.example", subject: "olga-sub-ZEPHMARK", userId: olga.id });
    const session = await createSession(olga.id);
    const [{ id: sessionId }] = await db()
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, olga.id));
    await db().insert(sessionIdTokens).values({ sessionId, idToken: "eyJ.ID-TOKEN-ZEPHMARK.sig" });
    expect(session.token).toBeTruthy();

    await requestExport(olga as Person);
    const download = await getExportDownload(olga as Person, (await waitForExport(olga as Person))!.id);
    const text = (await readZip(download!.path)).get("daten.json")!.toString("utf8");
    const { data } = JSON.parse(text) as { data: Record<string, any> };
    expect(data.account_identities).toEqual([
      expect.objectContaining({ provider: "https://login.organisation.example", subject: "olga-sub-ZEPHMARK" }),
    ]);
    expect(text).not.toContain("ID-TOKEN");

    await expect(deleteAccount(olga, { password: "irgendein-passwort", posts: "keep" })).rejects.toMatchObject({
      field: "password",
    });
    await deleteAccount(olga, { password: " Olga@Organisation.example ", posts: "keep" });
    expect(await db().select().from(accountIdentities).where(eq(accountIdentities.userId, olga.id))).toEqual([]);
    expect(await db().select().from(sessionIdTokens).where(eq(sessionIdTokens.sessionId, sessionId))).toEqual([]);
    expect(await findEverywhere(["olga-sub-ZEPHMARK", "olga@organisation.example", "ID-TOKEN-ZEPHMARK"])).toEqual([]);
  });
});
