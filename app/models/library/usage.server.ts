import crypto from "node:crypto";
import { lt, sql } from "drizzle-orm";
import { downloadMarks, materialUsage } from "../../../db/schema/index.ts";
import { berlinDay } from "../../domain/time.ts";
import type { Database } from "../db.server.ts";
import { siteKey } from "../notifications/keys.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * One more view or download of a material on the given day (German time), in the daily aggregate counter behind
 * "materials most used". Nothing about who: the counter has no person column.
 */
export async function countUsage(
  tx: Tx | Database,
  materialId: string,
  kind: "views" | "downloads",
  now = new Date(),
): Promise<void> {
  const day = berlinDay(now);
  await tx
    .insert(materialUsage)
    .values({ materialId, day, views: kind === "views" ? 1 : 0, downloads: kind === "downloads" ? 1 : 0 })
    .onConflictDoUpdate({
      target: [materialUsage.materialId, materialUsage.day],
      set:
        kind === "views"
          ? { views: sql`${materialUsage.views} + 1` }
          : { downloads: sql`${materialUsage.downloads} + 1` },
    });
}

/**
 * The day's mark of one member's (or podcast feed token's) download of a material: a keyed hash (the key stays in the
 * database), never the member's id. Made before the transaction that claims it (the key may need a query of its own).
 */
export async function downloadMark(
  materialId: string,
  who: string,
  now = new Date(),
): Promise<{ day: string; mark: string }> {
  const day = berlinDay(now);
  const mark = crypto
    .createHmac("sha256", await siteKey("download-marks"))
    .update(`${day}\n${who}\n${materialId}`)
    .digest("base64url");
  return { day, mark };
}

/**
 * Whether this is the first download with this mark today; records it if so. A media player asks for a file several
 * times (and again after a reload), a member downloads a document twice: one download per member and day. Marks of
 * earlier days are deleted here, so the table never holds more than today and no download history builds up.
 */
export async function claimDownloadMark(tx: Tx, mark: { day: string; mark: string }): Promise<boolean> {
  await tx.delete(downloadMarks).where(lt(downloadMarks.day, mark.day));
  const inserted = await tx
    .insert(downloadMarks)
    .values(mark)
    .onConflictDoNothing()
    .returning({ mark: downloadMarks.mark });
  return inserted.length > 0;
}
