/**
 * Faces in lists on both engines (ADR 028): the thread list carries the thread's author and the newest visible
 * reply's author with their picture stamp (read in the list's own query), anonymous replies stay anonymous except to
 * their author, and the notification list carries who acted in discussions only.
 */
import { describe, expect, it } from "vitest";
import { engine, useTestDatabase } from "../setup/db.ts";
import { categories, profilePictures } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread, listThreads } from "../../app/models/discussions/threads.server.ts";
import { createReply } from "../../app/models/discussions/posts.server.ts";
import { listNotifications } from "../../app/models/discussions/notifications.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
let n = 0;

async function person(): Promise<Actor & { name: string }> {
  n++;
  const name = `Gesicht Nummer${n}`;
  const { id } = await createUser({
    email: `gesicht${n}@example.org`,
    displayName: name,
    handle: `gesicht-${n}`,
    password: "ein-gutes-passwort",
  });
  return { id, role: "member", name };
}

describe(`faces in lists on ${engine}`, () => {
  it("lists the author and the last reply's author with their faces, and keeps anonymous replies anonymous", async () => {
    const [asker, answerer, hidden, reader] = [await person(), await person(), await person(), await person()];
    const bytes = Buffer.from("x");
    await handle().db.insert(profilePictures).values({
      userId: answerer.id,
      stamp: "abc123",
      source: bytes,
      sourceWidth: 96,
      sourceHeight: 96,
      focusX: 0.5,
      focusY: 0.5,
      zoom: 1,
      small: bytes,
      medium: bytes,
      large: bytes,
    });
    await handle().db.insert(categories).values({ slug: "gesichter", name: "Gesichter", position: 1 });
    const input = {
      categorySlug: "gesichter",
      type: "question" as const,
      body: renderMarkdown("Wie macht ihr das?"),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: [],
    };
    const { id } = await createThread(asker, { ...input, title: "Wer zeigt hier sein Gesicht?" });
    const { id: quiet } = await createThread(asker, { ...input, title: "Noch ohne Antwort" });
    const item = async (viewer: Actor, threadId = id) =>
      (await listThreads(viewer, { sort: "aktiv", page: 1, categorySlug: "gesichter" })).threads.find(
        (t) => t.id === threadId,
      )!;

    expect((await item(reader, quiet)).lastReply).toBeNull();
    await createReply(answerer, {
      threadId: id,
      parentId: null,
      body: renderMarkdown("So machen wir das."),
      anonymous: false,
    });
    const listed = await item(reader);
    expect(listed.author).toEqual({ id: asker.id, name: asker.name, handle: `gesicht-${n - 3}`, picture: null });
    expect(listed.lastReply).toEqual({
      author: { id: answerer.id, name: answerer.name, picture: "abc123" },
      anonymous: false,
    });

    await createReply(hidden, { threadId: id, parentId: null, body: renderMarkdown("Ohne Namen."), anonymous: true });
    const anonymous = await item(reader);
    expect(anonymous.lastReply).toEqual({ author: null, anonymous: true });
    expect(JSON.stringify(anonymous)).not.toContain(hidden.id);
    expect(JSON.stringify(anonymous)).not.toContain(hidden.name);
    expect((await item(hidden)).lastReply).toEqual({
      author: { id: hidden.id, name: hidden.name, picture: null },
      anonymous: true,
    });

    // The asker was told: by the answerer with their face, by the anonymous one without any.
    const told = (await listNotifications(asker.id)).items;
    expect(told.map((t) => t.actor)).toEqual(
      expect.arrayContaining([{ id: answerer.id, name: answerer.name, picture: "abc123" }, null]),
    );
    expect(JSON.stringify(told)).not.toContain(hidden.id);
  });
});
