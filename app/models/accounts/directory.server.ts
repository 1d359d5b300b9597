import { and, asc, ilike, isNull, or } from "drizzle-orm";
import { users } from "../../../db/schema/index.ts";
import { db } from "../db.server.ts";

/** Members whose name or handle starts with the query (any word of the name), for @mentions. */
export async function suggestMembers(q: string): Promise<{ handle: string; name: string }[]> {
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db()
    .select({ handle: users.handle, name: users.displayName })
    .from(users)
    .where(
      and(
        isNull(users.deactivatedAt),
        q ? or(ilike(users.handle, `${escaped}%`), ilike(users.displayName, `${escaped}%`), ilike(users.displayName, `% ${escaped}%`)) : undefined,
      ),
    )
    .orderBy(asc(users.displayName))
    .limit(8);
  return rows;
}
