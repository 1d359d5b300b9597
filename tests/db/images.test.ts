/**
 * Pictures in posts against the real database (issue 19): the daily limit per member, claiming by posts, removal from
 * disk and database with a deleted post and with a deleted account (texts that stay say "[Bild entfernt]"), and the
 * member's pictures in their data export.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categories, images, posts } from "../../db/schema/index.ts";
import type { Actor } from "../../app/auth/permissions.ts";
import { parseEnv } from "../../app/env.server.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderBody } from "../../app/models/discussions/body.server.ts";
import { createReply, deletePost } from "../../app/models/discussions/posts.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { TooManyError } from "../../app/models/errors.server.ts";
import { imagesDir, storeImage, type StoredImage } from "../../app/models/images/images.server.ts";
import { deleteAccount } from "../../app/models/privacy/deletion.server.ts";
import { latestExport, requestExport } from "../../app/models/privacy/export.server.ts";
import { useTestDatabase } from "../setup/db.ts";
import { readZip } from "../setup/zip.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let dataDir = "";
let png: Buffer;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-images-"));
  globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir, UPLOAD_DAILY_IMAGES: "3" });
  png = await sharp({ create: { width: 1000, height: 600, channels: 3, background: "#357" } })
    .png()
    .toBuffer();
  await db().insert(categories).values({ slug: "bilderraum", name: "Bilderraum", position: 90 });
});
afterAll(() => {
  globalThis.__companionEnv = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let people = 0;
async function member(): Promise<Actor> {
  const n = ++people;
  const { id } = await createUser({
    email: `bilder${n}@example.org`,
    displayName: `Bilder Mitglied ${n}`,
    handle: `bilder-${n}`,
    password: "ein-gutes-passwort",
    role: "member",
  });
  return { id, role: "member" };
}

const store = (actor: Actor) => storeImage(actor, { stream: Readable.from([png]), filename: "foto.png" });
const files = (id: string) => fs.readdirSync(imagesDir()).filter((name) => name.startsWith(id));

function body(text: string, picture: StoredImage) {
  const result = renderBody({
    type: "doc",
    content: [
      { type: "paragraph", content: [{ type: "text", text }] },
      {
        type: "image",
        attrs: { src: picture.src, alt: "Tafelbild mit Lernzielen", width: picture.width, height: picture.height },
      },
    ],
  });
  if (!result.ok) throw new Error(result.message);
  return result.body;
}

const newThread = (actor: Actor, text: string, picture: StoredImage) =>
  createThread(actor, {
    categorySlug: "bilderraum",
    type: "question",
    title: `Frage mit Bild ${text}`,
    body: body(text, picture),
    anonymous: false,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    legalDomain: null,
    tags: [],
  });

describe("pictures in the database", () => {
  it("a member's fourth picture within 24 hours is refused; nothing is stored", async () => {
    const actor = await member();
    for (let i = 0; i < 3; i++) await store(actor);
    const before = fs.readdirSync(imagesDir()).length;
    await expect(store(actor)).rejects.toBeInstanceOf(TooManyError);
    await expect(store(actor)).rejects.toThrow(/^Du hast in den letzten 24 Stunden 3 Bilder hochgeladen/);
    expect(await db().select().from(images).where(eq(images.uploadedBy, actor.id))).toHaveLength(3);
    expect(fs.readdirSync(imagesDir()).length).toBe(before);
  });

  it("deleting a reply removes its picture from disk and database; the thread's picture stays", async () => {
    const actor = await member();
    const first = await store(actor);
    const second = await store(actor);
    const { id: threadId } = await newThread(actor, "Eins", first);
    const { id: replyId } = await createReply(actor, {
      threadId,
      parentId: null,
      body: body("Zwei", second),
      anonymous: false,
    });
    const [claimed] = await db().select().from(images).where(eq(images.id, second.id));
    expect(claimed.postId).toBe(replyId);
    expect(files(second.id)).toEqual([`${second.id}-480.jpg`, `${second.id}-960.jpg`, `${second.id}-1000.jpg`].sort());

    await deletePost(actor, replyId);
    expect(await db().select().from(images).where(eq(images.id, second.id))).toEqual([]);
    expect(files(second.id)).toEqual([]);
    expect(files(first.id)).toHaveLength(3);
    expect(await db().select().from(images).where(eq(images.id, first.id))).toHaveLength(1);
  });

  it("the export holds the member's pictures; deleting the account removes them, kept posts say [Bild entfernt]", async () => {
    const actor = await member();
    const picture = await store(actor);
    const { id: threadId } = await newThread(actor, "Drei", picture);

    await requestExport(actor);
    const deadline = Date.now() + 30_000;
    let status = await latestExport(actor);
    while (status?.state !== "ready" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      status = await latestExport(actor);
    }
    expect(status?.state).toBe("ready");
    const zips = fs.readdirSync(path.join(dataDir, "exports")).filter((name) => name.endsWith(".zip"));
    const contents = await Promise.all(zips.map((name) => readZip(path.join(dataDir, "exports", name))));
    const zip = contents.find((entries) => entries.has(`bilder/${picture.id}.jpg`));
    expect(zip, "an export with the picture").toBeDefined();
    const data = JSON.parse(zip!.get("daten.json")!.toString("utf8")) as {
      data: { images: { id: string; width: number }[] };
    };
    expect(data.data.images).toMatchObject([{ id: picture.id, width: 1000, height: 600 }]);
    expect((await sharp(zip!.get(`bilder/${picture.id}.jpg`)!).metadata()).width).toBe(1000);

    await deleteAccount(actor, { password: "ein-gutes-passwort", posts: "keep" });
    expect(await db().select().from(images).where(eq(images.id, picture.id))).toEqual([]);
    expect(files(picture.id)).toEqual([]);
    const [opening] = await db().select().from(posts).where(eq(posts.threadId, threadId));
    expect(opening.bodyText).toBe("Drei\n\n[Bild entfernt]");
    expect(opening.bodyHtml).not.toContain("<img");
  });
});
