/** Merkliste: toggling, notes and reminders (with the reminder job's clock in the test's hand), the list, privacy. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { readZip } from "../setup/zip.ts";
import { bookmarks, categories, mailOutbox, materials, notifications, posts } from "../../db/schema/index.ts";
import { parseEnv } from "../../app/env.server.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread, getThreadView } from "../../app/models/discussions/threads.server.ts";
import { createReply, deletePost } from "../../app/models/discussions/posts.server.ts";
import { setPostHidden } from "../../app/models/discussions/moderation.server.ts";
import { listNotifications, openNotification } from "../../app/models/discussions/notifications.server.ts";
import { saveNotificationSettings } from "../../app/models/notifications/settings.server.ts";
import {
  BOOKMARKS_PAGE_SIZE,
  listBookmarks,
  removeBookmark,
  runBookmarkReminders,
  setBookmark,
  updateBookmark,
} from "../../app/models/bookmarks/bookmarks.server.ts";
import { getExportDownload, latestExport, requestExport } from "../../app/models/privacy/export.server.ts";
import { deleteAccount } from "../../app/models/privacy/deletion.server.ts";
import { InputError, NotFoundError } from "../../app/models/errors.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;
let dataDir = "";

async function person(role: Actor["role"] = "member"): Promise<Actor & { email: string }> {
  n++;
  const email = `merk${n}@example.org`;
  const { id } = await createUser({
    email,
    displayName: `Merkende Person ${n}`,
    handle: `merk-${n}`,
    password: "ein-gutes-passwort",
    role,
  });
  return { id, role, email };
}

async function thread(author: Actor, title: string) {
  const { id } = await createThread(author, {
    categorySlug: "merkraum",
    type: "best_practice",
    title,
    body: renderMarkdown(`Eröffnung von ${title}`),
    anonymous: false,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    legalDomain: null,
    tags: [],
  });
  const [opening] = await db()
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.threadId, id), isNull(posts.parentId)));
  return { id, openingId: opening.id };
}

async function reply(author: Actor, threadId: string, text: string) {
  return createReply(author, { threadId, parentId: null, body: renderMarkdown(text), anonymous: false });
}

async function material(title: string, status: "published" | "draft" = "published", createdBy: string | null = null) {
  const [row] = await db()
    .insert(materials)
    .values({
      type: "checklist",
      status,
      title,
      summary: `Kurz: ${title}`,
      publishedAt: status === "published" ? new Date() : null,
      createdBy,
    })
    .returning({ id: materials.id });
  return row.id;
}

/** What the thread page knows of the member's bookmarks (read with the thread, in its one query). */
const threadBookmarks = async (actor: Actor, threadId: string) => (await getThreadView(actor, threadId))!.bookmarks;

