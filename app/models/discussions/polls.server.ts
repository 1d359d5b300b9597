/**
 * Polls (Umfragen) in threads. Readers see totals only: no query here returns who voted, except the voter's own
 * choice to the voter (ADR 026). Votes are rows per member and option; the totals are counted from them, so a
 * deleted account's votes leave the totals with it. A poll imported through the content exchange adds the totals it
 * brought along (poll_carried_totals, ADR 032).
 */
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import { pollOptions, polls, pollVotes, threads } from "../../../db/schema/index.ts";
import { can, isModerator, type Actor } from "../../auth/permissions.ts";
import { isPollClosed, type PollTotals, type PollView } from "../../domain/discussions/polls.ts";
import { roomName } from "../../realtime/events.ts";
import { publish } from "../../realtime/hub.server.ts";
import type { NewPoll } from "../../schemas/polls.ts";
import { db, preparedQuery, type Database } from "../db.server.ts";
import { ConflictError, ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { requireId } from "../input.server.ts";
import { threadFacts } from "./facts.server.ts";
import { broadcastThreadChange } from "./fanout.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Stores a poll with its options; called in the transaction that creates the thread, or by addPoll. */
export async function insertPoll(tx: Tx, threadId: string, createdBy: string, poll: NewPoll): Promise<string> {
  const [row] = await tx
    .insert(polls)
    .values({ threadId, question: poll.question, multiple: poll.multiple, closesAt: poll.closesAt, createdBy })
    .returning({ id: polls.id });
  await tx.insert(pollOptions).values(poll.options.map((label, position) => ({ pollId: row.id, position, label })));
  return row.id;
}

/** Moderators add a poll to an existing thread (authors add theirs when they start the discussion). */
export async function addPoll(actor: Actor, threadId: string, poll: NewPoll): Promise<{ id: string }> {
  requireId(threadId);
  if (!isModerator(actor))
    throw new ForbiddenError("Eine Umfrage in einer bestehenden Diskussion kann nur die Moderation hinzufügen.");
  const id = await db().transaction(async (tx) => {
    const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId));
    if (!thread || !can(actor, "view", { type: "thread", thread: threadFacts(thread) })) throw new NotFoundError();
    const [existing] = await tx.select({ id: polls.id }).from(polls).where(eq(polls.threadId, threadId));
    if (existing) throw new ConflictError("Diese Diskussion hat schon eine Umfrage.");
    return insertPoll(tx, threadId, actor.id, poll);
  });
  broadcastThreadChange(threadId, null, "poll");
  return { id };
}

/** The poll with its thread, locked for this transaction: votes on one poll take turns, so a single-choice poll
 * never ends up with two choices of one member, even from two tabs at once. */
async function lockPoll(tx: Tx, threadId: string, pollId: string) {
  const [found] = await tx
    .select({ poll: polls, thread: threads })
    .from(polls)
    .innerJoin(threads, eq(threads.id, polls.threadId))
    .where(and(eq(polls.id, pollId), eq(polls.threadId, threadId)))
    .for("update", { of: polls });
  // A poll of another thread never acts through this thread's page: it is not found here.
  return found ?? null;
}

function refuseUnlessOpen(actor: Actor, found: NonNullable<Awaited<ReturnType<typeof lockPoll>>>, now: Date) {
  const facts = threadFacts(found.thread);
  if (!can(actor, "view", { type: "thread", thread: facts })) throw new NotFoundError("Diese Umfrage gibt es nicht.");
  if (isPollClosed(found.poll.closesAt, now))
    throw new ConflictError("Diese Umfrage ist beendet. Abstimmen ist nicht mehr möglich.");
  if (!can(actor, "reply", { type: "thread", thread: facts }))
    throw new ConflictError("Diese Diskussion ist geschlossen. Abstimmen ist nicht mehr möglich.");
}

/**
 * Records the member's choice, replacing an earlier one (a vote can change until the poll closes). Option ids must
 * belong to this poll, each at most once; a single-choice poll takes exactly one. Refusals change nothing.
 */
