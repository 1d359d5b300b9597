import crypto from "node:crypto";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { categories, posts, threads, users } from "../../../db/schema/index.ts";
import { exchangeLine, type ExchangeLine } from "../../schemas/exchange.ts";
import { docFromMarkdown, docToMarkdown, type RichDoc } from "../richtext.server.ts";
import { db } from "../db.server.ts";
import { hashPassword } from "../accounts/password.server.ts";
import { renderBody, type RenderedBody } from "../discussions/body.server.ts";

export interface LineError {
  line: number;
  message: string;
}

type Parsed = { line: number; item: ExchangeLine; body?: RenderedBody };

/**
 * Checks a whole NDJSON file before anything is written: syntax, fields, Markdown bodies, and that every
 * reference (room, thread, parent, author) exists in the file above the line or in the database.
 */
export async function validateImport(text: string): Promise<{ ok: true; items: Parsed[] } | { ok: false; errors: LineError[] }> {
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
    if (json && typeof json === "object" && (json as { kind?: unknown }).kind === "material") {
      errors.push({ line: i + 1, message: "Materialien werden von dieser Version noch nicht importiert" });
      continue;
    }
    const parsed = exchangeLine.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ line: i + 1, message: `${issue.path.join(".") || "Zeile"}: ${issue.message}` });
      continue;
    }
    items.push({ line: i + 1, item: parsed.data });
  }

  // Bodies: `@kurzname` becomes a mention of a member of the file or of the database (export writes them so).
  const names = new Map((await db().select({ handle: users.handle, name: users.displayName }).from(users)).map((u) => [u.handle, u.name]));
  for (const { item } of items) if (item.kind === "member") names.set(item.handle, item.name);
  for (const entry of items) {
    if (entry.item.kind !== "thread" && entry.item.kind !== "reply") continue;
    const rendered = renderBody(docFromMarkdown(entry.item.body, { resolveMention: (h) => names.get(h) ?? null }));
    if (!rendered.ok) errors.push({ line: entry.line, message: `body: ${rendered.message}` });
    else entry.body = rendered.body;
  }

  // References: to what the file defines above, or to what the database already has.
  const emails = new Set((await db().select({ email: users.email }).from(users)).map((u) => u.email));
  const slugs = new Set((await db().select({ slug: categories.slug }).from(categories)).map((c) => c.slug));
  const threadRefs = new Set((await db().select({ ref: threads.importRef }).from(threads)).map((t) => t.ref));
  const replyRefs = new Map<string, string>();
  for (const row of await db().select({ ref: posts.importRef, threadRef: threads.importRef }).from(posts).innerJoin(threads, eq(threads.id, posts.threadId))) {
    if (row.ref && row.threadRef) replyRefs.set(row.ref, row.threadRef);
  }
  for (const { line, item } of items) {
    if (item.kind === "member") emails.add(item.email);
    else if (item.kind === "category") slugs.add(item.slug);
    else if (item.kind === "thread") {
      if (!slugs.has(item.category)) errors.push({ line, message: `category: Themenraum „${item.category}“ ist unbekannt` });
      if (!emails.has(item.author)) errors.push({ line, message: `author: Mitglied ${item.author} ist unbekannt` });
      threadRefs.add(item.ref);
    } else {
      if (!threadRefs.has(item.thread)) errors.push({ line, message: `thread: Diskussion „${item.thread}“ ist unbekannt (muss weiter oben stehen)` });
      if (item.parent && replyRefs.get(item.parent) !== item.thread) {
        errors.push({ line, message: `parent: Antwort „${item.parent}“ ist in dieser Diskussion unbekannt (muss weiter oben stehen)` });
      }
      if (!emails.has(item.author)) errors.push({ line, message: `author: Mitglied ${item.author} ist unbekannt` });
      replyRefs.set(item.ref, item.thread);
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
}

/** Writes validated items in one transaction; a second import of the same file updates instead of duplicating. */
export async function importContent(items: Parsed[], onProgress: (done: number) => void = () => {}): Promise<ImportCounts> {
  const counts: ImportCounts = { members: 0, categories: 0, threads: 0, replies: 0 };
  // New members get an unusable random password: they set their own through an invitation or an admin.
  const placeholderHash = await hashPassword(crypto.randomBytes(24).toString("base64url"));
  await db().transaction(async (tx) => {
    const userIds = new Map((await tx.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]));
    const categoryIds = new Map((await tx.select({ id: categories.id, slug: categories.slug }).from(categories)).map((c) => [c.slug, c.id]));
    let done = 0;
    for (const { item, body } of items) {
      if (item.kind === "member") {
        const [row] = await tx
          .insert(users)
          .values({ email: item.email, displayName: item.name, handle: item.handle, role: item.role, passwordHash: placeholderHash })
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
        const values = { categoryId: categoryIds.get(item.category)!, authorId: userIds.get(item.author)!, type: item.type, title: item.title, tags: item.tags };
        const [thread] = await tx
          .insert(threads)
          .values({ ...values, importRef: item.ref, createdAt, lastActivityAt: createdAt })
          .onConflictDoUpdate({ target: threads.importRef, set: values })
          .returning({ id: threads.id, openingPostId: threads.openingPostId });
        const content = { body: body.doc, bodyHtml: body.html, bodyText: body.text };
        if (thread.openingPostId) {
          await tx.update(posts).set(content).where(eq(posts.id, thread.openingPostId));
        } else {
          const [opening] = await tx.insert(posts).values({ threadId: thread.id, authorId: values.authorId, ...content, createdAt }).returning({ id: posts.id });
          await tx.update(threads).set({ openingPostId: opening.id }).where(eq(threads.id, thread.id));
        }
        counts.threads++;
      } else if (item.kind === "reply" && body) {
        const [thread] = await tx.select({ id: threads.id, openingPostId: threads.openingPostId }).from(threads).where(eq(threads.importRef, item.thread));
        const [parent] = item.parent
          ? await tx.select({ id: posts.id, depth: posts.depth }).from(posts).where(eq(posts.importRef, item.parent))
          : await tx.select({ id: posts.id, depth: posts.depth }).from(posts).where(eq(posts.id, thread.openingPostId!));
        const createdAt = new Date(item.createdAt);
        const content = { body: body.doc, bodyHtml: body.html, bodyText: body.text };
        await tx
          .insert(posts)
          .values({ threadId: thread.id, parentId: parent.id, depth: parent.depth + 1, authorId: userIds.get(item.author)!, ...content, importRef: item.ref, createdAt })
          .onConflictDoUpdate({ target: posts.importRef, set: content });
        counts.replies++;
      }
      onProgress(++done);
    }
    // Reply counts and last activity follow from what is stored now.
    const touched = items.flatMap(({ item }) => (item.kind === "thread" ? [item.ref] : item.kind === "reply" ? [item.thread] : []));
    if (touched.length > 0) {
      const rows = await tx.select({ id: threads.id }).from(threads).where(inArray(threads.importRef, [...new Set(touched)]));
      for (const { id } of rows) {
        const replies = await tx.select({ createdAt: posts.createdAt }).from(posts).where(and(eq(posts.threadId, id), isNull(posts.deletedAt)));
        const last = replies.reduce((max, r) => (r.createdAt > max ? r.createdAt : max), new Date(0));
        await tx.update(threads).set({ replyCount: replies.length - 1, lastActivityAt: last, version: sql`${threads.version} + 1` }).where(eq(threads.id, id));
      }
    }
  });
  return counts;
}

/** Everything in the exchange format: members, rooms, threads and their replies (parents before children). */
export async function exportContent(): Promise<string[]> {
  const out: string[] = [];
  const people = await db().select().from(users).orderBy(asc(users.createdAt));
  const emailOf = new Map(people.map((u) => [u.id, u.email]));
  for (const u of people) out.push(JSON.stringify({ kind: "member", email: u.email, name: u.displayName, handle: u.handle, role: u.role }));
  const rooms = await db().select().from(categories).orderBy(asc(categories.position));
  const slugOf = new Map(rooms.map((c) => [c.id, c.slug]));
  for (const c of rooms) out.push(JSON.stringify({ kind: "category", slug: c.slug, name: c.name, description: c.description }));
  const allThreads = await db().select().from(threads).where(isNull(threads.deletedAt)).orderBy(asc(threads.createdAt));
  for (const t of allThreads) {
    const ref = t.importRef ?? t.id;
    const all = await db().select().from(posts).where(eq(posts.threadId, t.id)).orderBy(asc(posts.createdAt), asc(posts.id));
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
  }
  return out;
}
