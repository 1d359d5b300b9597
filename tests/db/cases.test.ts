/**
 * Kollegiale Fallberatung against the real database (PGlite and PostgreSQL 15): the group, phase gating, the
 * server's clock with a chosen `now`, deadlines, reminders, the retention purge and publishing a learning.
 */
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import {
  caseConsultations,
  caseContributions,
  caseParticipants,
  categories,
  materials,
  notifications,
  posts,
  threads,
} from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import {
  assignRole,
  caseOverview,
  createCaseRequest,
  getCaseView,
  inviteParticipant,
  respondToInvitation,
  takeSeat,
} from "../../app/models/cases/consultations.server.ts";
import { addContribution, advancePhase, chooseMethod, extendPhase } from "../../app/models/cases/phases.server.ts";
import { publishLearning, saveTakeaway, setNameConsent } from "../../app/models/cases/closing.server.ts";
import { runCaseJobs } from "../../app/models/cases/jobs.server.ts";
import { listNotifications } from "../../app/models/discussions/notifications.server.ts";
import { exportContent } from "../../app/models/content/exchange.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../../app/models/errors.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";
import type { CaseRequestForm } from "../../app/schemas/cases.ts";
import { toBerlinLocal } from "../../app/domain/time.ts";
import { configureLog } from "../../app/log.server.ts";
import { testLogSink } from "../setup/logs.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;

const SECRET = "Geheimer Fallinhalt Nummer sieben";
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

async function person(role: Actor["role"] = "member"): Promise<Actor & { handle: string; name: string }> {
  n++;
  const h = `fall-person-${n}`;
  const { id } = await createUser({
    email: `fall${n}@example.org`,
    displayName: `Fall Person ${n}`,
    handle: h,
    password: "ein-gutes-passwort",
    role,
  });
  return { id, role, handle: h, name: `Fall Person ${n}` };
}

function request(overrides: Partial<CaseRequestForm> = {}): CaseRequestForm {
  return {
    topic: "Lernfrage finden",
    situation: `Eine Kollegin sucht nach einer Lernfrage. ${SECRET}.`,
    tried: "Offene Fragen gestellt.",
    keyQuestion: "Wie finde ich mit ihr eine tragfähige Lernfrage?",
    mode: "async",
    scheduledAt: "",
    asyncDays: "4",
    groupSize: 5,
    seatsOpen: false,
    noNames: "on",
    noOffice: "on",
    noClientData: "on",
    hintsReviewed: false,
    ...overrides,
  };
}

/** A case with giver, moderation and two consultants who all agreed; returns everyone. */
async function group(mode: "async" | "live" = "async", start = new Date("2026-11-23T08:00:00Z")) {
  const [giver, moderation, consultant, notes] = [await person(), await person(), await person(), await person()];
  const { id } = await createCaseRequest(
    giver,
    request({ mode, scheduledAt: mode === "live" ? toBerlinLocal(new Date(start.getTime() + DAY)) : "" }),
    start,
  );
  for (const p of [moderation, consultant, notes]) {
    await inviteParticipant(giver, id, p.handle);
    await respondToInvitation(p, id, "agree", start);
  }
  await assignRole(giver, id, moderation.id, "moderation");
  await assignRole(giver, id, notes.id, "notes");
  return { id, giver, moderation, consultant, notes };
}

async function row(id: string) {
  const [r] = await db().select().from(caseConsultations).where(eq(caseConsultations.id, id));
  return r;
}

