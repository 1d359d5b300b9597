/**
 * Two members with content of every kind, each text carrying a marker of its author, so that tests can tell whose
 * data ended up where. The first member ("Zephyrine") is a moderator, so she also has audit log entries.
 */
import crypto from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import fs from "node:fs";
import path from "node:path";
import {
  caseConsultations,
  caseContributions,
  caseParticipants,
  categories,
  dialogueRounds,
  mailOutbox,
  posts,
  materialFiles,
  materials,
  roundEvents,
  roundParticipants,
  roundQuestions,
  roundQuestionVotes,
  roundRegistrations,
  roundWatches,
} from "../../db/schema/index.ts";
import type { Database } from "../../db/client.ts";
import type { Actor } from "../../app/auth/permissions.ts";
import { createUser, updateProfile } from "../../app/models/accounts/users.server.ts";
import { createInvitation } from "../../app/models/accounts/invitations.server.ts";
import { bodyFromForm } from "../../app/models/discussions/body.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { createReply, deletePost, editPost, setReaction } from "../../app/models/discussions/posts.server.ts";
import { flagPost, setPostHidden } from "../../app/models/discussions/moderation.server.ts";
import { setCategoryWatch, setThreadWatch } from "../../app/models/discussions/watches.server.ts";
import { saveDraft } from "../../app/models/discussions/drafts.server.ts";
import { markThreadSeen } from "../../app/models/discussions/threads.server.ts";
import { markRoomRead } from "../../app/models/discussions/unread.server.ts";
import { renewFeedToken } from "../../app/models/library/feed.server.ts";
import { renewCalendarToken } from "../../app/models/rounds/calendar.server.ts";
import { uploadsDir } from "../../app/models/library/files.server.ts";

export interface Person extends Actor {
  name: string;
  handle: string;
  email: string;
  /** Appears in every text this person writes. */
  marker: string;
  threadId: string;
  replyId: string;
  anonymousThreadId: string;
  fileStorageName: string;
}

async function body(text: string) {
  const form = new FormData();
  form.set("body", text);
  const result = await bodyFromForm(form);
  if (!result.ok) throw new Error(result.message);
  return result.body;
}

let roomCount = 0;

