/**
 * Server-side drafts, one per member and place. Every save carries a stamp: the editor that wrote it (a random id per
 * opened editor) and how many edits it had seen. Sending a text deletes the place's draft and remembers the sending
 * editor's stamp in the same transaction, so an autosave that was still under way (a reply sent within the second
 * before the autosave fires) is refused instead of bringing the sent text back as a draft.
 */
import { and, eq, gte, sql } from "drizzle-orm";
import { drafts, draftSends } from "../../../db/schema/index.ts";
import type { Actor } from "../../auth/permissions.ts";
import { db, type Database } from "../db.server.ts";
import { InputError } from "../errors.server.ts";

/** Draft keys name a place: a new thread, a reply to a post (or to the thread), or an edit. */
const DRAFT_KEY = /^(thread:new|reply:[0-9a-f-]{36}:([0-9a-f-]{36}|thread)|edit:[0-9a-f-]{36})$/;
const MAX_DRAFT_CHARS = 250_000;
type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

const SESSION = /^[A-Za-z0-9_-]{8,64}$/;

export interface DraftStamp {
  /** One id per opened editor. */
  session: string;
  /** The editor's edit counter when this text was taken. */
  seq: number;
}

/** The stamp an editor posts with its form (`draftSession`, `draftSeq`); null without JavaScript or when malformed. */
export function draftStampFromForm(formData: FormData): DraftStamp | null {
  return parseStamp(formData.get("draftSession"), formData.get("draftSeq"));
}

export function parseStamp(session: unknown, seq: unknown): DraftStamp | null {
  const n = Number(seq);
  if (typeof session !== "string" || !SESSION.test(session) || !Number.isSafeInteger(n) || n < 0) return null;
  return { session, seq: n };
}

/** Drafts of one place are written one at a time (a save and a send never interleave). */
async function lockPlace(tx: Tx, userId: string, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`draft:${userId}:${key}`}))`);
}

/**
 * Saves (or, with `content` null, removes: the member emptied the editor) the draft at `key`. Returns "stale" and
 * changes nothing when the text was already sent from this editor, or when a later edit of it is already stored.
 */
export async function saveDraft(
  actor: Actor,
  key: string,
  content: unknown,
  stamp: DraftStamp = { session: "", seq: 0 },
): Promise<"saved" | "stale"> {
  if (!DRAFT_KEY.test(key)) throw new InputError("key", "Unbekannter Entwurf.");
  const size = JSON.stringify(content ?? null).length;
  if (size > MAX_DRAFT_CHARS) throw new InputError("content", "Der Entwurf ist zu groß.");
  return db().transaction(async (tx) => {
    await lockPlace(tx, actor.id, key);
    const [sent] = await tx
      .select({ seq: draftSends.seq })
      .from(draftSends)
      .where(
        and(
          eq(draftSends.userId, actor.id),
          eq(draftSends.key, key),
          eq(draftSends.editorSession, stamp.session),
          gte(draftSends.seq, stamp.seq),
        ),
      );
    if (sent && stamp.session) return "stale";
    const [stored] = await tx
      .select({ session: drafts.editorSession, seq: drafts.seq })
      .from(drafts)
      .where(and(eq(drafts.userId, actor.id), eq(drafts.key, key)));
    if (stored && stored.session === stamp.session && stored.seq > stamp.seq) return "stale";
    if (content === null || content === undefined) {
      await tx.delete(drafts).where(and(eq(drafts.userId, actor.id), eq(drafts.key, key)));
      return "saved";
    }
    const now = new Date();
    const row = { content: content as object, editorSession: stamp.session, seq: stamp.seq, updatedAt: now };
    await tx
      .insert(drafts)
      .values({ userId: actor.id, key, ...row })
      .onConflictDoUpdate({ target: [drafts.userId, drafts.key], set: row });
    return "saved";
  });
}

/**
 * Part of sending a text (in the sending transaction): the place's draft goes, and the sending editor's stamp is
 * kept so its autosaves up to that edit are refused.
 */
export async function discardSentDraft(tx: Tx, userId: string, key: string, stamp: DraftStamp | null): Promise<void> {
  await lockPlace(tx, userId, key);
  await tx.delete(drafts).where(and(eq(drafts.userId, userId), eq(drafts.key, key)));
  if (!stamp) return;
  const row = { editorSession: stamp.session, seq: stamp.seq, sentAt: new Date() };
  await tx
    .insert(draftSends)
    .values({ userId, key, ...row })
    .onConflictDoUpdate({ target: [draftSends.userId, draftSends.key], set: row });
}

/** This member's drafts for the given keys (a key ending in `*` matches by prefix). */
export async function getDrafts(actor: Actor, keys: string[]): Promise<Record<string, unknown>> {
  const rows = await db()
    .select({ key: drafts.key, content: drafts.content })
    .from(drafts)
    .where(eq(drafts.userId, actor.id));
  return Object.fromEntries(
    rows
      .filter((r) => keys.some((k) => r.key === k || (k.endsWith("*") && r.key.startsWith(k.slice(0, -1)))))
      .map((r) => [r.key, r.content]),
  );
}
