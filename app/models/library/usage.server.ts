import { sql } from "drizzle-orm";
import { materialUsage } from "../../../db/schema/index.ts";
import type { Database } from "../db.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * One more view or download of a material today (German time), in the daily aggregate counter behind "materials most
 * used". Nothing about who: the counter has no person column.
 */
export async function countUsage(tx: Tx | Database, materialId: string, kind: "views" | "downloads"): Promise<void> {
  const day = sql`(now() at time zone 'Europe/Berlin')::date`;
  await tx
    .insert(materialUsage)
    .values({ materialId, day: day as unknown as string, views: kind === "views" ? 1 : 0, downloads: kind === "downloads" ? 1 : 0 })
    .onConflictDoUpdate({
      target: [materialUsage.materialId, materialUsage.day],
      set: kind === "views" ? { views: sql`${materialUsage.views} + 1` } : { downloads: sql`${materialUsage.downloads} + 1` },
    });
}
