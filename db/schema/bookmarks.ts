import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { posts, threads } from "./discussions.ts";
import { materials } from "./library.ts";

export const bookmarkKinds = ["post", "thread", "material"] as const;

/**
 * Merkliste: what a member keeps for later (a post, a thread or a material), with an optional note and reminder.
 * Private to the member: nothing else reads these rows for anyone but their owner (no counts per person either).
 * `targetId` is the bookmarked thing's id (one row per member and thing); the foreign keys beside it let a hard
 * delete take the bookmark along, and `threadId` (set for posts and threads) lets the thread page find the member's
 * bookmarks of one thread with one index range scan.
 */
export const bookmarks = pgTable(
  "bookmarks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: bookmarkKinds }).notNull(),
    targetId: uuid("target_id").notNull(),
    threadId: uuid("thread_id").references(() => threads.id, { onDelete: "cascade" }),
    postId: uuid("post_id").references(() => posts.id, { onDelete: "cascade" }),
    materialId: uuid("material_id").references(() => materials.id, { onDelete: "cascade" }),
    note: text("note").notNull().default(""),
    /** When the reminder is due (08:00 Berlin time on the chosen day); null: no reminder. */
    remindAt: timestamp("remind_at", { withTimezone: true }),
    /** Set when the reminder job claimed it (so two processes remind once); cleared when the date changes. */
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("bookmarks_user_target_idx").on(t.userId, t.kind, t.targetId),
    index("bookmarks_user_created_idx").on(t.userId, t.createdAt),
    index("bookmarks_user_thread_idx").on(t.userId, t.threadId),
    index("bookmarks_due_idx")
      .on(t.remindAt)
      .where(sql`${t.remindedAt} is null and ${t.remindAt} is not null`),
    check(
      "bookmarks_target_check",
      sql`(${t.kind} = 'post' and ${t.postId} = ${t.targetId} and ${t.threadId} is not null and ${t.materialId} is null)
       or (${t.kind} = 'thread' and ${t.threadId} = ${t.targetId} and ${t.postId} is null and ${t.materialId} is null)
       or (${t.kind} = 'material' and ${t.materialId} = ${t.targetId} and ${t.threadId} is null and ${t.postId} is null)`,
    ),
  ],
);
