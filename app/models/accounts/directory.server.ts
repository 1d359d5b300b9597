import { and, asc, desc, eq, ilike, isNull, or } from "drizzle-orm";
import { threads, users } from "../../../db/schema/index.ts";
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

/** A member's profile page: the basics they entered, and the threads they started under their name. */
export async function getProfile(handle: string) {
  const [user] = await db()
    .select({
      id: users.id,
      displayName: users.displayName,
      handle: users.handle,
      roleText: users.roleText,
      legalDomain: users.legalDomain,
      region: users.region,
      bio: users.bio,
      role: users.role,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(and(eq(users.handle, handle.toLowerCase()), isNull(users.deactivatedAt)));
  if (!user) return null;
  // Never anonymous posts, never anything hidden or deleted.
  const started = await db()
    .select({ id: threads.id, title: threads.title, type: threads.type, createdAt: threads.createdAt })
    .from(threads)
    .where(and(eq(threads.authorId, user.id), eq(threads.anonymous, false), isNull(threads.hiddenAt), isNull(threads.deletedAt)))
    .orderBy(desc(threads.createdAt))
    .limit(10);
  const { id: _id, ...profile } = user;
  return { profile, started };
}
