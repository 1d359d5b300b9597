/**
 * Polls in the content exchange on the real database (ADR 032): a thread's poll goes out with its question, options,
 * kind, closing time and totals, and comes back in with the same totals; who voted is never in the export. Votes
 * cast after an import add to the imported totals, a second import of the same file changes nothing, and impossible
 * totals are refused line by line before anything is written.
 */
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { engine, openTestDatabase, useTestDatabase } from "../setup/db.ts";
import { categories, pollVotes, threads } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { castVote, pollForThread, pollTotals } from "../../app/models/discussions/polls.server.ts";
import { exportContent, importContent, validateImport } from "../../app/models/content/exchange.server.ts";
import { setDatabase } from "../../app/models/db.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const T0 = new Date("2031-05-06T09:00:00Z");

type Person = Actor & { name: string; email: string; handle: string };
let n = 0;
async function person(): Promise<Person> {
  n++;
  const p = { name: `Stimmperson Nummer${n}`, email: `stimme${n}@example.org`, handle: `stimmperson-${n}` };
  const { id } = await createUser({
    email: p.email,
    displayName: p.name,
    handle: p.handle,
    password: "ein-gutes-passwort",
  });
  return { id, role: "member", ...p };
}

/** A thread with a multiple-choice poll asked here, and real votes of three members. */
async function votedPoll() {
  const author = await person();
  const voters = [await person(), await person(), await person()];
  await handle().db.insert(categories).values({ slug: "verbund", name: "Lokaler Verbund", position: 1 });
  const { id } = await createThread(author, {
    categorySlug: "verbund",
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
      question: "Welche Tage passen euch?",
      options: ["Montag", "Mittwoch", "Freitag"],
      multiple: true,
      closesAt: new Date("2031-06-01T16:00:00Z"),
    },
  });
  const view = (await pollForThread(author, id, true, T0))!;
  const option = (label: string) => view.options.find((o) => o.label === label)!.id;
  await castVote(voters[0], id, view.id, [option("Montag"), option("Mittwoch")], T0);
  await castVote(voters[1], id, view.id, [option("Mittwoch")], T0);
  await castVote(voters[2], id, view.id, [option("Mittwoch"), option("Freitag")], T0);
  return { author, voters, threadId: id, pollId: view.id };
}

const expectedLine = (threadRef: string) => ({
  kind: "poll",
  thread: threadRef,
  question: "Welche Tage passen euch?",
  multiple: true,
  closesAt: "2031-06-01T16:00:00.000Z",
  voters: 3,
  options: [
    { label: "Montag", votes: 1 },
    { label: "Mittwoch", votes: 3 },
    { label: "Freitag", votes: 1 },
  ],
});

