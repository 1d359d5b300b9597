/**
 * A scheduled round is changed or called off by its hosts or the moderation (real database): every change raises
 * the calendar SEQUENCE, everyone signed up (registered or waiting) and the other hosts are told in the app and by
 * mail through the outbox, a cancelled round's .ics says CANCELLED, and nobody can register for it or open it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { useTestDatabase } from "../setup/db.ts";
import {
  auditLog,
  dialogueRounds,
  mailOutbox,
  notifications,
  roundRegistrations,
  users,
} from "../../db/schema/index.ts";
import { parseEnv } from "../../app/env.server.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { createRound, getRoundView, registerForRound } from "../../app/models/rounds/rounds.server.ts";
import { cancelRound, getRoundForEdit, updateRound } from "../../app/models/rounds/changes.server.ts";
import { openRoom } from "../../app/models/rounds/host.server.ts";
import { roundIcs } from "../../app/models/rounds/calendar.server.ts";
import { ForbiddenError, InputError } from "../../app/models/errors.server.ts";
import { roundFormSchema } from "../../app/schemas/rounds.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;

/** The round's audit entries, oldest first. */
async function auditOf(roundId: string) {
  return db()
    .select({ action: auditLog.action, actorId: auditLog.actorId, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.subjectType, "round"), eq(auditLog.subjectId, roundId)))
    .orderBy(auditLog.id);
}
let n = 0;
let moderator: Actor;

// The tests' own clock: registration closes a day before a round in March 2030.
const NOW = new Date("2030-03-01T09:00:00Z");
const FORM = {
  title: "eAkte im Lerngespräch",
  description: "Wie arbeiten wir mit der eAkte?",
  startsAt: "2030-03-10T14:00",
  endsAt: "2030-03-10T15:30",
  registrationDeadline: "2030-03-09T12:00",
  capacity: "2",
  conferenceUrl: "https://konferenz.example.org/raum/42",
  hosts: "",
  agenda: "Ankommen\nImpuls",
};

async function person(role: Actor["role"] = "member"): Promise<Actor> {
  n++;
  const { id } = await createUser({
    email: `aenderung${n}@example.org`,
    displayName: `Person ${n}`,
    handle: `aenderung-${n}`,
    password: "ein-gutes-passwort",
    role,
  });
  return { id, role };
}

async function noticesOf(roundId: string, type: string) {
  const rows = await db()
    .select({ userId: notifications.userId })
    .from(notifications)
    .where(and(eq(notifications.roundId, roundId), eq(notifications.type, type)));
  return rows.map((r) => r.userId).sort();
}

async function mailsTo(userIds: string[], subject: string) {
  const emails = (await db().select({ email: users.email }).from(users).where(inArray(users.id, userIds))).map(
    (u) => u.email,
  );
  const rows = await db()
    .select({ to: mailOutbox.to, subject: mailOutbox.subject, text: mailOutbox.text })
    .from(mailOutbox)
    .where(inArray(mailOutbox.to, emails));
  return rows.filter((r) => r.subject === subject);
}

async function sequence(id: string) {
  const [row] = await db()
    .select({ sequence: dialogueRounds.sequence, status: dialogueRounds.status })
    .from(dialogueRounds)
    .where(eq(dialogueRounds.id, id));
  return row;
}

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-round-changes-"));
  globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir, PUBLIC_URL: "https://netzwerk.example.org" });
  moderator = await person("moderator");
});

