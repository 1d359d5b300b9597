/**
 * "Konto löschen": removes a member's personal data in one transaction. What happens per table is listed in
 * inventory.server.ts (and explained on /datenschutz). In short: the users row goes, and with it (foreign keys)
 * sessions, watches, drafts, notifications, tokens, registrations; authorship elsewhere becomes empty, which pages
 * show as "ehemaliges Mitglied". The member chooses whether their posts stay (nameless) or are deleted. Mentions of
 * them in other members' texts lose name and handle. The audit log keeps its rows; only its actor becomes empty
 * (the foreign key's "set null"), nothing else there is written.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq, ilike, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import {
  dataExports,
  drafts,
  loginThrottle,
  accessibilityFeedback,
  mailOutbox,
  materialFiles,
  materials,
  postRevisions,
  posts,
  reactions,
  roundEvents,
  roundQuestions,
  roundQuestionVotes,
  roundRegistrations,
  dialogueRounds,
  images,
  threads,
  users,
} from "../../../db/schema/index.ts";
import { throttleKey } from "../accounts/throttle.server.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { withoutImages, withoutMentionOf } from "../../domain/richtext/forget.ts";
import { imageSrc } from "../../domain/images.ts";
import { removeImageFiles } from "../images/images.server.ts";
import { db, type Database } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { NO_PASSWORD, verifyPassword } from "../accounts/password.server.ts";
import { forgetMemberName } from "../accounts/names.server.ts";
import { docToText, renderHtml, type RichDoc } from "../richtext.server.ts";
import { enqueueSearch, forgetSearchWords, indexSoon } from "../search/outbox.server.ts";
import { uploadsDir } from "../library/files.server.ts";
import { cancelRegistration } from "../rounds/rounds.server.ts";
import { disconnectRoom, publish } from "../../realtime/hub.server.ts";
import { roomName } from "../../realtime/events.ts";
import { removeFiles as removeExportFiles } from "./export.server.ts";
import { deletePollsOf } from "../discussions/polls.server.ts";
import { errorFields, log } from "../../log.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type PostChoice = "keep" | "delete";

const EMPTY_DOC = { type: "doc", content: [] };

function mentions(column: AnyPgColumn, handle: string): SQL {
  return sql`jsonb_path_exists(${column}, '$.** ? (@.type == "mention" && @.attrs.id == $h)', jsonb_build_object('h', ${handle}::text))`;
}

export async function deleteAccount(actor: Actor, input: { password: string; posts: PostChoice }): Promise<void> {
  if (!can(actor, "editProfile", { type: "user", id: actor.id })) throw new ForbiddenError();
  const [me] = await db().select().from(users).where(eq(users.id, actor.id));
  if (!me) throw new NotFoundError();
  if (me.passwordHash === NO_PASSWORD) {
    // An account from the organisation's sign-in has no password (ADR 040): it confirms with its e-mail address.
    if (input.password.trim().toLowerCase() !== me.email)
      throw new InputError("password", "Die E-Mail-Adresse stimmt nicht.");
  } else if (!(await verifyPassword(me.passwordHash, input.password))) {
    throw new InputError("password", "Das Passwort stimmt nicht.");
  }

  // The site key is read outside the transaction (on PGlite a query beside an open transaction would wait for it).
  const accountThrottleKey = await throttleKey.account(me.email);
  const result = await db().transaction(async (tx) => {
    if (me.role === "admin") {
      // Lock the admins' rows so that two admins deleting themselves at once cannot both pass.
      const others = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt), ne(users.id, me.id)))
        .for("update");
      if (others.length === 0) {
        throw new InputError(
          "form",
          "Du bist die einzige Person mit Admin-Rechten. Gib zuerst jemand anderem Admin-Rechte, dann kannst du dein Konto löschen.",
        );
      }
    }
    const threadIds = new Set<string>();
    const replyIds = new Set<string>();

    await forgetReactions(tx, me.id, threadIds, replyIds);
    await forgetQuestionVotes(tx, me.id);
    await erasePosts(tx, me.id, input.posts, threadIds, replyIds);
    // Their votes go with the users row (foreign key), and the totals with them (ADR 026).
    if (input.posts === "delete") await deletePollsOf(tx, me.id);
    await forgetMentions(tx, me.id, me.handle, threadIds, replyIds);
    const pictures = await forgetImages(tx, me.id, threadIds, replyIds);

    // Suggestions not yet in the library are the member's own drafts: they go, with their files.
    const suggestions = await tx
      .select({ id: materials.id })
      .from(materials)
      .where(
        and(
          eq(materials.suggestedBy, me.id),
          inArray(materials.status, ["draft", "review"]),
          or(isNull(materials.createdBy), eq(materials.createdBy, me.id)),
        ),
      );
    const suggestionIds = suggestions.map((s) => s.id);
    const uploads = await tx
      .delete(materialFiles)
      .where(
        or(
          and(eq(materialFiles.uploadedBy, me.id), isNull(materialFiles.materialId)),
          suggestionIds.length ? inArray(materialFiles.materialId, suggestionIds) : sql`false`,
        ),
      )
      .returning({ storageName: materialFiles.storageName });
    if (suggestionIds.length) await tx.delete(materials).where(inArray(materials.id, suggestionIds));
    const exports = await tx
      .select({ storageName: dataExports.storageName })
      .from(dataExports)
      .where(eq(dataExports.userId, me.id));

    await tx.delete(mailOutbox).where(eq(mailOutbox.to, me.email));
    // Mails to others that name them (a mention, a digest line): sent ones are only a delivery record, and a pending
    // one would carry the name on; the notification itself stays in the recipient's list without the name.
    const named = [me.displayName, me.handle, me.email].map((t) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    await tx
      .delete(mailOutbox)
      .where(
        or(
          ...named.flatMap((p) => [ilike(mailOutbox.subject, p), ilike(mailOutbox.text, p), ilike(mailOutbox.html, p)]),
        ),
      );
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, accountThrottleKey));
    // Accessibility feedback stays for the moderators to work on (BITV 2.0), without the name and contact typed in.
    await tx
      .update(accessibilityFeedback)
      .set({ name: "", contact: "" })
      .where(eq(accessibilityFeedback.userId, me.id));
    const rounds = await tx
      .select({ id: roundRegistrations.roundId })
      .from(roundRegistrations)
      .innerJoin(dialogueRounds, eq(dialogueRounds.id, roundRegistrations.roundId))
      .where(
        and(
          eq(roundRegistrations.userId, me.id),
          eq(roundRegistrations.status, "registered"),
          inArray(dialogueRounds.status, ["scheduled", "live"]),
        ),
      );

    await enqueueSearch(tx, "thread", [...threadIds]);
    await enqueueSearch(tx, "reply", [...replyIds]);
    await enqueueSearch(tx, "material", suggestionIds);
    await enqueueSearch(tx, "member", [me.id]);
    await forgetSearchWords(tx, `${me.handle} ${me.displayName}`);

    // Everything else follows the foreign keys: cascade for what is only theirs, "set null" for authorship.
    await tx.delete(users).where(eq(users.id, me.id));
    return {
      files: uploads.map((u) => u.storageName),
      pictures,
      exports: exports.map((e) => e.storageName),
      rounds: rounds.map((r) => r.id),
    };
  });

  // After commit: files, live connections, caches, search, and seats for the waiting list.
  for (const name of result.files) {
    if (/^[0-9a-f]{32}$/.test(name)) await fs.promises.rm(path.join(uploadsDir(), name), { force: true });
  }
  await removeImageFiles(result.pictures);
  await removeExportFiles(result.exports);
  publish(roomName.user(me.id), "session:ended", { reason: "accountDeleted" });
  disconnectRoom(roomName.user(me.id));
  forgetMemberName(me.id);
  indexSoon();
  for (const roundId of result.rounds) {
    // The registration is gone; cancelling again only moves the waiting list up (and tells those who got a seat).
    await cancelRegistration(actor, roundId).catch((error) =>
      log().error(errorFields(error), "Warteliste nach Kontolöschung"),
    );
  }
}

/** Reactions go; the counts on the posts are counted again. */
async function forgetReactions(tx: Tx, userId: string, threadIds: Set<string>, replyIds: Set<string>) {
  const gone = await tx.delete(reactions).where(eq(reactions.userId, userId)).returning({ postId: reactions.postId });
  const postIds = [...new Set(gone.map((g) => g.postId))];
  if (postIds.length === 0) return;
  const updated = await tx
    .update(posts)
    .set({
      thanksCount: sql`(select count(*)::int from ${reactions} r where r.post_id = ${posts.id} and r.kind = 'thanks')`,
      helpfulCount: sql`(select count(*)::int from ${reactions} r where r.post_id = ${posts.id} and r.kind = 'helpful')`,
    })
    .where(inArray(posts.id, postIds))
    .returning({ id: posts.id, threadId: posts.threadId, parentId: posts.parentId });
  for (const p of updated) {
    threadIds.add(p.threadId);
    if (p.parentId) replyIds.add(p.id);
  }
}

