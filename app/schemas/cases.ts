import { z } from "./zod.ts";
import {
  ASYNC_DAYS_MAX,
  ASYNC_DAYS_MIN,
  caseMethods,
  caseModes,
  GROUP_MAX,
  GROUP_MIN,
} from "../domain/cases/phases.ts";
import { contributionKinds } from "../domain/cases/gating.ts";

export const TOPIC_MAX = 80;
export const CASE_TEXT_MAX = 4000;
export const KEY_QUESTION_MAX = 500;
export const CONTRIBUTION_MAX = 4000;

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `Bitte fülle das Feld „${label}“ aus.` })
    .trim()
    .min(min, min <= 1 ? `Bitte fülle das Feld „${label}“ aus.` : `„${label}“ braucht mindestens ${min} Zeichen.`)
    .max(max, `„${label}“ darf höchstens ${max.toLocaleString("de-DE")} Zeichen lang sein.`);

const checked = (message: string) => z.literal("on", { error: message });

/** "2026-11-24T14:30" as typed into a datetime-local field, read as German local time. */
const localDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

export const caseRequestSchema = z
  .object({
    topic: text("Thema", 5, TOPIC_MAX),
    situation: text("Situation", 20, CASE_TEXT_MAX),
    tried: text("Was du schon versucht hast", 5, CASE_TEXT_MAX),
    keyQuestion: text("Schlüsselfrage (Entwurf)", 10, KEY_QUESTION_MAX),
    mode: z.enum(caseModes, { error: "Bitte wähle, ob ihr live oder asynchron beratet." }),
    scheduledAt: z.string().max(16, "Bitte gib Datum und Uhrzeit der Live-Beratung an.").default(""),
    asyncDays: z.string().max(3, `Bitte wähle ${ASYNC_DAYS_MIN} bis ${ASYNC_DAYS_MAX} Tage.`).default(""),
    groupSize: z.coerce
      .number({ error: `Die Gruppe hat ${GROUP_MIN} bis ${GROUP_MAX} Personen.` })
      .int(`Die Gruppe hat ${GROUP_MIN} bis ${GROUP_MAX} Personen.`)
      .min(GROUP_MIN, `Die Gruppe hat ${GROUP_MIN} bis ${GROUP_MAX} Personen.`)
      .max(GROUP_MAX, `Die Gruppe hat ${GROUP_MIN} bis ${GROUP_MAX} Personen.`),
    seatsOpen: z
      .literal("on")
      .optional()
      .transform((v) => v === "on"),
    noNames: checked("Bitte bestätige: keine Namen."),
    noOffice: checked("Bitte bestätige: keine Dienststelle."),
    noClientData: checked("Bitte bestätige: keine Daten von Kundinnen und Kunden."),
    hintsReviewed: z
      .literal("on")
      .optional()
      .transform((v) => v === "on"),
  })
  .superRefine((v, ctx) => {
    if (v.mode === "live" && !localDateTime.test(v.scheduledAt)) {
      ctx.addIssue({
        code: "custom",
        path: ["scheduledAt"],
        message: "Bitte gib Datum und Uhrzeit der Live-Beratung an.",
      });
    }
    if (v.mode === "async") {
      const days = Number(v.asyncDays);
      if (!Number.isInteger(days) || days < ASYNC_DAYS_MIN || days > ASYNC_DAYS_MAX) {
        ctx.addIssue({
          code: "custom",
          path: ["asyncDays"],
          message: `Bitte wähle ${ASYNC_DAYS_MIN} bis ${ASYNC_DAYS_MAX} Tage.`,
        });
      }
    }
  });

export type CaseRequestForm = z.infer<typeof caseRequestSchema>;

export const contributionSchema = z.object({
  kind: z.enum(contributionKinds, { error: "Unbekannte Art von Beitrag." }),
  prompt: z.string().max(40).optional(),
  body: text("Beitrag", 1, CONTRIBUTION_MAX),
});

export const methodSchema = z.object({
  method: z.enum(caseMethods, { error: "Bitte wähle eine Methode aus der Liste." }),
});

export const inviteSchema = z.object({
  handle: z
    .string({ error: "Bitte gib einen Kurznamen ein." })
    .trim()
    .min(1, "Bitte gib einen Kurznamen ein.")
    .max(60)
    .transform((v) => v.replace(/^@/, "").toLowerCase()),
});

export const roleSchema = z.object({
  userId: z.uuid({ error: "Unbekannte Person." }),
  role: z.enum(["moderation", "consultant", "notes", "timekeeper"], { error: "Bitte wähle eine Rolle aus der Liste." }),
});

export const takeawaySchema = z.object({ takeaway: text("Meine Erkenntnis", 0, CASE_TEXT_MAX).or(z.literal("")) });

export const learningSchema = z.object({
  learningTitle: text("Titel", 5, 120),
  learningText: text("Erkenntnis", 30, CASE_TEXT_MAX),
  target: z.enum(["best_practice", "practice_example"], { error: "Bitte wähle, wo die Erkenntnis erscheinen soll." }),
  category: z.string().max(80).default(""),
  credit: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
  approve: z.literal("on", { error: "Bitte bestätige, dass die Erkenntnis veröffentlicht werden darf." }).optional(),
});
