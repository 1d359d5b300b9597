/**
 * How heavy are "Meine Daten" export and "Konto löschen" for a very active member? On a fresh embedded database
 * (PGlite) this seeds 40,000 posts in 2,000 threads by 20 members. Two heavy members each wrote 100 threads and
 * 2,000 replies, gave 2,000 reactions, uploaded 20 files of 1 MB, and are mentioned in 500 posts of others. It times
 * building the export zip for one of them (in this process, as the server does in the background), then deleting
 * each account: one keeping the posts, one deleting them. Deletion is one transaction, so on PGlite its duration is
 * how long every other request waits.
 *
 * Budgets: export < 15 s; each deletion < 5 s.
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { openPglite } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { categories, materialFiles, materials, posts, reactions, threads } from "../db/schema/index.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { parseEnv } from "../app/env.server.ts";
import { hashPassword } from "../app/models/accounts/password.server.ts";
import { insertUser } from "../app/models/accounts/users.server.ts";
import { uploadsDir } from "../app/models/library/files.server.ts";
import { buildExport } from "../app/models/privacy/export.server.ts";
import { dataExports } from "../db/schema/index.ts";
import { deleteAccount } from "../app/models/privacy/deletion.server.ts";
import { renderHtml } from "../app/models/richtext.server.ts";
import { cleanups, log, round, runBenchmark } from "./lib/run.ts";

const PASSWORD = "bench-passwort-2026";
const MEMBERS = 20;
const THREADS = 2000;
const POSTS_TOTAL = 40_000;
const HEAVY_THREADS = 100;
const HEAVY_REPLIES = 2000;
const HEAVY_REACTIONS = 2000;
const HEAVY_MENTIONS = 500;
const HEAVY_FILES = 20;
const FILE_BYTES = 1024 * 1024;
const BUDGET = { exportMs: 15_000, deleteMs: 5_000 };

const sentence = "Wir klären den Lernbedarf im ersten Gespräch und halten die Lernfrage gemeinsam fest. ";
const doc = (text: string, mention?: { id: string; label: string }) => ({
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text },
        ...(mention
          ? [
              { type: "text", text: " " },
              { type: "mention", attrs: mention },
            ]
          : []),
      ],
    },
  ],
});

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-bench-privacy-"));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir });
  const handle = await openPglite(dataDir);
  cleanups.push(() => handle.close());
  await runMigrations(handle);
  setDatabase(handle);
  const db = handle.db;

  const seedStart = Date.now();
  const passwordHash = await hashPassword(PASSWORD);
  const people = await db.transaction(async (tx) => {
    const list = [];
    for (let i = 0; i < MEMBERS; i++) {
      const row = await insertUser(tx, {
        email: `person${i}@bench.example`,
        displayName: `Person Nummer${i}`,
        handle: `bench-person-${i}`,
        passwordHash,
        role: "member",
      });
      list.push({ ...row, handle: `bench-person-${i}`, name: `Person Nummer${i}` });
    }
    return list;
  });
  const [heavyKeep, heavyDelete] = people;
  const [room] = await db.insert(categories).values({ slug: "bench", name: "Bench" }).returning({ id: categories.id });

  // Threads: the heavy members' 100 each, the rest spread over everyone else.
  const threadRows: { id: string; authorId: string }[] = [];
  for (let i = 0; i < THREADS; i += 500) {
    const values = Array.from({ length: Math.min(500, THREADS - i) }, (_, k) => {
      const n = i + k;
      const author =
        n < HEAVY_THREADS ? heavyKeep : n < 2 * HEAVY_THREADS ? heavyDelete : people[2 + (n % (MEMBERS - 2))];
      return {
        categoryId: room.id,
        authorId: author.id,
        type: "question" as const,
        title: `Frage ${n}: Lernbedarf klären`,
      };
    });
    threadRows.push(
      ...(await db.insert(threads).values(values).returning({ id: threads.id, authorId: threads.authorId })).map(
        (t) => ({ id: t.id, authorId: t.authorId! }),
      ),
    );
  }
  const html = renderHtml(doc(sentence) as never);
  const openings: { id: string; threadId: string }[] = [];
  for (let i = 0; i < threadRows.length; i += 500) {
    const values = threadRows
      .slice(i, i + 500)
      .map((t) => ({ threadId: t.id, authorId: t.authorId, body: doc(sentence), bodyHtml: html, bodyText: sentence }));
    openings.push(...(await db.insert(posts).values(values).returning({ id: posts.id, threadId: posts.threadId })));
  }
  for (const o of openings) await db.update(threads).set({ openingPostId: o.id }).where(eq(threads.id, o.threadId));

  // Replies: heavy members' 2,000 each, 500 mentions of each by others, the rest by everyone else.
  const replyTotal = POSTS_TOTAL - THREADS;
  const replies: { id: string; threadId: string }[] = [];
  for (let i = 0; i < replyTotal; i += 1000) {
    const values = Array.from({ length: Math.min(1000, replyTotal - i) }, (_, k) => {
      const n = i + k;
      const parent = openings[n % openings.length];
      const heavy = n < HEAVY_REPLIES ? heavyKeep : n < 2 * HEAVY_REPLIES ? heavyDelete : null;
      const other = people[2 + (n % (MEMBERS - 2))];
      const mentioned = !heavy && n < 2 * HEAVY_REPLIES + 2 * HEAVY_MENTIONS ? (n % 2 ? heavyKeep : heavyDelete) : null;
      const body = doc(sentence, mentioned ? { id: mentioned.handle, label: mentioned.name } : undefined);
      return {
        threadId: parent.threadId,
        parentId: parent.id,
        depth: 1,
        authorId: (heavy ?? other).id,
        body,
        bodyHtml: renderHtml(body as never),
        bodyText: sentence,
      };
    });
    replies.push(...(await db.insert(posts).values(values).returning({ id: posts.id, threadId: posts.threadId })));
  }
  // Reactions by the heavy members on others' replies.
  for (const member of [heavyKeep, heavyDelete]) {
    const targets = replies.slice(2 * HEAVY_REPLIES, 2 * HEAVY_REPLIES + HEAVY_REACTIONS);
    for (let i = 0; i < targets.length; i += 1000) {
      await db
        .insert(reactions)
        .values(
          targets
            .slice(i, i + 1000)
            .map(({ id: postId, threadId }) => ({ postId, threadId, userId: member.id, kind: "thanks" as const })),
        );
    }
  }
  // Uploads: 20 files of 1 MB each, attached to a published material.
  fs.mkdirSync(uploadsDir(), { recursive: true });
  for (const member of [heavyKeep, heavyDelete]) {
    const [m] = await db
      .insert(materials)
      .values({ type: "podcast", status: "published", title: "Podcast", suggestedBy: member.id })
      .returning({ id: materials.id });
    for (let i = 0; i < HEAVY_FILES; i++) {
      const storageName = crypto.randomBytes(16).toString("hex");
      fs.writeFileSync(path.join(uploadsDir(), storageName), crypto.randomBytes(FILE_BYTES));
      await db.insert(materialFiles).values({
        materialId: m.id,
        kind: "audio",
        mime: "audio/mpeg",
        storageName,
        originalName: `folge-${i}.mp3`,
        size: FILE_BYTES,
        uploadedBy: member.id,
      });
    }
  }
  const seedMs = Date.now() - seedStart;
  log(`Angelegt in ${round(seedMs / 1000)} s`);

  // The server runs buildExport in the background after requestExport; here it is timed directly.
  const [{ id }] = await db.insert(dataExports).values({ userId: heavyKeep.id }).returning({ id: dataExports.id });
  const exportStart = performance.now();
  await buildExport(id);
  const exportMs = performance.now() - exportStart;
  const [job] = await db.select().from(dataExports).where(eq(dataExports.id, id));
  if (job.state !== "ready") throw new Error(`export ${job.state}: ${job.error}`);
  log(`Export: ${round(exportMs)} ms, ${round((job.size ?? 0) / 1024 / 1024)} MB`);

  const timeDelete = async (member: { id: string }, choice: "keep" | "delete") => {
    const start = performance.now();
    await deleteAccount({ id: member.id, role: "member" }, { password: PASSWORD, posts: choice });
    return performance.now() - start;
  };
  const deleteKeepMs = await timeDelete(heavyKeep, "keep");
  log(`Löschen (Beiträge behalten): ${round(deleteKeepMs)} ms`);
  const deleteAllMs = await timeDelete(heavyDelete, "delete");
  log(`Löschen (Beiträge löschen): ${round(deleteAllMs)} ms`);

  const figures = {
    benchmark: "privacy",
    engine: "pglite",
    seeded: {
      posts: POSTS_TOTAL,
      threads: THREADS,
      members: MEMBERS,
      heavyMember: {
        threads: HEAVY_THREADS,
        replies: HEAVY_REPLIES,
        reactions: HEAVY_REACTIONS,
        mentionedIn: HEAVY_MENTIONS,
        files: HEAVY_FILES,
        fileMB: FILE_BYTES / 1024 / 1024,
      },
    },
    seedMs,
    exportMs: round(exportMs),
    exportZipBytes: job.size,
    deleteKeepPostsMs: round(deleteKeepMs),
    deleteWithPostsMs: round(deleteAllMs),
    budget: BUDGET,
    withinBudget: exportMs < BUDGET.exportMs && deleteKeepMs < BUDGET.deleteMs && deleteAllMs < BUDGET.deleteMs,
  };
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

await runBenchmark(main);
