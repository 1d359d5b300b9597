import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../client.ts";
import { caseConsultations, caseContributions, caseParticipants, users } from "../schema/index.ts";
import { caseDemoMembers, finishedAsyncCase, openSeatsCase, runningLiveCase } from "./cases-content.ts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Demo consultations: one finished asynchronous, one running live and one request with free seats. The case
 * giver is mitglied@example.org; moderation@ and admin@ take part in none of them (they must not see them).
 * Runs only while no consultation exists.
 */
export async function seedCases(handle: DatabaseHandle, passwordHash: string): Promise<number> {
  const db = handle.db;
  await db
    .insert(users)
    .values(caseDemoMembers.map((m) => ({ ...m, role: "member" as const, passwordHash })))
    .onConflictDoNothing();
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(caseConsultations);
  if (n > 0) return 0;
  const people = new Map(
    (await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]),
  );
  const id = (email: string) => {
    const found = people.get(email);
    if (!found) throw new Error(`demo member missing: ${email}`);
    return found;
  };
  const giver = id("mitglied@example.org");
  const now = Date.now();

  await db.transaction(async (tx) => {
    // Finished asynchronously over five days, closed three days ago.
    const closedAt = new Date(now - 3 * DAY);
    const started = new Date(now - 9 * DAY);
    const [done] = await tx
      .insert(caseConsultations)
      .values({
        caseGiverId: giver,
        topic: finishedAsyncCase.topic,
        situation: finishedAsyncCase.situation,
        tried: finishedAsyncCase.tried,
        keyQuestion: finishedAsyncCase.keyQuestion,
        mode: "async",
        asyncDays: 5,
        groupSize: 5,
        phase: "abschluss",
        phaseStartedAt: new Date(closedAt.getTime() - DAY),
        method: finishedAsyncCase.method,
        takeaway: finishedAsyncCase.takeaway,
        closedAt,
        createdAt: started,
      })
      .returning({ id: caseConsultations.id });
    await tx.insert(caseParticipants).values([
      { caseId: done.id, userId: giver, role: "case_giver", agreedAt: started },
      { caseId: done.id, userId: id("mitglied2@example.org"), role: "moderation", agreedAt: started },
      { caseId: done.id, userId: id("mitglied3@example.org"), role: "notes", agreedAt: started },
      { caseId: done.id, userId: id("qv@example.org"), role: "consultant", agreedAt: started },
    ]);
    await tx.insert(caseContributions).values(
      finishedAsyncCase.entries.map((e, i) => ({
        caseId: done.id,
        authorId: id(e.author),
        phase: e.phase,
        kind: e.kind,
        prompt: e.prompt ?? null,
        body: e.body,
        createdAt: new Date(started.getTime() + DAY + i * 8 * 60 * MINUTE),
      })),
    );

    // Live, started ten minutes ago, now in Schlüsselfrage with its clock running.
    const liveStart = new Date(now - 10 * MINUTE);
    const phaseStart = new Date(now - 2 * MINUTE);
    const [live] = await tx
      .insert(caseConsultations)
      .values({
        caseGiverId: giver,
        topic: runningLiveCase.topic,
        situation: runningLiveCase.situation,
        tried: runningLiveCase.tried,
        keyQuestion: runningLiveCase.keyQuestion,
        mode: "live",
        scheduledAt: liveStart,
        groupSize: 5,
        phase: "schluesselfrage",
        phaseStartedAt: phaseStart,
        phaseEndsAt: new Date(phaseStart.getTime() + 8 * MINUTE),
        createdAt: new Date(now - 2 * DAY),
      })
      .returning({ id: caseConsultations.id });
    await tx.insert(caseParticipants).values([
      { caseId: live.id, userId: giver, role: "case_giver", agreedAt: liveStart },
      { caseId: live.id, userId: id("mitglied2@example.org"), role: "moderation", agreedAt: liveStart },
      { caseId: live.id, userId: id("qv@example.org"), role: "consultant", agreedAt: liveStart },
      { caseId: live.id, userId: id("mitglied4@example.org"), role: "timekeeper", agreedAt: liveStart },
    ]);
    await tx.insert(caseContributions).values(
      runningLiveCase.entries.map((e, i) => ({
        caseId: live.id,
        authorId: id(e.author),
        phase: e.phase,
        kind: e.kind,
        body: e.body,
        createdAt: new Date(liveStart.getTime() + (i + 1) * 3 * MINUTE),
      })),
    );

    // A request looking for volunteers: live in three days, two of five seats taken.
    const [open] = await tx
      .insert(caseConsultations)
      .values({
        caseGiverId: id("mitglied5@example.org"),
        topic: openSeatsCase.topic,
        situation: openSeatsCase.situation,
        tried: openSeatsCase.tried,
        keyQuestion: openSeatsCase.keyQuestion,
        mode: "live",
        scheduledAt: new Date(Math.ceil((now + 3 * DAY) / (60 * MINUTE)) * 60 * MINUTE),
        groupSize: 5,
        seatsOpen: true,
      })
      .returning({ id: caseConsultations.id });
    await tx.insert(caseParticipants).values([
      { caseId: open.id, userId: id("mitglied5@example.org"), role: "case_giver", agreedAt: new Date(now) },
      { caseId: open.id, userId: id("mitglied4@example.org"), role: "moderation", agreedAt: new Date(now) },
    ]);
  });
  return 3;
}
