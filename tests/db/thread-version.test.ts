import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { useTestDatabase } from "../setup/db.ts";
import { categories, posts, threads, users } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread, getThreadView } from "../../app/models/discussions/threads.server.ts";
import { createReply } from "../../app/models/discussions/posts.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";

// The thread page keeps a thread's posts per threads.version (ADR 007). The database bumps the version (migration
// 0028, ADR 044), so these writes go around every model function on purpose: a writer that "forgets" must still
// leave no stale page behind.
const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;

async function member(): Promise<Actor> {
  n++;
  const { id } = await createUser({
    email: `v${n}@example.org`,
    displayName: `Person ${n}`,
    handle: `v-${n}`,
    password: "ein-gutes-passwort",
    role: "member",
  });
  return { id, role: "member" };
}

async function threadWithReply() {
  const author = await member();
  const slug = `raum-v-${++n}`;
  await db()
    .insert(categories)
    .values({ slug, name: `Raum ${slug}`, position: n });
  const { id } = await createThread(author, {
    categorySlug: slug,
    type: "question",
    title: "Wie plant ihr die erste Woche?",
    body: renderMarkdown("Erste Fassung."),
    anonymous: false,
    ilbStep: "lernbedarf",
    competenceArea: null,
    audience: null,
    legalDomain: "sgb2",
    tags: [],
  });
  const { id: replyId } = await createReply(author, {
    threadId: id,
    parentId: null,
    body: renderMarkdown("Eine Antwort."),
    anonymous: false,
  });
  return { author, threadId: id, replyId };
}

const version = async (threadId: string) =>
  (await db().select({ v: threads.version }).from(threads).where(eq(threads.id, threadId)))[0].v;

describe("threads.version is kept by the database", () => {
  it("a raw change to a shown column of a post reaches a reader whose page was cached", async () => {
    const { author, threadId, replyId } = await threadWithReply();
    const before = await getThreadView(author, threadId);
    expect(before!.replies.find((r) => r.id === replyId)!.html).toContain("Eine Antwort.");

    await db().update(posts).set({ bodyHtml: "<p>Geändert ohne Modell.</p>" }).where(eq(posts.id, replyId));
    const after = await getThreadView(author, threadId);
    expect(after!.replies.find((r) => r.id === replyId)!.html).toBe("<p>Geändert ohne Modell.</p>");
  });

  it("every column the cache carries, an insert and a delete bump the version; other columns do not", async () => {
    const { author, threadId, replyId } = await threadWithReply();
    const changes: Record<string, Partial<typeof posts.$inferInsert>> = {
      bodyHtml: { bodyHtml: "<p>x</p>" },
      thanksCount: { thanksCount: 3 },
      helpfulCount: { helpfulCount: 2 },
      editedAt: { editedAt: new Date("2027-03-28T01:30:00Z") },
      hiddenAt: { hiddenAt: new Date("2027-03-28T01:31:00Z") },
      deletedAt: { deletedAt: new Date("2027-03-28T01:32:00Z") },
      anonymous: { anonymous: true },
      authorId: { authorId: null },
      createdAt: { createdAt: new Date("2027-03-28T01:33:00Z") },
    };
    for (const [column, set] of Object.entries(changes)) {
      const v = await version(threadId);
      await db().update(posts).set(set).where(eq(posts.id, replyId));
      expect({ column, bumped: (await version(threadId)) > v }).toEqual({ column, bumped: true });
    }

    // Text kept for search and the import reference are not on the page: no new version, the cache stays.
    const v = await version(threadId);
    await db()
      .update(posts)
      .set({ bodyText: "nur für die Suche", importRef: `ref-${n}` })
      .where(eq(posts.id, replyId));
    // The same value again changes nothing either.
    await db().update(posts).set({ thanksCount: 3 }).where(eq(posts.id, replyId));
    expect(await version(threadId)).toBe(v);

    const { id: second } = await createReply(author, {
      threadId,
      parentId: null,
      body: renderMarkdown("Noch eine."),
      anonymous: false,
    });
    expect(await version(threadId)).toBe(v + 1);
    await db().delete(posts).where(eq(posts.id, second));
    expect(await version(threadId)).toBe(v + 2);
  });

  it("a bulk write bumps each thread it touches once, and no other thread", async () => {
    const a = await threadWithReply();
    const b = await threadWithReply();
    const other = await threadWithReply();
    const [va, vb, vo] = [await version(a.threadId), await version(b.threadId), await version(other.threadId)];
    await db()
      .update(posts)
      .set({ thanksCount: sql`${posts.thanksCount} + 1` })
      .where(sql`${posts.threadId} in (${a.threadId}, ${b.threadId})`);
    expect([await version(a.threadId), await version(b.threadId), await version(other.threadId)]).toEqual([
      va + 1,
      vb + 1,
      vo,
    ]);
  });

  it("an account removed from the database leaves no cached author behind (foreign-key actions fire the trigger)", async () => {
    const { author, threadId, replyId } = await threadWithReply();
    const reader = await member();
    expect((await getThreadView(reader, threadId))!.replies.find((r) => r.id === replyId)!.author).not.toBeNull();
    await db().delete(users).where(eq(users.id, author.id));
    expect((await getThreadView(reader, threadId))!.replies.find((r) => r.id === replyId)!.author).toBeNull();
  });
});