export async function seedPeople(db: Database, suffix = ""): Promise<{ a: Person; b: Person }> {
  const slug = `datenraum-${++roomCount}${suffix}`;
  await db.insert(categories).values({ slug, name: `Datenraum ${slug}`, position: roomCount });
  const a = await person(
    "Zephyrine Kowalczyk",
    `zkowalczyk${suffix}`,
    `zephyrine.k${suffix}@example.org`,
    `ZEPHMARK${suffix}`,
    "moderator",
  );
  const b = await person(
    "Bartholomäus Quandt",
    `bquandt${suffix}`,
    `b.quandt${suffix}@example.org`,
    `BARTMARK${suffix}`,
    "member",
  );
  for (const p of [a, b]) {
    await updateProfile(p, p.id, {
      displayName: p.name,
      handle: p.handle,
      roleText: `Lernbegleitung ${p.marker}`,
      legalDomain: "sgb2",
      region: `Region ${p.marker}`,
      bio: `Ich bin ${p.name} (${p.marker}).`,
      expertise: [`Lernlandkarte ${p.marker}`],
      listed: true,
    });
  }
  for (const [me, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const thread = await createThread(me, {
      categorySlug: slug,
      type: "question",
      title: `Frage von ${me.marker}`,
      body: await body(`Eröffnung ${me.marker}`),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: [],
    });
    me.threadId = thread.id;
    const anon = await createThread(me, {
      categorySlug: slug,
      type: "question",
      title: `Anonyme Frage ${me.marker}`,
      body: await body(`Anonym ${me.marker}`),
      anonymous: true,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: [],
    });
    me.anonymousThreadId = anon.id;
    await setThreadWatch(me, thread.id, true);
    await setCategoryWatch(me, slug, true);
    await markRoomRead(me, slug);
    await renewFeedToken(me);
    await renewCalendarToken(me);
    await saveDraft(me, "thread:new", {
      title: `Entwurf ${me.marker}`,
      body: (await body(`Entwurf ${me.marker} an @${other.handle}`)).doc,
    });
  }
  for (const [me, other] of [
    [a, b],
    [b, a],
  ] as const) {
    // A reply in the other's thread that mentions them; edited, so an earlier version with the mention exists.
    const reply = await createReply(me, {
      threadId: other.threadId,
      parentId: null,
      body: await body(`Antwort ${me.marker} an @${other.handle}`),
      anonymous: false,
    });
    await editPost(me, reply.id, { body: await body(`Antwort ${me.marker} an @${other.handle}, ergänzt`) });
    me.replyId = reply.id;
    await setReaction(me, await firstPost(db, other.threadId), "thanks", true);
    await markThreadSeen(me, other.threadId);
    // A reply of their own they delete later: the text must go, too.
    const gone = await createReply(me, {
      threadId: other.threadId,
      parentId: null,
      body: await body(`Gelöscht ${me.marker}`),
      anonymous: false,
    });
    await deletePost(me, gone.id);
    await createReply(me, {
      threadId: other.threadId,
      parentId: null,
      body: await body(`Anonyme Antwort ${me.marker}`),
      anonymous: true,
    });
  }
  await flagPost(a, b.replyId, `Meldung ${a.marker}`);
  await flagPost(b, a.replyId, `Meldung ${b.marker}`);
  // Zephyrine moderates: an audit entry with her as actor.
  await setPostHidden(a, b.replyId, true);
  await setPostHidden(a, b.replyId, false);
  await createInvitation(a, { role: "member", note: `Einladung ${a.marker}` });

  for (const p of [a, b]) {
    // A published material with a file they uploaded, and a suggestion still under review.
    const storageName = crypto.randomBytes(16).toString("hex");
    fs.mkdirSync(uploadsDir(), { recursive: true });
    fs.writeFileSync(path.join(uploadsDir(), storageName), `Dateiinhalt ${p.marker}`);
    p.fileStorageName = storageName;
    const [m] = await db
      .insert(materials)
      .values({
        type: "checklist",
        status: "published",
        title: `Material ${p.marker}`,
        summary: `Zusammenfassung ${p.marker}`,
        createdBy: p.role === "moderator" ? p.id : null,
        suggestedBy: p.role === "moderator" ? null : p.id,
        publishedAt: new Date(),
      })
      .returning({ id: materials.id });
    await db.insert(materialFiles).values({
      materialId: m.id,
      kind: "document",
      mime: "text/plain",
      storageName,
      originalName: `liste-${p.marker}.txt`,
      size: 20,
      uploadedBy: p.id,
    });
    const suggestedFile = crypto.randomBytes(16).toString("hex");
    fs.writeFileSync(path.join(uploadsDir(), suggestedFile), `Vorschlag ${p.marker}`);
    const [s] = await db
      .insert(materials)
      .values({ type: "guide", status: "review", title: `Vorschlag ${p.marker}`, suggestedBy: p.id })
      .returning({ id: materials.id });
    await db.insert(materialFiles).values({
      materialId: s.id,
      kind: "document",
      mime: "text/plain",
      storageName: suggestedFile,
      originalName: `vorschlag-${p.marker}.txt`,
      size: 20,
      uploadedBy: p.id,
    });
    await db.insert(mailOutbox).values({
      to: p.email,
      subject: `Hallo ${p.name}`,
      text: `Mail an ${p.marker}`,
      html: `<p>Mail an ${p.marker}</p>`,
    });
  }

  // A case consultation of Bartholomäus with Zephyrine as consultant, and one of Zephyrine's own.
  for (const [giver, consultant] of [
    [b, a],
    [a, b],
  ] as const) {
    const [c] = await db
      .insert(caseConsultations)
      .values({
        caseGiverId: giver.id,
        topic: `Fall ${giver.marker}`,
        situation: `Situation ${giver.marker}`,
        tried: `Versucht ${giver.marker}`,
        keyQuestion: `Schlüsselfrage ${giver.marker}`,
        mode: "async",
        asyncDays: 5,
        groupSize: 4,
      })
      .returning({ id: caseConsultations.id });
    await db.insert(caseParticipants).values([
      { caseId: c.id, userId: giver.id, role: "case_giver", agreedAt: new Date() },
      { caseId: c.id, userId: consultant.id, role: "consultant", agreedAt: new Date() },
    ]);
    await db.insert(caseContributions).values([
      { caseId: c.id, authorId: giver.id, phase: "spontanbericht", kind: "report", body: `Bericht ${giver.marker}` },
      {
        caseId: c.id,
        authorId: consultant.id,
        phase: "beratung",
        kind: "contribution",
        body: `Hypothese ${consultant.marker}`,
      },
    ]);
  }

  // A dialogue round both take part in: registration, a question (voted by the other), chat.
  const [round] = await db
    .insert(dialogueRounds)
    .values({
      title: "Dialogrunde Datenschutz",
      startsAt: new Date(Date.now() + 86_400_000),
      endsAt: new Date(Date.now() + 90_000_000),
      capacity: 1,
      registrationDeadline: new Date(Date.now() + 80_000_000),
      createdBy: a.id,
      status: "scheduled",
    })
    .returning({ id: dialogueRounds.id });
  let seq = 0;
  for (const [me, other] of [
    [a, b],
    [b, a],
  ] as const) {
    await db
      .insert(roundRegistrations)
      .values({ roundId: round.id, userId: me.id, status: me === a ? "registered" : "waiting" });
    await db.insert(roundWatches).values({ roundId: round.id, userId: me.id });
    await db.insert(roundParticipants).values({ roundId: round.id, userId: me.id });
    const [q] = await db
      .insert(roundQuestions)
      .values({ roundId: round.id, authorId: me.id, text: `Frage vorab ${me.marker}`, votes: 1 })
      .returning({ id: roundQuestions.id });
    await db.insert(roundQuestionVotes).values({ questionId: q.id, userId: other.id });
    await db
      .insert(roundEvents)
      .values({ roundId: round.id, seq: ++seq, kind: "chat", authorId: me.id, text: `Chat ${me.marker}` });
  }
  return { a, b };

  async function person(
    name: string,
    handle: string,
    email: string,
    marker: string,
    role: Actor["role"],
  ): Promise<Person> {
    const { id } = await createUser({ email, displayName: name, handle, password: "ein-gutes-passwort", role });
    return {
      id,
      role,
      name,
      handle,
      email,
      marker,
      threadId: "",
      replyId: "",
      anonymousThreadId: "",
      fileStorageName: "",
    };
  }
}

async function firstPost(db: Database, threadId: string): Promise<string> {
  const [row] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.threadId, threadId), isNull(posts.parentId)));
  return row.id;
}
