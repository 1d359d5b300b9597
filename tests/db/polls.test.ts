/**
 * Polls on the real database (PGlite and PostgreSQL): voting, changing and taking back a vote, multiple choice,
 * closing at a set time (the clock is the test's), refusals that change nothing, the unique constraint against
 * double counting, totals that never name anyone, the voter's own vote in their export only, and votes going with a
 * deleted account (the totals drop them, ADR 026).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { categories, pollOptions, polls, pollVotes, threads } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread, getThreadView } from "../../app/models/discussions/threads.server.ts";
import { moderateThread } from "../../app/models/discussions/moderation.server.ts";
import {
  addPoll,
  castVote,
  closePoll,
  pollForThread,
  pollTotals,
  withdrawVote,
} from "../../app/models/discussions/polls.server.ts";
import { inventory } from "../../app/models/privacy/inventory.server.ts";
import { deleteAccount } from "../../app/models/privacy/deletion.server.ts";
import { parsePollFields } from "../../app/schemas/polls.ts";
import type { NewPoll } from "../../app/schemas/polls.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;

type Person = Actor & { name: string; email: string; handle: string };

async function person(role: Actor["role"] = "member"): Promise<Person> {
  n++;
  const p = { name: `Umfrageperson ${n}`, email: `umfrage${n}@example.org`, handle: `umfrage-${n}` };
  const { id } = await createUser({
    email: p.email,
    displayName: p.name,
    handle: p.handle,
    password: "ein-gutes-passwort",
    role,
  });
  return { id, role, ...p };
}

// Every story runs at fixed instants far from today (ADR 018); the database's own clock is never compared.
const T0 = new Date("2031-03-04T09:00:00Z");
const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);

async function threadWithPoll(author: Actor, poll: Partial<NewPoll> = {}) {
  const slug = `umfrageraum-${++n}`;
  await db()
    .insert(categories)
    .values({ slug, name: `Raum ${slug}`, position: n });
  const { id } = await createThread(author, {
    categorySlug: slug,
    type: "question",
    title: "Wann trefft ihr euch im lokalen Verbund?",
    body: renderMarkdown("Wir planen das nächste Treffen."),
    anonymous: false,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    legalDomain: null,
    tags: [],
    poll: {
      question: "Welcher Tag passt?",
      options: ["Montag", "Mittwoch", "Freitag"],
      multiple: false,
      closesAt: null,
      ...poll,
    },
  });
  const view = await pollForThread(author, id, true, T0);
  if (!view) throw new Error("no poll");
  const option = (label: string) => view.options.find((o) => o.label === label)!.id;
  return { threadId: id, pollId: view.id, option };
}

const counts = async (pollId: string) => {
  const totals = await pollTotals(pollId);
  return { voters: totals.voters, votes: totals.options.map((o) => o.votes) };
};
const voteRows = async (pollId: string) =>
  (await db().select().from(pollVotes).where(eq(pollVotes.pollId, pollId))).length;

afterEach(() => vi.useRealTimers());

describe(`polls on ${engine}`, () => {
  it("counts a vote, lets it change and be taken back, and shows each member their own choice only", async () => {
    const author = await person();
    const [a, b] = [await person(), await person()];
    const { threadId, pollId, option } = await threadWithPoll(author);
    await castVote(a, threadId, pollId, [option("Montag")], T0);
    await castVote(b, threadId, pollId, [option("Mittwoch")], T0);
    expect(await counts(pollId)).toEqual({ voters: 2, votes: [1, 1, 0] });

    // A changes the vote: still two voters, Montag loses, Freitag gains.
    await castVote(a, threadId, pollId, [option("Freitag")], minutes(5));
    expect(await counts(pollId)).toEqual({ voters: 2, votes: [0, 1, 1] });
    expect((await pollForThread(a, threadId, true, minutes(5)))!.mine).toEqual([option("Freitag")]);
    expect((await pollForThread(b, threadId, true, minutes(5)))!.mine).toEqual([option("Mittwoch")]);
    expect((await pollForThread(author, threadId, true, minutes(5)))!.mine).toEqual([]);

    await withdrawVote(a, threadId, pollId, minutes(6));
    expect(await counts(pollId)).toEqual({ voters: 1, votes: [0, 1, 0] });
    const view = await pollForThread(author, threadId, true, minutes(6));
    expect(view).toMatchObject({
      question: "Welcher Tag passt?",
      multiple: false,
      closed: false,
      voters: 1,
      mayVote: true,
      mayClose: true,
    });
    expect(view!.options.map((o) => [o.label, o.votes])).toEqual([
      ["Montag", 0],
      ["Mittwoch", 1],
      ["Freitag", 0],
    ]);
  });

  it("takes several answers in a multiple-choice poll and counts voters once", async () => {
    const author = await person();
    const [a, b] = [await person(), await person()];
    const { threadId, pollId, option } = await threadWithPoll(author, { multiple: true });
    await castVote(a, threadId, pollId, [option("Montag"), option("Freitag")], T0);
    await castVote(b, threadId, pollId, [option("Freitag")], T0);
    expect(await counts(pollId)).toEqual({ voters: 2, votes: [1, 0, 2] });
    // Changing a multiple choice replaces the whole choice.
    await castVote(a, threadId, pollId, [option("Mittwoch")], T0);
    expect(await counts(pollId)).toEqual({ voters: 2, votes: [0, 1, 1] });
  });

  it("refuses bad votes with a German message and changes nothing", async () => {
    const author = await person();
    const a = await person();
    const { threadId, pollId, option } = await threadWithPoll(author);
    const other = await threadWithPoll(author);
    await castVote(a, threadId, pollId, [option("Montag")], T0);
    const before = await counts(pollId);
    const refusals: [string, () => Promise<unknown>][] = [
      [
        "two answers on single choice",
        () => castVote(a, threadId, pollId, [option("Mittwoch"), option("Freitag")], T0),
      ],
      ["an option of another poll", () => castVote(a, threadId, pollId, [other.option("Mittwoch")], T0)],
      ["an unknown option", () => castVote(a, threadId, pollId, [crypto.randomUUID()], T0)],
      ["no option", () => castVote(a, threadId, pollId, [], T0)],
      ["the same option twice", () => castVote(a, threadId, pollId, [option("Mittwoch"), option("Mittwoch")], T0)],
      ["not a UUID", () => castVote(a, threadId, pollId, ["montag"], T0)],
    ];
    for (const [what, refused] of refusals) {
      const error = await refused().then(
        () => null,
        (e: Error) => e,
      );
      expect(error, what).not.toBeNull();
      expect(error!.message, what).toMatch(/Antwort/);
    }
    // Another thread's poll through this thread: not found.
    await expect(castVote(a, threadId, other.pollId, [other.option("Montag")], T0)).rejects.toMatchObject({
      status: 404,
    });
    expect(await counts(pollId)).toEqual(before);
    expect(await counts(other.pollId)).toEqual({ voters: 0, votes: [0, 0, 0] });
    expect((await pollForThread(a, threadId, true, T0))!.mine).toEqual([option("Montag")]);
  });

  it("closes at its closing time (set clock): votes before count, votes after are refused", async () => {
    const author = await person();
    const a = await person();
    const b = await person();
    const { threadId, pollId, option } = await threadWithPoll(author, { closesAt: minutes(60) });
    await castVote(a, threadId, pollId, [option("Montag")], minutes(59));
    await expect(castVote(b, threadId, pollId, [option("Freitag")], minutes(60))).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("beendet"),
    });
    await expect(castVote(a, threadId, pollId, [option("Freitag")], minutes(61))).rejects.toMatchObject({
      status: 409,
    });
    await expect(withdrawVote(a, threadId, pollId, minutes(61))).rejects.toMatchObject({ status: 409 });
    expect(await counts(pollId)).toEqual({ voters: 1, votes: [1, 0, 0] });
    const after = await pollForThread(a, threadId, true, minutes(61));
    expect(after).toMatchObject({ closed: true, mayVote: false, mayClose: false, mine: [option("Montag")] });

    // The process clock decides where the caller passes none (as the server does).
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(minutes(30));
    expect((await pollForThread(b, threadId, true))!.closed).toBe(false);
    vi.setSystemTime(minutes(90));
    expect((await pollForThread(b, threadId, true))!.closed).toBe(true);
    await expect(castVote(b, threadId, pollId, [option("Freitag")])).rejects.toMatchObject({ status: 409 });
  });

  it("ends early by its author or a moderator only; a locked thread takes no more votes from members", async () => {
    const author = await person();
    const a = await person();
    const moderator = await person("moderator");
    const { threadId, pollId, option } = await threadWithPoll(author);
    await expect(closePoll(a, threadId, pollId, T0)).rejects.toMatchObject({ status: 403 });
    await moderateThread(moderator, threadId, { action: "lock", value: true });
    await expect(castVote(a, threadId, pollId, [option("Montag")], T0)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("geschlossen"),
    });
    await moderateThread(moderator, threadId, { action: "lock", value: false });
    await closePoll(author, threadId, pollId, minutes(1));
    await expect(castVote(a, threadId, pollId, [option("Montag")], minutes(2))).rejects.toMatchObject({ status: 409 });
    expect(await voteRows(pollId)).toBe(0);

    // Moderators add a poll to a discussion without one; members cannot, and a second poll is refused.
    const plain = await createThread(a, {
      categorySlug: (await db().select().from(categories).limit(1))[0].slug,
      type: "question",
      title: "Ohne Umfrage gestartet",
      body: renderMarkdown("Text"),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: [],
    });
    const poll: NewPoll = { question: "Später gefragt?", options: ["Ja", "Nein"], multiple: false, closesAt: null };
    await expect(addPoll(a, plain.id, poll)).rejects.toMatchObject({ status: 403 });
    await addPoll(moderator, plain.id, poll);
    await expect(addPoll(moderator, plain.id, poll)).rejects.toMatchObject({ status: 409 });
    expect(await db().select().from(polls).where(eq(polls.threadId, plain.id))).toHaveLength(1);
  });

  it("counts a repeated vote once (the primary key), also when two arrive at the same time", async () => {
    const author = await person();
    const a = await person();
    const { threadId, pollId, option } = await threadWithPoll(author);
    await Promise.all([
      castVote(a, threadId, pollId, [option("Mittwoch")], T0),
      castVote(a, threadId, pollId, [option("Mittwoch")], T0),
      castVote(a, threadId, pollId, [option("Mittwoch")], T0),
    ]);
    expect(await counts(pollId)).toEqual({ voters: 1, votes: [0, 1, 0] });
    // Two different answers at once on a single-choice poll: the votes take turns, one choice remains.
    await Promise.all([
      castVote(a, threadId, pollId, [option("Montag")], T0),
      castVote(a, threadId, pollId, [option("Freitag")], T0),
    ]);
    expect(await voteRows(pollId)).toBe(1);
    // The database itself refuses a second row for the same member and option, and an option of another poll.
    const [{ optionId }] = await db()
      .select({ optionId: pollVotes.optionId })
      .from(pollVotes)
      .where(eq(pollVotes.pollId, pollId));
    await expect(db().insert(pollVotes).values({ pollId, optionId, userId: a.id })).rejects.toThrow();
    const other = await threadWithPoll(author);
    await expect(
      db()
        .insert(pollVotes)
        .values({ pollId, optionId: other.option("Montag"), userId: a.id }),
    ).rejects.toThrow();
  });

  it("refuses impossible and past closing times in German (Berlin time)", () => {
    const fields = (closes: string) => ({
      pollQuestion: "Welcher Tag?",
      pollOptions: "Montag\nDienstag",
      pollClosesAt: closes,
    });
    expect(parsePollFields(fields("2031-02-30T10:00"), T0)).toMatchObject({
      ok: false,
      errors: { pollClosesAt: expect.stringContaining("gibt es nicht") },
    });
    expect(parsePollFields(fields("2031-03-04T09:59"), T0)).toMatchObject({
      ok: false,
      errors: { pollClosesAt: expect.stringContaining("Zukunft") },
    });
    // 10:01 in Berlin (CET, UTC+1) is 09:01 UTC: one minute after T0.
    expect(parsePollFields(fields("2031-03-04T10:01"), T0)).toMatchObject({
      ok: true,
      poll: { closesAt: new Date("2031-03-04T09:01:00Z") },
    });
    expect(parsePollFields({ pollQuestion: "Frage?", pollOptions: "Nur eine" }, T0)).toMatchObject({
      ok: false,
      errors: { pollOptions: expect.stringContaining("mindestens 2") },
    });
    expect(
      parsePollFields(
        { pollQuestion: "Frage?", pollOptions: Array.from({ length: 21 }, (_, i) => `Antwort ${i}`).join("\n") },
        T0,
      ),
    ).toMatchObject({ ok: false, errors: { pollOptions: expect.stringContaining("20") } });
    expect(parsePollFields({ pollQuestion: "Frage?", pollOptions: "Ja\nja" }, T0)).toMatchObject({
      ok: false,
      errors: { pollOptions: expect.stringContaining("nur einmal") },
    });
    expect(parsePollFields({ pollQuestion: ["Frage?", "Zweite"], pollOptions: "Ja\nNein" }, T0)).toMatchObject({
      ok: false,
      errors: { pollQuestion: expect.stringContaining("mehrfach") },
    });
    expect(parsePollFields({ pollQuestion: "", pollOptions: "" }, T0)).toEqual({ ok: true, poll: null });
  });

  it("never names a voter: totals, the poll view and the thread view carry counts only", async () => {
    const author = await person();
    const voter = await person();
    const { threadId, pollId, option } = await threadWithPoll(author);
    await castVote(voter, threadId, pollId, [option("Freitag")], T0);
    const moderator = await person("moderator");
    const seen = JSON.stringify([
      await pollTotals(pollId),
      await pollForThread(moderator, threadId, true, T0),
      await pollForThread(author, threadId, true, T0),
      await getThreadView(moderator, threadId),
    ]);
    for (const needle of [voter.id, voter.name, voter.handle, voter.email]) expect(seen).not.toContain(needle);
    expect(seen).toContain('"votes":1');
  });

  it("puts the voter's own votes in their export, and nobody else's export holds them", async () => {
    const author = await person();
    const voter = await person();
    const { threadId, pollId, option } = await threadWithPoll(author, { multiple: true });
    await castVote(voter, threadId, pollId, [option("Montag"), option("Freitag")], T0);
    const exportOf = async (p: Person) => {
      const data: Record<string, unknown> = {};
      for (const entry of inventory)
        if (entry.export) data[entry.table] = await entry.export(db(), { id: p.id, email: p.email });
      return data;
    };
    const mine = await exportOf(voter);
    expect(mine.poll_votes).toEqual([
      expect.objectContaining({ threadId, question: "Welcher Tag passt?", answer: "Montag" }),
      expect.objectContaining({ threadId, question: "Welcher Tag passt?", answer: "Freitag" }),
    ]);
    const authors = await exportOf(author);
    expect(authors.poll_votes).toEqual([]);
    expect(authors.polls).toEqual([
      expect.objectContaining({
        threadId,
        question: "Welcher Tag passt?",
        options: ["Montag", "Mittwoch", "Freitag"],
        multiple: true,
      }),
    ]);
    const text = JSON.stringify(authors);
    for (const needle of [voter.id, voter.name, voter.handle, voter.email]) expect(text).not.toContain(needle);
  });

  it("deletes the votes with the account; the totals no longer count them (ADR 026)", async () => {
    const author = await person();
    const [leaving, staying] = [await person(), await person()];
    const { threadId, pollId, option } = await threadWithPoll(author);
    await castVote(leaving, threadId, pollId, [option("Montag")], T0);
    await castVote(staying, threadId, pollId, [option("Montag")], T0);
    expect(await counts(pollId)).toEqual({ voters: 2, votes: [2, 0, 0] });
    await deleteAccount(leaving, { password: "ein-gutes-passwort", posts: "keep" });
    expect(await counts(pollId)).toEqual({ voters: 1, votes: [1, 0, 0] });
    expect(await db().select().from(pollVotes).where(eq(pollVotes.userId, leaving.id))).toHaveLength(0);
  });

  it("keeps an author's poll without a name when they keep their posts, and deletes it when they delete them", async () => {
    const [kept, gone] = [await person(), await person()];
    const voter = await person();
    const first = await threadWithPoll(kept);
    const second = await threadWithPoll(gone);
    await castVote(voter, second.threadId, second.pollId, [second.option("Montag")], T0);
    await deleteAccount(kept, { password: "ein-gutes-passwort", posts: "keep" });
    await deleteAccount(gone, { password: "ein-gutes-passwort", posts: "delete" });
    const [keptPoll] = await db().select().from(polls).where(eq(polls.id, first.pollId));
    expect(keptPoll).toMatchObject({ createdBy: null, question: "Welcher Tag passt?" });
    expect(await db().select().from(polls).where(eq(polls.id, second.pollId))).toHaveLength(0);
    expect(await db().select().from(pollOptions).where(eq(pollOptions.pollId, second.pollId))).toHaveLength(0);
    expect(await voteRows(second.pollId)).toBe(0);
    // Its thread is gone too (nobody else answered), so no page shows a question without its poll.
    const [row] = await db()
      .select({ deleted: sql<boolean>`${threads.deletedAt} is not null` })
      .from(threads)
      .where(eq(threads.id, second.threadId));
    expect(row.deleted).toBe(true);
  });
});
