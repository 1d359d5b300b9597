import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../setup/db.ts";
import { categories, mailOutbox, materials, notifications, roundEvents, threads } from "../../db/schema/index.ts";
import { parseEnv } from "../../app/env.server.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import {
  askQuestion,
  cancelRegistration,
  createRound,
  getRoundView,
  listRounds,
  registerForRound,
  setRoundWatch,
  voteQuestion,
} from "../../app/models/rounds/rounds.server.ts";
import {
  eventsSince,
  joinLiveRound,
  liveState,
  postChat,
  saveNotes,
  setHand,
} from "../../app/models/rounds/live.server.ts";
import { closeRoom, hostCommand, openRoom } from "../../app/models/rounds/host.server.ts";
import { publishOutcome } from "../../app/models/rounds/outcome.server.ts";
import {
  personalCalendar,
  renewCalendarToken,
  revokeCalendarToken,
  roundIcs,
} from "../../app/models/rounds/calendar.server.ts";
import { runRoundJobs } from "../../app/models/rounds/jobs.server.ts";
import { enqueueMails, deliverOutbox } from "../../app/models/mail/outbox.server.ts";
import { listLibrary } from "../../app/models/library/materials.server.ts";
import { ForbiddenError, InputError } from "../../app/models/errors.server.ts";
import { roundFormSchema } from "../../app/schemas/rounds.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-rounds-"));
let n = 0;
let moderator: Actor;
let members: Actor[];

async function person(role: Actor["role"] = "member"): Promise<Actor> {
  n++;
  const { id } = await createUser({
    email: `r${n}@example.org`,
    displayName: `Person ${n}`,
    handle: `person-${n}`,
    password: "ein-gutes-passwort",
    role,
  });
  return { id, role };
}

const inDays = (days: number, hours = 0) => new Date(Date.now() + days * 86_400_000 + hours * 3_600_000);
const berlin = (d: Date) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", dateStyle: "short", timeStyle: "short" })
    .format(d)
    .replace(" ", "T");

async function newRound(overrides: Record<string, string> = {}, startsAt = inDays(3)) {
  const form = roundFormSchema.parse({
    title: "eAkte im Lerngespräch",
    description: "Wie arbeiten wir mit der eAkte?",
    startsAt: berlin(startsAt),
    endsAt: berlin(new Date(startsAt.getTime() + 90 * 60_000)),
    registrationDeadline: berlin(new Date(startsAt.getTime() - 60 * 60_000)),
    capacity: "2",
    conferenceUrl: "https://konferenz.example.org/raum/42",
    hosts: "",
    agenda: "Ankommen\nImpuls\nAustausch",
    ...overrides,
  });
  return createRound(moderator, form);
}

