import { eq, inArray } from "drizzle-orm";
import type { DatabaseHandle } from "../client.ts";
import {
  dialogueRounds,
  materials,
  roundAgendaItems,
  roundEvents,
  roundHosts,
  roundQuestions,
  roundQuestionVotes,
  roundRegistrations,
  users,
} from "../schema/index.ts";

const DAY = 86_400_000;

/** A day at a Berlin wall-clock hour, `days` from today (approximate offset is fine for demo content). */
function at(days: number, hour: number): Date {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour - 1, 0, 0, 0);
  return d;
}

const pastNotes = `## Kernpunkte

- Suchstrategien in der eAkte gemeinsam üben, am besten mit echten Vorgängen
- Tandems freiwillig bilden: zehn Minuten am Tag reichen
- Fehlerfreundlichkeit im Team fördern – Fragen sind willkommen

## Offene Fragen

- Wie binden wir Führungskräfte früh ein?`;

/**
 * Demo rounds: one past round whose result is published (the library's demo "Ergebnis der Dialogrunde" and its
 * thread) and one upcoming round with registrations and questions in advance. Skipped when already there.
 */
export async function seedRounds(handle: DatabaseHandle): Promise<number> {
  const db = handle.db;
  const people = new Map(
    (await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]),
  );
  const moderator = people.get("moderation@example.org");
  const jonas = people.get("mitglied2@example.org");
  const petra = people.get("qv@example.org");
  const sevgi = people.get("mitglied@example.org");
  if (!moderator || !jonas || !petra || !sevgi) return 0;
  const titles = ["eAkte im Alltag", "KI im Arbeitsalltag – was heißt das für Lerngespräche?"];
  const existing = await db
    .select({ title: dialogueRounds.title })
    .from(dialogueRounds)
    .where(inArray(dialogueRounds.title, titles));
  if (existing.length) return 0;
  const [outcome] = await db
    .select({ id: materials.id, threadId: materials.discussionThreadId })
    .from(materials)
    .where(eq(materials.importRef, "m-ergebnis-eakte"));

  await db.transaction(async (tx) => {
    const pastStart = at(-46, 14);
    const [past] = await tx
      .insert(dialogueRounds)
      .values({
        title: titles[0],
        description:
          "Wie finden wir uns in der elektronischen Akte zurecht – und wie begleiten wir andere dabei? Erfahrungen aus Jobcentern und Agenturen.",
        startsAt: pastStart,
        endsAt: new Date(pastStart.getTime() + 90 * 60_000),
        registrationDeadline: new Date(pastStart.getTime() - DAY),
        capacity: 20,
        status: outcome ? "published" : "closed",
        seq: 4,
        notes: pastNotes,
        outcomeMaterialId: outcome?.id ?? null,
        outcomeThreadId: outcome?.threadId ?? null,
        createdBy: moderator,
        openedAt: pastStart,
        closedAt: new Date(pastStart.getTime() + 90 * 60_000),
        createdAt: new Date(pastStart.getTime() - 14 * DAY),
      })
      .returning({ id: dialogueRounds.id });
    await tx.insert(roundHosts).values({ roundId: past.id, userId: moderator });
    await tx.insert(roundAgendaItems).values(
      ["Ankommen", "Erfahrungen mit der eAkte", "Was hilft beim Lernen?"].map((title, position) => ({
        roundId: past.id,
        position,
        title,
      })),
    );
    await tx.insert(roundRegistrations).values(
      [sevgi, jonas, petra].map((userId) => ({
        roundId: past.id,
        userId,
        status: "registered" as const,
        queuedAt: new Date(pastStart.getTime() - 10 * DAY),
      })),
    );
    await tx.insert(roundEvents).values([
      { roundId: past.id, seq: 1, kind: "status" as const, authorId: moderator, ref: "live", createdAt: pastStart },
      {
        roundId: past.id,
        seq: 2,
        kind: "chat" as const,
        authorId: sevgi,
        text: "Bei uns hilft ein fester Übungstermin am Freitag.",
        createdAt: new Date(pastStart.getTime() + 20 * 60_000),
      },
      {
        roundId: past.id,
        seq: 3,
        kind: "chat" as const,
        authorId: jonas,
        text: "Tandems haben bei uns die Scheu vor der Suche genommen.",
        createdAt: new Date(pastStart.getTime() + 35 * 60_000),
      },
      {
        roundId: past.id,
        seq: 4,
        kind: "status" as const,
        authorId: moderator,
        ref: "closed",
        createdAt: new Date(pastStart.getTime() + 90 * 60_000),
      },
    ]);

    const nextStart = at(7, 14);
    const [next] = await tx
      .insert(dialogueRounds)
      .values({
        title: titles[1],
        description:
          "KI-Werkzeuge kommen in den Arbeitsalltag. Was bedeutet das für Lernfragen, Lernwege und unsere Rolle als Lernbegleiterinnen und Lernbegleiter? Ton und Bild über das Konferenzsystem, alles andere hier.",
        startsAt: nextStart,
        endsAt: new Date(nextStart.getTime() + 90 * 60_000),
        registrationDeadline: new Date(nextStart.getTime() - 2 * 3_600_000),
        capacity: 12,
        conferenceUrl: "https://konferenz.example.org/dialogrunde-ki",
        createdBy: moderator,
      })
      .returning({ id: dialogueRounds.id });
    await tx.insert(roundHosts).values({ roundId: next.id, userId: moderator });
    await tx
      .insert(roundAgendaItems)
      .values(
        [
          "Ankommen und Erwartungen",
          "Impuls: KI im Arbeitsalltag",
          "Austausch in der Runde",
          "Was nehmen wir mit?",
        ].map((title, position) => ({ roundId: next.id, position, title })),
      );
    await tx.insert(roundRegistrations).values(
      [jonas, petra].map((userId, i) => ({
        roundId: next.id,
        userId,
        status: "registered" as const,
        queuedAt: new Date(Date.now() - (3 - i) * DAY),
      })),
    );
    const [q1, q2] = await tx
      .insert(roundQuestions)
      .values([
        {
          roundId: next.id,
          authorId: petra,
          text: "Wie sprechen wir mit Führungskräften über KI als Lernthema?",
          votes: 1,
        },
        {
          roundId: next.id,
          authorId: jonas,
          text: "Welche Lernfragen bringen Kolleginnen und Kollegen zu KI-Werkzeugen mit?",
          votes: 1,
        },
      ])
      .returning({ id: roundQuestions.id });
    await tx.insert(roundQuestionVotes).values([
      { questionId: q1.id, userId: jonas },
      { questionId: q2.id, userId: petra },
    ]);

    const orientationStart = at(12, 10);
    const [orientation] = await tx
      .insert(dialogueRounds)
      .values({
        title: "Orientierungsrunde: Gut ankommen im Netzwerk",
        description:
          "Für alle, die neu dabei sind: Wie funktionieren Diskussionen, Materialien, Dialogrunden und die Kollegiale Fallberatung? Eine Stunde zum Kennenlernen und Fragenstellen.",
        startsAt: orientationStart,
        endsAt: new Date(orientationStart.getTime() + 60 * 60_000),
        registrationDeadline: new Date(orientationStart.getTime() - 3_600_000),
        capacity: 30,
        orientation: true,
        createdBy: moderator,
      })
      .returning({ id: dialogueRounds.id });
    await tx.insert(roundHosts).values({ roundId: orientation.id, userId: moderator });
    await tx.insert(roundAgendaItems).values(
      ["Ankommen", "Rundgang durch das Netzwerk", "Eure Fragen"].map((title, position) => ({
        roundId: orientation.id,
        position,
        title,
      })),
    );
  });
  return 3;
}
