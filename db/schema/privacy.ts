import { bigint, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";

export const dataExportStates = ["queued", "running", "ready", "failed"] as const;
export type DataExportState = (typeof dataExportStates)[number];

/**
 * "Meine Daten herunterladen": one row per requested export. The zip is built in the background into
 * DATA_DIR/exports under a random name; the row carries its progress so the page can show it, and the file is
 * deleted when the export expires (or with the account).
 */
export const dataExports = pgTable(
  "data_exports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    state: text("state", { enum: dataExportStates }).notNull().default("queued"),
    /** 0–100, written after each part of the export. */
    progress: integer("progress").notNull().default(0),
    storageName: text("storage_name"),
    size: bigint("size", { mode: "number" }),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Touched with every progress step: a "running" export that stops moving was interrupted (restart). */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [index("data_exports_user_idx").on(t.userId, t.createdAt), index("data_exports_expires_idx").on(t.expiresAt)],
);
