import { desc, sql } from "drizzle-orm";
import { searchQueryStats, searchSynonyms } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import type { SynonymInput } from "../../schemas/search.ts";
import { writeAudit } from "../audit.server.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, NotFoundError } from "../errors.server.ts";
import { requireId } from "../input.server.ts";
import { searchEngine } from "./engine.server.ts";

const DAYS = 30;

function requireModerator(actor: Actor) {
  if (!can(actor, "moderate", { type: "site" })) throw new ForbiddenError();
}

/** Top queries and queries without results of the last 30 days: counts only, nothing about who searched. */
export async function searchInsights(actor: Actor) {
  requireModerator(actor);
  const since = sql`CURRENT_DATE - ${DAYS}::int`;
  const top = await db()
    .select({ query: searchQueryStats.query, searches: sql<number>`sum(${searchQueryStats.searches})::int` })
    .from(searchQueryStats)
    .where(sql`${searchQueryStats.day} > ${since}`)
    .groupBy(searchQueryStats.query)
    .orderBy(desc(sql`sum(${searchQueryStats.searches})`), searchQueryStats.query)
    .limit(20);
  const zero = await db()
    .select({ query: searchQueryStats.query, searches: sql<number>`sum(${searchQueryStats.zeroResults})::int` })
    .from(searchQueryStats)
    .where(sql`${searchQueryStats.day} > ${since}`)
    .groupBy(searchQueryStats.query)
    .having(sql`sum(${searchQueryStats.zeroResults}) > 0`)
    .orderBy(desc(sql`sum(${searchQueryStats.zeroResults})`), searchQueryStats.query)
    .limit(20);
  return { days: DAYS, top, zero };
}

export async function listSynonyms(actor: Actor) {
  requireModerator(actor);
  return db()
    .select({ id: searchSynonyms.id, terms: searchSynonyms.terms })
    .from(searchSynonyms)
    .orderBy(searchSynonyms.updatedAt, searchSynonyms.id);
}

async function announceSynonyms(): Promise<void> {
  const rows = await db()
    .select({ terms: searchSynonyms.terms })
    .from(searchSynonyms)
    .orderBy(searchSynonyms.updatedAt, searchSynonyms.id);
  await searchEngine().synonymsChanged(rows.map((r) => r.terms));
}

export async function saveSynonyms(actor: Actor, input: SynonymInput): Promise<{ id: string }> {
  requireModerator(actor);
  if (input.id) requireId(input.id);
  const id = await db().transaction(async (tx) => {
    let id = input.id;
    if (id) {
      const updated = await tx
        .update(searchSynonyms)
        .set({ terms: input.terms, updatedBy: actor.id, updatedAt: new Date() })
        .where(sql`${searchSynonyms.id} = ${id}`)
        .returning({ id: searchSynonyms.id });
      if (updated.length === 0) throw new NotFoundError();
    } else {
      [{ id }] = await tx
        .insert(searchSynonyms)
        .values({ terms: input.terms, updatedBy: actor.id })
        .returning({ id: searchSynonyms.id });
    }
    await writeAudit(tx, {
      actorId: actor.id,
      action: "search.synonyms.save",
      subjectType: "synonyms",
      subjectId: id!,
      details: { terms: input.terms },
    });
    return id!;
  });
  await announceSynonyms();
  return { id };
}

export async function deleteSynonyms(actor: Actor, id: string): Promise<void> {
  requireModerator(actor);
  requireId(id);
  await db().transaction(async (tx) => {
    const removed = await tx
      .delete(searchSynonyms)
      .where(sql`${searchSynonyms.id} = ${id}`)
      .returning({ terms: searchSynonyms.terms });
    if (removed.length === 0) throw new NotFoundError();
    await writeAudit(tx, {
      actorId: actor.id,
      action: "search.synonyms.delete",
      subjectType: "synonyms",
      subjectId: id,
      details: { terms: removed[0].terms },
    });
  });
  await announceSynonyms();
}
