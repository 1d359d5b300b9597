import { pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { categories } from "./community.ts";

/**
 * "Alles als gelesen markieren" in a Themenraum: everything in the room written up to read_at counts as read for
 * this member (thread_reads keeps the per-thread state; the later of the two wins). Private to the member.
 */
export const categoryReads = pgTable(
  "category_reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => categories.id, { onDelete: "cascade" }),
    readAt: timestamp("read_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.categoryId] })],
);