const rowsOf = (userId: string) => db().select().from(bookmarks).where(eq(bookmarks.userId, userId));

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-merk-"));
  globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir, PUBLIC_URL: "https://netzwerk.example.org" });
  await db().insert(categories).values({ slug: "merkraum", name: "Merkraum" });
});
afterAll(() => {
  globalThis.__companionEnv = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`Merkliste on ${engine}`, () => {
  it("toggles posts, threads and materials; refuses what the member may not see or does not exist, changing nothing", async () => {
    const me = await person();
    const other = await person();
    const moderator = await person("moderator");
    const t = await thread(other, "Gute Elternabende");
    const r = await reply(other, t.id, "Bei uns hilft ein fester Ablauf.");
    const m = await material("Checkliste Erstgespräch");

    expect(await setBookmark(me, "thread", t.id, true)).toBe(true);
    expect(await setBookmark(me, "post", r.id, true)).toBe(true);
    expect(await setBookmark(me, "material", m, true)).toBe(true);
    // Twice is once.
    expect(await setBookmark(me, "post", r.id, true)).toBe(true);
    expect(await rowsOf(me.id)).toHaveLength(3);
    expect(await threadBookmarks(me, t.id)).toEqual({ thread: true, posts: new Set([r.id]) });
    // Another member's view of the same thread knows nothing of it.
    expect(await threadBookmarks(other, t.id)).toEqual({ thread: false, posts: new Set() });

    expect(await setBookmark(me, "post", r.id, false)).toBe(false);
    expect(await threadBookmarks(me, t.id)).toEqual({ thread: true, posts: new Set() });

    // Wrong kinds, ids that are no ids, ids of another kind, things that do not exist.
    await expect(setBookmark(me, "user", other.id, true)).rejects.toMatchObject({
      field: "kind",
      message: "Das kann man nicht merken.",
    });
    await expect(setBookmark(me, "post", "keine-id", true)).rejects.toBeInstanceOf(NotFoundError);
    await expect(setBookmark(me, "post", t.id, true)).rejects.toBeInstanceOf(NotFoundError);
    await expect(setBookmark(me, "material", r.id, true)).rejects.toBeInstanceOf(NotFoundError);
    // Someone else's unpublished draft, a hidden thread, a deleted reply: as if they did not exist.
    const draft = await material("Entwurf von jemand anderem", "draft", other.id);
    await expect(setBookmark(me, "material", draft, true)).rejects.toBeInstanceOf(NotFoundError);
    const hiddenThread = await thread(other, "Bald ausgeblendet");
    await setPostHidden(moderator, hiddenThread.openingId, true);
    await expect(setBookmark(me, "thread", hiddenThread.id, true)).rejects.toBeInstanceOf(NotFoundError);
    const gone = await reply(other, t.id, "Gleich gelöscht.");
    await deletePost(other, gone.id);
    await expect(setBookmark(me, "post", gone.id, true)).rejects.toBeInstanceOf(NotFoundError);
    expect((await rowsOf(me.id)).map((b) => b.kind).sort()).toEqual(["material", "thread"]);
    // The moderator may see the hidden thread, and so may keep it.
    expect(await setBookmark(moderator, "thread", hiddenThread.id, true)).toBe(true);
  });

  it("keeps a note and a reminder day; refuses past, impossible and far-away days with a German message", async () => {
    const me = await person();
    const other = await person();
    const m = await material("Leitfaden Hilfeplan");
    await setBookmark(me, "material", m, true);
    const [b] = await rowsOf(me.id);
    const now = new Date("2031-03-10T12:00:00Z");

    await updateBookmark(me, b.id, { note: "  Für die Teamsitzung  ", remindOn: "2031-03-12" }, now);
    let [row] = await rowsOf(me.id);
    expect(row.note).toBe("Für die Teamsitzung");
    // 08:00 in Berlin (CET) is 07:00 UTC.
    expect(row.remindAt?.toISOString()).toBe("2031-03-12T07:00:00.000Z");

    const refused = async (remindOn: string, message: RegExp) => {
      const attempt = updateBookmark(me, b.id, { note: "geändert", remindOn }, now);
      await expect(attempt).rejects.toBeInstanceOf(InputError);
      await expect(attempt).rejects.toMatchObject({ errors: { remindOn: expect.stringMatching(message) } });
    };
    await refused("2031-03-09", /in der Vergangenheit/);
    await refused("2031-02-30", /gültiges Datum/);
    await refused("12.03.2031", /gültiges Datum/);
    await refused("2037-01-01", /höchstens 5 Jahre/);
    await expect(updateBookmark(me, b.id, { note: "x".repeat(501), remindOn: "" }, now)).rejects.toMatchObject({
      field: "note",
    });
    // Nothing changed by any refusal.
    [row] = await rowsOf(me.id);
    expect(row).toMatchObject({ note: "Für die Teamsitzung", remindAt: new Date("2031-03-12T07:00:00Z") });

    // Someone else's bookmark is not there for another member (nor for staff: there is no other path to it).
    await expect(updateBookmark(other, b.id, { note: "fremd", remindOn: "" }, now)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(removeBookmark(other, b.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateBookmark(me, "kaputt", { note: "", remindOn: "" }, now)).rejects.toBeInstanceOf(NotFoundError);
    expect(await rowsOf(me.id)).toHaveLength(1);
    // Today is allowed; an empty day removes the reminder.
    await updateBookmark(me, b.id, { note: "", remindOn: "2031-03-10" }, now);
    await updateBookmark(me, b.id, { note: "", remindOn: "" }, now);
    [row] = await rowsOf(me.id);
    expect(row).toMatchObject({ note: "", remindAt: null });
    await removeBookmark(me, b.id);
    expect(await rowsOf(me.id)).toHaveLength(0);
  });

  it("lists newest first, filtered by kind and reminder, paginated; content that became hidden shows nothing of it", async () => {
    const me = await person();
    const other = await person();
    const moderator = await person("moderator");
    const t = await thread(other, "Übergang Schule Beruf ZARTMARK");
    const r = await reply(other, t.id, "Antworttext ZARTMARK");
    const m = await material("Material ZARTMARK");
    await setBookmark(me, "material", m, true);
    await setBookmark(me, "thread", t.id, true);
    await setBookmark(me, "post", r.id, true);
    const now = new Date("2031-05-01T10:00:00Z");
    const [postMark] = (await rowsOf(me.id)).filter((b) => b.kind === "post");
    await updateBookmark(me, postMark.id, { note: "nachlesen", remindOn: "2031-05-02" }, now);

    const all = await listBookmarks(me);
    expect(all.items.map((i) => i.kind)).toEqual(["post", "thread", "material"]);
    expect(all.items[0].content).toEqual({
      title: "Übergang Schule Beruf ZARTMARK",
      excerpt: "Antworttext ZARTMARK",
      url: `/diskussionen/${t.id}#beitrag-${r.id}`,
    });
    expect((await listBookmarks(me, { filter: "materialien" })).items.map((i) => i.content?.title)).toEqual([
      "Material ZARTMARK",
    ]);
    expect((await listBookmarks(me, { filter: "diskussionen" })).items.map((i) => i.kind)).toEqual(["thread"]);
    expect((await listBookmarks(me, { withReminder: true })).items.map((i) => i.id)).toEqual([postMark.id]);
    expect((await listBookmarks(me, { only: postMark.id })).items).toHaveLength(1);
    // Nobody else sees any of it, staff included (the list is always the acting member's own).
    expect((await listBookmarks(other)).items).toEqual([]);
    expect((await listBookmarks(moderator, { only: postMark.id })).items).toEqual([]);

    // Hidden by the moderation: the entry stays, without title or text.
    await setPostHidden(moderator, r.id, true);
    await setPostHidden(moderator, t.openingId, true);
    const after = await listBookmarks(me);
    expect(after.items.map((i) => [i.kind, i.content])).toEqual([
      ["post", null],
      ["thread", null],
      ["material", expect.objectContaining({ title: "Material ZARTMARK" })],
    ]);
    expect(JSON.stringify(after.items.slice(0, 2))).not.toContain("ZARTMARK");
    // Taken back into a draft, the material is gone from view too.
    await db().update(materials).set({ status: "draft" }).where(eq(materials.id, m));
    expect((await listBookmarks(me)).items[2].content).toBeNull();

    // Pages of BOOKMARKS_PAGE_SIZE, newest first.
    const many = await person();
    const ids: string[] = [];
    for (let i = 0; i < BOOKMARKS_PAGE_SIZE + 2; i++) {
      const id = await material(`Stapel ${i}`);
      ids.push(id);
      await setBookmark(many, "material", id, true);
    }
    const first = await listBookmarks(many, { page: 1 });
    const second = await listBookmarks(many, { page: 2 });
    expect(first.hasMore).toBe(true);
    expect(second.hasMore).toBe(false);
    expect(first.items).toHaveLength(BOOKMARKS_PAGE_SIZE);
    expect(second.items.map((i) => i.content?.title)).toEqual(["Stapel 1", "Stapel 0"]);
  });

  it("reminds once when the day comes, with the clock the test sets, as the member chose to hear of it", async () => {
    const me = await person();
    const quiet = await person();
    await saveNotificationSettings(quiet, quiet.id, { bookmarks: "off" });
    const m = await material("Vorlage Förderplan");
    await setBookmark(me, "material", m, true);
    await setBookmark(quiet, "material", m, true);
    const [mine] = await rowsOf(me.id);
    const [theirs] = await rowsOf(quiet.id);
    const set = new Date("2032-07-01T09:00:00Z");
    await updateBookmark(me, mine.id, { note: "Für Frau K. anpassen", remindOn: "2032-07-06" }, set);
    await updateBookmark(quiet, theirs.id, { note: "", remindOn: "2032-07-06" }, set);
    const reminders = (userId: string) =>
      db()
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, userId), eq(notifications.type, "bookmark_reminder")));

    // 07:59 Berlin summer time (05:59 UTC): not yet.
    await runBookmarkReminders(new Date("2032-07-06T05:59:00Z"));
    expect(await reminders(me.id)).toHaveLength(0);
    // 08:00 Berlin: due.
    await runBookmarkReminders(new Date("2032-07-06T06:00:00Z"));
    const [note] = await reminders(me.id);
    expect(note).toMatchObject({ bookmarkId: mine.id, threadId: null, postId: null });
    // Mail at once (the group's default), naming the member's note and not the material.
    const mails = await db().select().from(mailOutbox).where(eq(mailOutbox.to, me.email));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Erinnerung aus deiner Merkliste");
    expect(mails[0].text).toContain("Für Frau K. anpassen");
    expect(mails[0].text).toContain(`https://netzwerk.example.org/merkliste?eintrag=${mine.id}`);
    expect(mails[0].text).not.toContain("Vorlage Förderplan");
    // Shown on the notifications page, leading to the entry.
    const listed = (await listNotifications(me.id)).items.find((i) => i.id === note.id);
    expect(listed).toMatchObject({ bookmarkId: mine.id, bookmarkNote: "Für Frau K. anpassen" });
    expect(await openNotification(me.id, note.id)).toBe(`/merkliste?eintrag=${mine.id}`);

    // Once only: later runs find it sent; the member who turned the group off got nothing, and it is not pending.
    await runBookmarkReminders(new Date("2032-07-06T06:05:00Z"));
    await runBookmarkReminders(new Date("2032-07-07T06:00:00Z"));
    expect(await reminders(me.id)).toHaveLength(1);
    expect(await reminders(quiet.id)).toHaveLength(0);
    expect((await rowsOf(quiet.id))[0].remindedAt).not.toBeNull();
    expect((await listBookmarks(me)).items[0].remindedAt).not.toBeNull();

    // A new day is reminded anew; removing the entry takes its reminder notification along.
    await updateBookmark(
      me,
      mine.id,
      { note: "Für Frau K. anpassen", remindOn: "2032-07-20" },
      new Date("2032-07-06T07:00:00Z"),
    );
    expect((await rowsOf(me.id))[0].remindedAt).toBeNull();
    await runBookmarkReminders(new Date("2032-07-20T06:00:00Z"));
    expect(await reminders(me.id)).toHaveLength(2);
    await removeBookmark(me, mine.id);
    expect(await reminders(me.id)).toHaveLength(0);
  });

  it("is in the member's data export and nobody else's, and goes with the account", async () => {
    const me = await person();
    const other = await person();
    const m = await material("Material für den Export");
    const t = await thread(other, "Diskussion für den Export");
    await setBookmark(me, "material", m, true);
    await setBookmark(me, "thread", t.id, true);
    await setBookmark(other, "material", m, true);
    const [mine] = (await rowsOf(me.id)).filter((b) => b.kind === "material");
    const [theirs] = await rowsOf(other.id);
    await updateBookmark(
      me,
      mine.id,
      { note: "Notiz EXPMARK", remindOn: "2031-09-01" },
      new Date("2031-08-01T10:00:00Z"),
    );
    await updateBookmark(other, theirs.id, { note: "Notiz FREMDMARK", remindOn: "" }, new Date("2031-08-01T10:00:00Z"));
    await runBookmarkReminders(new Date("2031-09-01T06:00:00Z"));

    const { id } = await requestExport(me);
    const deadline = Date.now() + 30_000;
    while ((await latestExport(me))?.state !== "ready") {
      if (Date.now() > deadline) throw new Error("export not finished");
      await new Promise((r) => setTimeout(r, 50));
    }
    const download = await getExportDownload(me, id);
    const text = (await readZip(download!.path)).get("daten.json")!.toString("utf8");
    const { data } = JSON.parse(text) as { data: Record<string, any> };
    expect(data.bookmarks).toHaveLength(2);
    expect(data.bookmarks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "material",
          targetId: m,
          note: "Notiz EXPMARK",
          remindAt: "2031-09-01T06:00:00.000Z",
        }),
        expect.objectContaining({ kind: "thread", targetId: t.id, note: "" }),
      ]),
    );
    expect(data.notifications).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "bookmark_reminder" })]),
    );
    expect(text).not.toContain("FREMDMARK");
    expect(text).not.toContain(other.id);

    await deleteAccount(me, { password: "ein-gutes-passwort", posts: "keep" });
    expect(await rowsOf(me.id)).toHaveLength(0);
    expect(await db().select().from(notifications).where(eq(notifications.bookmarkId, mine.id))).toHaveLength(0);
    // The other member's list is untouched.
    expect(await rowsOf(other.id)).toEqual([expect.objectContaining({ note: "Notiz FREMDMARK" })]);
  });
});
