/** Downloads counted once per member and day, with the clock in the test's hand; what the day's marks keep. */
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { downloadMarks, materials, materialUsage } from "../../db/schema/index.ts";
import { recordDownload } from "../../app/models/library/files.server.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;

async function material() {
  const [row] = await db()
    .insert(materials)
    .values({ type: "short_video", status: "published", title: "Kurzvideo", publishedAt: new Date() })
    .returning({ id: materials.id });
  return row.id;
}

const count = async (id: string) =>
  (await db().select({ n: materials.downloadCount }).from(materials).where(eq(materials.id, id)))[0].n;
const perDay = async (id: string) =>
  Object.fromEntries(
    (await db().select().from(materialUsage).where(eq(materialUsage.materialId, id))).map((r) => [r.day, r.downloads]),
  );

describe(`download counting on ${engine}`, () => {
  it("counts a member's downloads of a material once per German calendar day; other members and materials count", async () => {
    const [video, pdf] = [await material(), await material()];
    // 23:30 and 23:50 Berlin on 7 December, then 00:10 on the 8th (UTC+1 in winter).
    const late = new Date("2026-12-07T22:30:00Z");
    const later = new Date("2026-12-07T22:50:00Z");
    const nextDay = new Date("2026-12-07T23:10:00Z");

    await recordDownload(video, "user:a", late);
    await recordDownload(video, "user:a", later);
    await recordDownload(video, "user:a", late);
    expect(await count(video)).toBe(1);
    await recordDownload(video, "user:b", later);
    await recordDownload(pdf, "user:a", later);
    await recordDownload(video, "token:feed", later);
    expect(await count(video)).toBe(3);
    expect(await count(pdf)).toBe(1);

    await recordDownload(video, "user:a", nextDay);
    expect(await count(video)).toBe(4);
    expect(await perDay(video)).toEqual({ "2026-12-07": 3, "2026-12-08": 1 });

    // Only the current day's marks are kept, and they name nobody.
    const marks = await db().select().from(downloadMarks);
    expect(marks.map((m) => m.day)).toEqual(["2026-12-08"]);
    expect(marks[0].mark).toMatch(/^[\w-]{43}$/);
    expect(marks[0].mark).not.toContain("user:a");
  });
});
