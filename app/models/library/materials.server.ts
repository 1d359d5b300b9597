import { and, asc, desc, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import { categories, materialFiles, materials, users } from "../../../db/schema/index.ts";
import { can, isModerator, type Actor, type MaterialFacts } from "../../auth/permissions.ts";
import { LIBRARY_PAGE_SIZE, needsTextAlternative, type MaterialStatus } from "../../domain/library/types.ts";
import type { LibraryQuery, MaterialForm } from "../../schemas/library.ts";
import { countUsage } from "./usage.server.ts";
import { db } from "../db.server.ts";
import { writeAudit } from "../audit.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { requireFieldId } from "../input.server.ts";
import { isUuid } from "../discussions/facts.server.ts";
import type { RenderedBody } from "../discussions/body.server.ts";
import { renderMarkdown } from "../discussions/body.server.ts";
import { createThread } from "../discussions/threads.server.ts";
import { attachFiles } from "./files.server.ts";
import { enqueueSearch, indexSoon } from "../search/outbox.server.ts";
import { hasTag } from "../community/tags.server.ts";

type MaterialRow = typeof materials.$inferSelect;

import { claimImages } from "../images/images.server.ts";
import { addDays, addYears, berlinDay } from "../../domain/time.ts";

export function materialFacts(row: Pick<MaterialRow, "status" | "createdBy" | "suggestedBy">): MaterialFacts {
  return { status: row.status, createdBy: row.createdBy, suggestedBy: row.suggestedBy };
}

export interface MaterialInput extends Omit<MaterialForm, "fileIds"> {
  body: RenderedBody | null;
  fileIds: string[];
}

function columns(input: MaterialInput) {
  return {
    type: input.type,
    title: input.title,
    summary: input.summary,
    body: input.body?.doc ?? null,
    bodyHtml: input.body?.html ?? "",
    bodyText: input.body?.text ?? "",
    transcript: input.transcript,
    ilbStep: input.ilbStep,
    competenceArea: input.competenceArea,
    audience: input.audience,
    tags: input.tags,
    source: input.source,
    licence: input.licence,
    externalUrl: input.externalUrl,
    reviewDueAt: input.reviewDueAt,
  };
}

/** Moderators create drafts; members suggest, which puts the material straight into the moderators' queue. */
export async function createMaterial(actor: Actor, input: MaterialInput): Promise<{ id: string }> {
  const curator = can(actor, "curate");
  if (!curator && !can(actor, "suggest")) throw new ForbiddenError();
  const created = await db().transaction(async (tx) => {
    const [row] = await tx
      .insert(materials)
      .values({
        ...columns(input),
        status: curator ? "draft" : "review",
        createdBy: actor.id,
        suggestedBy: curator ? null : actor.id,
      })
      .returning({ id: materials.id });
    await attachFiles(tx, row.id, input.fileIds, actor);
    if (input.body) await claimImages(tx, { materialId: row.id }, input.body.doc, actor);
    await enqueueSearch(tx, "material", [row.id]);
    return row;
  });
  indexSoon();
  return created;
}

export async function updateMaterial(actor: Actor, id: string, input: MaterialInput): Promise<void> {
  const row = await loadMaterial(id);
  if (!row) throw new NotFoundError();
  if (!can(actor, "edit", { type: "material", material: materialFacts(row) })) throw new ForbiddenError();
  await db().transaction(async (tx) => {
    await tx
      .update(materials)
      .set({ ...columns(input), updatedAt: new Date() })
      .where(eq(materials.id, id));
    await attachFiles(tx, id, input.fileIds, actor);
    if (input.body) await claimImages(tx, { materialId: id }, input.body.doc, actor);
    if (row.status === "published" && isModerator(actor)) {
      await writeAudit(tx, { actorId: actor.id, action: "material.update", subjectType: "material", subjectId: id });
    }
    await enqueueSearch(tx, "material", [id]);
  });
  indexSoon();
}

export async function removeFile(actor: Actor, materialId: string, fileId: string): Promise<void> {
  requireFieldId(fileId, "fileId", "Diese Datei gibt es nicht.");
  const row = await loadMaterial(materialId);
  if (!row) throw new NotFoundError();
  if (!can(actor, "edit", { type: "material", material: materialFacts(row) })) throw new ForbiddenError();
  await db().transaction(async (tx) => {
    await tx
      .update(materialFiles)
      .set({ materialId: null })
      .where(and(eq(materialFiles.id, fileId), eq(materialFiles.materialId, materialId)));
    // The text inside a removed PDF must stop finding the material.
    await enqueueSearch(tx, "material", [materialId]);
  });
  indexSoon();
}

async function loadMaterial(id: string): Promise<MaterialRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db().select().from(materials).where(eq(materials.id, id));
  return row ?? null;
}

