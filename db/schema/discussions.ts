import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  bigserial,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { categories } from "./community.ts";
import { caseConsultations } from "./cases.ts";
import { dialogueRounds } from "./rounds.ts";
import { bookmarks } from "./bookmarks.ts";

export const threadTypes = ["question", "best_practice", "success_story", "impulse", "announcement"] as const;
export type ThreadType = (typeof threadTypes)[number];

export const threads = pgTable(
  "threads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => categories.id),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    type: text("type", { enum: threadTypes }).notNull(),
    title: text("title").notNull(),
    anonymous: boolean("anonymous").notNull().default(false),
    /** Taxonomy (DOMAIN.md): one value each, or none. */
    ilbStep: text("ilb_step"),
    competenceArea: text("competence_area"),
    audience: text("audience"),
    legalDomain: text("legal_domain"),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The opening post (the thread's body). Set right after it is inserted, in the same transaction. */
    openingPostId: uuid("opening_post_id"),
    acceptedPostId: uuid("accepted_post_id"),
    replyCount: integer("reply_count").notNull().default(0),
    /** Bumped by triggers on posts (migration 0028) whenever a cached column changes; readers cache the posts per version. */
    version: integer("version").notNull().default(0),
    pinned: boolean("pinned").notNull().default(false),
    locked: boolean("locked").notNull().default(false),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    importRef: text("import_ref").unique(),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("threads_activity_idx").on(t.lastActivityAt),
    index("threads_created_idx").on(t.createdAt),
    index("threads_category_activity_idx").on(t.categoryId, t.lastActivityAt),
  ],
);

/** Every post of a thread, the opening post included (parentId null); replies point at the post they answer. */
export const posts = pgTable(
  "posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    parentId: uuid("parent_id").references((): AnyPgColumn => posts.id),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    anonymous: boolean("anonymous").notNull().default(false),
    depth: integer("depth").notNull().default(0),
    body: jsonb("body").notNull(),
    /** Rendered once, at write time, from the validated body. */
    bodyHtml: text("body_html").notNull(),
    bodyText: text("body_text").notNull(),
    thanksCount: integer("thanks_count").notNull().default(0),
    helpfulCount: integer("helpful_count").notNull().default(0),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    importRef: text("import_ref").unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // posts_created_idx: the moderators' weekly activity reads the last twelve weeks of posts (insights).
  // posts_unread_idx: "n neu" counts the visible replies of a thread after a mark that are not the member's own
  // (ADR 030); only replies everyone sees are in it, and the author is in the key, so the count reads the index alone.
  (t) => [
    index("posts_thread_idx").on(t.threadId, t.createdAt),
    index("posts_author_idx").on(t.authorId),
    index("posts_created_idx").on(t.createdAt),
    index("posts_unread_idx")
      .on(t.threadId, t.createdAt, t.authorId)
      .where(sql`${t.parentId} is not null and ${t.deletedAt} is null and ${t.hiddenAt} is null`),
  ],
);

export const postRevisions = pgTable(
  "post_revisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    postId: uuid("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    /** The thread title at that time, for opening posts. */
    title: text("title"),
    body: jsonb("body").notNull(),
    bodyHtml: text("body_html").notNull(),
    editorId: uuid("editor_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("post_revisions_post_idx").on(t.postId)],
);

export const reactionKinds = ["thanks", "helpful"] as const;

export const reactions = pgTable(
  "reactions",
  {
    postId: uuid("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: reactionKinds }).notNull(),
    /** The post's thread, kept here so a thread page finds its reader's own reactions with one index range scan. */
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.userId, t.kind] }),
    index("reactions_user_thread_idx").on(t.userId, t.threadId),
  ],
);

export const threadWatches = pgTable(
  "thread_watches",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] }), index("thread_watches_thread_idx").on(t.threadId)],
);

export const categoryWatches = pgTable(
  "category_watches",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => categories.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.categoryId] }), index("category_watches_category_idx").on(t.categoryId)],
);

/** When a member last opened a thread: threads with later activity show as unread in lists. */
export const threadReads = pgTable(
  "thread_reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    readAt: timestamp("read_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] })],
);

/** Server-side drafts, one per member and place ("thread:new", "reply:<threadId>:<parentId>", "edit:<postId>"). */
export const drafts = pgTable(
  "drafts",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    content: jsonb("content").notNull(),
    /** The editor that wrote it (one id per opened editor) and its edit counter: an older save never wins. */
    editorSession: text("editor_session").notNull().default(""),
    seq: integer("seq").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

/**
 * The last text sent from an editor at a place: autosaves of that editor up to this edit arrive too late (the text
 * is already posted) and are refused, so a sent reply never comes back as a draft.
 */
export const draftSends = pgTable(
  "draft_sends",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    editorSession: text("editor_session").notNull(),
    seq: integer("seq").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

/** Meldungen: a member reports a post; moderators resolve it. */
export const flags = pgTable(
  "flags",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postId: uuid("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    reporterId: uuid("reporter_id").references(() => users.id, { onDelete: "set null" }),
    reason: text("reason").notNull(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedBy: uuid("resolved_by").references(() => users.id, { onDelete: "set null" }),
    resolution: text("resolution"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("flags_open_idx").on(t.resolvedAt, t.createdAt)],
);

export const notificationTypes = [
  "reply",
  "mention",
  "answer",
  "accepted",
  "round_reminder",
  "round_promoted",
  "round_outcome",
  "round_changed",
  "round_cancelled",
  "bookmark_reminder",
] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** Stored notifications. The text is built when shown, from ids, so an anonymous author is never written down. */
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    threadId: uuid("thread_id").references(() => threads.id, { onDelete: "cascade" }),
    postId: uuid("post_id").references(() => posts.id, { onDelete: "cascade" }),
    /** A case consultation's notification: its text names no case content (built from the type when shown). */
    caseId: uuid("case_id").references(() => caseConsultations.id, { onDelete: "cascade" }),
    /** For notifications about a dialogue round (reminder, moved up from the waiting list, result published). */
    roundId: uuid("round_id").references((): AnyPgColumn => dialogueRounds.id, { onDelete: "cascade" }),
    /** A reminder the member set in their Merkliste: shown from the bookmark, so it names none of the content. */
    bookmarkId: uuid("bookmark_id").references((): AnyPgColumn => bookmarks.id, { onDelete: "cascade" }),
    /** Who caused it; null when the post was anonymous. */
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt)],
);
