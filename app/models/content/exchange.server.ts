import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { categories, materialFiles, materials, posts, threads, users } from "../../../db/schema/index.ts";
import { sniff, SNIFF_BYTES } from "../../domain/library/sniff.ts";
import { attachFiles, storeUpload, uploadsDir } from "../library/files.server.ts";
import { exchangeLine, type ExchangeLine } from "../../schemas/exchange.ts";
import { docFromMarkdown, docToMarkdown, type RichDoc } from "../richtext.server.ts";
import { db } from "../db.server.ts";
import { hashPassword } from "../accounts/password.server.ts";
import { renderBody, type RenderedBody } from "../discussions/body.server.ts";
import { enqueueSearch, indexSoon } from "../search/outbox.server.ts";
import { importPoll, pollLines } from "./polls.server.ts";

export interface LineError {
  line: number;
  message: string;
}

type Parsed = { line: number; item: ExchangeLine; body?: RenderedBody; files?: { file?: string; captions?: string } };

/** A material's file must exist and be of a type the library accepts (checked from its bytes, like uploads). */
function checkFile(absolute: string, captions: boolean): string | null {
  let head: Buffer;
  try {
    const fd = fs.openSync(absolute, "r");
    try {
      head = Buffer.alloc(SNIFF_BYTES);
      head = head.subarray(0, fs.readSync(fd, head, 0, SNIFF_BYTES, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return `Datei ${absolute} nicht gefunden`;
  }
  const type = sniff(head);
  if (!type) return `Dateityp von ${path.basename(absolute)} wird nicht unterstützt`;
  if (captions !== (type.kind === "captions"))
    return captions ? "muss eine WebVTT-Datei sein" : "Untertitel gehören in das Feld captions";
  return null;
}

/**
 * Checks a whole NDJSON file before anything is written: syntax, fields, Markdown bodies, and that every
 * reference (room, thread, parent, author) exists in the file above the line or in the database.
 */
export async function validateImport(
  text: string,
  baseDir = process.cwd(),
): Promise<{ ok: true; items: Parsed[] } | { ok: false; errors: LineError[] }> {
  const errors: LineError[] = [];
  const items: Parsed[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      errors.push({ line: i + 1, message: "kein gültiges JSON" });
      continue;
    }
    const parsed = exchangeLine.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push({ line: i + 1, message: `${issue.path.join(".") || "Zeile"}: ${issue.message}` });
      continue;
    }
    items.push({ line: i + 1, item: parsed.data });
  }

  // Bodies: `@kurzname` becomes a mention of a member of the file or of the database (export writes them so).
  const names = new Map(
    (await db().select({ handle: users.handle, name: users.displayName }).from(users)).map((u) => [u.handle, u.name]),
  );
  for (const { item } of items) if (item.kind === "member") names.set(item.handle, item.name);
  for (const entry of items) {
    if (entry.item.kind === "material") {
      for (const [field, rel] of [
        ["file", entry.item.file],
        ["captions", entry.item.captions],
      ] as const) {
        if (!rel) continue;
        const problem = checkFile(path.resolve(baseDir, rel), field === "captions");
        if (problem) errors.push({ line: entry.line, message: `${field}: ${problem}` });
        else entry.files = { ...entry.files, [field]: path.resolve(baseDir, rel) };
      }
      if (!entry.item.body.trim()) continue;
    }
    if (entry.item.kind !== "thread" && entry.item.kind !== "reply" && entry.item.kind !== "material") continue;
    const rendered = renderBody(docFromMarkdown(entry.item.body, { resolveMention: (h) => names.get(h) ?? null }));
    if (!rendered.ok) errors.push({ line: entry.line, message: `body: ${rendered.message}` });
    else entry.body = rendered.body;
  }

  // References: to what the file defines above, or to what the database already has.
  const emails = new Set((await db().select({ email: users.email }).from(users)).map((u) => u.email));
  const slugs = new Set((await db().select({ slug: categories.slug }).from(categories)).map((c) => c.slug));
  const threadRefs = new Set((await db().select({ ref: threads.importRef }).from(threads)).map((t) => t.ref));
  const replyRefs = new Map<string, string>();
  const pollThreads = new Set<string>();
  for (const row of await db()
    .select({ ref: posts.importRef, threadRef: threads.importRef })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))) {
    if (row.ref && row.threadRef) replyRefs.set(row.ref, row.threadRef);
  }
  for (const { line, item } of items) {
    if (item.kind === "member") emails.add(item.email);
    else if (item.kind === "category") slugs.add(item.slug);
    else if (item.kind === "thread") {
      if (!slugs.has(item.category))
        errors.push({ line, message: `category: Themenraum „${item.category}“ ist unbekannt` });
      if (!emails.has(item.author)) errors.push({ line, message: `author: Mitglied ${item.author} ist unbekannt` });
      threadRefs.add(item.ref);
    } else if (item.kind === "reply") {
      if (!threadRefs.has(item.thread))
        errors.push({ line, message: `thread: Diskussion „${item.thread}“ ist unbekannt (muss weiter oben stehen)` });
      if (item.parent && replyRefs.get(item.parent) !== item.thread) {
        errors.push({
          line,
          message: `parent: Antwort „${item.parent}“ ist in dieser Diskussion unbekannt (muss weiter oben stehen)`,
        });
      }
      if (!emails.has(item.author)) errors.push({ line, message: `author: Mitglied ${item.author} ist unbekannt` });
      replyRefs.set(item.ref, item.thread);
    } else if (item.kind === "poll") {
      if (!threadRefs.has(item.thread))
        errors.push({ line, message: `thread: Diskussion „${item.thread}“ ist unbekannt (muss weiter oben stehen)` });
      else if (pollThreads.has(item.thread))
        errors.push({ line, message: `thread: Diskussion „${item.thread}“ hat in dieser Datei schon eine Umfrage` });
      pollThreads.add(item.thread);
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return errors.length ? { ok: false, errors } : { ok: true, items };
}

export interface ImportCounts {
  members: number;
  categories: number;
  threads: number;
  replies: number;
  polls: number;
  materials: number;
}

/** Writes validated items in one transaction; a second import of the same file updates instead of duplicating. */
export async function importContent(
  items: Parsed[],
  onProgress: (done: number) => void = () => {},
): Promise<ImportCounts> {
  const counts: ImportCounts = { members: 0, categories: 0, threads: 0, replies: 0, polls: 0, materials: 0 };
  const materialIds = new Map<string, string>();
  // New members get an unusable random password: they set their own through an invitation or an admin.
  const placeholderHash = await hashPassword(crypto.randomBytes(24).toString("base64url"));
  await db().transaction(async (tx) => {
    const userIds = new Map(
      (await tx.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]),
    );
    const categoryIds = new Map(
      (await tx.select({ id: categories.id, slug: categories.slug }).from(categories)).map((c) => [c.slug, c.id]),
    );
    let done = 0;
    for (const { item, body } of items) {
      if (item.kind === "member") {
        const [row] = await tx
          .insert(users)
          .values({
            email: item.email,
            displayName: item.name,
            handle: item.handle,
            role: item.role,
            passwordHash: placeholderHash,
          })
          .onConflictDoUpdate({ target: users.email, set: { displayName: item.name, role: item.role } })
          .returning({ id: users.id });
        userIds.set(item.email, row.id);
        counts.members++;
      } else if (item.kind === "category") {
        const [row] = await tx
          .insert(categories)
          .values({ slug: item.slug, name: item.name, description: item.description, position: categoryIds.size + 1 })
          .onConflictDoUpdate({ target: categories.slug, set: { name: item.name, description: item.description } })
          .returning({ id: categories.id });
        categoryIds.set(item.slug, row.id);
        counts.categories++;
      } else if (item.kind === "thread" && body) {
        const createdAt = new Date(item.createdAt);
        const values = {
          categoryId: categoryIds.get(item.category)!,
          authorId: userIds.get(item.author)!,
          type: item.type,
          title: item.title,
          tags: item.tags,
        };
        const [thread] = await tx
          .insert(threads)
          .values({ ...values, importRef: item.ref, createdAt, lastActivityAt: createdAt })
          .onConflictDoUpdate({ target: threads.importRef, set: values })
          .returning({ id: threads.id, openingPostId: threads.openingPostId });
        const content = { body: body.doc, bodyHtml: body.html, bodyText: body.text };
        if (thread.openingPostId) {
          await tx.update(posts).set(content).where(eq(posts.id, thread.openingPostId));
        } else {
          const [opening] = await tx
            .insert(posts)
            .values({ threadId: thread.id, authorId: values.authorId, ...content, createdAt })
            .returning({ id: posts.id });
          await tx.update(threads).set({ openingPostId: opening.id }).where(eq(threads.id, thread.id));
        }
        counts.threads++;
      } else if (item.kind === "reply" && body) {
        const [thread] = await tx
          .select({ id: threads.id, openingPostId: threads.openingPostId })
          .from(threads)
          .where(eq(threads.importRef, item.thread));
        const [parent] = item.parent
          ? await tx.select({ id: posts.id, depth: posts.depth }).from(posts).where(eq(posts.importRef, item.parent))
          : await tx
              .select({ id: posts.id, depth: posts.depth })
              .from(posts)
              .where(eq(posts.id, thread.openingPostId!));
        const createdAt = new Date(item.createdAt);
        const content = { body: body.doc, bodyHtml: body.html, bodyText: body.text };
        await tx
          .insert(posts)
          .values({
            threadId: thread.id,
            parentId: parent.id,
            depth: parent.depth + 1,
            authorId: userIds.get(item.author)!,
            ...content,
            importRef: item.ref,
            createdAt,
          })
          .onConflictDoUpdate({ target: posts.importRef, set: content });
        counts.replies++;
      } else if (item.kind === "poll") {
        const [thread] = await tx
          .select({ id: threads.id, authorId: threads.authorId })
          .from(threads)
          .where(eq(threads.importRef, item.thread));
        await importPoll(tx, thread.id, thread.authorId, item);
        counts.polls++;
      } else if (item.kind === "material") {
        const publishedAt = item.publishedAt ? new Date(item.publishedAt) : null;
        const values = {
          type: item.type,
          title: item.title,
          summary: item.summary,
          body: body?.doc ?? null,
          bodyHtml: body?.html ?? "",
          bodyText: body?.text ?? "",
          transcript: item.transcript ?? "",
          tags: item.tags,
          externalUrl: item.url,
          status: publishedAt ? ("published" as const) : ("draft" as const),
          publishedAt,
          lastReviewedAt: publishedAt,
          reviewDueAt: (item.reviewDueAt ?? (publishedAt ? oneYearAfter(publishedAt) : null))?.slice(0, 10) ?? null,
        };
        const [row] = await tx
          .insert(materials)
          .values({ ...values, importRef: item.ref, createdAt: publishedAt ?? new Date() })
          .onConflictDoUpdate({ target: materials.importRef, set: values })
          .returning({ id: materials.id });
        materialIds.set(item.ref, row.id);
        counts.materials++;
      }
      onProgress(++done);
    }
    // Reply counts and last activity follow from what is stored now.
    const touched = items.flatMap(({ item }) =>
      item.kind === "thread" ? [item.ref] : item.kind === "reply" ? [item.thread] : [],
    );
    if (touched.length > 0) {
      const rows = await tx
        .select({ id: threads.id })
        .from(threads)
        .where(inArray(threads.importRef, [...new Set(touched)]));
      for (const { id } of rows) {
        const replies = await tx
          .select({ createdAt: posts.createdAt })
          .from(posts)
          .where(and(eq(posts.threadId, id), isNull(posts.deletedAt)));
        const last = replies.reduce((max, r) => (r.createdAt > max ? r.createdAt : max), new Date(0));
        await tx
          .update(threads)
          .set({ replyCount: replies.length - 1, lastActivityAt: last })
          .where(eq(threads.id, id));
      }
      await enqueueSearch(
        tx,
        "thread",
        rows.map((r) => r.id),
      );
    }
  });
  await importMaterialFiles(items, materialIds);
  // After the files, so that the text inside imported PDFs is indexed too.
  await enqueueSearch(db(), "material", [...new Set(materialIds.values())]);
  indexSoon();
  return counts;
}

