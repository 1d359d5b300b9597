/** Kollegiale Fallberatung, the pure parts: anonymisation check, phase gating, timer maths, access rules. */
import { describe, expect, it } from "vitest";
import * as dbCases from "../../db/schema/cases.ts";
import { checkAnonymity, type FindingKind } from "../../app/domain/cases/anonymity.ts";
import {
  advanceBlocker,
  allowedKinds,
  canAdvance,
  canChooseMethod,
  canExtend,
  checkContribution,
} from "../../app/domain/cases/gating.ts";
import {
  caseMethods,
  caseModes,
  casePhases,
  caseRoles,
  formatRemaining,
  methodLibrary,
  nextPhase,
  phaseDeadline,
  phaseDurationMs,
  purgeDueAt,
  remainingMs,
  reminderDueAt,
} from "../../app/domain/cases/phases.ts";
import { parseBerlinLocal, toBerlinLocal } from "../../app/domain/time.ts";
import { can, type Actor, type CaseFacts } from "../../app/auth/permissions.ts";
import { caseRequestSchema } from "../../app/schemas/cases.ts";
import { parseForm } from "../../app/schemas/form.ts";

const kinds = (text: string): FindingKind[] => checkAnonymity(text).map((f) => f.kind);

describe("anonymisation check", () => {
  it.each([
    ["Sie schrieb mir von anna.schmidt@arbeitsagentur.de aus.", "email", "anna.schmidt@arbeitsagentur.de"],
    ["Erreichbar unter 0171 1234567, am besten vormittags.", "phone", "0171 1234567"],
    ["Rückruf bitte unter +49 (911) 179-2345.", "phone", "+49 (911) 179-2345"],
    ["Telefon: 0911/123456", "phone", "0911/123456"],
    ["Der Kunde ist am 03.05.1987 geboren.", "birthDate", "03.05.1987"],
    ["geb. 12.3.79, alleinerziehend", "birthDate", "12.3.79"],
    ["Seine Kundennummer 123A456789 steht im Vermerk.", "caseNumber", "Kundennummer 123A456789"],
    ["Az.: 2024/4711-B liegt bei mir.", "caseNumber", "Az.: 2024/4711-B"],
    ["BG-Nummer 12345BG1234567 wurde angefragt.", "caseNumber", "BG-Nummer 12345BG1234567"],
    ["Ich habe mit Anna Schmidt gesprochen.", "name", "Anna Schmidt"],
    ["Die Lernende Elif Yılmaz wollte nicht weitermachen.", "name", "Elif Yılmaz"],
    ["Mein Kollege Piotr Nowak-Çelik fragt oft nach.", "name", "Piotr Nowak-Çelik"],
    ["Ein Gespräch mit der Kundin 123A456789 steht aus.", "caseNumber", "123A456789"],
    ["Frau Hoffmann aus dem Team war skeptisch.", "name", "Frau Hoffmann"],
    ["Gestern rief Herr Dr. Krüger an.", "name", "Herr Dr. Krüger"],
  ] as const)("warns about %s", (text, kind, match) => {
    const findings = checkAnonymity(text);
    expect(findings.map((f) => f.kind)).toContain(kind);
    expect(findings.find((f) => f.kind === kind)?.match).toBe(match);
  });

  it.each([
    "Eine Kollegin aus einem Jobcenter in Süddeutschland möchte ihre Lerngespräche besser vorbereiten.",
    "Die Lernende wollte im Jobcenter nicht mehr über ihre Selbstvereinbarung sprechen.",
    "Kollegiale Fallberatung im Team Arbeitsvermittlung hat mir sehr geholfen.",
    "Das Gespräch fand am 14.11.2025 statt und dauerte 45 Minuten.",
    "Wir haben 3 Termine im Abstand von 14 Tagen vereinbart, insgesamt 90 Minuten.",
    "Nach dem SGB II gelten andere Regeln als nach dem SGB III.",
    "Die Führungskraft Erwachsenenbildung sieht das kritisch.",
    "Im Jahr 2024 haben wir 12 Lernbegleitungen abgeschlossen.",
  ])("stays quiet on %s", (text) => {
    expect(checkAnonymity(text)).toEqual([]);
  });

  it("reports each finding once, even when it repeats", () => {
    expect(kinds("Anna Schmidt sagte, Anna Schmidt komme wieder.")).toEqual(["name"]);
  });
});

