import { bigserial, boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";

/**
 * Kollegiale Fallberatung. Everything here is readable by the consultation's participants only (permissions.ts);
 * the content columns are emptied by the retention purge some days after the consultation closed.
 */
export const casePhases = [
  "casting",
  "spontanbericht",
  "schluesselfrage",
  "methodenwahl",
  "beratung",
  "abschluss",
] as const;
export const caseModes = ["live", "async"] as const;
export const caseRoles = ["case_giver", "moderation", "consultant", "notes", "timekeeper"] as const;
export const caseMethods = ["hypothesen", "loesungsideen", "reflecting_team", "kopfstand", "gute_ratschlaege"] as const;

export const caseConsultations = pgTable(
  "case_consultations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseGiverId: uuid("case_giver_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** A short, general topic: the only text that members outside the group see (in the list of open seats). */
    topic: text("topic").notNull(),
    situation: text("situation").notNull(),
    tried: text("tried").notNull(),
    keyQuestion: text("key_question").notNull(),
    mode: text("mode", { enum: caseModes }).notNull(),
    /** Live: when the group meets. */
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    /** Asynchronous: over how many days the phases run. */
    asyncDays: integer("async_days"),
    groupSize: integer("group_size").notNull(),
    /** Volunteers may take the free seats (listed at /fallberatung with topic and time only). */
    seatsOpen: boolean("seats_open").notNull().default(false),
    phase: text("phase", { enum: casePhases }).notNull().default("casting"),
    phaseStartedAt: timestamp("phase_started_at", { withTimezone: true }).notNull().defaultNow(),
    /** The server's timer: every client shows the time left until this moment. Null while the group forms. */
    phaseEndsAt: timestamp("phase_ends_at", { withTimezone: true }),
    /** Asynchronous: the reminder before the current phase closes went out. */
    reminderSentAt: timestamp("reminder_sent_at", { withTimezone: true }),
    method: text("method", { enum: caseMethods }),
    /** The case giver's private takeaway: the one thing the retention purge keeps. */
    takeaway: text("takeaway").notNull().default(""),
    learningTitle: text("learning_title").notNull().default(""),
    learningText: text("learning_text").notNull().default(""),
    learningPublishedAt: timestamp("learning_published_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    purgedAt: timestamp("purged_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("case_consultations_seats_idx").on(t.seatsOpen, t.phase),
    index("case_consultations_deadline_idx").on(t.phaseEndsAt),
    index("case_consultations_closed_idx").on(t.closedAt),
  ],
);

export const caseParticipants = pgTable(
  "case_participants",
  {
    caseId: uuid("case_id")
      .notNull()
      .references(() => caseConsultations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: caseRoles }).notNull().default("consultant"),
    /** Nobody sees the case before accepting the confidentiality agreement. */
    agreedAt: timestamp("agreed_at", { withTimezone: true }),
    /** The participant agrees to be named under a published learning. */
    nameConsent: boolean("name_consent").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.userId] }), index("case_participants_user_idx").on(t.userId)],
);

/** What is said in the phases: the report, clarifying questions and answers, the consultants' contributions. */
export const caseContributions = pgTable(
  "case_contributions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => caseConsultations.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    phase: text("phase", { enum: casePhases }).notNull(),
    /** report · question · answer · key_question · contribution · notes · closing */
    kind: text("kind").notNull(),
    /** The method's prompt a consultation contribution answers (e.g. "Hypothese"). */
    prompt: text("prompt"),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("case_contributions_case_idx").on(t.caseId, t.id)],
);
