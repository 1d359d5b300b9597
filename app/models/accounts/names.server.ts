import { eq, inArray } from "drizzle-orm";
import { profilePictures, users } from "../../../db/schema/index.ts";
import { db } from "../db.server.ts";

/**
 * Display names and handles of authors, for pages that show many posts. Kept for a minute: a renamed member shows
 * under the new name at once in this process (updateProfile forgets the entry) and within a minute in any other
 * server process. Names are not permissions: anonymity is decided per post, never here. `picture` is the stamp of the
 * member's profile picture (null: initials), so every list that shows a name can show the face beside it.
 */
export interface MemberName {
  id: string;
  name: string;
  handle: string;
  picture: string | null;
}

const TTL_MS = 60_000;
const cache = new Map<string, MemberName & { at: number }>();

export async function memberNames(ids: string[]): Promise<Map<string, MemberName>> {
  const now = Date.now();
  const result = new Map<string, MemberName>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const hit = cache.get(id);
    if (hit && now - hit.at < TTL_MS) result.set(id, { id, name: hit.name, handle: hit.handle, picture: hit.picture });
    else missing.push(id);
  }
  if (missing.length > 0) {
    const rows = await db()
      .select({ id: users.id, name: users.displayName, handle: users.handle, picture: profilePictures.stamp })
      .from(users)
      .leftJoin(profilePictures, eq(profilePictures.userId, users.id))
      .where(inArray(users.id, missing));
    for (const u of rows) {
      cache.set(u.id, { ...u, at: now });
      result.set(u.id, u);
    }
    if (cache.size > 20_000) cache.clear();
  }
  return result;
}

export function forgetMemberName(id: string): void {
  cache.delete(id);
}