describe(`polls in the content exchange on ${engine}`, () => {
  it("exports a poll with its totals only, imports it into an empty database with the same totals, and exports it again unchanged", async () => {
    const { voters, threadId } = await votedPoll();
    const first = await exportContent();
    const pollLines = first.filter((l) => l.includes('"kind":"poll"'));
    expect(pollLines.map((l) => JSON.parse(l))).toEqual([expectedLine(threadId)]);
    // The poll follows its thread, so an import finds the thread above it.
    expect(first.findIndex((l) => l.includes('"kind":"poll"'))).toBeGreaterThan(
      first.findIndex((l) => l.includes(`"ref":"${threadId}"`)),
    );
    // Who voted is nowhere but in the member lines (every member is exported as such): no other line names a voter.
    const content = first.filter((l) => !l.includes('"kind":"member"')).join("\n");
    for (const v of voters) for (const trace of [v.id, v.email, v.name, v.handle]) expect(content).not.toContain(trace);

    const other = await openTestDatabase();
    try {
      setDatabase(other.handle);
      const checked = await validateImport(first.join("\n"));
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      expect((await importContent(checked.items)).polls).toBe(1);
      const [thread] = await other.handle.db
        .select({ id: threads.id })
        .from(threads)
        .where(eq(threads.importRef, threadId));
      const [{ id: readerId }] = await other.handle.rows<{ id: string }>(
        sql`select id from users where email = ${voters[0].email}`,
      );
      const reader = { id: readerId, role: "member" as const };
      const view = (await pollForThread(reader, thread.id, true, T0))!;
      expect({
        question: view.question,
        multiple: view.multiple,
        closesAt: view.closesAt,
        voters: view.voters,
      }).toEqual({
        question: "Welche Tage passen euch?",
        multiple: true,
        closesAt: "2031-06-01T16:00:00.000Z",
        voters: 3,
      });
      expect(view.options.map((o) => [o.label, o.votes])).toEqual([
        ["Montag", 1],
        ["Mittwoch", 3],
        ["Freitag", 1],
      ]);
      // The totals came as counts: no vote rows, so nobody is recorded as having voted.
      expect(await other.handle.db.select().from(pollVotes)).toEqual([]);
      expect(await exportContent()).toEqual(first);
    } finally {
      setDatabase(handle());
      await other.handle.close();
    }
  });

  it("adds votes cast here to imported totals, and a second import of the same file keeps both", async () => {
    const file = [
      { kind: "member", email: "anna@example.org", name: "Anna Berg", handle: "anna-berg" },
      { kind: "category", slug: "praxis", name: "Praxis" },
      {
        kind: "thread",
        ref: "t1",
        category: "praxis",
        type: "question",
        title: "Wie lang ist euer erstes Gespräch?",
        body: "Ich frage in die Runde.",
        author: "anna@example.org",
        createdAt: "2031-01-02T10:00:00Z",
      },
      {
        kind: "poll",
        thread: "t1",
        question: "Wie lange dauert das erste Lerngespräch?",
        voters: 7,
        options: [
          { label: "bis 30 Minuten", votes: 2 },
          { label: "30 bis 60 Minuten", votes: 4 },
          { label: "länger", votes: 1 },
        ],
      },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const checked = await validateImport(file);
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    await importContent(checked.items);
    const [thread] = await handle().db.select({ id: threads.id }).from(threads).where(eq(threads.importRef, "t1"));
    const voter = await person();
    const view = (await pollForThread(voter, thread.id, true, T0))!;
    expect({ multiple: view.multiple, closesAt: view.closesAt }).toEqual({ multiple: false, closesAt: null });
    await castVote(voter, thread.id, view.id, [view.options[2].id], T0);
    const totals = async () => {
      const t = await pollTotals(view.id);
      return { voters: t.voters, votes: t.options.map((o) => o.votes) };
    };
    expect(await totals()).toEqual({ voters: 8, votes: [2, 4, 2] });
    const again = await validateImport(file);
    if (!again.ok) throw new Error("second validation failed");
    await importContent(again.items);
    expect(await totals()).toEqual({ voters: 8, votes: [2, 4, 2] });
    const [{ polls }] = await handle().rows<{ polls: number }>(
      sql`select count(*)::int as polls from polls where thread_id = ${thread.id}`,
    );
    expect(polls).toBe(1);
  });

  it("refuses impossible polls with their line numbers and writes nothing", async () => {
    const count = async () => (await handle().rows<{ n: number }>(sql`select count(*)::int as n from polls`))[0].n;
    const before = await count();
    const head = [
      { kind: "member", email: "anna@example.org", name: "Anna Berg", handle: "anna-berg" },
      { kind: "category", slug: "praxis", name: "Praxis" },
      {
        kind: "thread",
        ref: "t1",
        category: "praxis",
        type: "question",
        title: "Wie lang ist euer erstes Gespräch?",
        body: "Frage.",
        author: "anna@example.org",
        createdAt: "2031-01-02T10:00:00Z",
      },
    ];
    const two = [
      { label: "ja", votes: 1 },
      { label: "nein", votes: 1 },
    ];
    const bad = [
      {
        kind: "poll",
        thread: "t1",
        question: "Mehr Stimmen als Leute?",
        voters: 1,
        options: [
          { label: "ja", votes: 2 },
          { label: "nein", votes: 0 },
        ],
      },
      { kind: "poll", thread: "t1", question: "Summe passt nicht?", voters: 5, options: two },
      { kind: "poll", thread: "t1", question: "Mehr Leute als Stimmen?", multiple: true, voters: 3, options: two },
      { kind: "poll", thread: "t2", question: "Unbekannte Diskussion?", voters: 2, options: two },
      { kind: "poll", thread: "t1", question: "Nur eine Antwort?", voters: 0, options: [{ label: "ja", votes: 0 }] },
      { kind: "poll", thread: "t1", question: "Zweite Umfrage?", voters: 2, options: two },
      { kind: "poll", thread: "t1", question: "Dritte Umfrage?", voters: 2, options: two },
    ];
    const result = await validateImport([...head, ...bad].map((l) => JSON.stringify(l)).join("\n"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byLine = Object.fromEntries(result.errors.map((e) => [e.line, e.message]));
    expect(byLine[4]).toContain("keine Antwort kann mehr Stimmen haben");
    expect(byLine[5]).toContain("Summe der Stimmen");
    expect(byLine[6]).toContain("jede Person wählt mindestens eine Antwort");
    expect(byLine[7]).toContain("Diskussion „t2“ ist unbekannt");
    expect(byLine[8]).toContain("mindestens 2 Antwortmöglichkeiten");
    // Line 9 is the file's first valid poll for t1; line 10 is a second one.
    expect(byLine[9]).toBeUndefined();
    expect(byLine[10]).toContain("hat in dieser Datei schon eine Umfrage");
    expect(await count()).toBe(before);
  });
});