async function forgetQuestionVotes(tx: Tx, userId: string) {
  const gone = await tx
    .delete(roundQuestionVotes)
    .where(eq(roundQuestionVotes.userId, userId))
    .returning({ id: roundQuestionVotes.questionId });
  if (gone.length === 0) return;
  await tx
    .update(roundQuestions)
    .set({ votes: sql`(select count(*)::int from ${roundQuestionVotes} v where v.question_id = ${roundQuestions.id})` })
    .where(
      inArray(
        roundQuestions.id,
        gone.map((g) => g.id),
      ),
    );
}

/**
 * Posts they deleted earlier lose their text in either case. With "delete", all their posts do: a thread nobody else
 * answered is deleted; one with others' replies keeps its opening post as a "gelöscht" placeholder (the thread page
 * already shows removed posts that way), as does any reply with answers.
 */
async function erasePosts(tx: Tx, userId: string, choice: PostChoice, threadIds: Set<string>, replyIds: Set<string>) {
  const now = new Date();
  const own = await tx
    .select({ id: posts.id, threadId: posts.threadId, parentId: posts.parentId, deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.authorId, userId));
  const erase = own.filter((p) => choice === "delete" || p.deletedAt !== null);
  if (erase.length === 0) return;
  const eraseIds = erase.map((p) => p.id);
  // Replies removed now (not before): their threads' counts go down, in one statement for all threads.
  const newlyRemoved = choice === "delete" ? erase.filter((p) => p.parentId && !p.deletedAt).map((p) => p.id) : [];
  if (newlyRemoved.length > 0) {
    await tx.execute(sql`
      update threads t set reply_count = greatest(t.reply_count - d.n, 0)
      from (select thread_id, count(*)::int as n from posts where ${inArray(posts.id, newlyRemoved)} group by thread_id) d
      where t.id = d.thread_id`);
  }
  await tx.delete(postRevisions).where(inArray(postRevisions.postId, eraseIds));
  await tx
    .update(posts)
    .set({
      body: EMPTY_DOC,
      bodyHtml: "",
      bodyText: "",
      deletedAt: sql`coalesce(${posts.deletedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(inArray(posts.id, eraseIds));
  if (choice === "keep") return;

  for (const p of erase) {
    threadIds.add(p.threadId);
    if (p.parentId) replyIds.add(p.id);
  }
  // An accepted answer of theirs is no longer the answer.
  await tx.update(threads).set({ acceptedPostId: null }).where(inArray(threads.acceptedPostId, eraseIds));

  // Their threads without a visible reply by anyone else disappear; the others stay for the replies' sake.
  const opened = erase.filter((p) => p.parentId === null).map((p) => p.threadId);
  if (opened.length > 0) {
    const answered = await tx
      .selectDistinct({ threadId: posts.threadId })
      .from(posts)
      .where(and(inArray(posts.threadId, opened), isNotNull(posts.parentId), isNull(posts.deletedAt)));
    const keep = new Set(answered.map((a) => a.threadId));
    const gone = opened.filter((t) => !keep.has(t));
    if (gone.length > 0)
      await tx
        .update(threads)
        .set({ deletedAt: now })
        .where(and(inArray(threads.id, gone), isNull(threads.deletedAt)));
  }
  await tx.delete(roundQuestions).where(eq(roundQuestions.authorId, userId));
  await tx
    .update(roundEvents)
    .set({ text: "" })
    .where(and(eq(roundEvents.authorId, userId), eq(roundEvents.kind, "chat")));
}

/** Mentions of them in other members' posts, earlier versions, materials and drafts become "@ehemaliges Mitglied". */
async function forgetMentions(tx: Tx, userId: string, handle: string, threadIds: Set<string>, replyIds: Set<string>) {
  const found = await tx
    .select({ id: posts.id, threadId: posts.threadId, parentId: posts.parentId, body: posts.body })
    .from(posts)
    .where(mentions(posts.body, handle));
  for (const p of found) {
    const { value, changed } = withoutMentionOf(p.body, handle);
    if (!changed) continue;
    const doc = value as RichDoc;
    await tx
      .update(posts)
      .set({ body: doc, bodyHtml: renderHtml(doc), bodyText: docToText(doc) })
      .where(eq(posts.id, p.id));
    threadIds.add(p.threadId);
    if (p.parentId) replyIds.add(p.id);
  }
  const revisions = await tx
    .select({ id: postRevisions.id, body: postRevisions.body })
    .from(postRevisions)
    .where(mentions(postRevisions.body, handle));
  for (const r of revisions) {
    const doc = withoutMentionOf(r.body, handle).value as RichDoc;
    await tx
      .update(postRevisions)
      .set({ body: doc, bodyHtml: renderHtml(doc) })
      .where(eq(postRevisions.id, r.id));
  }
  const mats = await tx
    .select({ id: materials.id, body: materials.body })
    .from(materials)
    .where(mentions(materials.body, handle));
  for (const m of mats) {
    const doc = withoutMentionOf(m.body, handle).value as RichDoc;
    await tx
      .update(materials)
      .set({ body: doc, bodyHtml: renderHtml(doc), bodyText: docToText(doc) })
      .where(eq(materials.id, m.id));
  }
  await enqueueSearch(
    tx,
    "material",
    mats.map((m) => m.id),
  );
  const others = await tx
    .select({ userId: drafts.userId, key: drafts.key, content: drafts.content })
    .from(drafts)
    .where(and(ne(drafts.userId, userId), mentions(drafts.content, handle)));
  for (const d of others) {
    const { value } = withoutMentionOf(d.content, handle);
    await tx
      .update(drafts)
      .set({ content: value as object })
      .where(and(eq(drafts.userId, d.userId), eq(drafts.key, d.key)));
  }
}

/**
 * Their pictures: the rows go here, the files after commit. Texts that stay (posts kept without a name, their earlier
 * versions, published materials) show "[Bild entfernt]" where a picture was.
 */
async function forgetImages(tx: Tx, userId: string, threadIds: Set<string>, replyIds: Set<string>) {
  const rows = await tx
    .delete(images)
    .where(eq(images.uploadedBy, userId))
    .returning({ id: images.id, width: images.width, postId: images.postId, materialId: images.materialId });
  if (rows.length === 0) return rows;
  const srcs = new Set(rows.map((r) => imageSrc(r.id)));
  const postIds = [...new Set(rows.flatMap((r) => (r.postId ? [r.postId] : [])))];
  const materialIds = [...new Set(rows.flatMap((r) => (r.materialId ? [r.materialId] : [])))];
  if (postIds.length) {
    const found = await tx
      .select({ id: posts.id, threadId: posts.threadId, parentId: posts.parentId, body: posts.body })
      .from(posts)
      .where(inArray(posts.id, postIds));
    for (const p of found) {
      const { value, changed } = withoutImages(p.body, srcs);
      if (!changed) continue;
      const doc = value as RichDoc;
      await tx
        .update(posts)
        .set({ body: doc, bodyHtml: renderHtml(doc), bodyText: docToText(doc) })
        .where(eq(posts.id, p.id));
      threadIds.add(p.threadId);
      if (p.parentId) replyIds.add(p.id);
    }
    const revisions = await tx
      .select({ id: postRevisions.id, body: postRevisions.body })
      .from(postRevisions)
      .where(inArray(postRevisions.postId, postIds));
    for (const r of revisions) {
      const { value, changed } = withoutImages(r.body, srcs);
      if (changed)
        await tx
          .update(postRevisions)
          .set({ body: value as RichDoc, bodyHtml: renderHtml(value as RichDoc) })
          .where(eq(postRevisions.id, r.id));
    }
  }
  if (materialIds.length) {
    const mats = await tx
      .select({ id: materials.id, body: materials.body })
      .from(materials)
      .where(inArray(materials.id, materialIds));
    for (const m of mats) {
      const { value, changed } = withoutImages(m.body, srcs);
      if (!changed) continue;
      const doc = value as RichDoc;
      await tx
        .update(materials)
        .set({ body: doc, bodyHtml: renderHtml(doc), bodyText: docToText(doc) })
        .where(eq(materials.id, m.id));
    }
    await enqueueSearch(tx, "material", materialIds);
  }
  return rows;
}