/** The same Berlin calendar day a year later: the default next review. */
function inOneYear(from = new Date()): string {
  return addYears(berlinDay(from), 1);
}

/**
 * Moves a material through Entwurf → In Prüfung → Veröffentlicht → Archiviert. Publishing checks the accessibility
 * gate (video and podcast need captions or a transcript), sets the published and review dates, and opens the
 * material's discussion thread.
 */
export async function setMaterialStatus(actor: Actor, id: string, status: MaterialStatus): Promise<void> {
  if (!can(actor, "curate")) throw new ForbiddenError();
  const row = await loadMaterial(id);
  if (!row) throw new NotFoundError();
  if (status === "published") {
    if (needsTextAlternative(row.type)) {
      const [captions] = await db()
        .select({ id: materialFiles.id })
        .from(materialFiles)
        .where(and(eq(materialFiles.materialId, id), eq(materialFiles.kind, "captions")));
      if (!captions && row.transcript.trim() === "") {
        throw new InputError(
          "status",
          "Videos und Podcasts brauchen Untertitel (WebVTT) oder ein Transkript, damit alle sie nutzen können. Bitte ergänze eines davon, dann kannst du veröffentlichen.",
        );
      }
    }
    const [file] = await db()
      .select({ id: materialFiles.id })
      .from(materialFiles)
      .where(eq(materialFiles.materialId, id))
      .limit(1);
    if (!file && !row.externalUrl && row.bodyText.trim() === "" && row.summary.trim() === "") {
      throw new InputError(
        "status",
        "Ein Material braucht eine Datei, einen Link oder einen Text, bevor es veröffentlicht wird.",
      );
    }
  }
  const now = new Date();
  await db().transaction(async (tx) => {
    await tx
      .update(materials)
      .set({
        status,
        updatedAt: now,
        ...(status === "published"
          ? {
              publishedAt: row.publishedAt ?? now,
              reviewDueAt: row.reviewDueAt ?? inOneYear(now),
              lastReviewedAt: row.lastReviewedAt ?? now,
            }
          : {}),
      })
      .where(eq(materials.id, id));
    await writeAudit(tx, {
      actorId: actor.id,
      action: `material.${status}`,
      subjectType: "material",
      subjectId: id,
      details: { from: row.status },
    });
    await enqueueSearch(tx, "material", [id]);
  });
  indexSoon();
  if (status === "published" && !row.discussionThreadId) await openDiscussion(actor, { ...row, id });
}

/** Each published material gets a thread for questions and experiences, in the room for materials. */
async function openDiscussion(actor: Actor, row: MaterialRow): Promise<void> {
  const [room] = await db()
    .select({ slug: categories.slug })
    .from(categories)
    .orderBy(sql`${categories.slug} = 'materialien' desc`, asc(categories.position))
    .limit(1);
  if (!room) return;
  const intro = row.summary ? `${row.summary}\n\n` : "";
  const { id } = await createThread(actor, {
    categorySlug: room.slug,
    type: "impulse",
    title: `Material: ${row.title}`.slice(0, 160),
    body: renderMarkdown(
      `${intro}Zum Material: [${row.title.replace(/[[\]]/g, "")}](/materialien/${row.id})\n\nWie setzt du es ein? Teile hier Fragen und Erfahrungen.`,
    ),
    anonymous: false,
    ilbStep: row.ilbStep,
    competenceArea: row.competenceArea,
    audience: row.audience,
    legalDomain: null,
    tags: row.tags,
  });
  await db().update(materials).set({ discussionThreadId: id }).where(eq(materials.id, row.id));
}

/** "Geprüft": the material is current; the next review is due on the given date (default: in a year). */
export async function markReviewed(actor: Actor, id: string, nextDue?: string | null): Promise<void> {
  if (!can(actor, "curate")) throw new ForbiddenError();
  const row = await loadMaterial(id);
  if (!row) throw new NotFoundError();
  const now = new Date();
  const due = nextDue ?? inOneYear(now);
  if (due <= berlinDay(now)) throw new InputError("reviewDueAt", "Das nächste Prüfdatum muss in der Zukunft liegen.");
  await db().transaction(async (tx) => {
    await tx
      .update(materials)
      .set({ lastReviewedAt: now, reviewDueAt: due, updatedAt: now })
      .where(eq(materials.id, id));
    await writeAudit(tx, {
      actorId: actor.id,
      action: "material.reviewed",
      subjectType: "material",
      subjectId: id,
      details: { nextDue: due },
    });
    // Freshly reviewed materials rank higher.
    await enqueueSearch(tx, "material", [id]);
  });
  indexSoon();
}

