import { describe, expect, test } from "vitest";
import { digestSlot } from "../../app/domain/notifications/schedule.ts";
import { berlinInstant } from "../../app/domain/time.ts";
import {
  effectiveSettings,
  groupInfo,
  groupOfType,
  notificationGroups,
} from "../../app/domain/notifications/groups.ts";
import { notificationSettingsSchema } from "../../app/schemas/notifications.ts";

const utc = (s: string) => new Date(s);

describe("digest times (07:00 Berlin, weekly on Monday)", () => {
  test("daily: the latest 07:00 Berlin at or before now, in winter (UTC+1) and summer (UTC+2)", () => {
    expect(digestSlot("daily", utc("2026-11-21T12:00:00Z")).toISOString()).toBe("2026-11-21T06:00:00.000Z");
    expect(digestSlot("daily", utc("2026-11-21T06:00:00Z")).toISOString()).toBe("2026-11-21T06:00:00.000Z");
    expect(digestSlot("daily", utc("2026-11-21T05:59:59Z")).toISOString()).toBe("2026-11-20T06:00:00.000Z");
    expect(digestSlot("daily", utc("2026-07-01T05:30:00Z")).toISOString()).toBe("2026-07-01T05:00:00.000Z");
    // Berlin's evening that is already the next day in UTC.
    expect(digestSlot("daily", utc("2026-11-21T23:30:00Z")).toISOString()).toBe("2026-11-21T06:00:00.000Z");
  });

  test("across the clock changes (29 March and 25 October 2026)", () => {
    expect(digestSlot("daily", utc("2026-03-29T04:59:00Z")).toISOString()).toBe("2026-03-28T06:00:00.000Z");
    expect(digestSlot("daily", utc("2026-03-29T05:00:00Z")).toISOString()).toBe("2026-03-29T05:00:00.000Z");
    expect(digestSlot("daily", utc("2026-10-25T05:59:00Z")).toISOString()).toBe("2026-10-24T05:00:00.000Z");
    expect(digestSlot("daily", utc("2026-10-25T06:00:00Z")).toISOString()).toBe("2026-10-25T06:00:00.000Z");
    expect(berlinInstant(2026, 3, 29, 7).toISOString()).toBe("2026-03-29T05:00:00.000Z");
  });

  test("weekly: Monday 07:00 Berlin", () => {
    // 2026-11-23 is a Monday.
    expect(digestSlot("weekly", utc("2026-11-21T12:00:00Z")).toISOString()).toBe("2026-11-16T06:00:00.000Z");
    expect(digestSlot("weekly", utc("2026-11-23T05:59:00Z")).toISOString()).toBe("2026-11-16T06:00:00.000Z");
    expect(digestSlot("weekly", utc("2026-11-23T06:00:00Z")).toISOString()).toBe("2026-11-23T06:00:00.000Z");
    expect(digestSlot("weekly", utc("2026-11-29T22:59:00Z")).toISOString()).toBe("2026-11-23T06:00:00.000Z");
  });
});

describe("notification groups", () => {
  test("every stored type belongs to a group the settings page offers", () => {
    expect(
      [
        "reply",
        "mention",
        "answer",
        "accepted",
        "round_reminder",
        "round_promoted",
        "round_outcome",
        "case_invite",
        "case_seat",
        "case_phase",
        "case_reminder",
      ].map(groupOfType),
    ).toEqual([
      "replies",
      "mentions",
      "answers",
      "answers",
      "rounds",
      "rounds",
      "rounds",
      "cases",
      "cases",
      "cases",
      "cases",
    ]);
  });

  test("stored choices override defaults; a choice a group does not offer counts as unset", () => {
    const settings = effectiveSettings([
      { group: "replies", delivery: "off" },
      { group: "materials", delivery: "immediate" },
      { group: "unbekannt", delivery: "daily" },
    ]);
    expect(settings.replies).toBe("off");
    expect(settings.materials).toBe(groupInfo.materials.default);
    expect(Object.keys(settings).sort()).toEqual([...notificationGroups].sort());
  });

  test("the form accepts only offered options, with a German message", () => {
    const all = Object.fromEntries(notificationGroups.map((g) => [g, groupInfo[g].default]));
    expect(notificationSettingsSchema.safeParse(all).success).toBe(true);
    const bad = notificationSettingsSchema.safeParse({ ...all, upcoming_rounds: "in_app" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ["upcoming_rounds"],
      message: "Bitte wähle eine der angebotenen Möglichkeiten.",
    });
  });
});
