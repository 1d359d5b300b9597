import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import {
  categories,
  categoryWatches,
  dialogueRounds,
  posts,
  roundRegistrations,
  threads,
  users,
} from "../../../db/schema/index.ts";
import { db } from "../db.server.ts";

/** The room where new members introduce themselves (seeded; moderators keep the slug when renaming it). */
export const WELCOME_ROOM_SLUG = "willkommen";

export type WelcomeStep = "profile" | "introduce" | "watch" | "orientation";

export interface WelcomeItem {
  step: WelcomeStep;
  done: boolean;
  /** Where the member does it. */
  href: string;
}

/**
 * The first-login checklist on the start page: what a new member does to arrive. Null once dismissed or when every
 * step is done. A step that cannot be done right now (no welcome room, no orientation round planned) is left out.
 */
export async function welcomeChecklist(userId: string, now = new Date()): Promise<WelcomeItem[] | null> {
  const [user] = await db()
    .select({ roleText: users.roleText, region: users.region, bio: users.bio, dismissed: users.welcomeDismissedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.dismissed) return null;
  const [[room], [watching], registered, [nextOrientation]] = await Promise.all([
    db().select({ id: categories.id }).from(categories).where(eq(categories.slug, WELCOME_ROOM_SLUG)),
    db()
      .select({ one: sql<number>`1` })
      .from(categoryWatches)
      .where(eq(categoryWatches.userId, userId))
      .limit(1),
    db()
      .select({ one: sql<number>`1` })
      .from(roundRegistrations)
      .innerJoin(dialogueRounds, eq(dialogueRounds.id, roundRegistrations.roundId))
      .where(
        and(
          eq(roundRegistrations.userId, userId),
          inArray(roundRegistrations.status, ["registered", "waiting"]),
          eq(dialogueRounds.orientation, true),
        ),
      )
      .limit(1),
    db()
      .select({ id: dialogueRounds.id })
      .from(dialogueRounds)
      .where(
        and(
          eq(dialogueRounds.orientation, true),
          eq(dialogueRounds.status, "scheduled"),
          gt(dialogueRounds.registrationDeadline, now),
        ),
      )
      .orderBy(asc(dialogueRounds.startsAt))
      .limit(1),
  ]);
  const introduced = room
    ? (
        await db()
          .select({ one: sql<number>`1` })
          .from(posts)
          .innerJoin(threads, eq(threads.id, posts.threadId))
          .where(and(eq(posts.authorId, userId), eq(threads.categoryId, room.id), isNull(posts.deletedAt)))
          .limit(1)
      ).length > 0
    : null;
  const items: WelcomeItem[] = [
    { step: "profile", done: Boolean(user.roleText && user.region && user.bio), href: "/einstellungen" },
  ];
  if (introduced !== null) items.push({ step: "introduce", done: introduced, href: `/themen/${WELCOME_ROOM_SLUG}` });
  items.push({ step: "watch", done: Boolean(watching), href: "/themen" });
  const inOrientation = registered.length > 0;
  if (inOrientation || nextOrientation) {
    items.push({
      step: "orientation",
      done: inOrientation,
      href: nextOrientation ? `/dialogrunden/${nextOrientation.id}` : "/dialogrunden",
    });
  }
  return items.every((i) => i.done) ? null : items;
}

/** The member closed the checklist; it does not come back. */
export async function dismissWelcome(userId: string): Promise<void> {
  await db()
    .update(users)
    .set({ welcomeDismissedAt: new Date() })
    .where(and(eq(users.id, userId), isNull(users.welcomeDismissedAt)));
}
