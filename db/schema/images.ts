import { bigint, index, integer, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { posts } from "./discussions.ts";
import { materials } from "./library.ts";

/**
 * Pictures in posts and material descriptions (issue 19). The bytes are JPEG renditions in
 * DATA_DIR/uploads/bilder/<id>-<width>.jpg (widths follow from `width`, see app/domain/images.ts); the original is
 * not kept. A picture belongs to at most one post or material once that is saved; until then only its uploader sees it.
 */
export const images = pgTable(
  "images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "cascade" }),
    postId: uuid("post_id").references(() => posts.id, { onDelete: "cascade" }),
    materialId: uuid("material_id").references(() => materials.id, { onDelete: "cascade" }),
    /** Of the largest rendition, after auto-orientation. */
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    /** Bytes of the uploaded file (counted against the daily limit). */
    originalSize: bigint("original_size", { mode: "number" }).notNull(),
    /** Bytes of all renditions on disk. */
    storedSize: bigint("stored_size", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("images_uploaded_by_idx").on(t.uploadedBy, t.createdAt),
    index("images_post_idx").on(t.postId),
    index("images_material_idx").on(t.materialId),
  ],
);
