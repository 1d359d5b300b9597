import {
  bigserial,
  boolean,
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
import { materials } from "./library.ts";

/** scheduled → live (a host opened the room) → closed → published (the result is in the library); a scheduled round can be cancelled. */
export const roundStatuses = ["scheduled", "live", "closed", "published", "cancelled"] as const;
export type RoundStatus = (typeof roundStatuses)[number];

export const dialogueRounds = pgTable(
  "dialogue_rounds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    capacity: integer("capacity").notNull(),
    registrationDeadline: timestamp("registration_deadline", { withTimezone: true }).notNull(),
    /** Audio and video stay in the organisation's own conferencing tool. */
    conferenceUrl: text("conference_url"),
    /** An orientation round for new members; the welcome checklist points to the next one. */
    orientation: boolean("orientation").notNull().default(false),
    status: text("status", { enum: roundStatuses }).notNull().default("scheduled"),
    /** The last sequence number handed out in the live room (chat, notes, floor changes): clients replay "since N". */
    seq: integer("seq").notNull().default(0),
    agendaIndex: integer("agenda_index").notNull().default(0),
    speakerId: uuid("speaker_id").references(() => users.id, { onDelete: "set null" }),
    pinnedSeq: integer("pinned_seq"),
    /** The shared notes (Protokoll), current version; every change is also a room event. */
    notes: text("notes").notNull().default(""),
    outcomeMaterialId: uuid("outcome_material_id").references(() => materials.id, { onDelete: "set null" }),
    outcomeThreadId: uuid("outcome_thread_id").references(() => threads.id, { onDelete: "set null" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    /** The calendar SEQUENCE: raised on every change of time, place or status members were told about. */
    sequence: integer("sequence").notNull().default(0),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    /** Last change of what members were told (time, text, place, status); the calendar's LAST-MODIFIED. */
    updatedAt: timestamp("updated_at", { withTimezone: true }),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("dialogue_rounds_starts_idx").on(t.startsAt)],
);

export const roundHosts = pgTable(
  "round_hosts",
  {
    roundId: uuid("round_id")
      .notNull()
      .references(() => dialogueRounds.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId] })],
);

export const roundAgendaItems = pgTable(
  "round_agenda_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => dialogueRounds.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
  },
  (t) => [index("round_agenda_round_idx").on(t.roundId, t.position)],
);

export const registrationStatuses = ["registered", "waiting", "cancelled"] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

/** One row per member and round; the waiting list is ordered by `queuedAt`. */
export const roundRegistrations = pgTable(
  "round_registrations",
  {
    roundId: uuid("round_id")
      .notNull()
      .references(() => dialogueRounds.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: registrationStatuses }).notNull(),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId] }), index("round_registrations_user_idx").on(t.userId)],
);

/** Members who follow a round without taking part; they hear about its result. */
export const roundWatches = pgTable(
  "round_watches",
  {
    roundId: uuid("round_id")
      .notNull()
      .references(() => dialogueRounds.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId] })],
);

/** Questions in advance, upvoted by other registrants; hosts take them into the live round. */
export const roundQuestions = pgTable(
  "round_questions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => dialogueRounds.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    votes: integer("votes").notNull().default(0),
    takenAt: timestamp("taken_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("round_questions_round_idx").on(t.roundId)],
);

export const roundQuestionVotes = pgTable(
  "round_question_votes",
  {
    questionId: uuid("question_id")
      .notNull()
      .references(() => roundQuestions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] })],
);

/** Per-room state of one person in the live room, set by hosts. */
export const roundParticipants = pgTable(
  "round_participants",
  {
    roundId: uuid("round_id")
      .notNull()
      .references(() => dialogueRounds.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Wortmeldung: set while the hand is raised; the queue is ordered by it. */
    handRaisedAt: timestamp("hand_raised_at", { withTimezone: true }),
    muted: boolean("muted").notNull().default(false),
    removed: boolean("removed").notNull().default(false),
    scribe: boolean("scribe").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId] })],
);

export const roundEventKinds = ["chat", "notes", "floor", "agenda", "pin", "question", "status"] as const;
export type RoundEventKind = (typeof roundEventKinds)[number];

/**
 * Everything said or changed in the live room, numbered per room. Stored before it is acknowledged; a client that
 * reconnects asks for the events after the last number it saw. `clientId` makes a resent message a no-op.
 */
export const roundEvents = pgTable(
  "round_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => dialogueRounds.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    kind: text("kind", { enum: roundEventKinds }).notNull(),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull().default(""),
    /** A number that goes with the event: agenda index, pinned seq, the speaker's turn. */
    ref: text("ref"),
    clientId: text("client_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("round_events_seq_uq").on(t.roundId, t.seq),
    unique("round_events_client_uq").on(t.roundId, t.authorId, t.clientId),
  ],
);

export const reminderKinds = ["24h", "15min"] as const;

/** Which reminders went out, so a reminder job that runs twice sends nothing twice. */
export const roundReminders = pgTable(
  "round_reminders",
  {
    roundId: uuid("round_id")
      .notNull()
      .references(() => dialogueRounds.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: reminderKinds }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId, t.kind] })],
);

/** Personal, revocable token for the calendar feed of one's rounds (calendar apps cannot log in). Hash only. */
export const calendarTokens = pgTable("calendar_tokens", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
