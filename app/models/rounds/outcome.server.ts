import { and, eq, inArray } from "drizzle-orm";
import {
  dialogueRounds,
  materials,
  roundEvents,
  roundRegistrations,
  roundWatches,
  users,
} from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { formatDate } from "../../domain/time.ts";
import type { OutcomeForm } from "../../schemas/rounds.ts";
import { db } from "../db.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "../errors.server.ts";
import { renderMarkdown } from "../discussions/body.server.ts";
import { createMaterial, setMaterialStatus } from "../library/materials.server.ts";
import { getRoundFacts } from "./facts.server.ts";
import { notifyRoundMembers } from "./notify.server.ts";

/** Chat text as a Markdown quote; Markdown in members' messages stays text (escaped), never markup. */
function quote(name: string, text: string): string {
  const escaped = text.replace(/([\\`*_[\]#<>!|~])/g, "\\$1");
  return `> **${name}:** ${escaped.split(/\r?\n/).join("\n> ")}`;
}

/**
 * One action: the host's edited notes and the chosen chat highlights become a published library material of type
 * "Ergebnis einer Dialogrunde" (through the library's own functions, so it is indexed and gets its discussion thread
 * like any material), the round links to both, and registrants and watchers are told.
 */
export async function publishOutcome(
  actor: Actor,
  roundId: string,
  form: OutcomeForm,
): Promise<{ materialId: string; threadId: string | null }> {
  const loaded = await getRoundFacts(actor, roundId);
  if (!loaded) throw new NotFoundError();
  const { round, facts } = loaded;
  if (!can(actor, "hostRound", { type: "round", round: facts }) || !can(actor, "curate")) {
    throw new ForbiddenError("Ergebnisse veröffentlichen die Gastgebenden aus der Moderation.");
  }
  if (round.status === "published") throw new InputError("form", "Das Ergebnis dieser Runde ist schon veröffentlicht.");
  if (round.status !== "closed")
    throw new InputError("form", "Schließe zuerst den Raum; dann kannst du das Ergebnis veröffentlichen.");
  const highlights = form.highlights.length
    ? await db()
        .select({ seq: roundEvents.seq, text: roundEvents.text, name: users.displayName })
        .from(roundEvents)
        .leftJoin(users, eq(users.id, roundEvents.authorId))
        .where(
          and(
            eq(roundEvents.roundId, roundId),
            eq(roundEvents.kind, "chat"),
            inArray(roundEvents.seq, form.highlights),
          ),
        )
        .orderBy(roundEvents.seq)
    : [];
  const markdown = [
    `*Dialogrunde vom ${formatDate(round.startsAt)}*`,
    form.notes,
    ...(highlights.length
      ? ["## Stimmen aus dem Chat", ...highlights.map((h) => quote(h.name ?? "Ein Mitglied", h.text))]
      : []),
  ].join("\n\n");
  const { id: materialId } = await createMaterial(actor, {
    type: "round_outcome",
    title: form.title,
    summary: form.summary || `Ergebnis der Dialogrunde „${round.title}“`,
    body: renderMarkdown(markdown),
    transcript: "",
    ilbStep: null,
    competenceArea: null,
    audience: null,
    tags: ["Dialogrunde"],
    source: "",
    licence: "",
    externalUrl: null,
    reviewDueAt: null,
    fileIds: [],
  });
  // Publishing opens the material's discussion thread (the discussions model's createThread) for follow-up.
  await setMaterialStatus(actor, materialId, "published");
  const [material] = await db()
    .select({ threadId: materials.discussionThreadId })
    .from(materials)
    .where(eq(materials.id, materialId));
  await db()
    .update(dialogueRounds)
    .set({
      status: "published",
      outcomeMaterialId: materialId,
      outcomeThreadId: material?.threadId ?? null,
      notes: form.notes,
    })
    .where(eq(dialogueRounds.id, roundId));
  const [registrants, watchers] = await Promise.all([
    db()
      .select({ userId: roundRegistrations.userId })
      .from(roundRegistrations)
      .where(and(eq(roundRegistrations.roundId, roundId), eq(roundRegistrations.status, "registered"))),
    db().select({ userId: roundWatches.userId }).from(roundWatches).where(eq(roundWatches.roundId, roundId)),
  ]);
  const recipients = [...new Set([...registrants, ...watchers].map((r) => r.userId))].filter((id) => id !== actor.id);
  await notifyRoundMembers(round, recipients, "round_outcome", { actorId: actor.id });
  return { materialId, threadId: material?.threadId ?? null };
}
