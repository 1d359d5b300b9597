import { describe, expect, test } from "vitest";
import { giveFloor, lowerHand, orderQueue, placeInQueue, raiseHand } from "../../app/domain/rounds/queue.ts";
import { placeFor, promotions, waitingPlace, type Registration } from "../../app/domain/rounds/waitlist.ts";
import { moveAgenda, parseAgendaLines } from "../../app/domain/rounds/agenda.ts";
import { dueReminder, registrationOpen } from "../../app/domain/rounds/schedule.ts";
import { parseBerlinLocal, toBerlinLocal } from "../../app/domain/time.ts";
import { takeToken, type Bucket } from "../../app/domain/rounds/throttle.ts";
import { calendar, foldLine } from "../../app/domain/rounds/ics.ts";
import { contiguousUpTo, mergeEvents } from "../../app/domain/rounds/replay.ts";
import { can, type RoundFacts } from "../../app/auth/permissions.ts";
import { clientPayloads } from "../../app/schemas/realtime.ts";

const t = (s: number) => new Date(Date.UTC(2026, 10, 25, 14, 0, s));

describe("hand-raise queue", () => {
  test("ordered by the time the hand went up; raising again keeps the place; lowering leaves the queue", () => {
    let q = raiseHand([], "c", t(3));
    q = raiseHand(q, "a", t(1));
    q = raiseHand(q, "b", t(2));
    expect(q.map((h) => h.userId)).toEqual(["a", "b", "c"]);
    q = raiseHand(q, "a", t(9));
    expect(q.map((h) => h.userId)).toEqual(["a", "b", "c"]);
    expect(placeInQueue(q, "c")).toBe(3);
    q = lowerHand(q, "b");
    expect(q.map((h) => h.userId)).toEqual(["a", "c"]);
    expect(placeInQueue(q, "b")).toBeNull();
  });

  test("same second: ordered by id, so every process agrees", () => {
    expect(
      orderQueue([
        { userId: "z", raisedAt: t(1) },
        { userId: "m", raisedAt: t(1) },
      ]).map((h) => h.userId),
    ).toEqual(["m", "z"]);
  });

  test("the floor goes to the first in line, or to the chosen person; the speaker leaves the queue", () => {
    const q = [
      { userId: "b", raisedAt: t(2) },
      { userId: "a", raisedAt: t(1) },
      { userId: "c", raisedAt: t(3) },
    ];
    expect(giveFloor(q)).toEqual({ speakerId: "a", queue: [q[0], q[2]] });
    expect(giveFloor(q, "c")?.speakerId).toBe("c");
    expect(giveFloor(q, "c")?.queue.map((h) => h.userId)).toEqual(["a", "b"]);
    expect(giveFloor([], null)).toBeNull();
    expect(giveFloor(q, "x")).toBeNull();
  });
});

describe("waiting list", () => {
  const r = (userId: string, status: Registration["status"], s: number): Registration => ({
    userId,
    status,
    queuedAt: t(s),
  });

  test("full rounds put new registrations on the waiting list", () => {
    expect(placeFor(1, 2)).toBe("registered");
    expect(placeFor(2, 2)).toBe("waiting");
  });

  test("after a cancellation the longest waiting move up, as many as there are places", () => {
    const list = [
      r("a", "registered", 1),
      r("b", "cancelled", 2),
      r("w2", "waiting", 5),
      r("w1", "waiting", 4),
      r("w3", "waiting", 6),
    ];
    expect(promotions(list, 2)).toEqual(["w1"]);
    expect(promotions(list, 3)).toEqual(["w1", "w2"]);
    expect(promotions(list, 1)).toEqual([]);
    expect(waitingPlace(list, "w2")).toBe(2);
    expect(waitingPlace(list, "a")).toBeNull();
  });
});

describe("agenda", () => {
  test("moves one step and stops at the ends; jumps are clamped", () => {
    expect(moveAgenda(0, 3, "next")).toBe(1);
    expect(moveAgenda(2, 3, "next")).toBe(2);
    expect(moveAgenda(0, 3, "previous")).toBe(0);
    expect(moveAgenda(0, 3, 7)).toBe(2);
    expect(moveAgenda(0, 0, "next")).toBe(0);
  });
  test("one item per line; list markers and blank lines dropped", () => {
    expect(parseAgendaLines("1. Ankommen\n\n- Impuls\n* Austausch  \r\nAbschluss")).toEqual([
      "Ankommen",
      "Impuls",
      "Austausch",
      "Abschluss",
    ]);
  });
});

describe("schedule", () => {
  test("reminders: 24 hours before until 15 minutes before, then the short one", () => {
    const start = new Date("2026-11-25T13:00:00Z");
    expect(dueReminder(start, new Date("2026-11-24T12:59:00Z"))).toBeNull();
    expect(dueReminder(start, new Date("2026-11-24T13:00:00Z"))).toBe("24h");
    expect(dueReminder(start, new Date("2026-11-25T12:44:00Z"))).toBe("24h");
    expect(dueReminder(start, new Date("2026-11-25T12:45:00Z"))).toBe("15min");
    expect(dueReminder(start, new Date("2026-11-25T13:00:00Z"))).toBeNull();
  });

  test("form times are Berlin time, summer and winter", () => {
    expect(parseBerlinLocal("2026-11-25T14:00")).toEqual({ ok: true, at: new Date("2026-11-25T13:00:00.000Z") });
    expect(parseBerlinLocal("2026-07-01T09:30")).toEqual({ ok: true, at: new Date("2026-07-01T07:30:00.000Z") });
    expect(parseBerlinLocal("25.11.2026 14:00")).toMatchObject({ ok: false, skipped: false });
    expect(toBerlinLocal(new Date("2026-11-25T13:00:00Z"))).toBe("2026-11-25T14:00");
  });

  test("registration closes at the deadline and when the round is no longer scheduled", () => {
    const round = { startsAt: t(100), endsAt: t(200), registrationDeadline: t(50), status: "scheduled" as const };
    expect(registrationOpen(round, t(50))).toBe(true);
    expect(registrationOpen(round, t(51))).toBe(false);
    expect(registrationOpen({ ...round, status: "live" }, t(10))).toBe(true);
    expect(registrationOpen({ ...round, status: "closed" }, t(10))).toBe(false);
  });
});

