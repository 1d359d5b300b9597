import { sql } from "drizzle-orm";
import {
  bigserial,
  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  unique,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const searchKinds = ["thread", "reply", "material", "round", "member"] as const;
export const searchVisibilities = ["members", "moderators"] as const;

/**
 * Every combination of visibility and facet values that occurs in the index, numbered: counting the matches of a
 * common word groups them by this one small number, and visibility and facets are decided per group instead of per
 * match (ADR 016). Rows are never removed; there are a few thousand at most.
 */
export const searchFacetSets = pgTable(
  "search_facet_sets",
  {
    id: serial("id").primaryKey(),
    visibility: text("visibility", { enum: searchVisibilities }).notNull(),
    kind: text("kind", { enum: searchKinds }).notNull(),
    room: text("room"),
    materialType: text("material_type"),
    ilbStep: text("ilb_step"),
    competenceArea: text("competence_area"),
    audience: text("audience"),
  },
  (t) => [
    unique("search_facet_sets_values_uq")
      .on(t.visibility, t.kind, t.room, t.materialType, t.ilbStep, t.competenceArea, t.audience)
      .nullsNotDistinct(),
  ],
);

/**
 * The PostgreSQL engine's index: one row per searchable thing, already reduced to what may be shown.
 * Content nobody but moderators may read is stored with visibility "moderators"; deleted content is removed.
 * Kept narrow on purpose (the texts for hits live in search_texts, and the migration moves the full tsvector out of
 * line): counting and faceting a common word visits every matching row, so the fewer pages the better. The columns
 * counting reads come first and have a fixed width, so PostgreSQL finds them without walking the text columns.
 */
export const searchDocuments = pgTable(
  "search_documents",
  {
    /** The combination of visibility and facet values below: a search_facet_sets id (no foreign key, as those rows
     * are never removed and each index write would pay for the check). */
    facetSet: integer("facet_set").notNull(),
    date: timestamp("date", { withTimezone: true }).notNull(),
    answered: integer("answered").notNull().default(0),
    boost: real("boost").notNull().default(1),
    key: text("key").primaryKey(), // "<kind>:<id>"
    kind: text("kind", { enum: searchKinds }).notNull(),
    visibility: text("visibility", { enum: searchVisibilities }).notNull(),
    room: text("room"),
    materialType: text("material_type"),
    ilbStep: text("ilb_step"),
    competenceArea: text("competence_area"),
    audience: text("audience"),
    /** Until this day a material counts as freshly reviewed (ranks higher). */
    freshUntil: date("fresh_until", { mode: "string" }),
    /** Title and the start of the lead, kept in the row (storage MAIN): ranking the head matches of a common word
     * reads no out-of-line data. */
    tsvHead: tsvector("tsv_head").notNull(),
    /** Everything, weighted: title A, lead B, body C, extra D (folded text). */
    tsv: tsvector("tsv").notNull(),
  },
  (t) => [
    index("search_documents_tsv_idx").using("gin", t.tsv),
    index("search_documents_head_idx").using("gin", t.tsvHead),
    index("search_documents_date_idx").on(t.date),
  ],
);

/** What a hit shows: its title, link and the original text snippets are cut from. */
export const searchTexts = pgTable("search_texts", {
  key: text("key")
    .primaryKey()
    .references(() => searchDocuments.key, { onDelete: "cascade" }),
  refId: uuid("ref_id").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  url: text("url").notNull(),
});

/** Every folded word of the index, for "Meintest du …?" (trigram similarity) and prefix checks. */
export const searchWords = pgTable(
  "search_words",
  {
    word: text("word").primaryKey(),
    docs: integer("docs").notNull().default(1),
  },
  (t) => [
    index("search_words_trgm_idx").using("gin", sql`${t.word} gin_trgm_ops`),
    index("search_words_prefix_idx").using("btree", sql`${t.word} text_pattern_ops`),
  ],
);

/**
 * Index updates written in the same transaction as the change they describe; the indexer applies them after
 * commit and retries on failure, so an engine outage delays updates but never loses them.
 */
export const searchOutbox = pgTable(
  "search_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: searchKinds }).notNull(),
    refId: uuid("ref_id").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("search_outbox_due_idx").on(t.nextAttemptAt)],
);

/** Groups of equivalent terms (abbreviations and what they stand for), maintained by moderators. */
export const searchSynonyms = pgTable("search_synonyms", {
  id: uuid("id").primaryKey().defaultRandom(),
  terms: text("terms").array().notNull(),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** What the network searches for: counts per day and normalised query, never who searched. */
export const searchQueryStats = pgTable(
  "search_query_stats",
  {
    day: date("day", { mode: "string" }).notNull(),
    query: text("query").notNull(),
    searches: integer("searches").notNull().default(0),
    zeroResults: integer("zero_results").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.query] })],
);
