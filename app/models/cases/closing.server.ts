import { and, eq, isNull } from "drizzle-orm";
import { caseConsultations, caseParticipants, users } from "../../../db/schema/index.ts";
import type { Actor } from "../../auth/permissions.ts";
import { checkAnonymity, findingLabels } from "../../domain/cases/anonymity.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError } from "../errors.server.ts";
import { renderMarkdown } from "../discussions/body.server.ts";
import { createThread } from "../discussions/threads.server.ts";
import { createMaterial } from "../library/materials.server.ts";
import { loadForParticipant, type Tx } from "./facts.server.ts";
import { broadcastCase } from "./notify.server.ts";

async function forClosing(tx: Tx, actor: Actor, id: string, options: { caseGiver: boolean }) {
  const loaded = await loadForParticipant(tx, actor, id);
  if (options.caseGiver !== (loaded.me.role === "case_giver")) {
    throw new ForbiddenError(
      options.caseGiver ? "Das kann nur die Fallgeberin oder der Fallgeber." : "Das betrifft nur die Beratenden.",
    );
  }
  if (loaded.row.phase !== "abschluss") throw new InputError("takeaway", "Das ist erst im Abschluss möglich.");
  return loaded;
}

/** The case giver's private takeaway: only they ever see it, and the retention purge keeps it. */
export async function saveTakeaway(actor: Actor, id: string, takeaway: string): Promise<void> {
  await db().transaction(async (tx) => {
    await forClosing(tx, actor, id, { caseGiver: true });
    await tx.update(caseConsultations).set({ takeaway }).where(eq(caseConsultations.id, id));
  });
}

/** A consultant agrees (or not) to be named under a learning the case giver publishes. */
export async function setNameConsent(actor: Actor, id: string, consent: boolean): Promise<void> {
  await db().transaction(async (tx) => {
    await forClosing(tx, actor, id, { caseGiver: false });
    await tx
      .update(caseParticipants)
      .set({ nameConsent: consent })
      .where(and(eq(caseParticipants.caseId, id), eq(caseParticipants.userId, actor.id)));
  });
  broadcastCase(id, "group");
}

export interface LearningInput {
  learningTitle: string;
  learningText: string;
  target: "best_practice" | "practice_example";
  category: string;
  credit: boolean;
  hintsReviewed: boolean;
}

export async function saveLearningDraft(
  actor: Actor,
  id: string,
  input: Pick<LearningInput, "learningTitle" | "learningText">,
): Promise<void> {
  await db().transaction(async (tx) => {
    const { row } = await forClosing(tx, actor, id, { caseGiver: true });
    if (row.learningPublishedAt) throw new InputError("learningText", "Die Erkenntnis ist schon veröffentlicht.");
    await tx
      .update(caseConsultations)
      .set({ learningTitle: input.learningTitle, learningText: input.learningText })
      .where(eq(caseConsultations.id, id));
  });
}

/**
 * Publishes the generalised learning after the case giver's explicit approval: as a Best-Practice thread or as a
 * Praxisbeispiel suggested to the library (both through their own model functions, which also put them into
 * search). Nothing links back to the consultation; participants are named only if the case giver asks for it and
 * each of them agreed.
 */
export async function publishLearning(
  actor: Actor,
  id: string,
  input: LearningInput,
  now = new Date(),
): Promise<{ threadId?: string; materialId?: string }> {
  const findings = checkAnonymity(`${input.learningTitle}\n${input.learningText}`);
  if (findings.length > 0 && !input.hintsReviewed) {
    const list = findings.map((f) => `${findingLabels[f.kind]}: „${f.match}“`).join(", ");
    throw new InputError("hintsReviewed", `Das sieht persönlich aus – bitte prüfe: ${list}.`);
  }
  const credited = await db().transaction(async (tx) => {
    const { row, group } = await forClosing(tx, actor, id, { caseGiver: true });
    if (row.learningPublishedAt) throw new InputError("learningText", "Die Erkenntnis ist schon veröffentlicht.");
    // Claimed before publishing, so a second click cannot publish twice.
    await tx
      .update(caseConsultations)
      .set({ learningTitle: input.learningTitle, learningText: input.learningText, learningPublishedAt: now })
      .where(and(eq(caseConsultations.id, id), isNull(caseConsultations.learningPublishedAt)));
    const consenting = group.filter((p) => p.role !== "case_giver" && p.agreedAt && p.nameConsent).map((p) => p.userId);
    if (!input.credit || consenting.length === 0) return [];
    const names = await tx.select({ id: users.id, name: users.displayName }).from(users);
    return names
      .filter((n) => consenting.includes(n.id))
      .map((n) => n.name)
      .sort((a, b) => a.localeCompare(b, "de"));
  });
  const markdown =
    credited.length > 0 ? `${input.learningText}\n\n*Mitgewirkt haben: ${credited.join(", ")}*` : input.learningText;
  try {
    const body = renderMarkdown(markdown);
    if (input.target === "best_practice") {
      const { id: threadId } = await createThread(actor, {
        categorySlug: input.category,
        type: "best_practice",
        title: input.learningTitle,
        body: { ...body, mentions: [] },
        anonymous: false,
        ilbStep: null,
        competenceArea: null,
        audience: null,
        legalDomain: null,
        tags: ["kollegiale-fallberatung"],
      });
      return { threadId };
    }
    const { id: materialId } = await createMaterial(actor, {
      type: "practice_example",
      title: input.learningTitle,
      summary: input.learningText.slice(0, 280),
      transcript: "",
      ilbStep: null,
      competenceArea: null,
      audience: null,
      tags: ["kollegiale-fallberatung"],
      source: "",
      licence: "",
      externalUrl: null,
      reviewDueAt: null,
      body: { ...body, mentions: [] },
      fileIds: [],
    });
    return { materialId };
  } catch (error) {
    // Not published after all: the case giver can correct and try again.
    await db().update(caseConsultations).set({ learningPublishedAt: null }).where(eq(caseConsultations.id, id));
    throw error;
  } finally {
    broadcastCase(id, "group");
  }
}
