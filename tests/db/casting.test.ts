/**
 * Casting that guides (real database): everyone in a forming group reads what is still missing and who can fix it;
 * the case giver casts the roles and starts the consultation once nothing is missing.
 */
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../setup/db.ts";
import { caseConsultations } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import {
  assignRole,
  createCaseRequest,
  getCaseView,
  inviteParticipant,
  respondToInvitation,
} from "../../app/models/cases/consultations.server.ts";
import { advancePhase } from "../../app/models/cases/phases.server.ts";
import { InputError } from "../../app/models/errors.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;
const T0 = new Date("2026-11-23T08:00:00Z");

async function person(name: string): Promise<Actor & { handle: string; name: string }> {
  n++;
  const h = `casting-${n}`;
  const { id } = await createUser({
    email: `casting${n}@example.org`,
    displayName: name,
    handle: h,
    password: "ein-gutes-passwort",
    role: "member",
  });
  return { id, role: "member", handle: h, name };
}

async function casting(viewer: Actor, id: string) {
  const view = await getCaseView(viewer, id, T0);
  if (view.kind !== "full") throw new Error(`expected the full view, got ${view.kind}`);
  return { casting: view.casting, canAdvance: view.canAdvance };
}

describe("casting", () => {
  it("tells everyone what is missing and who can fix it, and lets the case giver cast and start", async () => {
    const giver = await person("Sevgi Schneider");
    const [jonas, petra, aylin] = [
      await person("Jonas Wagner"),
      await person("Petra Hoffmann"),
      await person("Aylin Demir"),
    ];
    const { id } = await createCaseRequest(
      giver,
      {
        topic: "Lernzeit schützen",
        situation: "Eine Kollegin schafft es seit Wochen nicht, ihre Lernzeit zu halten.",
        tried: "Kürzere Termine.",
        keyQuestion: "Wie unterstütze ich sie ohne Druck?",
        mode: "async",
        scheduledAt: "",
        asyncDays: "4",
        groupSize: 4,
        seatsOpen: false,
        noNames: "on",
        noOffice: "on",
        noClientData: "on",
        hintsReviewed: false,
      },
      T0,
    );
    for (const p of [jonas, petra, aylin]) await inviteParticipant(giver, id, p.handle);
    await respondToInvitation(jonas, id, "agree", T0);

    // Two agreed (giver and Jonas), two pending, no moderation: both needs, worded for the reader.
    const forGiver = await casting(giver, id);
    expect(forGiver.casting?.needs).toEqual([
      "Es braucht eine Moderation. Du vergibst die Rolle unten in der Gruppe.",
      "Es braucht mindestens 3 Teilnehmende, die der Vertraulichkeit zugestimmt haben; bisher 2. Noch nicht zugestimmt: Aylin Demir, Petra Hoffmann.",
    ]);
    const forJonas = await casting(jonas, id);
    expect(forJonas.casting?.needs[0]).toBe(
      "Es braucht eine Moderation. Sevgi Schneider vergibt die Rolle unten in der Gruppe.",
    );
    expect(forJonas.canAdvance).toBe(false);

    // Starting now is refused with the reason.
    await expect(advancePhase(giver, id, "casting", T0)).rejects.toThrow(InputError);

    // The case: four members, all consents, no moderation yet.
    await respondToInvitation(petra, id, "agree", T0);
    await respondToInvitation(aylin, id, "agree", T0);
    expect((await casting(giver, id)).casting?.needs).toEqual([
      "Es braucht eine Moderation. Du vergibst die Rolle unten in der Gruppe.",
    ]);
    expect((await casting(aylin, id)).casting?.needs).toEqual([
      "Es braucht eine Moderation. Sevgi Schneider vergibt die Rolle unten in der Gruppe.",
    ]);
    await expect(advancePhase(giver, id, "casting", T0)).rejects.toThrow(
      "Es braucht eine Moderation, die der Vertraulichkeit zugestimmt hat.",
    );

    await assignRole(giver, id, petra.id, "moderation");
    const ready = await casting(giver, id);
    expect(ready).toEqual({
      casting: { needs: [], starters: "Du kannst die Beratung jetzt beginnen." },
      canAdvance: true,
    });
    expect((await casting(aylin, id)).casting).toEqual({
      needs: [],
      starters: "Sevgi Schneider oder Petra Hoffmann können die Beratung jetzt beginnen.",
    });
    expect((await casting(petra, id)).casting?.starters).toBe("Du kannst die Beratung jetzt beginnen.");

    // The case giver starts.
    await advancePhase(giver, id, "casting", T0);
    const [row] = await db()
      .select({ phase: caseConsultations.phase })
      .from(caseConsultations)
      .where(eq(caseConsultations.id, id));
    expect(row.phase).toBe("spontanbericht");
    expect((await casting(giver, id)).casting).toBeNull();
  });

  it("names a moderation that has not agreed yet", async () => {
    const giver = await person("Miriam Koch");
    const thomas = await person("Thomas Becker");
    const { id } = await createCaseRequest(
      giver,
      {
        topic: "Erstgespräch",
        situation: "Ein Lernender kommt unvorbereitet ins Erstgespräch und wirkt unsicher.",
        tried: "Fragen vorab geschickt.",
        keyQuestion: "Wie schaffe ich einen guten Einstieg?",
        mode: "async",
        scheduledAt: "",
        asyncDays: "4",
        groupSize: 5,
        seatsOpen: false,
        noNames: "on",
        noOffice: "on",
        noClientData: "on",
        hintsReviewed: false,
      },
      T0,
    );
    await inviteParticipant(giver, id, thomas.handle);
    await assignRole(giver, id, thomas.id, "moderation");
    const needs = (await casting(giver, id)).casting?.needs ?? [];
    expect(needs[0]).toBe(
      "Die Moderation (Thomas Becker) hat der Vertraulichkeit noch nicht zugestimmt. Das geschieht in der Einladung; sonst vergibst du die Rolle an jemand anderen.",
    );
    expect(needs[1]).toBe(
      "Es braucht mindestens 3 Teilnehmende, die der Vertraulichkeit zugestimmt haben; bisher 1. Noch nicht zugestimmt: Thomas Becker. Du kannst weitere Mitglieder einladen oder freie Plätze anbieten.",
    );
  });
});