export async function castVote(
  actor: Actor,
  threadId: string,
  pollId: string,
  optionIds: string[],
  now = new Date(),
): Promise<PollTotals> {
  requireId(threadId);
  requireId(pollId, "Diese Umfrage gibt es nicht.");
  if (optionIds.length === 0) throw new InputError("option", "Bitte wähle eine Antwort aus.");
  if (new Set(optionIds).size !== optionIds.length)
    throw new InputError("option", "Jede Antwort kann nur einmal gewählt werden.");
  for (const id of optionIds) requireId(id, "Diese Antwort gibt es in der Umfrage nicht.");
  await db().transaction(async (tx) => {
    const found = await lockPoll(tx, threadId, pollId);
    if (!found) throw new NotFoundError("Diese Umfrage gibt es nicht.");
    refuseUnlessOpen(actor, found, now);
    if (!found.poll.multiple && optionIds.length > 1)
      throw new InputError("option", "Bei dieser Umfrage ist nur eine Antwort möglich.");
    const known = await tx
      .select({ id: pollOptions.id })
      .from(pollOptions)
      .where(and(eq(pollOptions.pollId, pollId), inArray(pollOptions.id, optionIds)));
    if (known.length !== optionIds.length)
      throw new InputError("option", "Diese Antwort gibt es in der Umfrage nicht.");
    await tx
      .delete(pollVotes)
      .where(
        and(eq(pollVotes.pollId, pollId), eq(pollVotes.userId, actor.id), notInArray(pollVotes.optionId, optionIds)),
      );
    // The primary key (poll, member, option) turns a repeated vote into nothing rather than a second count.
    await tx
      .insert(pollVotes)
      .values(optionIds.map((optionId) => ({ pollId, optionId, userId: actor.id })))
      .onConflictDoNothing();
  });
  return publishTotals(threadId, pollId);
}

/** Takes the member's vote back (while the poll is open). */
export async function withdrawVote(
  actor: Actor,
  threadId: string,
  pollId: string,
  now = new Date(),
): Promise<PollTotals> {
  requireId(threadId);
  requireId(pollId, "Diese Umfrage gibt es nicht.");
  await db().transaction(async (tx) => {
    const found = await lockPoll(tx, threadId, pollId);
    if (!found) throw new NotFoundError("Diese Umfrage gibt es nicht.");
    refuseUnlessOpen(actor, found, now);
    await tx.delete(pollVotes).where(and(eq(pollVotes.pollId, pollId), eq(pollVotes.userId, actor.id)));
  });
  return publishTotals(threadId, pollId);
}

/** Its author or a moderator ends the poll now; the totals stay visible. */
export async function closePoll(actor: Actor, threadId: string, pollId: string, now = new Date()): Promise<void> {
  requireId(threadId);
  requireId(pollId, "Diese Umfrage gibt es nicht.");
  await db().transaction(async (tx) => {
    const found = await lockPoll(tx, threadId, pollId);
    if (!found || !can(actor, "view", { type: "thread", thread: threadFacts(found.thread) }))
      throw new NotFoundError("Diese Umfrage gibt es nicht.");
    if (found.poll.createdBy !== actor.id && !isModerator(actor))
      throw new ForbiddenError("Beenden können nur die Person, die die Umfrage gestellt hat, und die Moderation.");
    if (isPollClosed(found.poll.closesAt, now)) throw new ConflictError("Diese Umfrage ist schon beendet.");
    await tx.update(polls).set({ closesAt: now }).where(eq(polls.id, pollId));
  });
  broadcastThreadChange(threadId, null, "poll");
}