describe("phase gating", () => {
  const state = (
    phase: (typeof casePhases)[number],
    method: (typeof caseMethods)[number] | null = null,
    closed = false,
  ) => ({ phase, method, closed });

  it("lets only the case giver write the Spontanbericht", () => {
    expect(allowedKinds("case_giver", state("spontanbericht"))).toEqual(["report"]);
    expect(allowedKinds("consultant", state("spontanbericht"))).toEqual([]);
    expect(allowedKinds("moderation", state("spontanbericht"))).toEqual([]);
    const refused = checkContribution("consultant", state("spontanbericht"), "report");
    expect(refused.ok).toBe(false);
  });

  it("allows clarifying questions in Schlüsselfrage only", () => {
    expect(checkContribution("consultant", state("schluesselfrage"), "question")).toEqual({ ok: true, prompt: null });
    for (const phase of ["casting", "spontanbericht", "methodenwahl", "beratung", "abschluss"] as const) {
      const result = checkContribution("consultant", state(phase, "hypothesen"), "question");
      expect(result.ok, phase).toBe(false);
    }
    expect(checkContribution("consultant", state("beratung", "hypothesen"), "question")).toEqual({
      ok: false,
      message: "Verständnisfragen sind nur in der Phase Schlüsselfrage möglich.",
    });
    expect(allowedKinds("case_giver", state("schluesselfrage"))).toEqual(["key_question", "answer"]);
  });

  it("keeps the case giver listening in Beratung, and consultants wait for a method", () => {
    expect(checkContribution("case_giver", state("beratung", "kopfstand"), "contribution")).toEqual({
      ok: false,
      message: "In der Beratung hörst du als fallgebende Person zu und schreibst nicht.",
    });
    expect(checkContribution("consultant", state("beratung"), "contribution")).toEqual({
      ok: false,
      message: "Zuerst wählt die Moderation eine Methode.",
    });
    expect(checkContribution("consultant", state("beratung", "hypothesen"), "contribution")).toEqual({
      ok: true,
      prompt: "Hypothese",
    });
  });

  it("structures Beratung contributions by the chosen method's prompts", () => {
    expect(checkContribution("consultant", state("beratung", "kopfstand"), "contribution", "Umkehrung")).toEqual({
      ok: true,
      prompt: "Umkehrung",
    });
    expect(checkContribution("consultant", state("beratung", "kopfstand"), "contribution", "Hypothese").ok).toBe(false);
    for (const m of caseMethods) expect(methodLibrary[m].prompts.length).toBeGreaterThan(0);
  });

  it("gives the Protokoll its notes and the moderation the phases and the method", () => {
    expect(allowedKinds("notes", state("spontanbericht"))).toEqual(["notes"]);
    expect(allowedKinds("notes", state("casting"))).toEqual([]);
    expect(canAdvance("moderation", state("beratung"))).toBe(true);
    expect(canAdvance("case_giver", state("beratung"))).toBe(false);
    // The case giver starts the group (leaves Casting), nothing after that.
    expect(canAdvance("case_giver", state("casting"))).toBe(true);
    expect(canAdvance("consultant", state("casting"))).toBe(false);
    expect(canAdvance("timekeeper", state("beratung"))).toBe(false);
    expect(canChooseMethod("moderation", state("methodenwahl"))).toBe(true);
    expect(canChooseMethod("moderation", state("beratung"))).toBe(false);
    expect(canChooseMethod("consultant", state("methodenwahl"))).toBe(false);
  });

  it("lets the timekeeper (Zeitwache) extend a live phase, never an asynchronous one or the casting", () => {
    expect(canExtend("timekeeper", state("beratung"), "live")).toBe(true);
    expect(canExtend("moderation", state("beratung"), "live")).toBe(true);
    expect(canExtend("consultant", state("beratung"), "live")).toBe(false);
    expect(canExtend("case_giver", state("beratung"), "live")).toBe(false);
    expect(canExtend("timekeeper", state("beratung"), "async")).toBe(false);
    expect(canExtend("timekeeper", state("casting"), "live")).toBe(false);
    expect(canExtend("timekeeper", state("abschluss", null, true), "live")).toBe(false);
  });

  it("closes everything once the consultation is closed", () => {
    for (const role of caseRoles) expect(allowedKinds(role, state("abschluss", "hypothesen", true))).toEqual([]);
    expect(canAdvance("moderation", state("abschluss", null, true))).toBe(false);
  });

  it("starts only with a moderation and three agreed participants, and Beratung only with a method", () => {
    expect(advanceBlocker(state("casting"), { agreed: 4, hasModeration: false })).toBe(
      "Es braucht eine Moderation, die der Vertraulichkeit zugestimmt hat.",
    );
    expect(advanceBlocker(state("casting"), { agreed: 2, hasModeration: true })).toMatch(/mindestens drei/);
    expect(advanceBlocker(state("casting"), { agreed: 3, hasModeration: true })).toBeNull();
    expect(advanceBlocker(state("methodenwahl"), { agreed: 4, hasModeration: true })).toBe(
      "Bitte wähle zuerst eine Methode.",
    );
    expect(advanceBlocker(state("methodenwahl", "hypothesen"), { agreed: 4, hasModeration: true })).toBeNull();
  });
});

