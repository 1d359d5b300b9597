/**
 * Polls in the content exchange (ADR 032): a thread's poll travels as its question, options, kind, closing time and
 * totals. Who voted never leaves the database (ADR 026): the export reads counts only, and an import keeps the totals
 * it brings as counts (poll_carried_totals) to which votes cast here are added.
 */
import { and, asc, eq, gte, sql } from "drizzle-orm";
import { pollCarriedTotals, pollOptions, polls } from "../../../db/schema/index.ts";
import type { ExchangeLine } from "../../schemas/exchange.ts";
import { pgArray } from "../../../search/sql.ts";
import { db, type Database } from "../db.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type PollLine = Extract<ExchangeLine, { kind: "poll" }>;

/**
 * The polls of the given threads as exchange lines (without `thread`, which the caller knows by its ref), keyed by
 * thread id: in one query, with the totals as readers see them (votes cast here plus carried ones), and nothing else.
 */
export async function pollLines(threadIds: string[]): Promise<Map<string, Omit<PollLine, "thread">>> {
  if (threadIds.length === 0) return new Map();
  const rows = await db()
    .select({
      threadId: polls.threadId,
      question: polls.question,
      multiple: polls.multiple,
      closesAt: polls.closesAt,
      voters: sql<number>`(select count(distinct v.user_id)::int from poll_votes v where v.poll_id = "polls"."id")
        + coalesce((select t.voters from poll_carried_totals t where t.poll_id = "polls"."id"), 0)`,
      options: sql<{ label: string; votes: number }[]>`(
        select json_agg(json_build_object('label', o.label, 'votes',
          (select count(*)::int from poll_votes v where v.option_id = o.id) + coalesce(t.votes[o.position + 1], 0)) order by o.position)
        from poll_options o
        left join poll_carried_totals t on t.poll_id = o.poll_id
        where o.poll_id = "polls"."id")`,
    })
    .from(polls)
    .where(sql`${polls.threadId} = any(${pgArray(threadIds)}::uuid[])`)
    .orderBy(asc(polls.createdAt));
  return new Map(
    rows.map((r) => [
      r.threadId,
      {
        kind: "poll" as const,
        question: r.question,
        multiple: r.multiple,
        closesAt: r.closesAt ? new Date(r.closesAt).toISOString() : null,
        voters: r.voters,
        options: r.options ?? [],
      },
    ]),
  );
}

/**
 * Stores an imported poll for its thread, or updates the one a former import stored: options are matched by their
 * position (a changed label keeps the votes cast here, a dropped option takes its votes along), and the carried
 * totals become the file's. Votes cast here on the poll stay and keep adding to them.
 */
export async function importPoll(tx: Tx, threadId: string, authorId: string | null, line: PollLine): Promise<void> {
  const values = {
    question: line.question,
    multiple: line.multiple,
    closesAt: line.closesAt ? new Date(line.closesAt) : null,
  };
  const [poll] = await tx
    .insert(polls)
    .values({ threadId, createdBy: authorId, ...values })
    .onConflictDoUpdate({ target: polls.threadId, set: values })
    .returning({ id: polls.id });
  await tx
    .delete(pollOptions)
    .where(and(eq(pollOptions.pollId, poll.id), gte(pollOptions.position, line.options.length)));
  for (const [position, option] of line.options.entries()) {
    await tx
      .insert(pollOptions)
      .values({ pollId: poll.id, position, label: option.label })
      .onConflictDoUpdate({ target: [pollOptions.pollId, pollOptions.position], set: { label: option.label } });
  }
  const totals = { voters: line.voters, votes: line.options.map((o) => o.votes) };
  await tx
    .insert(pollCarriedTotals)
    .values({ pollId: poll.id, ...totals })
    .onConflictDoUpdate({ target: pollCarriedTotals.pollId, set: totals });
}
