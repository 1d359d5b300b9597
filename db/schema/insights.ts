import { date, index, integer, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
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