describe("timer maths", () => {
  const start = new Date("2026-11-23T09:00:00Z");

  it("gives live phases minutes, about 45 in all, and casting no clock", () => {
    expect(phaseDurationMs("live", "casting", null)).toBeNull();
    expect(phaseDeadline("live", "spontanbericht", null, start)?.toISOString()).toBe("2026-11-23T09:07:00.000Z");
    const total = casePhases.reduce((sum, p) => sum + (phaseDurationMs("live", p, null) ?? 0), 0);
    expect(total / 60_000).toBe(40);
  });

  it("spreads the asynchronous days over the phases in whole hours", () => {
    const hours = casePhases.slice(1).map((p) => (phaseDurationMs("async", p, 4) ?? 0) / 3_600_000);
    expect(hours).toEqual([12, 24, 12, 36, 12]);
    expect(hours.reduce((a, b) => a + b, 0)).toBe(96);
    // Out-of-range day counts are clamped rather than trusted.
    expect(phaseDurationMs("async", "beratung", 100)).toBe(phaseDurationMs("async", "beratung", 14));
  });

  it("reminds a quarter of the phase before its end, at most twelve hours before", () => {
    const end = new Date(start.getTime() + 12 * 3_600_000);
    expect(reminderDueAt(start, end).toISOString()).toBe("2026-11-23T18:00:00.000Z");
    const long = new Date(start.getTime() + 72 * 3_600_000);
    expect(reminderDueAt(start, long).toISOString()).toBe("2026-11-25T21:00:00.000Z");
  });

  it("counts down on the server's clock, whatever the browser's clock says", () => {
    const endsAt = "2026-11-23T09:10:00.000Z";
    const serverNow = "2026-11-23T09:05:00.000Z";
    // A browser whose clock is an hour off, 30 seconds after the page arrived.
    const arrived = Date.parse("2026-11-23T10:05:00Z");
    expect(remainingMs(endsAt, serverNow, arrived, arrived + 30_000)).toBe(270_000);
    expect(remainingMs(endsAt, serverNow, arrived, arrived + 3_600_000)).toBe(0);
    expect(remainingMs(null, serverNow, 0, 0)).toBeNull();
    expect(formatRemaining(270_000)).toBe("4:30");
    expect(formatRemaining(3 * 3_600_000 + 20 * 60_000)).toBe("3 Std. 20 Min.");
    expect(formatRemaining(28 * 3_600_000)).toBe("1 Tag 4 Std.");
  });

  it("knows the next phase and the purge date", () => {
    expect(nextPhase("casting")).toBe("spontanbericht");
    expect(nextPhase("abschluss")).toBeNull();
    expect(purgeDueAt(start, 30).toISOString()).toBe("2026-12-23T09:00:00.000Z");
  });

  it("reads form times as German local time, summer and winter", () => {
    expect(parseBerlinLocal("2026-11-24T14:30")).toEqual({ ok: true, at: new Date("2026-11-24T13:30:00.000Z") });
    expect(parseBerlinLocal("2026-07-01T09:00")).toEqual({ ok: true, at: new Date("2026-07-01T07:00:00.000Z") });
    expect(parseBerlinLocal("24.11.2026 14:30").ok).toBe(false);
    expect(toBerlinLocal(new Date("2026-11-24T13:30:00Z"))).toBe("2026-11-24T14:30");
  });
});