function oneYearAfter(date: Date): string {
  const next = new Date(date);
  next.setFullYear(next.getFullYear() + 1);
  return next.toISOString();
}

/**
 * Files go in after the rows, through the same checked upload path as the web form (outside the big transaction:
 * storing a file writes its own row). A material that already has a file of that name and size keeps it, so a
 * second import does not duplicate files.
 */
async function importMaterialFiles(items: Parsed[], materialIds: Map<string, string>): Promise<void> {
  const withFiles = items.filter((p) => p.item.kind === "material" && p.files);
  if (withFiles.length === 0) return;
  const [owner] = await db()
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(inArray(users.role, ["admin", "moderator"]))
    .limit(1);
  if (!owner)
    throw new Error(
      "Für Materialdateien braucht es ein Konto mit Moderations- oder Admin-Rolle (npm run user:create).",
    );
  const actor = { id: owner.id, role: owner.role };
  for (const { item, files } of withFiles) {
    const materialId = materialIds.get((item as { ref: string }).ref)!;
    const existing = await db()
      .select({ name: materialFiles.originalName, size: materialFiles.size })
      .from(materialFiles)
      .where(eq(materialFiles.materialId, materialId));
    const ids: string[] = [];
    for (const absolute of [files!.file, files!.captions]) {
      if (!absolute) continue;
      const size = fs.statSync(absolute).size;
      if (existing.some((f) => f.name === path.basename(absolute) && f.size === size)) continue;
      const stored = await storeUpload(actor, {
        stream: fs.createReadStream(absolute),
        filename: path.basename(absolute),
        quota: false,
      });
      ids.push(stored.id);
    }
    if (ids.length) await db().transaction((tx) => attachFiles(tx, materialId, ids, actor).then(() => undefined));
  }
}

