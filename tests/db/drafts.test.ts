/**
 * Drafts never bring sent text back: sending deletes the place's draft and remembers the sending editor's stamp in
 * the same transaction, so an autosave of that editor up to the sent edit is refused, while later edits (and other
 * editors) still save. Saves of one editor never overwrite a later edit.
 */
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { useTestDatabase } from "../setup/db.ts";
import { categories, drafts, draftSends } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { createReply, editPost } from "../../app/models/discussions/posts.server.ts";
import { getDrafts, parseStamp, saveDraft } from "../../app/models/discussions/drafts.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;

async function person(): Promise<Actor> {
  n++;
  const { id } = await createUser({
    email: `entwurf${n}@example.org`,
    displayName: `Person ${n}`,
    handle: `entwurf-${n}`,
    password: "ein-gutes-passwort",
    role: "member",
  });
  return { id, role: "member" };
}

async function openThread(author: Actor): Promise<string> {
  const slug = `entwurfsraum-${++n}`;
  await db()
    .insert(categories)
    .values({ slug, name: `Raum ${n}`, position: n });
  const { id } = await createThread(author, {
    categorySlug: slug,
    type: "question",
    title: "Wie plant ihr das Erstgespräch?",
    body: renderMarkdown("Ich suche Erfahrungen."),
    anonymous: false,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    legalDomain: null,
    tags: [],
  });
  return id;
}

const doc = (text: string) => ({
  doc: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] },
});
const EDITOR = "a1b2c3d4e5f6a7b8c9d0e1f2";

describe("drafts and sending", () => {
  it("refuses an autosave that arrives after the reply was sent, and keeps later edits", async () => {
    const author = await person();
    const me = await person();
    const threadId = await openThread(author);
    const key = `reply:${threadId}:thread`;

    expect(await saveDraft(me, key, doc("Mein Vorschlag"), { session: EDITOR, seq: 14 })).toBe("saved");
    await createReply(me, {
      threadId,
      parentId: null,
      body: renderMarkdown("Mein Vorschlag: erst zuhören."),
      anonymous: false,
      draft: { session: EDITOR, seq: 21 },
    });
    // The post and the deletion of its draft happened together; the sending editor's stamp is kept.
    expect(await getDrafts(me, [key])).toEqual({});
    const [sent] = await db()
      .select()
      .from(draftSends)
      .where(and(eq(draftSends.userId, me.id), eq(draftSends.key, key)));
    expect(sent).toMatchObject({ editorSession: EDITOR, seq: 21 });

    // The autosave of the sent text (edit 21) and an older one (edit 18) land late: both refused, nothing stored.
    expect(await saveDraft(me, key, doc("Mein Vorschlag: erst zuhören."), { session: EDITOR, seq: 21 })).toBe("stale");
    expect(await saveDraft(me, key, doc("Mein Vorschlag: erst"), { session: EDITOR, seq: 18 })).toBe("stale");
    expect(await getDrafts(me, [key])).toEqual({});

    // Typing on after the send (edit 22) is a new draft; so is another editor (a second tab).
    expect(await saveDraft(me, key, doc("Noch eine Frage"), { session: EDITOR, seq: 22 })).toBe("saved");
    expect(await getDrafts(me, [key])).toEqual({ [key]: doc("Noch eine Frage") });
    expect(await saveDraft(me, key, doc("Aus dem zweiten Fenster"), { session: "ffffeeeeddddcccc", seq: 3 })).toBe(
      "saved",
    );
    expect(await getDrafts(me, [key])).toEqual({ [key]: doc("Aus dem zweiten Fenster") });
  });

  it("never lets an older save of the same editor overwrite a later one, and removes an emptied draft", async () => {
    const me = await person();
    expect(await saveDraft(me, "thread:new", doc("Zweite Fassung"), { session: EDITOR, seq: 9 })).toBe("saved");
    expect(await saveDraft(me, "thread:new", doc("Erste Fassung"), { session: EDITOR, seq: 4 })).toBe("stale");
    expect(await getDrafts(me, ["thread:new"])).toEqual({ "thread:new": doc("Zweite Fassung") });
    expect(await saveDraft(me, "thread:new", null, { session: EDITOR, seq: 12 })).toBe("saved");
    expect(await db().select().from(drafts).where(eq(drafts.userId, me.id))).toEqual([]);
  });

  it("deletes the draft of a new thread and of an edit when they are sent, refusing their late autosaves", async () => {
    const me = await person();
    await saveDraft(me, "thread:new", doc("Wie plant"), { session: EDITOR, seq: 5 });
    const slug = `entwurfsraum-${++n}`;
    await db()
      .insert(categories)
      .values({ slug, name: `Raum ${n}`, position: n });
    const { id: threadId } = await createThread(me, {
      categorySlug: slug,
      type: "question",
      title: "Wie plant ihr das Erstgespräch?",
      body: renderMarkdown("Wie plant ihr es?"),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: [],
      draft: { session: EDITOR, seq: 8 },
    });
    expect(await saveDraft(me, "thread:new", doc("Wie plant ihr es?"), { session: EDITOR, seq: 8 })).toBe("stale");
    expect(await getDrafts(me, ["thread:new"])).toEqual({});

    const reply = await createReply(me, {
      threadId,
      parentId: null,
      body: renderMarkdown("Ergänzung"),
      anonymous: false,
    });
    const key = `edit:${reply.id}`;
    await saveDraft(me, key, doc("Ergänzung, korrigiert"), { session: "0123456789abcdef", seq: 2 });
    await editPost(me, reply.id, {
      body: renderMarkdown("Ergänzung, korrigiert"),
      draft: { session: "0123456789abcdef", seq: 3 },
    });
    expect(await saveDraft(me, key, doc("Ergänzung, korrigiert"), { session: "0123456789abcdef", seq: 3 })).toBe(
      "stale",
    );
    expect(await getDrafts(me, [key])).toEqual({});
  });

  it("reads a stamp only in the shape the editor sends", () => {
    expect(parseStamp(EDITOR, "7")).toEqual({ session: EDITOR, seq: 7 });
    expect(parseStamp("kurz", "7")).toBeNull();
    expect(parseStamp(EDITOR, "-1")).toBeNull();
    expect(parseStamp(EDITOR, "1.5")).toBeNull();
    expect(parseStamp(null, "1")).toBeNull();
  });
});