describe("who may read a consultation", () => {
  const facts: CaseFacts = {
    participants: [
      { userId: "giver", agreed: true },
      { userId: "invited", agreed: false },
    ],
  };
  const actor = (id: string, role: Actor["role"] = "member"): Actor => ({ id, role });
  const thing = { type: "caseConsultation" as const, consultation: facts };

  it("lets agreed participants in, and nobody else – moderators and admins included", () => {
    expect(can(actor("giver"), "view", thing)).toBe(true);
    expect(can(actor("invited"), "view", thing)).toBe(false);
    expect(can(actor("other"), "view", thing)).toBe(false);
    expect(can(actor("mod", "moderator"), "view", thing)).toBe(false);
    expect(can(actor("adm", "admin"), "view", thing)).toBe(false);
    expect(can({ id: "giver", role: "member", deactivated: true }, "view", thing)).toBe(false);
  });

  it("lets invitees answer the invitation, and joins the room only with the agreement", () => {
    expect(can(actor("invited"), "respond", thing)).toBe(true);
    expect(can(actor("other"), "respond", thing)).toBe(false);
    expect(can(actor("giver"), "join", { type: "room", name: "case:x", consultation: facts })).toBe(true);
    expect(can(actor("invited"), "join", { type: "room", name: "case:x", consultation: facts })).toBe(false);
    expect(can(actor("adm", "admin"), "join", { type: "room", name: "case:x", consultation: facts })).toBe(false);
    // Without the facts (unknown consultation) nobody joins.
    expect(can(actor("giver"), "join", { type: "room", name: "case:x" })).toBe(false);
  });
});

describe("case request form", () => {
  const base = {
    topic: "Lernfrage finden",
    situation: "Eine Kollegin sucht seit Wochen nach einer Lernfrage, die sie trägt.",
    tried: "Offene Fragen",
    keyQuestion: "Wie finde ich mit ihr eine tragfähige Lernfrage?",
    groupSize: "5",
    noNames: "on",
    noOffice: "on",
    noClientData: "on",
  };
  const form = (entries: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(entries)) data.append(k, v);
    return data;
  };

  it("needs a date for live, days for asynchronous, a group of 4 to 6 and the whole checklist", () => {
    const live = parseForm(caseRequestSchema, form({ ...base, mode: "live" }));
    expect(live.ok === false && live.errors.scheduledAt).toBe("Bitte gib Datum und Uhrzeit der Live-Beratung an.");
    const async = parseForm(caseRequestSchema, form({ ...base, mode: "async", asyncDays: "30" }));
    expect(async.ok === false && async.errors.asyncDays).toBe("Bitte wähle 2 bis 14 Tage.");
    const big = parseForm(caseRequestSchema, form({ ...base, mode: "async", asyncDays: "5", groupSize: "8" }));
    expect(big.ok === false && big.errors.groupSize).toBe("Die Gruppe hat 4 bis 6 Personen.");
    const { noOffice: _n, ...unchecked } = base;
    const missing = parseForm(caseRequestSchema, form({ ...unchecked, mode: "async", asyncDays: "5" }));
    expect(missing.ok === false && missing.errors.noOffice).toBe("Bitte bestätige: keine Dienststelle.");
    const ok = parseForm(caseRequestSchema, form({ ...base, mode: "async", asyncDays: "5" }));
    expect(ok.ok).toBe(true);
  });

  it("uses the same phases, modes, roles and methods as the database", () => {
    expect([...casePhases]).toEqual([...dbCases.casePhases]);
    expect([...caseModes]).toEqual([...dbCases.caseModes]);
    expect([...caseRoles]).toEqual([...dbCases.caseRoles]);
    expect([...caseMethods]).toEqual([...dbCases.caseMethods]);
  });
});
