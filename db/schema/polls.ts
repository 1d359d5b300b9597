import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { threads } from "./discussions.ts";

/** A poll (Umfrage) in a thread: at most one per thread. Results are totals only (ADR 026). */
export const polls = pgTable("polls", {
  id: uuid("id").primaryKey().defaultRandom(),
  threadId: uuid("thread_id")
    .notNull()
    .unique()
    .references(() => threads.id, { onDelete: "cascade" }),
  question: text("question").notNull(),
  /** Several answers per member (checkboxes) instead of one (radio buttons). */
  multiple: boolean("multiple").notNull().default(false),
  /** No votes from this moment on; null: open as long as the thread is. */
  closesAt: timestamp("closes_at", { withTimezone: true }),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const pollOptions = pgTable(
  "poll_options",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pollId: uuid("poll_id")
      .notNull()
      .references(() => polls.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    label: text("label").notNull(),
  },
  // (poll_id, id) is unique so that a vote can name both and the database itself refuses an option of another poll.
  (t) => [
    unique("poll_options_poll_position_key").on(t.pollId, t.position),
    unique("poll_options_poll_id_key").on(t.pollId, t.id),
  ],
);

/**
 * One row per member and chosen option. Never shown or exported to anyone but the voter; pages read counts only.
 * The primary key makes a second identical vote (a double click, two tabs) a no-op instead of a second count.
 */
export const pollVotes = pgTable(
  "poll_votes",
  {
    pollId: uuid("poll_id").notNull(),
    optionId: uuid("option_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.pollId, t.userId, t.optionId] }),
    foreignKey({
      name: "poll_votes_option_fk",
      columns: [t.pollId, t.optionId],
      foreignColumns: [pollOptions.pollId, pollOptions.id],
    }).onDelete("cascade"),
    index("poll_votes_user_idx").on(t.userId),
  ],
);

/**
 * Totals a poll brought along through the content exchange (ADR 032): counted elsewhere, so they name nobody and have
 * no rows in poll_votes. Votes cast here add to them. `votes` holds one count per option, in the options' order
 * (position 0 first); a poll asked here has no row.
 */
export const pollCarriedTotals = pgTable("poll_carried_totals", {
  pollId: uuid("poll_id")
    .primaryKey()
    .references(() => polls.id, { onDelete: "cascade" }),
  voters: integer("voters").notNull(),
  votes: integer("votes").array().notNull(),
});
