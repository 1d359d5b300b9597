import { pgTable, real, timestamp, uuid } from "drizzle-orm/pg-core";
import { materialFiles } from "./library.ts";

/**
 * What the podcast feed needs to know about an audio file and cannot read from its row: the playing time, read from
 * the file itself (music-metadata, in a worker) when it is uploaded. A row with no duration means the file was read
 * and has none we could find; no row means it was not read yet (files from before this table).
 */
export const audioFacts = pgTable("audio_facts", {
  fileId: uuid("file_id")
    .primaryKey()
    .references(() => materialFiles.id, { onDelete: "cascade" }),
  durationSeconds: real("duration_seconds"),
  readAt: timestamp("read_at", { withTimezone: true }).notNull().defaultNow(),
});
