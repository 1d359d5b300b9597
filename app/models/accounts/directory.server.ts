import { and, asc, desc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { materials, posts, profilePictures, threads, users } from "../../../db/schema/index.ts";
import type { LegalDomain } from "../../../db/schema/index.ts";
import { database, db } from "../db.server.ts";

export const DIRECTORY_PAGE_SIZE = 24;

export interface DirectoryQuery {
  /** "Wer kennt sich aus mit …?": every word must appear in the name, function, region, topics or introduction. */
  q: string;
  region: string;
  legalDomain: LegalDomain | null;
  /** One expertise topic, compared without regard to case. */
  topic: string;
  page: number;
}

function like(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Only members who opted in, and only while their account is active. */
const inDirectory = and(eq(users.listed, true), isNull(users.deactivatedAt));

/** The member directory: members who opted in, filtered and paged, ordered by name. */
export async function listMembers(query: DirectoryQuery) {
  const conditions: (SQL | undefined)[] = [inDirectory];
  for (const word of query.q.split(/\s+/).filter(Boolean).slice(0, 8)) {
    const pattern = like(word);
    conditions.push(
      or(
        ilike(users.displayName, pattern),
        ilike(users.handle, pattern),
        ilike(users.roleText, pattern),
        ilike(users.region, pattern),
        ilike(users.bio, pattern),
        sql`array_to_string(${users.expertise}, ' ') ILIKE ${pattern}`,
      ),
    );
  }
  if (query.region) conditions.push(sql`lower(${users.region}) = lower(${query.region})`);
  if (query.legalDomain) conditions.push(eq(users.legalDomain, query.legalDomain));
  if (query.topic)
    conditions.push(
      sql`EXISTS (SELECT 1 FROM unnest(${users.expertise}) AS t(topic) WHERE lower(t.topic) = lower(${query.topic}))`,
    );
  const where = and(...conditions);
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({
        id: users.id,
        handle: users.handle,
        displayName: users.displayName,
        roleText: users.roleText,
        region: users.region,
        legalDomain: users.legalDomain,
        expertise: users.expertise,
        picture: profilePictures.stamp,
      })
      .from(users)
      .leftJoin(profilePictures, eq(profilePictures.userId, users.id))
      .where(where)
      .orderBy(asc(users.displayName), asc(users.id))
      .limit(DIRECTORY_PAGE_SIZE)
      .offset((query.page - 1) * DIRECTORY_PAGE_SIZE),
    db()
      .select({ total: sql<number>`count(*)::int` })
      .from(users)
      .where(where),
  ]);
  return { members: rows, total, pages: Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE)) };
}

/** The choices for the directory's filters: regions and topics that listed members entered (no counts shown). */
export async function directoryChoices(): Promise<{ regions: string[]; topics: string[] }> {
  const [regions, topics] = await Promise.all([
    db()
      .selectDistinct({ region: users.region })
      .from(users)
      .where(and(inDirectory, sql`${users.region} <> ''`))
      .orderBy(asc(users.region))
      .limit(200),
    // The most named topics first; spelled as most members spell them.
    database().rows<{ topic: string }>(sql`
      SELECT mode() WITHIN GROUP (ORDER BY t.topic) AS topic
      FROM ${users}, unnest(${users.expertise}) AS t(topic)
      WHERE ${inDirectory}
      GROUP BY lower(t.topic)
      ORDER BY count(*) DESC, lower(t.topic)
      LIMIT 30`),
  ]);
  return { regions: regions.map((r) => r.region), topics: topics.map((r) => r.topic) };
}

/** Members whose name or handle starts with the query (any word of the name), for @mentions. */
export async function suggestMembers(q: string): Promise<{ handle: string; name: string }[]> {
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db()
    .select({ handle: users.handle, name: users.displayName })
    .from(users)
    .where(
      and(
        isNull(users.deactivatedAt),
        q
          ? or(
              ilike(users.handle, `${escaped}%`),
              ilike(users.displayName, `${escaped}%`),
              ilike(users.displayName, `% ${escaped}%`),
            )
          : undefined,
      ),
    )
    .orderBy(asc(users.displayName))
    .limit(8);
  return rows;
}

export const PROFILE_REPLIES_PAGE_SIZE = 10;

/**
 * A member's profile page: the basics they entered and their public contributions — threads they started, replies
 * and published materials under their name. Never anonymous posts, nothing hidden or deleted, never consultations.
 */
export async function getProfile(handle: string, repliesPage = 1) {
  const [user] = await db()
    .select({
      id: users.id,
      displayName: users.displayName,
      handle: users.handle,
      roleText: users.roleText,
      legalDomain: users.legalDomain,
      region: users.region,
      bio: users.bio,
      expertise: users.expertise,
      role: users.role,
      createdAt: users.createdAt,
      picture: profilePictures.stamp,
    })
    .from(users)
    .leftJoin(profilePictures, eq(profilePictures.userId, users.id))
    .where(and(eq(users.handle, handle.toLowerCase()), isNull(users.deactivatedAt)));
  if (!user) return null;
  const visibleThread = and(eq(threads.anonymous, false), isNull(threads.hiddenAt), isNull(threads.deletedAt));
  const [started, replyRows, authored] = await Promise.all([
    db()
      .select({ id: threads.id, title: threads.title, type: threads.type, createdAt: threads.createdAt })
      .from(threads)
      .where(and(eq(threads.authorId, user.id), visibleThread))
      .orderBy(desc(threads.createdAt))
      .limit(10),
    db()
      .select({
        id: posts.id,
        threadId: threads.id,
        threadTitle: threads.title,
        excerpt: sql<string>`left(${posts.bodyText}, 200)`,
        createdAt: posts.createdAt,
      })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .where(
        and(
          eq(posts.authorId, user.id),
          eq(posts.anonymous, false),
          isNotNull(posts.parentId),
          isNull(posts.hiddenAt),
          isNull(posts.deletedAt),
          isNull(threads.hiddenAt),
          isNull(threads.deletedAt),
        ),
      )
      .orderBy(desc(posts.createdAt), desc(posts.id))
      .limit(PROFILE_REPLIES_PAGE_SIZE + 1)
      .offset((repliesPage - 1) * PROFILE_REPLIES_PAGE_SIZE),
    db()
      .select({ id: materials.id, title: materials.title, type: materials.type, publishedAt: materials.publishedAt })
      .from(materials)
      .where(
        and(
          eq(materials.status, "published"),
          or(eq(materials.createdBy, user.id), eq(materials.suggestedBy, user.id)),
        ),
      )
      .orderBy(desc(materials.publishedAt))
      .limit(10),
  ]);
  const { id: _id, ...profile } = user;
  return {
    profile,
    /** For the face beside the name (colour by id, picture by stamp). */
    face: { id: user.id, name: user.displayName, picture: user.picture },
    started,
    replies: replyRows.slice(0, PROFILE_REPLIES_PAGE_SIZE),
    moreReplies: replyRows.length > PROFILE_REPLIES_PAGE_SIZE,
    materials: authored,
  };
}
