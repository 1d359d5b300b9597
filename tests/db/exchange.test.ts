import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../app/env.server.ts";
import { materialFiles, materials } from "../../db/schema/index.ts";
import { eq, sql } from "drizzle-orm";
import { engine, openTestDatabase, useTestDatabase } from "../setup/db.ts";
import { posts, threads } from "../../db/schema/index.ts";
import { exportContent, importContent, validateImport } from "../../app/models/content/exchange.server.ts";
import { setDatabase } from "../../app/models/db.server.ts";

const { handle } = useTestDatabase();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-exchange-"));
const samples = path.join(import.meta.dirname, "../../db/seed/samples");
beforeAll(() => {
  globalThis.__companionEnv = parseEnv({ DATA_DIR: path.join(work, "data") });
  fs.mkdirSync(path.join(work, "in"), { recursive: true });
  fs.copyFileSync(path.join(samples, "podcast.ogg"), path.join(work, "in", "folge.ogg"));
  fs.copyFileSync(path.join(samples, "podcast.vtt"), path.join(work, "in", "folge.vtt"));
});
afterAll(() => {
  globalThis.__companionEnv = undefined;
  fs.rmSync(work, { recursive: true, force: true });
});

const file = [
  { kind: "member", email: "anna@example.org", name: "Anna Berg", handle: "anna-berg", role: "moderator" },
  { kind: "member", email: "ben@example.org", name: "Ben Kurz", handle: "ben-kurz" },
  { kind: "category", slug: "praxis", name: "Praxis", description: "Aus der Praxis" },
  {
    kind: "thread",
    ref: "t1",
    category: "praxis",
    type: "question",
    title: "Wie startet ihr?",
    body: "Erster **Absatz**.\n\n- eins\n- zwei",
    author: "anna@example.org",
    createdAt: "2026-01-02T10:00:00Z",
    tags: ["start"],
  },
  {
    kind: "reply",
    ref: "r1",
    thread: "t1",
    parent: null,
    body: "Mit einer Frage, @anna-berg.",
    author: "ben@example.org",
    createdAt: "2026-01-02T11:00:00Z",
  },
  {
    kind: "reply",
    ref: "r2",
    thread: "t1",
    parent: "r1",
    body: "> Zitat\n\nDanke!",
    author: "anna@example.org",
    createdAt: "2026-01-02T12:00:00Z",
  },
  {
    kind: "material",
    ref: "m1",
    type: "podcast",
    title: "Folge eins",
    summary: "Kurz",
    body: "",
    file: "folge.ogg",
    captions: "folge.vtt",
    url: null,
    transcript: "Gesagt",
    tags: ["podcast"],
    publishedAt: "2026-02-01T09:00:00Z",
    reviewDueAt: null,
  },
  {
    kind: "material",
    ref: "m2",
    type: "checklist",
    title: "Entwurf ohne Datei",
    summary: "",
    body: "- eins",
    file: null,
    url: "https://intranet.example.org/x",
    transcript: null,
    tags: [],
    publishedAt: null,
    reviewDueAt: null,
  },
]
  .map((l) => JSON.stringify(l))
  .join("\n");

describe(`content exchange on ${engine}`, () => {
  it("lists every bad line with its number and imports nothing", async () => {
    const bad = [
      '{"kind":"member","email":"kaputt","name":"X","handle":"x1x"}',
      "kein json",
      '{"kind":"thread","ref":"t9","category":"fehlt","type":"question","title":"Ein Titel hier","body":"Text","author":"niemand@example.org","createdAt":"2026-01-01T00:00:00Z"}',
      '{"kind":"reply","ref":"r9","thread":"t9","parent":"gibt-es-nicht","body":"x","author":"niemand@example.org","createdAt":"gestern"}',
      '{"kind":"material","ref":"m1","type":"podcast","title":"Ohne Datei","file":"fehlt.mp3"}',
      '{"kind":"ufo"}',
    ].join("\n");
    const result = await validateImport(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = new Set(result.errors.map((e) => e.line));
    expect([...lines].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.errors.find((e) => e.line === 3)?.message).toContain("Themenraum „fehlt“ ist unbekannt");
    const [{ n }] = await handle().rows<{ n: number }>(sql`select count(*)::int as n from threads`);
    expect(n).toBe(0);
  });

  it("imports members, rooms, threads and nested replies, and a second import updates instead of duplicating", async () => {
    const checked = await validateImport(file, path.join(work, "in"));
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    expect(await importContent(checked.items)).toEqual({
      members: 2,
      categories: 1,
      threads: 1,
      replies: 2,
      polls: 0,
      materials: 2,
    });
    const again = await validateImport(file.replace("Danke!", "Vielen Dank!"), path.join(work, "in"));
    if (!again.ok) throw new Error("second validation failed");
    await importContent(again.items);
    const [thread] = await handle().db.select().from(threads).where(eq(threads.importRef, "t1"));
    expect(thread.replyCount).toBe(2);
    const all = await handle().db.select().from(posts).where(eq(posts.threadId, thread.id));
    expect(all).toHaveLength(3);
    const r2 = all.find((p) => p.importRef === "r2")!;
    expect(r2.depth).toBe(2);
    expect(r2.bodyHtml).toContain("Vielen Dank!");
    expect(r2.bodyHtml).toContain("<blockquote>");
    const r1 = all.find((p) => p.importRef === "r1")!;
    expect(r1.bodyHtml).toContain('href="/mitglieder/anna-berg"');
    const [podcast] = await handle().db.select().from(materials).where(eq(materials.importRef, "m1"));
    expect(podcast).toMatchObject({ status: "published", transcript: "Gesagt", reviewDueAt: "2027-02-01" });
    const files = await handle().db.select().from(materialFiles).where(eq(materialFiles.materialId, podcast.id));
    expect(files.map((f) => `${f.kind}:${f.originalName}`).sort()).toEqual(["audio:folge.ogg", "captions:folge.vtt"]);
    const [draft] = await handle().db.select().from(materials).where(eq(materials.importRef, "m2"));
    expect(draft.status).toBe("draft");
  });

  it("round-trips: export, import into an empty database, export again gives the same lines", async () => {
    const first = await exportContent({ dir: path.join(work, "out1", "export-dateien"), relative: "export-dateien" });
    expect(first.find((l) => l.includes('"ref":"m1"'))).toContain('"file":"export-dateien/m1/folge.ogg"');
    expect(fs.readFileSync(path.join(work, "out1", "export-dateien", "m1", "folge.ogg"))).toEqual(
      fs.readFileSync(path.join(samples, "podcast.ogg")),
    );
    expect(first.some((l) => l.includes('"kind":"reply"') && l.includes('"parent":"r1"'))).toBe(true);
    const other = await openTestDatabase();
    try {
      setDatabase(other.handle);
      const checked = await validateImport(first.join("\n"), path.join(work, "out1"));
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      await importContent(checked.items);
      expect(
        await exportContent({ dir: path.join(work, "out2", "export-dateien"), relative: "export-dateien" }),
      ).toEqual(first);
    } finally {
      setDatabase(handle());
      await other.handle.close();
    }
  });
});
