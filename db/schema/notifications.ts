import { pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";

/** How a member hears about one group of notifications (see app/domain/notifications/groups.ts). */
export const deliveries = ["off", "in_app", "immediate", "daily", "weekly"] as const;
export type Delivery = (typeof deliveries)[number];

/** A member's choice per notification group; a group without a row uses its default. */
export const notificationSettings = pgTable(
  "notification_settings",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    group: text("group").notNull(),
    delivery: text("delivery", { enum: deliveries }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.group] })],
);

export const digestPeriods = ["daily", "weekly"] as const;
export type DigestPeriod = (typeof digestPeriods)[number];

/**
 * The last digest run per member and period: `slot` is the scheduled time it ran for (claimed before the mail is
 * queued, so two runs or two processes send once), `coveredUntil` where the next digest's window starts, so no item
 * appears in two digests. Written also when there was nothing to send.
 */
export const digestRuns = pgTable(
  "digest_runs",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    period: text("period", { enum: digestPeriods }).notNull(),
    slot: timestamp("slot", { withTimezone: true }).notNull(),
    coveredUntil: timestamp("covered_until", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.period] })],
);

/**
 * Keys the site creates for itself on first use (e.g. for signing unsubscribe links), so every server process
 * shares them without a configuration value that might be missing.
 */
export const siteKeys = pgTable("site_keys", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
