/**
 * The one time module (app/domain/time.ts). Every date is set here; the clock changes of 2026 and 2027 are on the
 * last Sundays of March (02:00 CET → 03:00 CEST, at 01:00 UTC) and October (03:00 CEST → 02:00 CET, at 01:00 UTC).
 */
import { describe, expect, it } from "vitest";
import { digestSlot } from "../../app/domain/notifications/schedule.ts";
import { parsePollFields } from "../../app/schemas/polls.ts";
import { roundFormSchema } from "../../app/schemas/rounds.ts";
import {
  addDays,
  addYears,
  berlinDay,
  berlinInstant,
  berlinWallClock,
  formatDate,
  formatDateTime,
  formatTime,
  formatWeekday,
  formatWeekRange,
  icsUtc,
  parseBerlinLocal,
  startOfBerlinDay,
  startOfBerlinWeek,
  toBerlinLocal,
} from "../../app/domain/time.ts";

const utc = (iso: string) => new Date(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

const changes = [
  { year: 2026, spring: "2026-03-29", autumn: "2026-10-25" },
  { year: 2027, spring: "2027-03-28", autumn: "2027-10-31" },
];

/** The instant a form value stands for, or the refusal. */
function read(value: string): Date {
  const r = parseBerlinLocal(value);
  if (!r.ok) throw new Error(r.message);
  return r.at;
}

describe.each(changes)("clock changes of $year", ({ spring, autumn }) => {
  const before = addDays(spring, -1);
  const beforeAutumn = addDays(autumn, -1);

  it("reads the wall clock on both sides of each change", () => {
    expect(toBerlinLocal(utc(`${spring}T00:59:59Z`))).toBe(`${spring}T01:59`);
    expect(toBerlinLocal(utc(`${spring}T01:00:00Z`))).toBe(`${spring}T03:00`);
    expect(toBerlinLocal(utc(`${autumn}T00:59:59Z`))).toBe(`${autumn}T02:59`);
    expect(toBerlinLocal(utc(`${autumn}T01:00:00Z`))).toBe(`${autumn}T02:00`);
  });

  it("refuses the hour the clocks skip in spring, with a German message naming it", () => {
    for (const time of ["02:00", "02:30", "02:59"]) {
      const r = parseBerlinLocal(`${spring}T${time}`);
      expect(r).toMatchObject({ ok: false, skipped: true });
      if (!r.ok)
        expect(r.message).toBe(
          `Am ${spring.slice(8, 10)}.${spring.slice(5, 7)}.${spring.slice(0, 4)} gibt es ${time} Uhr nicht: Die Uhren springen in dieser Nacht von 2 auf 3 Uhr (Sommerzeit). Bitte wähle eine andere Uhrzeit.`,
        );
    }
    expect(read(`${spring}T01:59`)).toEqual(utc(`${spring}T00:59:00Z`));
    expect(read(`${spring}T03:00`)).toEqual(utc(`${spring}T01:00:00Z`));
    // The same hour on the day before exists.
    expect(read(`${before}T02:30`)).toEqual(utc(`${before}T01:30:00Z`));
  });

  it("reads the autumn hour that happens twice as the first (summer time)", () => {
    expect(read(`${autumn}T01:59`)).toEqual(utc(`${beforeAutumn}T23:59:00Z`));
    expect(read(`${autumn}T02:00`)).toEqual(utc(`${autumn}T00:00:00Z`));
    expect(read(`${autumn}T02:30`)).toEqual(utc(`${autumn}T00:30:00Z`));
    expect(read(`${autumn}T02:59`)).toEqual(utc(`${autumn}T00:59:00Z`));
    expect(read(`${autumn}T03:00`)).toEqual(utc(`${autumn}T02:00:00Z`));
  });

  it("round-trips every quarter hour of both change days: form value → instant → form value", () => {
    for (const day of [spring, autumn]) {
      let skipped = 0;
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const value = `${day}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
        const r = parseBerlinLocal(value);
        if (!r.ok) {
          skipped++;
          expect(value.slice(11, 13)).toBe("02");
          expect(day).toBe(spring);
        } else {
          expect(toBerlinLocal(r.at)).toBe(value);
        }
      }
      expect(skipped).toBe(day === spring ? 4 : 0);
    }
  });

  it("round-trips every quarter hour of instants: instant → form value → instant (the repeated hour's second pass maps to its first)", () => {
    const from = utc(`${beforeAutumn}T20:00:00Z`).getTime();
    for (const start of [utc(`${before}T20:00:00Z`).getTime(), from]) {
      for (let t = start; t < start + 12 * HOUR; t += 15 * MIN) {
        const back = read(toBerlinLocal(new Date(t))).getTime();
        const secondPass =
          start === from && t >= utc(`${autumn}T01:00:00Z`).getTime() && t < utc(`${autumn}T02:00:00Z`).getTime();
        expect(back).toBe(secondPass ? t - HOUR : t);
      }
    }
  });

  it("moves a skipped wall time forward for internal schedules and keeps 07:00 digests on the hour", () => {
    const [y, m, d] = spring.split("-").map(Number);
    expect(berlinInstant(y, m, d, 2, 30)).toEqual(utc(`${spring}T01:30:00Z`)); // 03:30 summer time
    expect(toBerlinLocal(berlinInstant(y, m, d, 2, 30))).toBe(`${spring}T03:30`);
    expect(digestSlot("daily", utc(`${spring}T05:00:00Z`))).toEqual(utc(`${spring}T05:00:00Z`));
    expect(digestSlot("daily", utc(`${spring}T04:59:59Z`))).toEqual(utc(`${before}T06:00:00Z`));
    expect(digestSlot("daily", utc(`${autumn}T06:00:00Z`))).toEqual(utc(`${autumn}T06:00:00Z`));
    expect(digestSlot("daily", utc(`${autumn}T05:59:59Z`))).toEqual(utc(`${beforeAutumn}T05:00:00Z`));
  });

  it("has a 23-hour day in spring and a 25-hour day in autumn", () => {
    const length = (day: string) =>
      startOfBerlinDay(utc(`${addDays(day, 1)}T12:00:00Z`)).getTime() -
      startOfBerlinDay(utc(`${day}T12:00:00Z`)).getTime();
    expect(startOfBerlinDay(utc(`${spring}T12:00:00Z`))).toEqual(utc(`${before}T23:00:00Z`));
    expect(length(spring)).toBe(23 * HOUR);
    expect(startOfBerlinDay(utc(`${autumn}T12:00:00Z`))).toEqual(utc(`${beforeAutumn}T22:00:00Z`));
    expect(length(autumn)).toBe(25 * HOUR);
  });

  it("shows the repeated autumn hour as the clocks show it, twice", () => {
    expect(formatDateTime(utc(`${autumn}T00:30:00Z`))).toBe(`${autumn.slice(8, 10)}.10.${autumn.slice(0, 4)}, 02:30`);
    expect(formatDateTime(utc(`${autumn}T01:30:00Z`))).toBe(`${autumn.slice(8, 10)}.10.${autumn.slice(0, 4)}, 02:30`);
    expect(formatTime(utc(`${spring}T01:00:00Z`))).toBe("03:00");
  });
});

describe("Berlin calendar days", () => {
  it("changes the day at Berlin midnight, not UTC midnight, in winter and summer", () => {
    expect(berlinDay(utc("2026-12-06T22:59:59.999Z"))).toBe("2026-12-06");
    expect(berlinDay(utc("2026-12-06T23:00:00.000Z"))).toBe("2026-12-07");
    expect(berlinDay(utc("2026-07-01T21:59:59.999Z"))).toBe("2026-07-01");
    expect(berlinDay(utc("2026-07-01T22:00:00.000Z"))).toBe("2026-07-02");
    expect(berlinDay(utc("2026-12-31T23:00:00Z"))).toBe("2027-01-01");
    expect(startOfBerlinDay(utc("2026-12-07T10:00:00Z"))).toEqual(utc("2026-12-06T23:00:00Z"));
    expect(startOfBerlinDay(utc("2026-12-06T23:00:00Z"))).toEqual(utc("2026-12-06T23:00:00Z"));
    expect(startOfBerlinDay(utc("2026-07-02T21:59:00Z"))).toEqual(utc("2026-07-01T22:00:00Z"));
  });

  it("starts the week on Monday 00:00 Berlin time, also across a clock change", () => {
    // Sunday 29 March 2026 belongs to the week of Monday 23 March (winter time then).
    expect(startOfBerlinWeek(utc("2026-03-29T12:00:00Z"))).toEqual(utc("2026-03-22T23:00:00Z"));
    // Monday 30 March 00:30 summer time is 29 March 22:30 UTC: already the new week.
    expect(startOfBerlinWeek(utc("2026-03-29T22:30:00Z"))).toEqual(utc("2026-03-29T22:00:00Z"));
    expect(startOfBerlinWeek(utc("2026-03-29T21:59:00Z"))).toEqual(utc("2026-03-22T23:00:00Z"));
    expect(formatWeekday(utc("2026-03-29T22:30:00Z"))).toBe("Montag");
    expect(formatWeekday(utc("2026-03-29T21:59:00Z"))).toBe("Sonntag");
  });

  it("does calendar arithmetic on days (leap years, month ends)", () => {
    expect(addDays("2026-12-28", 6)).toBe("2027-01-03");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addYears("2028-02-29", 1)).toBe("2029-02-28");
    expect(addYears("2026-12-07", 1)).toBe("2027-12-07");
    expect(() => addDays("2026-02-30", 1)).toThrow(RangeError);
  });
});

describe("form values that are no time", () => {
  it("refuses impossible dates and times and other shapes without calling them skipped", () => {
    for (const value of [
      "",
      "2026-02-30T10:00",
      "2026-11-25T24:00",
      "2026-11-25T14:60",
      "25.11.2026 14:00",
      "2026-11-25",
      "2026-11-25T14:00:00",
    ]) {
      expect(parseBerlinLocal(value)).toMatchObject({ ok: false, skipped: false });
    }
    expect(read(" 2026-11-25T14:00 ")).toEqual(utc("2026-11-25T13:00:00Z"));
  });
});

describe("forms with Berlin times", () => {
  const SKIPPED =
    "Am 28.03.2027 gibt es 02:30 Uhr nicht: Die Uhren springen in dieser Nacht von 2 auf 3 Uhr (Sommerzeit). Bitte wähle eine andere Uhrzeit.";

  it("the round form names the skipped hour and keeps its own message for a missing time", () => {
    const form = {
      title: "Dialogrunde",
      capacity: "10",
      startsAt: "2027-03-28T02:30",
      endsAt: "2027-03-28T04:00",
      registrationDeadline: "",
    };
    const result = roundFormSchema.safeParse(form);
    expect(result.success).toBe(false);
    const messages = Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(messages.startsAt).toBe(SKIPPED);
    expect(messages.registrationDeadline).toBe("Bitte gib an, bis wann man sich anmelden kann.");
    const fine = roundFormSchema.safeParse({
      ...form,
      startsAt: "2027-10-31T02:30",
      endsAt: "2027-10-31T04:00",
      registrationDeadline: "2027-10-30T12:00",
    });
    expect(fine.success && fine.data.startsAt).toEqual(utc("2027-10-31T00:30:00Z"));
    // 02:30 summer time to 04:00 winter time: two and a half hours.
    expect(fine.success && fine.data.endsAt.getTime() - fine.data.startsAt.getTime()).toBe(2.5 * HOUR);
  });

  it("a poll's end in the skipped hour is refused with the same message", () => {
    const raw = { pollQuestion: "Wann passt es?", pollOptions: "Morgens\nAbends", pollClosesAt: "2027-03-28T02:30" };
    expect(parsePollFields(raw, utc("2027-03-01T12:00:00Z"))).toEqual({ ok: false, errors: { pollClosesAt: SKIPPED } });
    expect(parsePollFields({ ...raw, pollClosesAt: "2027-03-28T03:30" }, utc("2027-03-01T12:00:00Z"))).toMatchObject({
      ok: true,
      poll: { closesAt: utc("2027-03-28T01:30:00Z") },
    });
  });
});

describe("German display", () => {
  it("writes dates and times as the site always has (the same as Intl's German medium date and short time)", () => {
    const intl = new Intl.DateTimeFormat("de-DE", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "Europe/Berlin",
    });
    // Every day of 2026 and 2027 at 22:45 UTC (the Berlin day after in winter and summer alike), and at 00:00 UTC.
    for (
      let t = utc("2026-01-01T22:45:00Z").getTime();
      t < utc("2028-01-01T00:00:00Z").getTime();
      t += 24 * HOUR + 37 * MIN
    ) {
      expect(formatDateTime(t)).toBe(intl.format(t));
    }
    expect(formatDate("2026-12-07T13:30:00.000Z")).toBe("07.12.2026");
    expect(formatTime(utc("2026-12-07T13:30:00Z"))).toBe("14:30");
    expect(formatDateTime(utc("2026-12-06T23:05:00Z"))).toBe("07.12.2026, 00:05");
  });

  it("labels weeks with one dot after each day and month (the old label read 21.09..–27.09..)", () => {
    expect(formatWeekRange("2026-09-21")).toBe("21.09.–27.09.");
    expect(formatWeekRange("2026-10-19")).toBe("19.10.–25.10.");
    expect(formatWeekRange("2026-12-28")).toBe("28.12.–03.01.");
    expect(formatWeekRange("2027-03-22")).not.toContain("..");
  });

  it("writes iCalendar times in UTC", () => {
    expect(icsUtc(utc("2026-10-25T00:30:00.123Z"))).toBe("20261025T003000Z");
  });

  it("reads the wall clock with its weekday", () => {
    expect(berlinWallClock(utc("2027-10-31T00:30:00Z"))).toEqual({
      year: 2027,
      month: 10,
      day: 31,
      hour: 2,
      minute: 30,
      second: 0,
      weekday: 0,
    });
  });
});
