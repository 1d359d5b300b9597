import { date, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { materials } from "./library.ts";

/**
 * How much each material is used, per day: views of its page and downloads of its files. Aggregate counters only,
 * never who viewed or downloaded, so "materials most used" can look at a recent window without a reading history.
 */
export const materialUsage = pgTable(
  "material_usage",
  {
    materialId: uuid("material_id")
      .notNull()
      .references(() => materials.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    views: integer("views").notNull().default(0),
    downloads: integer("downloads").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.materialId, t.day] }), index("material_usage_day_idx").on(t.day)],
);

/**
 * Which downloads were counted today, so a member's repeated downloads (or a player's repeated requests) of one
 * material count once per day. Each mark is a keyed hash of day, member and material, never the member's id; marks
 * of earlier days are deleted by the next count, so no download history builds up.
 */
export const downloadMarks = pgTable(
  "download_marks",
  {
    day: date("day", { mode: "string" }).notNull(),
    mark: text("mark").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.mark] })],
);