/**
 * Everything in the exchange format: members, rooms, threads and their replies (parents before children) and polls
 * (totals only), and materials. Material files are copied into `files.dir`, and the lines name them relative to the NDJSON file.
 */
export async function exportContent(files?: { dir: string; relative: string }): Promise<string[]> {
  const out: string[] = [];
  const people = await db().select().from(users).orderBy(asc(users.createdAt));
  const emailOf = new Map(people.map((u) => [u.id, u.email]));
  for (const u of people)
    out.push(JSON.stringify({ kind: "member", email: u.email, name: u.displayName, handle: u.handle, role: u.role }));
  const rooms = await db().select().from(categories).orderBy(asc(categories.position));
  const slugOf = new Map(rooms.map((c) => [c.id, c.slug]));
  for (const c of rooms)
    out.push(JSON.stringify({ kind: "category", slug: c.slug, name: c.name, description: c.description }));
  const allThreads = await db().select().from(threads).where(isNull(threads.deletedAt)).orderBy(asc(threads.createdAt));
  // Polls with their totals only: who voted is not part of the exchange (ADR 026, 032).
  const pollOf = await pollLines(allThreads.map((t) => t.id));
  for (const t of allThreads) {
    const ref = t.importRef ?? t.id;
    const all = await db()
      .select()
      .from(posts)
      .where(eq(posts.threadId, t.id))
      .orderBy(asc(posts.createdAt), asc(posts.id));
    const opening = all.find((p) => p.parentId === null);
    if (!opening || !t.authorId) continue;
    out.push(
      JSON.stringify({
        kind: "thread",
        ref,
        category: slugOf.get(t.categoryId),
        type: t.type,
        title: t.title,
        body: docToMarkdown(opening.body as RichDoc),
        author: emailOf.get(t.authorId),
        createdAt: t.createdAt.toISOString(),
        tags: t.tags,
      }),
    );
    const refOf = new Map(all.map((p) => [p.id, p.importRef ?? p.id]));
    const byId = new Map(all.map((p) => [p.id, p]));
    const exported = new Set<string>();
    // A reply whose parent is not exported (deleted) hangs under the nearest exported ancestor.
    const exportedParent = (id: string | null): string | null => {
      let current = id;
      while (current && current !== opening.id && !exported.has(current)) current = byId.get(current)?.parentId ?? null;
      return current && current !== opening.id ? current : null;
    };
    for (const p of all) {
      if (p === opening || p.deletedAt || !p.authorId) continue;
      exported.add(p.id);
      const parent = exportedParent(p.parentId);
      out.push(
        JSON.stringify({
          kind: "reply",
          ref: refOf.get(p.id),
          thread: ref,
          parent: parent ? refOf.get(parent) : null,
          body: docToMarkdown(p.body as RichDoc),
          author: emailOf.get(p.authorId),
          createdAt: p.createdAt.toISOString(),
        }),
      );
    }
    const poll = pollOf.get(t.id);
    if (poll)
      out.push(
        JSON.stringify({
          kind: "poll",
          thread: ref,
          question: poll.question,
          multiple: poll.multiple,
          closesAt: poll.closesAt,
          voters: poll.voters,
          options: poll.options,
        }),
      );
  }
  const allMaterials = await db().select().from(materials).orderBy(asc(materials.createdAt), asc(materials.id));
  for (const m of allMaterials) {
    const attached = await db()
      .select()
      .from(materialFiles)
      .where(eq(materialFiles.materialId, m.id))
      .orderBy(asc(materialFiles.createdAt));
    const ref = m.importRef ?? m.id;
    const copy = (f: (typeof attached)[number] | undefined): string | null => {
      if (!f || !files) return null;
      // One folder per material keeps the original file names (and so a re-import gives the same names).
      const folder = ref.replace(/[^A-Za-z0-9._-]/g, "_");
      fs.mkdirSync(path.join(files.dir, folder), { recursive: true });
      fs.copyFileSync(path.join(uploadsDir(), f.storageName), path.join(files.dir, folder, f.originalName));
      return `${files.relative}/${folder}/${f.originalName}`;
    };
    out.push(
      JSON.stringify({
        kind: "material",
        ref,
        type: m.type,
        title: m.title,
        summary: m.summary,
        body: m.body ? docToMarkdown(m.body as RichDoc) : "",
        file: copy(attached.find((f) => f.kind !== "captions")),
        captions: copy(attached.find((f) => f.kind === "captions")),
        url: m.externalUrl,
        transcript: m.transcript || null,
        tags: m.tags,
        publishedAt:
          m.status === "published" || m.status === "archived" ? (m.publishedAt?.toISOString() ?? null) : null,
        reviewDueAt: m.reviewDueAt,
      }),
    );
  }
  return out;
}
