import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { auditLog, categories, notifications, posts, threads } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { bodyFromForm, renderMarkdown } from "../../app/models/discussions/body.server.ts";
import {
  createThread,
  getThreadView,
  listThreads,
  markThreadSeen,
} from "../../app/models/discussions/threads.server.ts";
import {
  createReply,
  deletePost,
  editPost,
  listRevisions,
  revealAuthor,
  setAcceptedAnswer,
  setReaction,
} from "../../app/models/discussions/posts.server.ts";
import {
  flagPost,
  listOpenFlags,
  moderateThread,
  setPostHidden,
} from "../../app/models/discussions/moderation.server.ts";
import { setCategoryWatch, setThreadWatch } from "../../app/models/discussions/watches.server.ts";
import { saveDraft, getDrafts } from "../../app/models/discussions/drafts.server.ts";
import { listNotifications, unreadNotificationCount } from "../../app/models/discussions/notifications.server.ts";
import { ForbiddenError, InputError } from "../../app/models/errors.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";
import type { ThreadType } from "../../app/domain/discussions/types.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;

async function person(role: Actor["role"] = "member"): Promise<Actor & { handle: string; name: string }> {
  n++;
  const name = `Person ${n}`;
  const h = `person-${n}`;
  const { id } = await createUser({
    email: `p${n}@example.org`,
    displayName: name,
    handle: h,
    password: "ein-gutes-passwort",
    role,
  });
  return { id, role, handle: h, name };
}

async function room(slug = `raum-${++n}`) {
  await db()
    .insert(categories)
    .values({ slug, name: `Raum ${slug}`, position: n });
  return slug;
}

async function thread(
  author: Actor,
  overrides: Partial<{ type: ThreadType; anonymous: boolean; body: string; category: string }> = {},
) {
  return createThread(author, {
    categorySlug: overrides.category ?? (await room()),
    type: overrides.type ?? "question",
    title: "Wie klärt ihr den Lernbedarf?",
    body: renderMarkdown(overrides.body ?? "Ich suche **Erfahrungen**."),
    anonymous: overrides.anonymous ?? false,
    ilbStep: "lernbedarf",
    competenceArea: null,
    audience: null,
    legalDomain: "sgb2",
    tags: ["lernfrage"],
  });
}

/** As the no-JavaScript form posts it: @kurzname becomes a mention when the member exists. */
async function formBody(text: string) {
  const form = new FormData();
  form.set("body", text);
  const result = await bodyFromForm(form);
  if (!result.ok) throw new Error(result.message);
  return result.body;
}

const reply = async (
  actor: Actor,
  threadId: string,
  parentId: string | null,
  text = "Meine Erfahrung dazu.",
  anonymous = false,
) => createReply(actor, { threadId, parentId, body: await formBody(text), anonymous });

