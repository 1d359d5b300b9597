import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { categories, materials, threads } from "../../db/schema/index.ts";
import { parseEnv } from "../../app/env.server.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import {
  createMaterial,
  getMaterial,
  libraryDesk,
  listLibrary,
  markReviewed,
  setMaterialStatus,
  updateMaterial,
  type MaterialInput,
} from "../../app/models/library/materials.server.ts";
import { changeCollectionItem, getCollection, saveCollection } from "../../app/models/library/collections.server.ts";
import { podcastFeed, renewFeedToken, revokeFeedToken } from "../../app/models/library/feed.server.ts";
import { storeUpload } from "../../app/models/library/files.server.ts";
import { ForbiddenError, InputError } from "../../app/models/errors.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-lib-"));
let n = 0;

beforeAll(async () => {
  globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir });
  await db().insert(categories).values({ slug: "materialien", name: "Fragen zu Materialien" });
});
afterAll(() => {
  globalThis.__companionEnv = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function person(role: Actor["role"] = "member"): Promise<Actor> {
  n++;
  const { id } = await createUser({
    email: `l${n}@example.org`,
    displayName: `Leserin ${n}`,
    handle: `leserin-${n}`,
    password: "ein-gutes-passwort",
    role,
  });
  return { id, role };
}

function input(overrides: Partial<MaterialInput> = {}): MaterialInput {
  return {
    type: "one_pager",
    title: "Lernlandkarte",
    summary: "Eine Seite zum Lernbedarf.",
    body: null,
    transcript: "",
    ilbStep: "lernbedarf",
    competenceArea: null,
    audience: "neue",
    tags: ["methode"],
    source: "Kompetenzteam",
    licence: "intern",
    externalUrl: null,
    reviewDueAt: null,
    fileIds: [],
    ...overrides,
  };
}

const upload = (actor: Actor, bytes: Buffer, filename: string) =>
  storeUpload(actor, { stream: Readable.from([bytes]), filename });
const vtt = Buffer.from("WEBVTT\n\n00:00.000 --> 00:02.000\nHallo und willkommen.\n");
const ogg = fs.readFileSync(path.join(import.meta.dirname, "../../db/seed/samples/podcast.ogg"));

describe(`library on ${engine}`, () => {
  it("puts a member's suggestion into review, visible only to them and moderators, never in the library", async () => {
    const member = await person();
    const other = await person();
    const moderator = await person("moderator");
    const { id } = await createMaterial(member, input({ title: "Mein Vorschlag" }));
    const [row] = await db().select().from(materials).where(eq(materials.id, id));
    expect(row).toMatchObject({ status: "review", suggestedBy: member.id });
    await expect(getMaterial(other, id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getMaterial(member, id))?.material.id).toBe(id);
    expect((await getMaterial(moderator, id))?.material.id).toBe(id);
    const library = await listLibrary({ sort: "neu", page: 1 });
    expect(library.materials.map((m) => m.id)).not.toContain(id);
    expect((await libraryDesk(moderator)).waiting.map((m) => m.id)).toContain(id);
    await expect(libraryDesk(member)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("lets only moderators publish, and members edit only their own open suggestion", async () => {
    const member = await person();
    const other = await person();
    const moderator = await person("moderator");
    const { id } = await createMaterial(member, input());
    await expect(setMaterialStatus(member, id, "published")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateMaterial(other, id, input({ title: "Übernommen" }))).rejects.toBeInstanceOf(ForbiddenError);
    await updateMaterial(member, id, input({ title: "Verbessert" }));
    await setMaterialStatus(moderator, id, "published");
    await expect(updateMaterial(member, id, input({ title: "Nachträglich" }))).rejects.toBeInstanceOf(ForbiddenError);
    const view = await getMaterial(other, id);
    if (!view) throw new Error("not visible");
    expect(view.material).toMatchObject({ title: "Verbessert", status: "published" });
    expect(view.material.reviewDueAt).not.toBeNull();
    // Publishing opens the material's discussion thread.
    const [thread] = await db().select().from(threads).where(eq(threads.id, view.material.discussionThreadId!));
    expect(thread.title).toBe("Material: Verbessert");
  });

  it("refuses to publish a podcast without captions or transcript, with a German reason, and publishes with captions", async () => {
    const moderator = await person("moderator");
    const audio = await upload(moderator, ogg, "folge.ogg");
    const { id } = await createMaterial(moderator, input({ type: "podcast", title: "Folge 1", fileIds: [audio.id] }));
    await expect(setMaterialStatus(moderator, id, "published")).rejects.toThrow(
      /Untertitel \(WebVTT\) oder ein Transkript/,
    );
    const [row] = await db().select().from(materials).where(eq(materials.id, id));
    expect(row.status).toBe("draft");
    const captions = await upload(moderator, vtt, "folge.vtt");
    await updateMaterial(moderator, id, input({ type: "podcast", title: "Folge 1", fileIds: [captions.id] }));
    await setMaterialStatus(moderator, id, "published");
    const view = await getMaterial(moderator, id);
    expect(view?.files.map((f) => f.kind).sort()).toEqual(["audio", "captions"]);
  });

  it("filters the library by type, step, audience and topic, and sorts by title", async () => {
    const moderator = await person("moderator");
    for (const [title, type, tag] of [
      ["Zeta", "checklist", "zeit"],
      ["Alpha", "checklist", "zeit"],
      ["Mitte", "guide", "andere"],
    ] as const) {
      const { id } = await createMaterial(moderator, input({ title, type, tags: [tag], summary: "Text" }));
      await setMaterialStatus(moderator, id, "published");
    }
    const checklists = await listLibrary({ sort: "titel", page: 1, type: "checklist", tag: "zeit" });
    expect(checklists.materials.map((m) => m.title)).toEqual(["Alpha", "Zeta"]);
    const none = await listLibrary({ sort: "neu", page: 1, audience: "fk" });
    expect(none.total).toBe(0);
  });

  it("lists review-due materials for moderators and moves the date when marked reviewed", async () => {
    const moderator = await person("moderator");
    const { id } = await createMaterial(moderator, input({ title: "Alt", reviewDueAt: "2020-01-01" }));
    await setMaterialStatus(moderator, id, "published");
    const due = (await libraryDesk(moderator)).due.find((m) => m.id === id);
    expect(due?.overdue).toBe(true);
    await expect(markReviewed(moderator, id, "2001-01-01")).rejects.toBeInstanceOf(InputError);
    await markReviewed(moderator, id);
    expect((await libraryDesk(moderator)).due.map((m) => m.id)).not.toContain(id);
    const [row] = await db().select().from(materials).where(eq(materials.id, id));
    expect(row.lastReviewedAt).not.toBeNull();
  });

  it("assembles and orders Themenpakete", async () => {
    const moderator = await person("moderator");
    const member = await person();
    const a = await createMaterial(moderator, input({ title: "Erstes" }));
    const b = await createMaterial(moderator, input({ title: "Zweites" }));
    await expect(saveCollection(member, { slug: "start", title: "Start", description: "" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const { id } = await saveCollection(moderator, { slug: "start", title: "Start", description: "" });
    await changeCollectionItem(moderator, id, a.id, "add");
    await changeCollectionItem(moderator, id, b.id, "add");
    await changeCollectionItem(moderator, id, b.id, "up");
    expect((await getCollection("start"))?.items.map((i) => i.title)).toEqual(["Zweites", "Erstes"]);
    await expect(changeCollectionItem(moderator, id, a.id, "add")).rejects.toBeInstanceOf(InputError);
  });

  it("serves the podcast feed only to a valid, unrevoked personal token", async () => {
    const member = await person();
    const moderator = await person("moderator");
    const audio = await upload(moderator, ogg, "feed.ogg");
    const { id } = await createMaterial(
      moderator,
      input({ type: "podcast", title: "Im Feed", transcript: "Gesprochener Text", fileIds: [audio.id] }),
    );
    await setMaterialStatus(moderator, id, "published");
    const token = await renewFeedToken(member);
    const feed = await podcastFeed(token, "https://netz.example.org");
    expect(feed?.body).toContain("<title>Im Feed</title>");
    expect(feed?.body).toContain(`/dateien/${audio.id}?token=${token}" length="${ogg.length}" type="audio/ogg"/>`);
    const newer = await renewFeedToken(member);
    expect(await podcastFeed(token, "https://netz.example.org")).toBeNull();
    await revokeFeedToken(member);
    expect(await podcastFeed(newer, "https://netz.example.org")).toBeNull();
  });
});
