import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eq, inArray } from "drizzle-orm";
import type { DatabaseHandle } from "../client.ts";
import {
  categories,
  collectionItems,
  collections,
  materialFiles,
  materials,
  posts,
  threads,
  threadWatches,
  users,
} from "../schema/index.ts";
import { demoCollections, demoMaterials } from "./library-content.ts";
import type { RenderedMarkdown } from "./discussions.ts";

const samplesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "samples");
const DAY = 86_400_000;

/** Inserts the demo materials that are not there yet (by ref), copying their sample files into the uploads folder. */
export async function seedLibrary(
  handle: DatabaseHandle,
  deps: {
    render: (markdown: string) => RenderedMarkdown;
    uploadsDir: string;
    pdfText: (file: string) => Promise<string | null>;
  },
): Promise<number> {
  const db = handle.db;
  const people = new Map(
    (await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]),
  );
  const moderatorId = people.get("moderation@example.org") ?? null;
  const suggesterId = people.get("mitglied2@example.org") ?? null;
  const existing = new Set(
    (
      await db
        .select({ ref: materials.importRef })
        .from(materials)
        .where(
          inArray(
            materials.importRef,
            demoMaterials.map((m) => m.ref),
          ),
        )
    ).map((r) => r.ref),
  );
  const [room] = await db.select({ id: categories.id }).from(categories).where(eq(categories.slug, "materialien"));
  for (const c of demoCollections)
    await db
      .insert(collections)
      .values({ ...c, position: demoCollections.indexOf(c) + 1 })
      .onConflictDoNothing();
  const collectionIds = new Map(
    (await db.select({ id: collections.id, slug: collections.slug }).from(collections)).map((c) => [c.slug, c.id]),
  );
  fs.mkdirSync(deps.uploadsDir, { recursive: true });
  let added = 0;
  for (const seed of demoMaterials) {
    if (existing.has(seed.ref)) continue;
    const status = seed.status ?? "published";
    const publishedAt = new Date(Date.now() - seed.daysAgo * DAY);
    const body = seed.body ? deps.render(seed.body) : null;
    const copies = await Promise.all(
      (seed.files ?? []).map(async (f) => {
        const storageName = crypto.randomBytes(16).toString("hex");
        const stored = path.join(deps.uploadsDir, storageName);
        fs.copyFileSync(path.join(samplesDir, f.name), stored);
        const textContent = f.name.endsWith(".pdf") ? await deps.pdfText(stored) : null;
        return { ...f, storageName, size: fs.statSync(stored).size, textContent };
      }),
    );
    await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(materials)
        .values({
          type: seed.type,
          status,
          title: seed.title,
          summary: seed.summary,
          body: body?.doc ?? null,
          bodyHtml: body?.html ?? "",
          bodyText: body?.text ?? "",
          transcript: seed.transcript ?? "",
          ilbStep: seed.ilbStep ?? null,
          competenceArea: seed.competenceArea ?? null,
          audience: seed.audience ?? null,
          tags: seed.tags,
          source: seed.source,
          licence: seed.licence,
          externalUrl: seed.externalUrl ?? null,
          publishedAt: status === "published" ? publishedAt : null,
          lastReviewedAt: status === "published" ? publishedAt : null,
          reviewDueAt: new Date(Date.now() + seed.reviewInDays * DAY).toISOString().slice(0, 10),
          createdBy: status === "review" ? suggesterId : moderatorId,
          suggestedBy: status === "review" ? suggesterId : null,
          importRef: seed.ref,
          createdAt: publishedAt,
        })
        .returning({ id: materials.id });
      for (const f of copies) {
        await tx.insert(materialFiles).values({
          materialId: row.id,
          kind: f.kind,
          mime: f.mime,
          storageName: f.storageName,
          originalName: f.as,
          size: f.size,
          uploadedBy: moderatorId,
          textContent: f.textContent,
        });
      }
      if (seed.collection && collectionIds.has(seed.collection)) {
        const position = demoMaterials.filter((m) => m.collection === seed.collection).indexOf(seed);
        await tx
          .insert(collectionItems)
          .values({ collectionId: collectionIds.get(seed.collection)!, materialId: row.id, position: position + 1 })
          .onConflictDoNothing();
      }
      // The material's discussion thread, as publishing would open it.
      if (status === "published" && room && moderatorId) {
        const text = deps.render(
          `${seed.summary}\n\nZum Material: [${seed.title}](/materialien/${row.id})\n\nWie setzt du es ein? Teile hier Fragen und Erfahrungen.`,
        );
        const [thread] = await tx
          .insert(threads)
          .values({
            categoryId: room.id,
            authorId: moderatorId,
            type: "impulse",
            title: `Material: ${seed.title}`.slice(0, 160),
            tags: seed.tags,
            createdAt: publishedAt,
            lastActivityAt: publishedAt,
          })
          .returning({ id: threads.id });
        const [opening] = await tx
          .insert(posts)
          .values({
            threadId: thread.id,
            authorId: moderatorId,
            body: text.doc,
            bodyHtml: text.html,
            bodyText: text.text,
            createdAt: publishedAt,
          })
          .returning({ id: posts.id });
        await tx.update(threads).set({ openingPostId: opening.id }).where(eq(threads.id, thread.id));
        await tx.insert(threadWatches).values({ userId: moderatorId, threadId: thread.id }).onConflictDoNothing();
        await tx.update(materials).set({ discussionThreadId: thread.id }).where(eq(materials.id, row.id));
      }
    });
    added++;
  }
  return added;
}
