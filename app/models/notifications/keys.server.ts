import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { siteKeys } from "../../../db/schema/index.ts";
import { database, db, type DatabaseHandle } from "../db.server.ts";

// Per open database: tests and tools open several one after another in one process.
const cache = new WeakMap<DatabaseHandle, Map<string, Buffer>>();

/**
 * A random secret the site keeps in its own database, created on first use. Every server process reads the same
 * row (the first writer wins), so links signed by one process verify in another.
 */
export async function siteKey(name: string): Promise<Buffer> {
  const handle = database();
  let keys = cache.get(handle);
  if (!keys) cache.set(handle, (keys = new Map()));
  const known = keys.get(name);
  if (known) return known;
  await db()
    .insert(siteKeys)
    .values({ name, value: crypto.randomBytes(32).toString("base64") })
    .onConflictDoNothing();
  const [row] = await db().select({ value: siteKeys.value }).from(siteKeys).where(eq(siteKeys.name, name));
  const key = Buffer.from(row.value, "base64");
  keys.set(name, key);
  return key;
}
