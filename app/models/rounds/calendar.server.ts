import { and, asc, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { calendarTokens, dialogueRounds, roundHosts, roundRegistrations, users } from "../../../db/schema/index.ts";
import type { Actor } from "../../auth/permissions.ts";
import { calendar, type CalendarEvent } from "../../domain/rounds/ics.ts";
import { db } from "../db.server.ts";
import { generateToken, hashToken } from "../accounts/tokens.server.ts";
import { absoluteUrl } from "../mail/templates.server.ts";
import { loadRound, type RoundRow } from "./facts.server.ts";

function toEvent(round: RoundRow, base: string): CalendarEvent {
  const url = `${base}/dialogrunden/${round.id}`;
  return {
    uid: `dialogrunde-${round.id}@${new URL(base).hostname}`,
    title: `Dialogrunde: ${round.title}`,
    description: round.description,
    startsAt: round.startsAt,
    endsAt: round.endsAt,
    url,
    location: "Online",
    updatedAt: latest([round.updatedAt, round.closedAt, round.openedAt, round.createdAt]),
    sequence: round.sequence,
    cancelled: round.status === "cancelled",
  };
}

function latest(dates: (Date | null)[]): Date {
  return new Date(Math.max(...dates.filter((d): d is Date => d !== null).map((d) => d.getTime())));
}

/**
 * The .ics of one round (members only; it holds nothing the round page does not show). A cancelled round's file is
 * a CANCEL from the network, so importing it removes the event from the member's calendar.
 */
export async function roundIcs(id: string, base = absoluteUrl("")): Promise<string | null> {
  const round = await loadRound(id);
  if (!round) return null;
  const options =
    round.status === "cancelled"
      ? {
          method: "CANCEL" as const,
          organizer: { name: "Das Lernbegleitungs-Netzwerk", email: `dialogrunden@${new URL(base).hostname}` },
        }
      : {};
  return calendar(round.title, [toEvent(round, base)], new Date(), options);
}

export async function hasCalendarToken(actor: Actor): Promise<boolean> {
  const [row] = await db()
    .select({ userId: calendarTokens.userId })
    .from(calendarTokens)
    .where(eq(calendarTokens.userId, actor.id));
  return !!row;
}

/** A new personal calendar token; any earlier one stops working. Shown once: only its hash is stored. */
export async function renewCalendarToken(actor: Actor): Promise<string> {
  const token = generateToken();
  await db()
    .insert(calendarTokens)
    .values({ userId: actor.id, tokenHash: hashToken(token) })
    .onConflictDoUpdate({ target: calendarTokens.userId, set: { tokenHash: hashToken(token), createdAt: new Date() } });
  return token;
}

export async function revokeCalendarToken(actor: Actor): Promise<void> {
  await db().delete(calendarTokens).where(eq(calendarTokens.userId, actor.id));
}

/** The feed of the token's owner: rounds they are registered for or host, from 30 days back. Null: unknown token, or
 * the account is deactivated. */
export async function personalCalendar(token: string, base = absoluteUrl("")): Promise<string | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const [owner] = await db()
    .select({ userId: calendarTokens.userId })
    .from(calendarTokens)
    .innerJoin(users, eq(users.id, calendarTokens.userId))
    .where(and(eq(calendarTokens.tokenHash, hashToken(token)), isNull(users.deactivatedAt)));
  if (!owner) return null;
  const [registered, hosted] = await Promise.all([
    db()
      .select({ id: roundRegistrations.roundId })
      .from(roundRegistrations)
      .where(and(eq(roundRegistrations.userId, owner.userId), eq(roundRegistrations.status, "registered"))),
    db().select({ id: roundHosts.roundId }).from(roundHosts).where(eq(roundHosts.userId, owner.userId)),
  ]);
  const ids = [...new Set([...registered, ...hosted].map((r) => r.id))];
  const rounds = ids.length
    ? await db()
        .select()
        .from(dialogueRounds)
        .where(
          and(inArray(dialogueRounds.id, ids), or(gt(dialogueRounds.endsAt, new Date(Date.now() - 30 * 86_400_000)))),
        )
        .orderBy(asc(dialogueRounds.startsAt))
        .limit(500)
    : [];
  return calendar(
    "Meine Dialogrunden",
    rounds.map((r) => toEvent(r, base)),
    new Date(),
  );
}