/** Published materials only: drafts and suggestions never appear in the library, for anyone. */
export async function listLibrary(query: LibraryQuery) {
  const conditions: SQL[] = [eq(materials.status, "published")];
  if (query.type) conditions.push(eq(materials.type, query.type));
  if (query.ilbStep) conditions.push(eq(materials.ilbStep, query.ilbStep));
  if (query.competenceArea) conditions.push(eq(materials.competenceArea, query.competenceArea));
  if (query.audience) conditions.push(eq(materials.audience, query.audience));
  if (query.tag) conditions.push(hasTag(materials.tags, query.tag));
  const where = and(...conditions);
  const order = query.sort === "titel" ? [asc(sql`lower(${materials.title})`)] : [desc(materials.publishedAt)];
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({
        id: materials.id,
        type: materials.type,
        title: materials.title,
        summary: materials.summary,
        tags: materials.tags,
        ilbStep: materials.ilbStep,
        audience: materials.audience,
        publishedAt: materials.publishedAt,
        lastReviewedAt: materials.lastReviewedAt,
      })
      .from(materials)
      .where(where)
      .orderBy(...order, asc(materials.id))
      .limit(LIBRARY_PAGE_SIZE)
      .offset((query.page - 1) * LIBRARY_PAGE_SIZE),
    db()
      .select({ total: sql<number>`count(*)::int` })
      .from(materials)
      .where(where),
  ]);
  return { materials: rows, total, pages: Math.max(1, Math.ceil(total / LIBRARY_PAGE_SIZE)) };
}

/** One material as this viewer may see it; counts the view (in aggregate only). */
export async function getMaterial(viewer: Actor, id: string, options: { countView?: boolean } = {}) {
  const row = await loadMaterial(id);
  if (!row) return null;
  if (!can(viewer, "view", { type: "material", material: materialFacts(row) })) throw new ForbiddenError();
  if (options.countView && row.status === "published") {
    await db().transaction(async (tx) => {
      await tx
        .update(materials)
        .set({ viewCount: sql`${materials.viewCount} + 1` })
        .where(eq(materials.id, id));
      await countUsage(tx, id, "views");
    });
  }
  const files = await db()
    .select({
      id: materialFiles.id,
      kind: materialFiles.kind,
      mime: materialFiles.mime,
      originalName: materialFiles.originalName,
      size: materialFiles.size,
    })
    .from(materialFiles)
    .where(eq(materialFiles.materialId, id))
    .orderBy(asc(materialFiles.createdAt));
  const [suggester] = row.suggestedBy
    ? await db().select({ name: users.displayName }).from(users).where(eq(users.id, row.suggestedBy))
    : [];
  const facts = materialFacts(row);
  return {
    material: row,
    files,
    suggesterName: suggester?.name ?? null,
    may: { edit: can(viewer, "edit", { type: "material", material: facts }), curate: can(viewer, "curate") },
  };
}

/** The moderators' queue: suggestions and drafts waiting, and published materials whose review is due. */
export async function libraryDesk(actor: Actor) {
  if (!can(actor, "curate")) throw new ForbiddenError();
  const today = berlinDay(new Date());
  const soon = addDays(today, 30);
  const waiting = await db()
    .select({
      id: materials.id,
      title: materials.title,
      type: materials.type,
      status: materials.status,
      createdAt: materials.createdAt,
      suggesterName: users.displayName,
    })
    .from(materials)
    .leftJoin(users, eq(users.id, materials.suggestedBy))
    .where(inArray(materials.status, ["draft", "review"]))
    .orderBy(asc(materials.createdAt))
    .limit(100);
  const due = await db()
    .select({
      id: materials.id,
      title: materials.title,
      type: materials.type,
      reviewDueAt: materials.reviewDueAt,
      lastReviewedAt: materials.lastReviewedAt,
    })
    .from(materials)
    .where(and(eq(materials.status, "published"), lte(materials.reviewDueAt, soon)))
    .orderBy(asc(materials.reviewDueAt))
    .limit(100);
  return { waiting, due: due.map((m) => ({ ...m, overdue: (m.reviewDueAt ?? today) < today })) };
}

/** A member's own suggestions, so they can follow them. */
export async function mySuggestions(actor: Actor) {
  return db()
    .select({ id: materials.id, title: materials.title, status: materials.status })
    .from(materials)
    .where(eq(materials.suggestedBy, actor.id))
    .orderBy(desc(materials.createdAt))
    .limit(20);
}

/** Titles of all published materials, for pickers such as the Themenpakete desk. */
export async function listPublishedTitles() {
  return db()
    .select({ id: materials.id, title: materials.title })
    .from(materials)
    .where(eq(materials.status, "published"))
    .orderBy(asc(sql`lower(${materials.title})`))
    .limit(1000);
}