describe("changing and cancelling a round", () => {
  it("changes a round, tells everyone signed up, moves the waiting list up and raises the SEQUENCE", async () => {
    const { id } = await createRound(moderator, roundFormSchema.parse(FORM));
    const [a, b, c, outsider] = [await person(), await person(), await person(), await person()];
    expect(await registerForRound(a, id, NOW)).toBe("registered");
    expect(await registerForRound(b, id, NOW)).toBe("registered");
    expect(await registerForRound(c, id, NOW)).toBe("waiting");
    expect(await sequence(id)).toEqual({ sequence: 0, status: "scheduled" });

    // Members cannot change it; the edit form shows Berlin wall-clock times.
    await expect(updateRound(a, id, roundFormSchema.parse({ ...FORM, title: "Gekapert" }), NOW)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await getRoundForEdit(moderator, id)).values).toMatchObject({
      startsAt: "2030-03-10T14:00",
      capacity: "2",
      agenda: "Ankommen\nImpuls",
    });

    // Saving the same values changes nothing and tells nobody.
    expect(await updateRound(moderator, id, roundFormSchema.parse(FORM), NOW)).toEqual({ changed: false });
    expect((await sequence(id)).sequence).toBe(0);

    // One hour later and one more place: the waiting member moves up, the others hear of the change.
    const later = { ...FORM, startsAt: "2030-03-10T15:00", endsAt: "2030-03-10T16:30", capacity: "3" };
    expect(await updateRound(moderator, id, roundFormSchema.parse(later), NOW)).toEqual({ changed: true });
    expect((await sequence(id)).sequence).toBe(1);
    // One audit entry, naming what changed (the unchanged save above wrote none).
    expect(await auditOf(id)).toEqual([
      { action: "round.update", actorId: moderator.id, details: { changed: ["startsAt", "endsAt", "capacity"] } },
    ]);
    expect(await noticesOf(id, "round_changed")).toEqual([a.id, b.id].sort());
    expect(await noticesOf(id, "round_promoted")).toEqual([c.id]);
    expect(await noticesOf(id, "round_changed")).not.toContain(outsider.id);
    const changedMails = await mailsTo([a.id, b.id], "Geändert: eAkte im Lerngespräch");
    expect(changedMails).toHaveLength(2);
    expect(changedMails[0].text).toContain("Sie findet jetzt 10.03.2030, 15:00 Uhr statt.");
    const view = await getRoundView(c, id, NOW);
    expect(view?.my.status).toBe("registered");

    // Fewer places than registered people is refused with the reason.
    await expect(updateRound(moderator, id, roundFormSchema.parse({ ...later, capacity: "2" }), NOW)).rejects.toThrow(
      "Es sind schon 3 Personen angemeldet; weniger Plätze gehen nicht.",
    );

    const ics = (await roundIcs(id, "https://netzwerk.example.org"))!;
    expect(ics).toContain("METHOD:PUBLISH\r\n");
    expect(ics).toContain("SEQUENCE:1\r\n");
    expect(ics).toContain("STATUS:CONFIRMED\r\n");
    expect(ics).toContain("DTSTART:20300310T140000Z\r\n");
  });

  it("cancels a round after which it cannot be registered for, opened or changed; its .ics is a CANCEL", async () => {
    const host = await person();
    const hostHandle = `aenderung-${n}`;
    const { id } = await createRound(moderator, roundFormSchema.parse({ ...FORM, hosts: `@${hostHandle}` }));
    const [a, b, c, late] = [await person(), await person(), await person(), await person()];
    await registerForRound(a, id, NOW);
    await registerForRound(b, id, NOW);
    await registerForRound(c, id, NOW);

    // The named host may cancel (as may the moderation); a registrant may not.
    await expect(cancelRound(a, id, NOW)).rejects.toBeInstanceOf(ForbiddenError);
    await cancelRound(host, id, NOW);
    expect(await sequence(id)).toEqual({ sequence: 1, status: "cancelled" });
    // Registered, waiting and the other host (the moderator who scheduled it) hear it; the host who cancelled does not.
    expect(await noticesOf(id, "round_cancelled")).toEqual([a.id, b.id, c.id, moderator.id].sort());
    const mails = await mailsTo([c.id], "Abgesagt: eAkte im Lerngespräch");
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain("ist abgesagt");
    // Registrations stay, so the personal calendar feed carries the cancellation too.
    const kept = await db()
      .select({ status: roundRegistrations.status })
      .from(roundRegistrations)
      .where(eq(roundRegistrations.roundId, id));
    expect(kept.map((r) => r.status).sort()).toEqual(["registered", "registered", "waiting"]);

    await expect(registerForRound(late, id, NOW)).rejects.toBeInstanceOf(InputError);
    await expect(openRoom(moderator, id, NOW)).rejects.toThrow("Die Dialogrunde ist abgesagt.");
    await expect(cancelRound(moderator, id, NOW)).rejects.toThrow("Die Dialogrunde ist schon abgesagt.");
    await expect(updateRound(moderator, id, roundFormSchema.parse(FORM), NOW)).rejects.toBeInstanceOf(InputError);
    expect(await auditOf(id)).toEqual([{ action: "round.cancel", actorId: host.id, details: {} }]);

    const view = await getRoundView(late, id, NOW);
    expect(view?.may).toMatchObject({ register: false, change: false, cancel: false });
    const ics = (await roundIcs(id, "https://netzwerk.example.org"))!;
    expect(ics).toContain("METHOD:CANCEL\r\n");
    expect(ics).toContain("SEQUENCE:1\r\n");
    expect(ics).toContain("STATUS:CANCELLED\r\n");
    // (unfolded: the line is longer than 75 octets)
    expect(ics.replace(/\r\n /g, "")).toContain(
      'ORGANIZER;CN="Das Lernbegleitungs-Netzwerk":mailto:dialogrunden@netzwerk.example.org\r\n',
    );
  });

  it("does not offer registration to the round's hosts", async () => {
    const { id } = await createRound(moderator, roundFormSchema.parse(FORM));
    const view = await getRoundView(moderator, id, NOW);
    expect(view?.may).toMatchObject({ host: true, register: false, change: true });
    const member = await person();
    expect((await getRoundView(member, id, NOW))?.may).toMatchObject({ host: false, register: true, change: false });
  });
});