describe(`case consultations on ${engine}`, () => {
  it("shows invitees only the agreement, and outsiders – moderators and admins too – nothing at all", async () => {
    const giver = await person();
    const invitee = await person();
    const { id } = await createCaseRequest(giver, request());
    await inviteParticipant(giver, id, invitee.handle);

    const pending = await getCaseView(invitee, id);
    expect(pending.kind).toBe("pending");
    expect(JSON.stringify(pending)).not.toContain(SECRET);

    for (const outsider of [await person(), await person("moderator"), await person("admin")]) {
      await expect(getCaseView(outsider, id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(addContribution(outsider, id, { kind: "question", body: "Hallo?" })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(respondToInvitation(outsider, id, "agree")).rejects.toBeInstanceOf(NotFoundError);
      const overview = await caseOverview(outsider);
      expect(JSON.stringify(overview)).not.toContain(SECRET);
    }
    await expect(getCaseView(giver, "kein-uuid")).rejects.toBeInstanceOf(NotFoundError);

    await respondToInvitation(invitee, id, "agree");
    const full = await getCaseView(invitee, id);
    expect(full.kind === "full" && full.situation).toContain(SECRET);
    // The case giver's private takeaway never reaches anyone else's view.
    expect(full.kind === "full" && full.takeaway).toBeNull();

    // The invitation notification names no case content.
    const list = await listNotifications(invitee.id);
    expect(list.items.map((i) => [i.type, i.caseId])).toEqual([["case_invite", id]]);
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(JSON.stringify(list)).not.toContain("Lernfrage finden");
  });

  it("refuses requests with personal data until the hints were reviewed", async () => {
    const giver = await person();
    const personal = request({
      situation: "Frau Krüger (Kundennummer 123A456789) ruft ständig unter 0171 1234567 an.",
    });
    await expect(createCaseRequest(giver, personal)).rejects.toBeInstanceOf(InputError);
    expect((await caseOverview(giver)).mine).toEqual([]);
    await createCaseRequest(giver, { ...personal, hintsReviewed: true });
    expect((await caseOverview(giver)).mine).toHaveLength(1);
  });

  it("lists free seats with topic and time only; a volunteer agrees before seeing the case", async () => {
    const giver = await person();
    const volunteer = await person();
    const { id } = await createCaseRequest(giver, request({ seatsOpen: true, groupSize: 4 }));
    const overview = await caseOverview(volunteer);
    const seat = overview.seats.find((s) => s.id === id);
    expect(seat).toMatchObject({ topic: "Lernfrage finden", free: 3, mode: "async" });
    expect(Object.keys(seat ?? {}).sort()).toEqual([
      "asyncDays",
      "free",
      "groupSize",
      "id",
      "mode",
      "scheduledAt",
      "topic",
    ]);
    await takeSeat(volunteer, id);
    expect((await getCaseView(volunteer, id)).kind).toBe("pending");
    expect((await listNotifications(giver.id)).items[0]).toMatchObject({ type: "case_seat", caseId: id });
    // Seats run out.
    await takeSeat(await person(), id);
    await takeSeat(await person(), id);
    await expect(takeSeat(await person(), id)).rejects.toBeInstanceOf(InputError);
  });

  it("gates input by phase and role, and only the moderation moves on", async () => {
    const t0 = new Date("2026-11-23T08:00:00Z");
    const { id, giver, moderation, consultant, notes } = await group("live", t0);
    await expect(advancePhase(consultant, id, null, t0)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(addContribution(consultant, id, { kind: "question", body: "Zu früh?" })).rejects.toBeInstanceOf(
      InputError,
    );

    await advancePhase(moderation, id, "casting", t0);
    expect(await row(id)).toMatchObject({ phase: "spontanbericht", phaseEndsAt: new Date(t0.getTime() + 7 * MIN) });
    // A second click for the same phase does not skip one.
    await advancePhase(moderation, id, "casting", t0);
    expect((await row(id)).phase).toBe("spontanbericht");

    // The case giver may start the group, but the phases after that are the moderation's.
    await expect(advancePhase(giver, id, "spontanbericht", t0)).rejects.toBeInstanceOf(ForbiddenError);
    await addContribution(giver, id, { kind: "report", body: "Mein Bericht." });
    await expect(addContribution(consultant, id, { kind: "report", body: "Ich auch." })).rejects.toThrow(
      /In dieser Phase/,
    );
    await addContribution(notes, id, { kind: "notes", body: "Notiz." });

    await advancePhase(moderation, id, "spontanbericht", t0);
    await addContribution(consultant, id, { kind: "question", body: "Seit wann?" });
    await addContribution(giver, id, { kind: "key_question", body: "Wie schütze ich Lernzeit?" });
    expect((await row(id)).keyQuestion).toBe("Wie schütze ich Lernzeit?");

    await advancePhase(moderation, id, "schluesselfrage", t0);
    await expect(addContribution(consultant, id, { kind: "question", body: "Noch eine?" })).rejects.toThrow(
      /nur in der Phase Schlüsselfrage/,
    );
    await expect(advancePhase(moderation, id, "methodenwahl", t0)).rejects.toThrow(/Methode/);
    await expect(chooseMethod(consultant, id, "kopfstand")).rejects.toBeInstanceOf(ForbiddenError);
    await chooseMethod(moderation, id, "kopfstand");

    await advancePhase(moderation, id, "methodenwahl", t0);
    await expect(addContribution(giver, id, { kind: "contribution", body: "Darf ich?" })).rejects.toThrow(
      /hörst du als fallgebende Person zu/,
    );
    await addContribution(consultant, id, { kind: "contribution", prompt: "Verschlimmerung", body: "Nie nachfragen." });
    await addContribution(consultant, id, {
      kind: "contribution",
      prompt: "Umkehrung",
      body: "Regelmäßig nachfragen.",
    });

    await advancePhase(moderation, id, "beratung", t0);
    await addContribution(giver, id, { kind: "closing", body: "Ich nehme mit: nachfragen." });
    await expect(addContribution(consultant, id, { kind: "contribution", body: "Noch was." })).rejects.toBeInstanceOf(
      InputError,
    );

    await advancePhase(moderation, id, "abschluss", t0);
    const closed = await row(id);
    expect(closed.closedAt).toEqual(t0);
    await expect(addContribution(giver, id, { kind: "closing", body: "Nachtrag" })).rejects.toThrow(/abgeschlossen/);

    const view = await getCaseView(consultant, id);
    expect(view.kind === "full" && view.contributions.map((c) => [c.phase, c.kind, c.prompt])).toEqual([
      ["spontanbericht", "report", null],
      ["spontanbericht", "notes", null],
      ["schluesselfrage", "question", null],
      ["schluesselfrage", "key_question", null],
      ["beratung", "contribution", "Verschlimmerung"],
      ["beratung", "contribution", "Umkehrung"],
      ["abschluss", "closing", null],
    ]);
  });

  it("keeps the phase clock on the server: every reader gets the same deadline and the server's time", async () => {
    const t0 = new Date("2026-11-23T08:00:00Z");
    const { id, moderation, consultant, giver } = await group("live", t0);
    await advancePhase(moderation, id, "casting", t0);
    const later = new Date(t0.getTime() + 3 * MIN);
    const a = await getCaseView(consultant, id, later);
    const b = await getCaseView(giver, id, later);
    expect(a.kind === "full" && [a.phaseEndsAt, a.serverNow]).toEqual([new Date(t0.getTime() + 7 * MIN), later]);
    expect(b.kind === "full" && b.phaseEndsAt).toEqual(a.kind === "full" && a.phaseEndsAt);

    // The timekeeper (here: the moderation) adds five minutes; after the time ran out, from now.
    await expect(extendPhase(consultant, id, later)).rejects.toBeInstanceOf(ForbiddenError);
    await extendPhase(moderation, id, later);
    expect((await row(id)).phaseEndsAt).toEqual(new Date(t0.getTime() + 12 * MIN));
    const overdue = new Date(t0.getTime() + 20 * MIN);
    await extendPhase(moderation, id, overdue);
    expect((await row(id)).phaseEndsAt).toEqual(new Date(overdue.getTime() + 5 * MIN));
  });

  it("moves asynchronous phases on at their deadline, reminds before it, and notifies without case content", async () => {
    const t0 = new Date("2030-03-02T08:00:00Z");
    const { id, moderation, consultant, giver } = await group("async", t0);
    await advancePhase(moderation, id, "casting", t0);
    const first = await row(id);
    // 4 days: Spontanbericht gets 12 hours.
    expect(first.phaseEndsAt).toEqual(new Date(t0.getTime() + 12 * HOUR));
    const phaseOpened = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.caseId, id), eq(notifications.type, "case_phase")));
    expect(phaseOpened.map((p) => p.userId).sort()).toEqual(
      [giver.id, consultant.id, (await participants(id)).notes].sort(),
    );

    // Not yet due: nothing happens.
    expect(await runCaseJobs(new Date(t0.getTime() + 8 * HOUR))).toMatchObject({ advanced: 0, reminded: 0 });
    // Three hours before the end (a quarter of 12 hours): the reminder, once.
    expect((await runCaseJobs(new Date(t0.getTime() + 9 * HOUR))).reminded).toBe(1);
    expect((await runCaseJobs(new Date(t0.getTime() + 10 * HOUR))).reminded).toBe(0);
    const reminders = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.caseId, id), eq(notifications.type, "case_reminder")));
    expect(reminders).toHaveLength(4);

    // At the deadline the phase moves on, with a fresh clock.
    const deadline = new Date(t0.getTime() + 12 * HOUR);
    expect((await runCaseJobs(deadline)).advanced).toBe(1);
    expect(await row(id)).toMatchObject({
      phase: "schluesselfrage",
      phaseStartedAt: deadline,
      phaseEndsAt: new Date(deadline.getTime() + 24 * HOUR),
      reminderSentAt: null,
    });

    // Methodenwahl without a method still moves on at its deadline; consultants then wait for a method.
    let now = new Date(deadline.getTime() + 24 * HOUR);
    await runCaseJobs(now);
    now = new Date(now.getTime() + 12 * HOUR);
    await runCaseJobs(now);
    expect((await row(id)).phase).toBe("beratung");
    await expect(addContribution(consultant, id, { kind: "contribution", body: "Idee" })).rejects.toThrow(/Methode/);
    now = new Date(now.getTime() + 36 * HOUR);
    await runCaseJobs(now);
    now = new Date(now.getTime() + 12 * HOUR);
    expect((await runCaseJobs(now)).advanced).toBe(1);
    expect((await row(id)).closedAt).toEqual(now);

    const texts = JSON.stringify(await listNotifications(consultant.id));
    expect(texts).not.toContain(SECRET);
    expect(texts).not.toContain("Lernfrage finden");
  });

  it("purges a closed consultation's content after the retention period, keeping the case giver's takeaway", async () => {
    const t0 = new Date("2031-05-01T08:00:00Z");
    // Consultations of the tests before closed long ago: out of the way first.
    await runCaseJobs(t0);
    const { id, moderation, consultant, giver } = await group("live", t0);
    for (const phase of ["casting", "spontanbericht", "schluesselfrage"] as const)
      await advancePhase(moderation, id, phase, t0);
    await chooseMethod(moderation, id, "hypothesen");
    await advancePhase(moderation, id, "methodenwahl", t0);
    await addContribution(consultant, id, { kind: "contribution", body: `Hypothese: ${SECRET}` });
    await advancePhase(moderation, id, "beratung", t0);
    await saveTakeaway(giver, id, "Meine private Erkenntnis.");
    await advancePhase(moderation, id, "abschluss", t0);

    // Other consultations that are not due stay untouched.
    const other = await group("live", t0);
    const untouchedBefore = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(caseContributions)
      .where(eq(caseContributions.caseId, other.id));

    expect((await db().select().from(notifications).where(eq(notifications.caseId, id))).length).toBeGreaterThanOrEqual(
      3,
    );
    // The purge's log line, read from the server log (structured, ADR 043).
    const log: string[] = [];
    configureLog({ sink: { write: (line) => void log.push(line) } });
    try {
      // The purge is daily: the day's run came an hour before the 30 days were over, so nothing goes that day.
      expect((await runCaseJobs(new Date(t0.getTime() + 30 * DAY - HOUR))).purged).toBe(0);
      expect((await runCaseJobs(new Date(t0.getTime() + 30 * DAY + HOUR))).purged).toBe(0);
      expect((await row(id)).purgedAt).toBeNull();
      const result = await runCaseJobs(new Date(t0.getTime() + 31 * DAY));
      expect(result.purged).toBeGreaterThanOrEqual(1);
      expect(result.contributionsDeleted).toBeGreaterThanOrEqual(1);
    } finally {
      configureLog({ sink: testLogSink() });
    }
    // The log says how many, never what.
    expect(log.join("\n")).toMatch(/Inhalte von \d+ abgeschlossenen Fallberatungen gelöscht \(\d+ Beiträge\)/);
    expect(log.join("\n")).not.toContain(SECRET);
    expect(log.join("\n")).not.toContain("Lernfrage");

    const purged = await row(id);
    expect(purged).toMatchObject({
      topic: "",
      situation: "",
      tried: "",
      keyQuestion: "",
      method: null,
      takeaway: "Meine private Erkenntnis.",
    });
    expect(await db().select().from(caseContributions).where(eq(caseContributions.caseId, id))).toEqual([]);
    expect(
      (await db().select().from(caseParticipants).where(eq(caseParticipants.caseId, id))).map((p) => p.userId),
    ).toEqual([giver.id]);
    expect(await db().select().from(notifications).where(eq(notifications.caseId, id))).toEqual([]);
    const view = await getCaseView(giver, id);
    expect(view).toMatchObject({ kind: "purged", takeaway: "Meine private Erkenntnis." });
    await expect(getCaseView(consultant, id)).rejects.toBeInstanceOf(NotFoundError);
    const untouchedAfter = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(caseContributions)
      .where(eq(caseContributions.caseId, other.id));
    expect(untouchedAfter).toEqual(untouchedBefore);
    // A second run finds nothing more to do.
    expect((await runCaseJobs(new Date(t0.getTime() + 32 * DAY))).purged).toBe(0);
  });

  it("publishes a learning only on approval, without a link to the consultation, naming only who agreed", async () => {
    await db()
      .insert(categories)
      .values({ slug: `methoden-${++n}`, name: "Methoden", position: n })
      .onConflictDoNothing();
    const slug = `methoden-${n}`;
    const t0 = new Date();
    const { id, moderation, consultant, notes, giver } = await group("live", t0);
    for (const phase of ["casting", "spontanbericht", "schluesselfrage"] as const)
      await advancePhase(moderation, id, phase, t0);
    await chooseMethod(moderation, id, "loesungsideen");
    await advancePhase(moderation, id, "methodenwahl", t0);
    await advancePhase(moderation, id, "beratung", t0);

    await setNameConsent(consultant, id, true);
    await expect(setNameConsent(giver, id, true)).rejects.toBeInstanceOf(ForbiddenError);
    const learning = {
      learningTitle: "Lernzeit im Alltag schützen",
      learningText:
        "Lernen gelingt eher, wenn es an eine echte Aufgabe im Arbeitsalltag gekoppelt ist und einen Plan B hat.",
      target: "best_practice" as const,
      category: slug,
      credit: true,
      hintsReviewed: false,
    };
    await expect(publishLearning(consultant, id, learning)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      publishLearning(giver, id, { ...learning, learningText: `${learning.learningText} Danke an Anna Schmidt.` }),
    ).rejects.toBeInstanceOf(InputError);
    const { threadId } = await publishLearning(giver, id, learning);
    await expect(publishLearning(giver, id, learning)).rejects.toThrow(/schon veröffentlicht/);

    const [thread] = await db().select().from(threads).where(eq(threads.id, threadId!));
    expect(thread).toMatchObject({ type: "best_practice", title: learning.learningTitle, authorId: giver.id });
    const [opening] = await db().select().from(posts).where(eq(posts.threadId, threadId!));
    expect(opening.bodyText).toContain("Mitgewirkt haben: " + consultant.name);
    expect(opening.bodyText).not.toContain(moderation.name);
    expect(opening.bodyText).not.toContain(notes.name);
    expect(opening.bodyText).not.toContain(id);
    expect(opening.bodyHtml).not.toContain("/fallberatung");

    // A Praxisbeispiel goes to the library's review queue as the case giver's suggestion.
    const second = await group("live", t0);
    for (const phase of ["casting", "spontanbericht", "schluesselfrage"] as const)
      await advancePhase(second.moderation, second.id, phase, t0);
    await chooseMethod(second.moderation, second.id, "hypothesen");
    await advancePhase(second.moderation, second.id, "methodenwahl", t0);
    await advancePhase(second.moderation, second.id, "beratung", t0);
    const { materialId } = await publishLearning(second.giver, second.id, {
      ...learning,
      target: "practice_example",
      credit: false,
    });
    const [material] = await db().select().from(materials).where(eq(materials.id, materialId!));
    expect(material).toMatchObject({ type: "practice_example", status: "review", suggestedBy: second.giver.id });
    expect(material.bodyText).not.toContain("Mitgewirkt");
  });
});

describe(`case consultations stay out of the content export on ${engine}`, () => {
  it("exports no consultation, no contribution and no takeaway", async () => {
    const t0 = new Date();
    const { id, moderation, giver } = await group("live", t0);
    await advancePhase(moderation, id, "casting", t0);
    await addContribution(giver, id, { kind: "report", body: `Bericht: ${SECRET}` });
    const lines = await exportContent();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(SECRET);
    expect(lines.join("\n")).not.toContain("Lernfrage finden");
  });
});

async function participants(id: string) {
  const rows = await db().select().from(caseParticipants).where(eq(caseParticipants.caseId, id));
  return { notes: rows.find((r) => r.role === "notes")!.userId };
}