describe("throttle", () => {
  test("a client sending 50 a second gets its burst, then about the rate; another bucket is untouched", () => {
    let bucket: Bucket | undefined;
    let accepted = 0;
    for (let i = 0; i < 50; i++) {
      const r = takeToken(bucket, 1000 + i * 20, 5, 10);
      bucket = r.bucket;
      if (r.ok) accepted++;
    }
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThanOrEqual(15);
    expect(takeToken(undefined, 2000, 5, 10).ok).toBe(true);
  });
});

describe("calendar", () => {
  test("escapes text, folds long lines at 75 octets, uses UTC times", () => {
    const text = calendar(
      "Runde",
      [
        {
          uid: "dialogrunde-1@example.org",
          title: "Dialogrunde: eAkte, Bürgergeld; und mehr",
          description: "Zeile eins\nZeile zwei " + "ä".repeat(60),
          startsAt: new Date("2026-11-25T13:00:00Z"),
          endsAt: new Date("2026-11-25T14:30:00Z"),
          url: "https://example.org/dialogrunden/1",
          location: null,
          updatedAt: new Date("2026-11-01T00:00:00Z"),
        },
      ],
      new Date("2026-11-20T00:00:00Z"),
    );
    expect(text).toContain("DTSTART:20261125T130000Z\r\n");
    expect(text).toContain("SUMMARY:Dialogrunde: eAkte\\, Bürgergeld\\; und mehr");
    expect(text).toContain("Zeile eins\\nZeile zwei");
    for (const line of text.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(foldLine("a".repeat(80))).toBe("a".repeat(75) + "\r\n " + "a".repeat(5));
  });
});

describe("replay merge", () => {
  test("events from live, join and replay in any order, each once, in order", () => {
    const e = (seq: number) => ({ seq, text: `m${seq}` });
    let known = mergeEvents([], [e(1), e(2)]);
    known = mergeEvents(known, [e(5)]);
    expect(contiguousUpTo(known)).toBe(2);
    known = mergeEvents(known, [e(2), e(3), e(4), e(5)]);
    expect(known.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(contiguousUpTo(known)).toBe(5);
    expect(mergeEvents(known, [e(3)])).toBe(known);
  });
});

describe("permissions in rounds", () => {
  const base: RoundFacts = {
    status: "live",
    hostIds: ["host"],
    registered: false,
    removed: false,
    muted: false,
    scribe: false,
  };
  const member = { id: "m", role: "member" as const };
  const room = "round:r1";
  test("the live room is for registrants and hosts; removed people and non-registrants stay out", () => {
    expect(can(member, "join", { type: "room", name: room, round: base })).toBe(false);
    expect(can(member, "join", { type: "room", name: room, round: { ...base, registered: true } })).toBe(true);
    expect(can(member, "join", { type: "room", name: room, round: { ...base, registered: true, removed: true } })).toBe(
      false,
    );
    expect(
      can(member, "join", { type: "room", name: room, round: { ...base, registered: true, status: "scheduled" } }),
    ).toBe(false);
    expect(can({ id: "host", role: "member" }, "join", { type: "room", name: room, round: base })).toBe(true);
    expect(can(member, "join", { type: "room", name: room })).toBe(false);
  });
  test("only hosts (and moderators) host; muted members cannot speak; the scribe writes notes", () => {
    expect(can(member, "hostRound", { type: "round", round: { ...base, registered: true } })).toBe(false);
    expect(can({ id: "host", role: "member" }, "hostRound", { type: "round", round: base })).toBe(true);
    expect(can({ id: "x", role: "moderator" }, "hostRound", { type: "round", round: base })).toBe(true);
    expect(can(member, "speakInRound", { type: "round", round: { ...base, registered: true, muted: true } })).toBe(
      false,
    );
    expect(can(member, "writeNotes", { type: "round", round: { ...base, registered: true } })).toBe(false);
    expect(can(member, "writeNotes", { type: "round", round: { ...base, registered: true, scribe: true } })).toBe(true);
    expect(can(member, "scheduleRound")).toBe(false);
  });
});

describe("socket payloads", () => {
  const id = "3f1c2a7e-1111-4222-8333-444455556666";
  test("chat over 4 KB (in bytes, not characters) is refused; malformed ids and unknown commands too", () => {
    expect(
      clientPayloads["round:chat"].safeParse({ roundId: id, clientId: "c1", text: "a".repeat(4096) }).success,
    ).toBe(true);
    expect(
      clientPayloads["round:chat"].safeParse({ roundId: id, clientId: "c1", text: "ä".repeat(2049) }).success,
    ).toBe(false);
    expect(clientPayloads["round:chat"].safeParse({ roundId: id, clientId: "c1", text: "   " }).success).toBe(false);
    expect(clientPayloads["round:chat"].safeParse({ roundId: "x", clientId: "c1", text: "hi" }).success).toBe(false);
    expect(
      clientPayloads["round:host"].safeParse({ roundId: id, command: { action: "ban", userId: id } }).success,
    ).toBe(false);
    expect(clientPayloads["round:react"].safeParse({ roundId: id, kind: "<script>" }).success).toBe(false);
  });
});
