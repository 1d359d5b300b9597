import { index, integer, pgTable, serial, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";

/** Themenräume. */
export const categories = pgTable(
  "categories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("categories_position_idx").on(t.position)],
);

/**
 * Feedback on the site's accessibility (BITV 2.0 § 7: a feedback mechanism), from members and visitors alike. It is
 * mailed to the moderators when it arrives and listed for them; `senderKey` is a keyed hash of the account or the
 * client address, only for the rate limit.
 */
export const accessibilityFeedback = pgTable(
  "accessibility_feedback",
  {
    id: serial("id").primaryKey(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull().default(""),
    contact: text("contact").notNull().default(""),
    page: text("page").notNull().default(""),
    message: text("message").notNull(),
    senderKey: text("sender_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When a moderator marked it answered (null: still open); and who. */
    handledAt: timestamp("handled_at", { withTimezone: true }),
    handledBy: uuid("handled_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("accessibility_feedback_sender_idx").on(t.senderKey, t.createdAt),
    index("accessibility_feedback_created_idx").on(t.createdAt),
  ],
);
