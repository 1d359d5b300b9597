import { integer, pgTable, timestamp } from "drizzle-orm/pg-core";

/**
 * One row, written by the server's first start on a database. An embedded database without it is new and gets the
 * demo content (when SEED_DEMO allows); a restart, even after a first start without demo content, is not new.
 */
export const installation = pgTable("installation", {
  id: integer("id").primaryKey().default(1),
  firstStartedAt: timestamp("first_started_at", { withTimezone: true }).notNull().defaultNow(),
});
