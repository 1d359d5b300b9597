import { customType, integer, pgTable, real, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";

/** Image bytes; PGlite and postgres.js both hand bytea over as Uint8Array/Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * A member's profile picture (ADR 028). One row per member, gone with the account (foreign key). The bytes live here
 * rather than under DATA_DIR: they are small (a few KB per size), every server process on a shared PostgreSQL sees the
 * same picture, and backup, export and deletion cover them with the row. `source` is the uploaded picture as it was
 * normalised (turned upright, metadata removed, at most 1024 px): only its member sees it, to choose another square.
 * `stamp` changes with every new picture or square and is part of the picture's address, so browsers may keep it.
 */
export const profilePictures = pgTable("profile_pictures", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  stamp: text("stamp").notNull(),
  source: bytea("source").notNull(),
  sourceWidth: integer("source_width").notNull(),
  sourceHeight: integer("source_height").notNull(),
  /** The chosen square: its centre as fractions of the source's width and height, and the zoom (1 = as large as fits). */
  focusX: real("focus_x").notNull(),
  focusY: real("focus_y").notNull(),
  zoom: real("zoom").notNull(),
  small: bytea("small").notNull(),
  medium: bytea("medium").notNull(),
  large: bytea("large").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
