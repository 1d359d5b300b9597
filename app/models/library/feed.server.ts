import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { feedTokens, materialFiles, materials, users } from "../../../db/schema/index.ts";
import type { Actor } from "../../auth/permissions.ts";
import { db } from "../db.server.ts";
import { generateToken, hashToken } from "../accounts/tokens.server.ts";

export async function hasFeedToken(actor: Actor): Promise<boolean> {
  const [row] = await db().select({ userId: feedTokens.userId }).from(feedTokens).where(eq(feedTokens.userId, actor.id));
  return !!row;
}

/** A new personal feed token; any earlier one stops working. Shown once: only its hash is stored. */
export async function renewFeedToken(actor: Actor): Promise<string> {
  const token = generateToken();
  await db()
    .insert(feedTokens)
    .values({ userId: actor.id, tokenHash: hashToken(token) })
    .onConflictDoUpdate({ target: feedTokens.userId, set: { tokenHash: hashToken(token), createdAt: new Date() } });
  return token;
}

export async function revokeFeedToken(actor: Actor): Promise<void> {
  await db().delete(feedTokens).where(eq(feedTokens.userId, actor.id));
}

/** Published podcasts with their audio file, for the member whose feed token this is (null: unknown token, or the
 * account is deactivated: a feed token never outlives the access it stands for). */
export async function podcastEpisodes(token: string) {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const [owner] = await db()
    .select({ userId: feedTokens.userId })
    .from(feedTokens)
    .innerJoin(users, eq(users.id, feedTokens.userId))
    .where(and(eq(feedTokens.tokenHash, hashToken(token)), isNull(users.deactivatedAt)));
  if (!owner) return null;
  const episodes = await db()
    .select({ id: materials.id, title: materials.title, summary: materials.summary, publishedAt: materials.publishedAt })
    .from(materials)
    .where(and(eq(materials.type, "podcast"), eq(materials.status, "published")))
    .orderBy(desc(materials.publishedAt))
    .limit(200);
  if (episodes.length === 0) return [];
  const files = await db()
    .select({ id: materialFiles.id, materialId: materialFiles.materialId, mime: materialFiles.mime, size: materialFiles.size })
    .from(materialFiles)
    .where(and(inArray(materialFiles.materialId, episodes.map((e) => e.id)), eq(materialFiles.kind, "audio")));
  return episodes
    .map((e) => ({ ...e, audio: files.find((f) => f.materialId === e.id) ?? null }))
    .filter((e): e is typeof e & { audio: NonNullable<typeof e.audio> } => e.audio !== null);
}
