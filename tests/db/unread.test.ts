import { afterEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../setup/db.ts";
import { categories, users } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import {
  createThread,
  getThreadView,
  listThreads,
  markThreadSeen,
} from "../../app/models/discussions/threads.server.ts";
import { createReply, deletePost } from "../../app/models/discussions/posts.server.ts";
import { setPostHidden } from "../../app/models/discussions/moderation.server.ts";
import { markRoomRead, roomUnreadCounts } from "../../app/models/discussions/unread.server.ts";
import { firstInReadingOrder } from "../../app/components/discussions/threadHtml.ts";
import { NotFoundError } from "../../app/models/errors.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;

// Every story runs at fixed instants in 2031 (ADR 018); threads and replies are dated by the process clock.
const at = (iso: string) => vi.setSystemTime(new Date(iso));
afterEach(() => vi.useRealTimers());

async function person(joined: string, role: Actor["role"] = "member"): Promise<Actor> {
  n++;
  const { id } = await createUser({
    email: `u${n}@example.org`,
    displayName: `Person ${n}`,
    handle: `u-${n}`,
    password: "ein-gutes-passwort",
    role,
  });
  // The account's creation is the member's baseline: set it to the story's time.
  await db()
    .update(users)
    .set({ createdAt: new Date(joined) })
    .where(eq(users.id, id));
  return { id, role };
}

async function room() {
  const slug = `raum-${++n}`;
  const [row] = await db()
    .insert(categories)
    .values({ slug, name: `Raum ${slug}`, position: n })
    .returning({ id: categories.id });
  return { slug, id: row.id };
}

const thread = (author: Actor, slug: string) =>
  createThread(author, {
    categorySlug: slug,
    type: "question",
    title: "Wie klärt ihr den Lernbedarf?",
    body: renderMarkdown("Ich suche Erfahrungen."),
    anonymous: false,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    legalDomain: null,
    tags: [],
  });

const reply = (actor: Actor, threadId: string, parentId: string | null = null) =>
  createReply(actor, { threadId, parentId, body: renderMarkdown("Meine Erfahrung dazu."), anonymous: false });

const listed = async (viewer: Actor, slug: string, id: string) =>
  (await listThreads(viewer, { sort: "aktiv", page: 1, categorySlug: slug })).threads.find((t) => t.id === id)!;
const counts = async (viewer: Actor, roomId: string) =>
  (await roomUnreadCounts(viewer, roomId)).get(roomId) ?? { newThreads: 0, newReplies: 0 };

/** What the thread page does: read the view, then record what it showed as read. */
async function open(viewer: Actor, threadId: string) {
  const view = (await getThreadView(viewer, threadId))!;
  await markThreadSeen(viewer, threadId, view.lastActivityAt);
  return view;
}

describe("unread", () => {
  it("counts what was written before the member joined as read (the baseline)", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    const writer = await person("2031-01-01T08:00:00Z");
    const r = await room();
    at("2031-02-01T09:00:00Z");
    const old = await thread(writer, r.slug);
    at("2031-02-01T10:00:00Z");
    await reply(writer, old.id);
    const newcomer = await person("2031-02-02T08:00:00Z");
    expect(await counts(newcomer, r.id)).toEqual({ newThreads: 0, newReplies: 0 });
    expect(await listed(newcomer, r.slug, old.id)).toMatchObject({ isNewThread: false, newReplies: 0, unread: false });

    at("2031-02-03T10:00:00Z");
    await reply(writer, old.id);
    at("2031-02-03T11:00:00Z");
    const fresh = await thread(writer, r.slug);
    at("2031-02-03T12:00:00Z");
    await reply(writer, fresh.id);
    expect(await counts(newcomer, r.id)).toEqual({ newThreads: 1, newReplies: 2 });
    expect(await listed(newcomer, r.slug, old.id)).toMatchObject({
      isNewThread: false,
      newReplies: 1,
      jumpToUnread: true,
    });
    expect(await listed(newcomer, r.slug, fresh.id)).toMatchObject({
      isNewThread: true,
      newReplies: 1,
      jumpToUnread: false,
    });
    // The writer has nothing new: their own posts never count.
    expect(await counts(writer, r.id)).toEqual({ newThreads: 0, newReplies: 0 });
  });

  it("counts replies since the member last opened the thread, and opens at the first of them in reading order", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    const a = await person("2031-03-01T08:00:00Z");
    const b = await person("2031-03-01T08:00:00Z");
    const c = await person("2031-03-01T08:00:00Z");
    const r = await room();
    at("2031-03-02T09:00:00Z");
    const t = await thread(a, r.slug);
    at("2031-03-02T09:10:00Z");
    const first = await reply(a, t.id);
    const seen = await open(b, t.id);
    expect(seen.newThread).toBe(true);
    expect(await listed(b, r.slug, t.id)).toMatchObject({ isNewThread: false, newReplies: 0, unread: false });

    at("2031-03-02T10:00:00Z");
    const x = await reply(c, t.id);
    at("2031-03-02T10:05:00Z");
    const hiddenOne = await reply(c, t.id);
    at("2031-03-02T10:10:00Z");
    const deleted = await reply(c, t.id);
    at("2031-03-02T10:15:00Z");
    await reply(b, t.id); // b's own
    at("2031-03-02T10:20:00Z");
    // Later in time, but earlier in reading order: it answers the first reply.
    const nested = await reply(a, t.id, first.id);
    const moderator = await person("2031-03-01T08:00:00Z", "moderator");
    await setPostHidden(moderator, hiddenOne.id, true);
    await deletePost(c, deleted.id);

    expect(await listed(b, r.slug, t.id)).toMatchObject({
      isNewThread: false,
      newReplies: 2,
      jumpToUnread: true,
      unread: true,
    });
    expect(await counts(b, r.id)).toEqual({ newThreads: 0, newReplies: 2 });
    // Another member's reading changes nothing for b: read state is per member.
    await open(c, t.id);
    expect(await counts(b, r.id)).toEqual({ newThreads: 0, newReplies: 2 });

    const view = await open(b, t.id);
    expect(view.newThread).toBe(false);
    expect([...view.unread].sort()).toEqual([x.id, nested.id].sort());
    expect(firstInReadingOrder(view.replies, view.unread)?.id).toBe(nested.id);
    // Opened: nothing new any more, in the list and in the room.
    expect(await listed(b, r.slug, t.id)).toMatchObject({ newReplies: 0, unread: false });
    expect(await counts(b, r.id)).toEqual({ newThreads: 0, newReplies: 0 });
    expect((await getThreadView(b, t.id))!.unread.size).toBe(0);
  });

  it("marks everything in one room read, and only there", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    const a = await person("2031-04-01T08:00:00Z");
    const b = await person("2031-04-01T08:00:00Z");
    const one = await room();
    const two = await room();
    at("2031-04-02T09:00:00Z");
    const t1 = await thread(a, one.slug);
    const t2 = await thread(a, two.slug);
    at("2031-04-02T09:30:00Z");
    await reply(a, t1.id);
    await reply(a, t2.id);
    expect(await counts(b, one.id)).toEqual({ newThreads: 1, newReplies: 1 });

    await markRoomRead(b, one.slug, new Date("2031-04-02T10:00:00Z"));
    expect(await counts(b, one.id)).toEqual({ newThreads: 0, newReplies: 0 });
    expect(await listed(b, one.slug, t1.id)).toMatchObject({ isNewThread: false, newReplies: 0, unread: false });
    expect(await counts(b, two.id)).toEqual({ newThreads: 1, newReplies: 1 });
    // A mark never moves back.
    await markRoomRead(b, one.slug, new Date("2031-04-02T09:00:00Z"));
    expect(await counts(b, one.id)).toEqual({ newThreads: 0, newReplies: 0 });

    at("2031-04-02T11:00:00Z");
    await reply(a, t1.id);
    expect(await counts(b, one.id)).toEqual({ newThreads: 0, newReplies: 1 });
    expect(await listed(b, one.slug, t1.id)).toMatchObject({ isNewThread: false, newReplies: 1, jumpToUnread: true });
    expect((await getThreadView(b, t1.id))!.unread.size).toBe(1);

    await expect(markRoomRead(b, "gibt-es-nicht")).rejects.toBeInstanceOf(NotFoundError);
  });
});
