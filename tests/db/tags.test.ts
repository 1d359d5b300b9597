/** Tags are stored as typed and found regardless of case, in discussions and in the library. */
import { describe, expect, it } from "vitest";
import { engine, useTestDatabase } from "../setup/db.ts";
import { categories, materials } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread, listThreads } from "../../app/models/discussions/threads.server.ts";
import { listLibrary } from "../../app/models/library/materials.server.ts";

const { handle } = useTestDatabase();

describe(`tags on ${engine}`, () => {
  it("a thread and a material tagged „eAkte“ are found by #eakte and #EAKTE and show „eAkte“", async () => {
    await handle().db.insert(categories).values({ slug: "praxis", name: "Praxis" });
    const { id: authorId } = await createUser({
      email: "t@example.org",
      displayName: "Tina Tag",
      handle: "tina-tag",
      password: "ein-gutes-passwort",
    });
    const author = { id: authorId, role: "member" as const };
    const { id } = await createThread(author, {
      categorySlug: "praxis",
      type: "question",
      title: "Suchen in der eAkte",
      body: renderMarkdown("Wie sucht ihr?"),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: ["eAkte"],
    });
    await handle()
      .db.insert(materials)
      .values({
        type: "checklist",
        status: "published",
        title: "Checkliste eAkte",
        tags: ["eAkte"],
        publishedAt: new Date(),
      });
    for (const tag of ["eakte", "EAKTE", "eAkte"]) {
      const threads = await listThreads(author, { sort: "neu", page: 1, tag });
      expect(
        threads.threads.map((t) => [t.id, t.tags]),
        tag,
      ).toEqual([[id, ["eAkte"]]]);
      const library = await listLibrary({ sort: "neu", page: 1, tag } as Parameters<typeof listLibrary>[0]);
      expect(
        library.materials.map((m) => [m.title, m.tags]),
        tag,
      ).toEqual([["Checkliste eAkte", ["eAkte"]]]);
    }
    expect((await listThreads(author, { sort: "neu", page: 1, tag: "eakt" })).threads).toEqual([]);
  });
});