beforeAll(async () => {
  globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir, PUBLIC_URL: "https://netzwerk.example.org" });
  await db().insert(categories).values({ slug: "materialien", name: "Fragen zu Materialien" });
  moderator = await person("moderator");
  members = [await person(), await person(), await person(), await person()];
});
afterAll(() => {
  globalThis.__companionEnv = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("scheduling and registration", () => {
  it("only moderators schedule; unknown host handles are refused", async () => {
    const form = roundFormSchema.parse({
      title: "Test",
      startsAt: "2030-01-10T10:00",
      endsAt: "2030-01-10T11:00",
      registrationDeadline: "2030-01-09T10:00",
      capacity: "10",
      hosts: "@niemand",
    });
    await expect(createRound(members[0], form)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createRound(moderator, form)).rejects.toMatchObject({ field: "hosts" });
    // A member named as host hosts that round (and no other).
    const { id } = await createRound(moderator, { ...form, hosts: ["person-2"] });
    expect((await getRoundView(members[0], id))?.may.host).toBe(true);
    expect((await getRoundView(members[1], id))?.may.host).toBe(false);
  });

  it("form: the end before the start and a deadline after the start are refused with German messages", () => {
    const result = roundFormSchema.safeParse({
      title: "Test",
      startsAt: "2030-01-10T10:00",
      endsAt: "2030-01-10T09:00",
      registrationDeadline: "2030-01-11T10:00",
      capacity: "1",
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    expect(messages).toContain("capacity: Eine Dialogrunde braucht mindestens 2 Plätze.");
  });

  it("a full round puts members on the waiting list; a cancellation moves the first up and tells them", async () => {
    const { id } = await newRound();
    const [a, b, c, d] = members;
    expect(await registerForRound(a, id)).toBe("registered");
    expect(await registerForRound(b, id)).toBe("registered");
    expect(await registerForRound(c, id)).toBe("waiting");
    expect(await registerForRound(d, id)).toBe("waiting");
    expect(await registerForRound(c, id)).toBe("waiting"); // twice changes nothing
    expect((await getRoundView(d, id))?.my).toMatchObject({ status: "waiting", waitingPlace: 2 });

    await cancelRegistration(a, id);
    const viewC = await getRoundView(c, id);
    expect(viewC?.my.status).toBe("registered");
    expect(viewC?.registeredCount).toBe(2);
    expect((await getRoundView(d, id))?.my).toMatchObject({ status: "waiting", waitingPlace: 1 });
    const told = await db().select().from(notifications).where(eq(notifications.userId, c.id));
    expect(told.map((t) => [t.type, t.roundId])).toEqual([["round_promoted", id]]);
    const mails = await db()
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.to, `r${n - 1}@example.org`));
    expect(mails[0]?.subject).toContain("Du hast einen Platz");

    // Registering again after cancelling goes to the back of the line.
    expect(await registerForRound(a, id)).toBe("waiting");
    expect((await getRoundView(a, id))?.my.waitingPlace).toBe(2);
  });

  it("registrants ask questions in advance and upvote others'; hosts see them ranked", async () => {
    const { id } = await newRound({ capacity: "10" });
    const [a, b, c] = members;
    await expect(askQuestion(a, id, "Wie gehe ich mit Datenschutz um?")).rejects.toBeInstanceOf(ForbiddenError);
    await registerForRound(a, id);
    await registerForRound(b, id);
    await registerForRound(c, id);
    await askQuestion(a, id, "Wie gehe ich mit Datenschutz um?");
    await askQuestion(b, id, "Welche Vorlagen gibt es für die eAkte?");
    const questions = (await getRoundView(moderator, id))!.questions;
    const second = questions.find((q) => q.text.startsWith("Welche"))!;
    await voteQuestion(a, second.id, true);
    await voteQuestion(c, second.id, true);
    await voteQuestion(c, second.id, true); // once per member
    await expect(voteQuestion(b, second.id, true)).rejects.toBeInstanceOf(InputError);
    const ranked = (await getRoundView(moderator, id))!.questions;
    expect(ranked.map((q) => [q.text.slice(0, 6), q.votes])).toEqual([
      ["Welche", 2],
      ["Wie ge", 0],
    ]);
    expect((await getRoundView(c, id))!.questions[0].voted).toBe(true);
  });

  it("lists upcoming and past rounds", async () => {
    const list = await listRounds(members[0], 1);
    expect(list.upcoming.length).toBeGreaterThan(0);
    expect(list.upcoming.every((r) => r.startsAt > new Date())).toBe(true);
    expect(list.may.schedule).toBe(false);
  });
});

describe("live room", () => {
  let id: string;
  const [a, b, outsider] = [0, 1, 3].map((i) => () => members[i]);

  beforeAll(async () => {
    ({ id } = await newRound({ capacity: "10" }));
    await registerForRound(a(), id);
    await registerForRound(b(), id);
  });

  it("nobody but hosts opens the room; members cannot join before, outsiders never", async () => {
    await expect(joinLiveRound(a(), id, 0)).rejects.toThrow("nicht geöffnet");
    await expect(openRoom(a(), id)).rejects.toBeInstanceOf(ForbiddenError);
    await openRoom(moderator, id);
    await expect(joinLiveRound(outsider(), id, 0)).rejects.toBeInstanceOf(ForbiddenError);
    const joined = await joinLiveRound(a(), id, 0);
    expect(joined.state.status).toBe("live");
    expect(joined.events.map((e) => e.kind)).toEqual(["status"]);
  });

  it("chat is numbered per room; a resent clientId stores nothing new; since N gives the rest in order", async () => {
    const first = await postChat(a(), id, "Hallo zusammen!", "c-1");
    const again = await postChat(a(), id, "Hallo zusammen!", "c-1");
    expect(again.seq).toBe(first.seq);
    const second = await postChat(b(), id, "Guten Morgen", "c-1");
    expect(second.seq).toBe(first.seq + 1);
    const { events } = await eventsSince(id, first.seq - 1);
    expect(events.map((e) => [e.seq, e.text, e.authorName])).toEqual([
      [first.seq, "Hallo zusammen!", "Person 2"],
      [second.seq, "Guten Morgen", "Person 3"],
    ]);
    const rows = await db().select().from(roundEvents).where(eq(roundEvents.roundId, id));
    expect(rows.filter((r) => r.kind === "chat")).toHaveLength(2);
  });

  it("hand-raise queue: time order, the host gives the floor to the next, people lower their own hand", async () => {
    await setHand(b(), id, true, new Date(Date.now() - 1000));
    await setHand(a(), id, true, new Date());
    expect((await liveState(id)).queue.map((q) => q.userId)).toEqual([b().id, a().id]);
    await expect(hostCommand(a(), id, { action: "floor" })).rejects.toBeInstanceOf(ForbiddenError);
    await hostCommand(moderator, id, { action: "floor" });
    let state = await liveState(id);
    expect(state.speakerId).toBe(b().id);
    expect(state.queue.map((q) => q.userId)).toEqual([a().id]);
    await setHand(a(), id, false);
    state = await liveState(id);
    expect(state.queue).toEqual([]);
    await expect(hostCommand(moderator, id, { action: "floor" })).rejects.toThrow("Niemand hat sich gemeldet");
  });

  it("host controls: agenda, pin, mute, scribe, remove", async () => {
    await hostCommand(moderator, id, { action: "agenda", to: "next" });
    expect((await liveState(id)).agendaIndex).toBe(1);
    const { seq } = await postChat(a(), id, "Wichtiger Hinweis", "pin-me");
    await hostCommand(moderator, id, { action: "pin", seq });
    expect((await liveState(id)).pinnedSeq).toBe(seq);

    await hostCommand(moderator, id, { action: "mute", userId: a().id });
    await expect(postChat(a(), id, "Darf ich?", "m-1")).rejects.toThrow("stummgeschaltet");
    await hostCommand(moderator, id, { action: "unmute", userId: a().id });
    await postChat(a(), id, "Danke", "m-2");

    await expect(saveNotes(b(), id, "Notiz", "n-1")).rejects.toBeInstanceOf(ForbiddenError);
    await hostCommand(moderator, id, { action: "scribe", userId: b().id });
    await saveNotes(b(), id, "## Protokoll\n- Punkt eins", "n-2");
    expect((await joinLiveRound(a(), id, 0)).notes).toContain("Punkt eins");

    await hostCommand(moderator, id, { action: "remove", userId: b().id });
    await expect(joinLiveRound(b(), id, 0)).rejects.toThrow("entfernt");
    await expect(postChat(b(), id, "Bin wieder da", "r-1")).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("after closing, the host publishes the result: a published library material and a linked thread; registrants are told", async () => {
    await setRoundWatch(outsider(), id, true);
    await expect(
      publishOutcome(moderator, id, {
        title: "Ergebnis",
        summary: "",
        notes: "Zusammenfassung der Runde",
        highlights: [],
      }),
    ).rejects.toThrow("Schließe zuerst");
    await closeRoom(moderator, id);
    await expect(postChat(a(), id, "Noch was", "late")).rejects.toBeInstanceOf(ForbiddenError);
    const chat = (await eventsSince(id, 0)).events.filter((e) => e.kind === "chat");
    await expect(
      publishOutcome(a(), id, { title: "Ergebnis", summary: "", notes: "x".repeat(20), highlights: [] }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const result = await publishOutcome(moderator, id, {
      title: "Ergebnis: eAkte im Lerngespräch",
      summary: "Was wir zur eAkte gelernt haben.",
      notes: "## Kernpunkte\n\n- Die eAkte früh einführen\n- Vorlagen teilen",
      highlights: [chat[0].seq, 9999],
    });
    const [material] = await db().select().from(materials).where(eq(materials.id, result.materialId));
    expect(material).toMatchObject({
      type: "round_outcome",
      status: "published",
      title: "Ergebnis: eAkte im Lerngespräch",
    });
    expect(material.bodyText).toContain("Vorlagen teilen");
    expect(material.bodyText).toContain("Hallo zusammen!");
    expect(result.threadId).toBeTruthy();
    const [thread] = await db().select().from(threads).where(eq(threads.id, result.threadId!));
    expect(thread.title).toContain("Ergebnis: eAkte im Lerngespräch");
    const library = await listLibrary({ type: "round_outcome", sort: "neu", page: 1 });
    expect(library.materials.map((m) => m.id)).toContain(result.materialId);
    const view = await getRoundView(a(), id);
    expect(view?.round).toMatchObject({ status: "published", outcomeMaterialId: result.materialId });
    for (const person of [a(), outsider()]) {
      const told = await db().select().from(notifications).where(eq(notifications.userId, person.id));
      expect(told.some((t) => t.type === "round_outcome" && t.roundId === id)).toBe(true);
    }
    await expect(
      publishOutcome(moderator, id, { title: "Nochmal", summary: "", notes: "x".repeat(20), highlights: [] }),
    ).rejects.toThrow("schon veröffentlicht");
  });
});

describe("calendar", () => {
  it("one round as .ics; the personal feed lists own rounds until the token is revoked", async () => {
    const { id } = await newRound({ capacity: "5", title: "Kalender, Runde; Test" });
    // Lines are folded at 75 octets; unfold before reading.
    const ics = (await roundIcs(id))?.replace(/\r\n /g, "");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toContain("SUMMARY:Dialogrunde: Kalender\\, Runde\\; Test");
    expect(ics).toContain(`URL:https://netzwerk.example.org/dialogrunden/${id}`);
    await registerForRound(members[2], id);
    const token = await renewCalendarToken(members[2]);
    const feed = (await personalCalendar(token))?.replace(/\r\n /g, "");
    expect(feed).toContain(`dialogrunde-${id}@netzwerk.example.org`);
    expect(await personalCalendar("a".repeat(32))).toBeNull();
    await revokeCalendarToken(members[2]);
    expect(await personalCalendar(token)).toBeNull();
  });
});

describe("reminders and mail", () => {
  it("24 hours and 15 minutes before, in the app and by mail, each once, written as .eml without SMTP", async () => {
    const startsAt = inDays(2);
    const { id } = await newRound({ capacity: "5", title: "Erinnerungsrunde" }, startsAt);
    await registerForRound(members[0], id);
    const early = await runRoundJobs(new Date(startsAt.getTime() - 25 * 3600_000));
    expect(early.reminded).toBe(0);
    const day = await runRoundJobs(new Date(startsAt.getTime() - 23 * 3600_000));
    expect(day.reminded).toBe(1);
    expect((await runRoundJobs(new Date(startsAt.getTime() - 22 * 3600_000))).reminded).toBe(0);
    const soon = await runRoundJobs(new Date(startsAt.getTime() - 10 * 60_000));
    expect(soon.reminded).toBe(1);
    const reminders = await db().select().from(notifications).where(eq(notifications.roundId, id));
    expect(reminders.map((r) => r.type)).toEqual(["round_reminder", "round_reminder"]);
    const files = fs.readdirSync(path.join(dataDir, "mail"));
    const texts = files.map((f) => fs.readFileSync(path.join(dataDir, "mail", f), "utf8"));
    expect(texts.some((t) => /Subject: .*Erinnerungsrunde/.test(t) || t.includes("Erinnerungsrunde"))).toBe(true);
    const pending = await db().select().from(mailOutbox).where(eq(mailOutbox.status, "pending"));
    expect(pending).toEqual([]);
  });

  it("an SMTP outage loses nothing: the mail stays in the outbox and goes out when the server is back", async () => {
    // A port nobody listens on: the first attempt fails.
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir, SMTP_URL: `smtp://127.0.0.1:${port}` });
    const now = new Date();
    await enqueueMails(
      [{ to: "ziel@example.org", subject: "Test", text: "Hallo", html: "<p>Hallo</p>", dedupeKey: "outage-test" }],
      now,
    );
    expect(await deliverOutbox(now)).toEqual({ sent: 0, failed: 1 });
    let [row] = await db().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, "outage-test"));
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());

    // A minimal SMTP server on that port accepts the retry.
    const received: string[] = [];
    const smtp = net.createServer((socket) => {
      let data = false;
      let buffer = "";
      socket.write("220 test ESMTP\r\n");
      socket.on("data", (chunk) => {
        buffer += chunk.toString();
        let index: number;
        while (data ? (index = buffer.indexOf("\r\n.\r\n")) >= 0 : (index = buffer.indexOf("\r\n")) >= 0) {
          if (data) {
            received.push(buffer.slice(0, index));
            buffer = buffer.slice(index + 5);
            data = false;
            socket.write("250 OK\r\n");
            continue;
          }
          const line = buffer.slice(0, index);
          buffer = buffer.slice(index + 2);
          if (/^EHLO/i.test(line)) socket.write("250-test\r\n250 8BITMIME\r\n");
          else if (/^DATA/i.test(line)) {
            data = true;
            socket.write("354 go\r\n");
          } else if (/^QUIT/i.test(line)) socket.end("221 bye\r\n");
          else socket.write("250 OK\r\n");
        }
      });
    });
    await new Promise<void>((r) => smtp.listen(port, "127.0.0.1", r));
    try {
      expect(await deliverOutbox(now)).toEqual({ sent: 0, failed: 0 }); // not due yet
      expect(await deliverOutbox(new Date(now.getTime() + 2 * 60_000))).toEqual({ sent: 1, failed: 0 });
      [row] = await db().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, "outage-test"));
      expect(row).toMatchObject({ status: "sent", attempts: 2 });
      expect(received.join("")).toContain("Hallo");
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
      globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir, PUBLIC_URL: "https://netzwerk.example.org" });
    }
  });
});