/** The totals as every reader may see them: the votes cast here plus any a poll brought along (ADR 032). */
export async function pollTotals(pollId: string): Promise<PollTotals> {
  const rows = await db()
    .select({
      id: pollOptions.id,
      votes: sql<number>`(select count(*)::int from poll_votes v where v.poll_id = "poll_options"."poll_id" and v.option_id = "poll_options"."id")
        + coalesce((select t.votes[${pollOptions.position} + 1] from poll_carried_totals t where t.poll_id = "poll_options"."poll_id"), 0)`,
    })
    .from(pollOptions)
    .where(eq(pollOptions.pollId, pollId))
    .orderBy(pollOptions.position);
  const [{ voters }] = await db()
    .select({
      voters: sql<number>`count(distinct ${pollVotes.userId})::int + coalesce((select t.voters from poll_carried_totals t where t.poll_id = ${pollId}), 0)`,
    })
    .from(pollVotes)
    .where(eq(pollVotes.pollId, pollId));
  return { pollId, voters, options: rows };
}

/** Sends the new totals (counts only, no member) to the thread's open pages. */
async function publishTotals(threadId: string, pollId: string): Promise<PollTotals> {
  const totals = await pollTotals(pollId);
  publish(roomName.thread(threadId), "poll:totals", { threadId, ...totals });
  return totals;
}

// The thread page's one poll query: the poll, its options with their counts, the number of voters and the viewer's
// own choice. Threads without a poll find no row.
const pollViewQuery = preparedQuery((d) =>
  d
    .select({
      id: polls.id,
      question: polls.question,
      multiple: polls.multiple,
      closesAt: polls.closesAt,
      createdBy: polls.createdBy,
      options: sql<{ id: string; label: string; votes: number }[]>`(
        select json_agg(json_build_object('id', o.id, 'label', o.label, 'votes', coalesce(c.n, 0) + coalesce(t.votes[o.position + 1], 0)) order by o.position)
        from poll_options o
        left join (select v.option_id, count(*)::int as n from poll_votes v where v.poll_id = "polls"."id" group by v.option_id) c on c.option_id = o.id
        left join poll_carried_totals t on t.poll_id = o.poll_id
        where o.poll_id = "polls"."id")`,
      // Votes cast here plus the totals an imported poll brought along (ADR 032); neither names anyone.
      voters: sql<number>`(select count(distinct v.user_id)::int from poll_votes v where v.poll_id = "polls"."id")
        + coalesce((select t.voters from poll_carried_totals t where t.poll_id = "polls"."id"), 0)`,
      mine: sql<
        string[] | null
      >`(select array_agg(v.option_id::text) from poll_votes v where v.poll_id = "polls"."id" and v.user_id = ${sql.placeholder("viewerId")})`,
    })
    .from(polls)
    .where(eq(polls.threadId, sql.placeholder("threadId")))
    .prepare("poll_view"),
);

/** The thread's poll as this viewer sees it, or null. `mayReply` comes from the thread view the page already loaded:
 * who may answer the thread may vote in its poll. */
export async function pollForThread(
  viewer: Actor,
  threadId: string,
  mayReply: boolean,
  now = new Date(),
): Promise<PollView | null> {
  const [row] = await pollViewQuery().execute({ threadId, viewerId: viewer.id });
  if (!row) return null;
  const closed = isPollClosed(row.closesAt, now);
  return {
    id: row.id,
    question: row.question,
    multiple: row.multiple,
    closesAt: row.closesAt ? new Date(row.closesAt).toISOString() : null,
    closed,
    voters: row.voters,
    options: row.options ?? [],
    mine: row.mine ?? [],
    mayVote: !closed && mayReply,
    mayClose: !closed && (row.createdBy === viewer.id || isModerator(viewer)),
  };
}

/** Account deletion with "delete my posts": the polls the member asked go too (their question is the member's
 * text), with the votes of others on them. Their own votes go with the account row (foreign key). */
export async function deletePollsOf(tx: Tx, userId: string): Promise<string[]> {
  const gone = await tx.delete(polls).where(eq(polls.createdBy, userId)).returning({ threadId: polls.threadId });
  return gone.map((g) => g.threadId);
}
