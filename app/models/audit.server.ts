import { and, desc, eq, gte, isNotNull, like, lt, sql, type SQL } from "drizzle-orm";
import { auditLog, users } from "../../db/schema/index.ts";
import { can, type Actor } from "../auth/permissions.ts";
import { describeAudit } from "../domain/audit.ts";
import type { AuditQuery } from "../schemas/moderation.ts";
import type { Database } from "./db.server.ts";
import { db } from "./db.server.ts";
import { ForbiddenError } from "./errors.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Written in the same transaction as the action it records, so the log cannot miss a committed action. There is no
 * function to change or remove an entry, and a database trigger rejects UPDATE and DELETE (migration 0009).
 */
export async function writeAudit(
  tx: Tx | Database,
  entry: { actorId: string | null; action: string; subjectType: string; subjectId: string; details?: object },
): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}

export const AUDIT_PAGE_SIZE = 50;

/** Midnight of a day in German time, as an instant (the log's filter days are the moderators' days). */
function berlinDayStart(day: string) {
  return sql`(${day}::date)::timestamp at time zone 'Europe/Berlin'`;
}

/** The subject id as a uuid, or NULL when it is none (an entry written by code we do not know must not break the page). */
const subjectUuid = sql`(case when ${auditLog.subjectId} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then ${auditLog.subjectId}::uuid end)`;

/** The subject's current name, read only for the entries on the page; each lookup uses a primary key. */
const subjectName = sql<string | null>`case ${auditLog.subjectType}
  when 'user' then (select u.display_name from users u where u.id = ${subjectUuid})
  when 'thread' then (select t.title from threads t where t.id = ${subjectUuid})
  when 'post' then (select t.title from posts p join threads t on t.id = p.thread_id where p.id = ${subjectUuid})
  when 'material' then (select m.title from materials m where m.id = ${subjectUuid})
  when 'category' then (select c.name from categories c where c.id = ${subjectUuid})
  when 'collection' then (select c.title from collections c where c.id = ${subjectUuid})
  when 'round' then (select r.title from dialogue_rounds r where r.id = ${subjectUuid})
  end`;

/** Where an entry's subject can be looked at (a deleted subject has no link). */
function subjectLink(
  subjectType: string,
  subjectId: string,
  details: Record<string, unknown>,
  name: string | null,
): string | null {
  if (!name) return null;
  if (subjectType === "thread") return `/diskussionen/${subjectId}`;
  if (subjectType === "post" && typeof details.threadId === "string") return `/diskussionen/${details.threadId}`;
  if (subjectType === "material") return `/materialien/${subjectId}`;
  if (subjectType === "round") return `/dialogrunden/${subjectId}`;
  return null;
}

/** The audit log for moderators, newest first, filtered and paginated; read-only by construction. */
export async function listAudit(actor: Actor, query: AuditQuery) {
  if (!can(actor, "moderate")) throw new ForbiddenError();
  const conditions: SQL[] = [];
  if (query.art) conditions.push(like(auditLog.action, `${query.art}.%`));
  if (query.wer) conditions.push(eq(auditLog.actorId, query.wer));
  if (query.betrifft) conditions.push(eq(auditLog.subjectType, query.betrifft));
  if (query.von) conditions.push(gte(auditLog.createdAt, berlinDayStart(query.von)));
  if (query.bis) conditions.push(lt(auditLog.createdAt, sql`${berlinDayStart(query.bis)} + interval '1 day'`));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [{ total }], actors] = await Promise.all([
    db()
      .select({
        id: auditLog.id,
        action: auditLog.action,
        subjectType: auditLog.subjectType,
        subjectId: auditLog.subjectId,
        details: auditLog.details,
        createdAt: auditLog.createdAt,
        actorId: auditLog.actorId,
        actorName: users.displayName,
        subjectName,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(where)
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((query.seite - 1) * AUDIT_PAGE_SIZE),
    db()
      .select({ total: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(where),
    // Everyone who ever acted, for the filter (a former moderator's entries stay findable).
    db()
      .selectDistinct({ id: users.id, name: users.displayName })
      .from(auditLog)
      .innerJoin(users, eq(users.id, auditLog.actorId))
      .where(isNotNull(auditLog.actorId))
      .orderBy(users.displayName, users.id),
  ]);
  return {
    entries: rows.map((r) => {
      const details = (r.details ?? {}) as Record<string, unknown>;
      return {
        id: r.id,
        createdAt: r.createdAt,
        actorName: r.actorId ? r.actorName : null,
        action: r.action,
        subjectType: r.subjectType,
        description: describeAudit({
          action: r.action,
          subjectType: r.subjectType,
          details,
          subjectName: r.subjectName,
        }),
        link: subjectLink(r.subjectType, r.subjectId, details, r.subjectName),
      };
    }),
    total,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    actors,
  };
}
