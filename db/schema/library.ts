import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, date } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { threads } from "./discussions.ts";

export const materialTypes = [
  "one_pager",
  "short_video",
  "podcast",
  "background",
  "guide",
  "checklist",
  "method_card",
  "fact_sheet",
  "template",
  "practice_example",
  "round_outcome",
] as const;
export type MaterialType = (typeof materialTypes)[number];

export const materialStatuses = ["draft", "review", "published", "archived"] as const;
export type MaterialStatus = (typeof materialStatuses)[number];

export const materials = pgTable(
  "materials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type", { enum: materialTypes }).notNull(),
    status: text("status", { enum: materialStatuses }).notNull().default("draft"),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    body: jsonb("body"),
    bodyHtml: text("body_html").notNull().default(""),
    bodyText: text("body_text").notNull().default(""),
    transcript: text("transcript").notNull().default(""),
    ilbStep: text("ilb_step"),
    competenceArea: text("competence_area"),
    audience: text("audience"),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    source: text("source").notNull().default(""),
    licence: text("licence").notNull().default(""),
    /** A link instead of a file, e.g. to a video on the organisation's intranet. */
    externalUrl: text("external_url"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    reviewDueAt: date("review_due_at", { mode: "string" }),
    lastReviewedAt: timestamp("last_reviewed_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    /** Set when a member suggested it: the suggestion is theirs and the moderators' until published. */
    suggestedBy: uuid("suggested_by").references(() => users.id, { onDelete: "set null" }),
    discussionThreadId: uuid("discussion_thread_id").references(() => threads.id, { onDelete: "set null" }),
    /** Aggregate counts only; no per-person reading history exists. */
    viewCount: integer("view_count").notNull().default(0),
    downloadCount: integer("download_count").notNull().default(0),
    importRef: text("import_ref").unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("materials_status_published_idx").on(t.status, t.publishedAt),
    index("materials_review_due_idx").on(t.status, t.reviewDueAt),
  ],
);

export const fileKinds = ["document", "video", "audio", "image", "captions"] as const;
export type FileKind = (typeof fileKinds)[number];

/** Uploaded files, stored under DATA_DIR/uploads with a random name; unattached uploads expire. */
export const materialFiles = pgTable(
  "material_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    materialId: uuid("material_id").references(() => materials.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: fileKinds }).notNull(),
    mime: text("mime").notNull(),
    storageName: text("storage_name").notNull().unique(),
    originalName: text("original_name").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    /** Text inside a PDF, extracted on upload so that search finds what a one-pager says. */
    textContent: text("text_content"),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("material_files_material_idx").on(t.materialId)],
);

/** Themenpakete: moderators assemble and order materials. */
export const collections = pgTable("collections", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  description: text("description").notNull().default(""),
  position: integer("position").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const collectionItems = pgTable(
  "collection_items",
  {
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    materialId: uuid("material_id")
      .notNull()
      .references(() => materials.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.materialId] })],
);

/** Personal, revocable token for the podcast feed (podcast apps cannot log in). Only its hash is stored. */
export const feedTokens = pgTable("feed_tokens", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