describe(`discussions on ${engine}`, () => {
  it("creates a thread with its opening post, rendered at write time, watched by its author", async () => {
    const author = await person();
    const { id } = await thread(author);
    const view = await getThreadView(author, id);
    if (!view) throw new Error("no view");
    expect(view.thread).toMatchObject({
      title: "Wie klärt ihr den Lernbedarf?",
      type: "question",
      tags: ["lernfrage"],
      legalDomain: "sgb2",
    });
    expect(view.opening.html).toBe("<p>Ich suche <strong>Erfahrungen</strong>.</p>");
    expect(view.watching).toBe(true);
    expect(view.replies).toEqual([]);
  });

  it("refuses impulses from members, unknown rooms, and keeps nothing of a refused thread", async () => {
    const member = await person();
    await expect(thread(member, { type: "impulse" })).rejects.toBeInstanceOf(InputError);
    await expect(thread(member, { category: "gibt-es-nicht" })).rejects.toMatchObject({ field: "category" });
    expect(await db().select().from(threads).where(eq(threads.authorId, member.id))).toHaveLength(0);
    const moderator = await person("moderator");
    await expect(thread(moderator, { type: "impulse" })).resolves.toHaveProperty("id");
  });

  it("nests replies, refuses a parent from another thread, and counts replies", async () => {
    const a = await person();
    const b = await person();
    const t1 = await thread(a);
    const t2 = await thread(a);
    const r1 = await reply(b, t1.id, null);
    const r2 = await reply(a, t1.id, r1.id, "Danke!");
    const r3 = await reply(b, t1.id, r2.id, "Gern.");
    const other = await reply(b, t2.id, null);
    await expect(reply(a, t1.id, other.id)).rejects.toMatchObject({ field: "parentId" });
    const view = await getThreadView(a, t1.id);
    if (!view) throw new Error("no view");
    expect(view.thread.replyCount).toBe(3);
    const depth = Object.fromEntries(
      (await db().select({ id: posts.id, depth: posts.depth }).from(posts).where(eq(posts.threadId, t1.id))).map(
        (p) => [p.id, p.depth],
      ),
    );
    expect([depth[r1.id], depth[r2.id], depth[r3.id]]).toEqual([1, 2, 3]);
  });

  it("hides anonymous authors from members and moderators alike until a moderator reveals one (audited)", async () => {
    const author = await person();
    const reader = await person();
    const moderator = await person("moderator");
    const { id } = await thread(author, { anonymous: true });
    const answer = await reply(author, id, null, "Noch ein Gedanke.", true);
    for (const viewer of [reader, moderator]) {
      const view = await getThreadView(viewer, id);
      if (!view) throw new Error("no view");
      expect(view.opening.author).toBeNull();
      expect(JSON.stringify(view)).not.toContain(author.name);
      expect(JSON.stringify(view)).not.toContain(author.id);
    }
    const list = await listThreads(reader, { sort: "neu", page: 1 });
    expect(JSON.stringify(list)).not.toContain(author.name);
    const own = await getThreadView(author, id);
    expect(own?.opening.own).toBe(true);
    await expect(revealAuthor(reader, answer.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await revealAuthor(moderator, answer.id)).toEqual({ name: author.name, handle: author.handle });
    const log = await db().select().from(auditLog).where(eq(auditLog.subjectId, answer.id));
    expect(log).toMatchObject([{ actorId: moderator.id, action: "post.revealAuthor" }]);
  });

  it("lets only the author edit, keeps each earlier version, and lets readers see them", async () => {
    const author = await person();
    const other = await person();
    const { id } = await thread(author);
    const view = await getThreadView(author, id);
    if (!view) throw new Error("no view");
    await expect(editPost(other, view.opening.id, { body: renderMarkdown("Übernommen!") })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await editPost(author, view.opening.id, {
      body: renderMarkdown("Zweite Fassung"),
      title: "Neuer Titel für die Frage",
    });
    await editPost(author, view.opening.id, { body: renderMarkdown("Dritte Fassung") });
    const history = await listRevisions(other, view.opening.id);
    expect(history?.versions.map((v) => v.html)).toEqual([
      "<p>Ich suche <strong>Erfahrungen</strong>.</p>",
      "<p>Zweite Fassung</p>",
      "<p>Dritte Fassung</p>",
    ]);
    expect(history?.versions[0].title).toBe("Wie klärt ihr den Lernbedarf?");
    expect(history?.thread.title).toBe("Neuer Titel für die Frage");
  });

  it("keeps a deleted reply with answers as a placeholder and drops one without", async () => {
    const a = await person();
    const b = await person();
    const { id } = await thread(a);
    const parent = await reply(b, id, null, "Wird gelöscht");
    await reply(a, id, parent.id, "Bleibt stehen");
    const lonely = await reply(b, id, null, "Verschwindet ganz");
    await expect(deletePost(a, parent.id)).rejects.toBeInstanceOf(ForbiddenError);
    await deletePost(b, parent.id);
    await deletePost(b, lonely.id);
    const view = await getThreadView(a, id);
    if (!view) throw new Error("no view");
    const placeholder = view.replies.find((r) => r.id === parent.id);
    expect(placeholder).toMatchObject({ removed: "deleted", html: null });
    expect(JSON.stringify(view)).not.toContain("Wird gelöscht");
    expect(view.replies.find((r) => r.id === lonely.id)).toBeUndefined();
    expect(view.thread.replyCount).toBe(1);
    await expect(deletePost(a, view.opening.id)).rejects.toBeInstanceOf(InputError);
  });

  it("counts thanks and helpful per person, never on one's own post", async () => {
    const a = await person();
    const b = await person();
    const c = await person();
    const { id } = await thread(a);
    const r = await reply(b, id, null);
    await expect(setReaction(b, r.id, "thanks", true)).rejects.toBeInstanceOf(ForbiddenError);
    await setReaction(a, r.id, "thanks", true);
    await setReaction(a, r.id, "thanks", true);
    await setReaction(c, r.id, "thanks", true);
    await setReaction(c, r.id, "helpful", true);
    await setReaction(c, r.id, "thanks", false);
    const [row] = await db().select().from(posts).where(eq(posts.id, r.id));
    expect([row.thanksCount, row.helpfulCount]).toEqual([1, 1]);
  });

  it("marks an answer (author or moderator only), notifies, and lists open questions without it", async () => {
    const asker = await person();
    const helper = await person();
    const stranger = await person();
    const slug = await room();
    const { id } = await thread(asker, { category: slug });
    const answer = await reply(helper, id, null);
    const open = await listThreads(asker, { sort: "offen", page: 1, categorySlug: slug });
    expect(open.threads.map((t) => t.id)).toEqual([id]);
    await expect(setAcceptedAnswer(stranger, id, answer.id)).rejects.toBeInstanceOf(ForbiddenError);
    await setAcceptedAnswer(asker, id, answer.id);
    expect((await listThreads(asker, { sort: "offen", page: 1, categorySlug: slug })).threads).toHaveLength(0);
    const listed = await listThreads(asker, { sort: "aktiv", page: 1, categorySlug: slug });
    expect(listed.threads[0].answered).toBe(true);
    const note = await db().select().from(notifications).where(eq(notifications.userId, helper.id));
    expect(note.map((x) => x.type)).toContain("accepted");
  });

  it("notifies watchers, the asker ('answer'), the answered author and mentioned members once each, never the writer", async () => {
    const asker = await person();
    const watcher = await person();
    const roomWatcher = await person();
    const mentioned = await person();
    const writer = await person();
    const slug = await room();
    const { id } = await thread(asker, { category: slug });
    await setThreadWatch(watcher, id, true);
    await setCategoryWatch(roomWatcher, slug, true);
    const first = await reply(writer, id, null, `Frag mal @${mentioned.handle} und @${writer.handle}`);
    const kinds = async (a: Actor) =>
      (await db().select().from(notifications).where(eq(notifications.userId, a.id))).map((x) => x.type);
    expect(await kinds(asker)).toEqual(["answer"]);
    expect(await kinds(watcher)).toEqual(["reply"]);
    expect(await kinds(roomWatcher)).toEqual(["reply"]);
    expect(await kinds(mentioned)).toEqual(["mention"]);
    expect(await kinds(writer)).toEqual([]);
    await reply(asker, id, first.id, "Danke dir!");
    expect(await kinds(writer)).toEqual(["reply"]);
    expect(await unreadNotificationCount(asker.id)).toBe(1);
    const list = await listNotifications(asker.id);
    expect(list.items[0]).toMatchObject({
      type: "answer",
      threadTitle: "Wie klärt ihr den Lernbedarf?",
      actorName: writer.name,
    });
    // Opening the thread reads its notifications.
    await markThreadSeen(asker, id);
    expect(await unreadNotificationCount(asker.id)).toBe(0);
  });

  it("never names an anonymous replier in notifications", async () => {
    const asker = await person();
    const shy = await person();
    const { id } = await thread(asker);
    await reply(shy, id, null, "Anonym geantwortet", true);
    const list = await listNotifications(asker.id);
    expect(list.items[0].actorName).toBeNull();
  });

  it("shows unread markers until the member opens the thread", async () => {
    const a = await person();
    const b = await person();
    const slug = await room();
    const { id } = await thread(a, { category: slug });
    const before = await listThreads(b, { sort: "aktiv", page: 1, categorySlug: slug });
    expect(before.threads[0].unread).toBe(true);
    await markThreadSeen(b, id);
    expect((await listThreads(b, { sort: "aktiv", page: 1, categorySlug: slug })).threads[0].unread).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    await reply(a, id, null);
    expect((await listThreads(b, { sort: "aktiv", page: 1, categorySlug: slug })).threads[0].unread).toBe(true);
  });

  it("paginates with a stable order and pins first", async () => {
    const a = await person();
    const moderator = await person("moderator");
    const slug = await room();
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) ids.push((await thread(a, { category: slug })).id);
    await moderateThread(moderator, ids[0], { action: "pin", value: true });
    const page1 = await listThreads(a, { sort: "aktiv", page: 1, categorySlug: slug });
    const page2 = await listThreads(a, { sort: "aktiv", page: 2, categorySlug: slug });
    expect(page1.total).toBe(27);
    expect(page1.pages).toBe(2);
    expect(page1.threads).toHaveLength(25);
    expect(page2.threads).toHaveLength(2);
    expect(page1.threads[0].id).toBe(ids[0]);
    expect(new Set([...page1.threads, ...page2.threads].map((t) => t.id)).size).toBe(27);
  });

  it("lets members flag, moderators hide (hidden from members), lock, move and retitle — all audited", async () => {
    const a = await person();
    const b = await person();
    const moderator = await person("moderator");
    const { id } = await thread(a);
    const bad = await reply(b, id, null, "Unpassend");
    await expect(flagPost(b, bad.id, "eigener Beitrag")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(flagPost(a, bad.id, "x")).rejects.toMatchObject({ field: "reason" });
    await flagPost(a, bad.id, "Enthält einen Namen");
    await expect(listOpenFlags(a)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await listOpenFlags(moderator)).map((f) => f.postId)).toContain(bad.id);
    await expect(setPostHidden(a, bad.id, true)).rejects.toBeInstanceOf(ForbiddenError);
    await setPostHidden(moderator, bad.id, true);
    expect((await listOpenFlags(moderator)).map((f) => f.postId)).not.toContain(bad.id);
    const memberView = await getThreadView(a, id);
    if (!memberView) throw new Error("no view");
    expect(JSON.stringify(memberView)).not.toContain("Unpassend");
    const modView = await getThreadView(moderator, id);
    expect(modView?.replies[0].hidden).toBe(true);

    for (const change of [
      { action: "lock", value: true },
      { action: "pin", value: true },
    ] as const) {
      await expect(moderateThread(a, id, change)).rejects.toBeInstanceOf(ForbiddenError);
      await moderateThread(moderator, id, change);
    }
    await expect(reply(b, id, null)).rejects.toBeInstanceOf(InputError);
    const target = await room();
    await moderateThread(moderator, id, { action: "move", categorySlug: target });
    await moderateThread(moderator, id, { action: "retitle", title: "Ein klarerer Titel" });
    const actions = (await db().select().from(auditLog).where(eq(auditLog.actorId, moderator.id))).map((l) => l.action);
    expect(actions).toEqual(
      expect.arrayContaining(["post.hide", "thread.lock", "thread.pin", "thread.move", "thread.retitle"]),
    );
  });

  it("hides a hidden thread from members (403-worthy) but not from moderators", async () => {
    const a = await person();
    const moderator = await person("moderator");
    const { id } = await thread(a);
    const view = await getThreadView(a, id);
    if (!view) throw new Error("no view");
    await setPostHidden(moderator, view.opening.id, true);
    const other = await person();
    await expect(getThreadView(other, id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getThreadView(moderator, id))?.thread.id).toBe(id);
    expect((await listThreads(other, { sort: "neu", page: 1 })).threads.map((t) => t.id)).not.toContain(id);
  });

  it("keeps drafts per member and place, and refuses unknown places", async () => {
    const a = await person();
    await saveDraft(a, "thread:new", { doc: { type: "doc" }, fields: { title: "Halb fertig" } });
    await saveDraft(a, "thread:new", { doc: { type: "doc" }, fields: { title: "Fast fertig" } });
    expect(await getDrafts(a, ["thread:new"])).toEqual({
      "thread:new": { doc: { type: "doc" }, fields: { title: "Fast fertig" } },
    });
    await expect(saveDraft(a, "irgendwas", {})).rejects.toBeInstanceOf(InputError);
    const b = await person();
    expect(await getDrafts(b, ["thread:new"])).toEqual({});
  });
});
