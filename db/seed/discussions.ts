import { eq, inArray } from "drizzle-orm";
import type { DatabaseHandle } from "../client.ts";
import {
  categories,
  pollOptions,
  polls,
  pollVotes,
  posts,
  reactions,
  threads,
  threadWatches,
  users,
} from "../schema/index.ts";
import { demoThreads, type SeedReply } from "./discussions-content.ts";

export interface RenderedMarkdown {
  doc: unknown;
  html: string;
  text: string;
}

const HOUR = 60 * 60 * 1000;

/** Inserts the demo threads that are not there yet (matched by their ref). */
export async function seedDiscussions(
  handle: DatabaseHandle,
  render: (markdown: string) => RenderedMarkdown,
): Promise<number> {
  const db = handle.db;
  const people = new Map(
    (await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]),
  );
  const rooms = new Map(
    (await db.select({ id: categories.id, slug: categories.slug }).from(categories)).map((c) => [c.slug, c.id]),
  );
  const existing = new Set(
    (
      await db
        .select({ ref: threads.importRef })
        .from(threads)
        .where(
          inArray(
            threads.importRef,
            demoThreads.map((t) => t.ref),
          ),
        )
    ).map((r) => r.ref),
  );
  let added = 0;
  for (const seed of demoThreads) {
    const authorId = people.get(seed.author);
    const categoryId = rooms.get(seed.category);
    if (existing.has(seed.ref) || !authorId || !categoryId) continue;
    const started = new Date(Date.now() - seed.daysAgo * 24 * HOUR);
    let clock = started.getTime();
    let replyCount = 0;
    await db.transaction(async (tx) => {
      const body = render(seed.body);
      const [thread] = await tx
        .insert(threads)
        .values({
          categoryId,
          authorId,
          type: seed.type,
          title: seed.title,
          anonymous: seed.anonymous ?? false,
          ilbStep: seed.ilbStep ?? null,
          competenceArea: seed.competenceArea ?? null,
          audience: seed.audience ?? null,
          legalDomain: seed.legalDomain ?? null,
          tags: seed.tags,
          pinned: seed.pinned ?? false,
          importRef: seed.ref,
          createdAt: started,
          lastActivityAt: started,
        })
        .returning({ id: threads.id });
      const [opening] = await tx
        .insert(posts)
        .values({
          threadId: thread.id,
          authorId,
          anonymous: seed.anonymous ?? false,
          body: body.doc,
          bodyHtml: body.html,
          bodyText: body.text,
          createdAt: started,
        })
        .returning({ id: posts.id });
      await tx.insert(threadWatches).values({ userId: authorId, threadId: thread.id }).onConflictDoNothing();
      if (seed.poll) {
        // Asked with the thread; the demo members' votes are real votes, so the page counts them as it counts any.
        const [poll] = await tx
          .insert(polls)
          .values({
            threadId: thread.id,
            question: seed.poll.question,
            multiple: seed.poll.multiple ?? false,
            closesAt: new Date(started.getTime() + seed.poll.closesAfterDays * 24 * HOUR),
            createdBy: authorId,
            createdAt: started,
          })
          .returning({ id: polls.id });
        const options = await tx
          .insert(pollOptions)
          .values(seed.poll.options.map((label, position) => ({ pollId: poll.id, position, label })))
          .returning({ id: pollOptions.id, position: pollOptions.position });
        const optionAt = new Map(options.map((o) => [o.position, o.id]));
        const votes = Object.entries(seed.poll.votes).flatMap(([email, chosen]) => {
          const userId = people.get(email);
          return userId
            ? chosen.map((position) => ({
                pollId: poll.id,
                optionId: optionAt.get(position)!,
                userId,
                createdAt: started,
              }))
            : [];
        });
        if (votes.length) await tx.insert(pollVotes).values(votes);
      }
      const ids = new Map<string, string>();
      const insertReplies = async (list: SeedReply[], parentId: string, depth: number) => {
        for (const reply of list) {
          clock += 3 * HOUR;
          const replyBody = render(reply.body);
          const [row] = await tx
            .insert(posts)
            .values({
              threadId: thread.id,
              parentId,
              authorId: people.get(reply.author) ?? null,
              anonymous: reply.anonymous ?? false,
              depth,
              body: replyBody.doc,
              bodyHtml: replyBody.html,
              bodyText: replyBody.text,
              thanksCount: reply.thanks?.length ?? 0,
              helpfulCount: reply.helpful?.length ?? 0,
              importRef: reply.ref,
              createdAt: new Date(Math.min(clock, Date.now())),
            })
            .returning({ id: posts.id });
          ids.set(reply.ref, row.id);
          replyCount++;
          const given = [
            ...(reply.thanks ?? []).map((email) => ({ email, kind: "thanks" as const })),
            ...(reply.helpful ?? []).map((email) => ({ email, kind: "helpful" as const })),
          ];
          for (const g of given) {
            const userId = people.get(g.email);
            if (userId)
              await tx
                .insert(reactions)
                .values({ postId: row.id, userId, kind: g.kind, threadId: thread.id })
                .onConflictDoNothing();
          }
          await insertReplies(reply.replies ?? [], row.id, depth + 1);
        }
      };
      await insertReplies(seed.replies, opening.id, 1);
      await tx
        .update(threads)
        .set({
          openingPostId: opening.id,
          replyCount,
          lastActivityAt: new Date(Math.min(clock, Date.now())),
          acceptedPostId: seed.accepted ? (ids.get(seed.accepted) ?? null) : null,
        })
        .where(eq(threads.id, thread.id));
    });
    added++;
  }
  return added;
}
