import { z } from "./zod.ts";
import { parseBerlinLocal } from "../domain/time.ts";
import { parseAgendaLines } from "../domain/rounds/agenda.ts";
import { QUESTION_MAX_CHARS } from "../domain/rounds/types.ts";

const berlinTime = (message: string) =>
  z.string({ error: message }).transform((v, ctx) => {
    const read = parseBerlinLocal(v);
    if (!read.ok) {
      // The hour the clocks skip in spring gets its own message; anything else the field's.
      ctx.addIssue({ code: "custom", message: read.skipped ? read.message : message });
      return z.NEVER;
    }
    return read.at;
  });

/** The form moderators fill in to schedule a round. Times are Berlin wall-clock times from datetime-local fields. */
export const roundFormSchema = z
  .object({
    title: z
      .string({ error: "Bitte gib einen Titel ein." })
      .trim()
      .min(3, "Der Titel braucht mindestens 3 Zeichen.")
      .max(160, "Der Titel darf höchstens 160 Zeichen lang sein."),
    description: z.string().trim().max(5000, "Die Beschreibung darf höchstens 5000 Zeichen lang sein.").default(""),
    startsAt: berlinTime("Bitte gib Datum und Uhrzeit des Beginns an."),
    endsAt: berlinTime("Bitte gib Datum und Uhrzeit des Endes an."),
    registrationDeadline: berlinTime("Bitte gib an, bis wann man sich anmelden kann."),
    capacity: z.coerce
      .number({ error: "Bitte gib die Zahl der Plätze an." })
      .int("Die Zahl der Plätze muss eine ganze Zahl sein.")
      .min(2, "Eine Dialogrunde braucht mindestens 2 Plätze.")
      .max(500, "Höchstens 500 Plätze."),
    conferenceUrl: z
      .string()
      .trim()
      .max(2000)
      .default("")
      .refine((v) => v === "" || /^https:\/\/[^\s]+$/i.test(v), "Der Konferenzlink muss mit https:// beginnen.")
      .transform((v) => (v ? v : null)),
    /** A checkbox: present ("on") when ticked. */
    orientation: z
      .string()
      .optional()
      .transform((v) => v === "on"),
    hosts: z
      .string()
      .default("")
      .transform((v) => [
        ...new Set(
          v
            .split(/[\s,;]+/)
            .map((h) => h.replace(/^@/, "").trim().toLowerCase())
            .filter(Boolean),
        ),
      ])
      .refine((list) => list.length <= 5, "Höchstens 5 Gastgebende."),
    agenda: z
      .string()
      .default("")
      .transform((v) => parseAgendaLines(v))
      .refine((items) => items.length <= 20, "Höchstens 20 Tagesordnungspunkte.")
      .refine(
        (items) => items.every((i) => i.length <= 200),
        "Ein Tagesordnungspunkt darf höchstens 200 Zeichen lang sein.",
      ),
  })
  .superRefine((v, ctx) => {
    if (v.endsAt <= v.startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Das Ende muss nach dem Beginn liegen." });
    else if (v.endsAt.getTime() - v.startsAt.getTime() > 8 * 3600_000)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Eine Dialogrunde dauert höchstens 8 Stunden." });
    if (v.registrationDeadline > v.startsAt) {
      ctx.addIssue({
        code: "custom",
        path: ["registrationDeadline"],
        message: "Der Anmeldeschluss muss vor dem Beginn liegen.",
      });
    }
  });

export type RoundForm = z.infer<typeof roundFormSchema>;

export const questionSchema = z.object({
  text: z
    .string({ error: "Bitte schreib deine Frage." })
    .trim()
    .min(5, "Die Frage braucht mindestens 5 Zeichen.")
    .max(QUESTION_MAX_CHARS, `Die Frage darf höchstens ${QUESTION_MAX_CHARS} Zeichen lang sein.`),
});

export const outcomeSchema = z.object({
  title: z
    .string({ error: "Bitte gib einen Titel ein." })
    .trim()
    .min(3, "Der Titel braucht mindestens 3 Zeichen.")
    .max(160, "Der Titel darf höchstens 160 Zeichen lang sein."),
  summary: z.string().trim().max(500, "Die Kurzbeschreibung darf höchstens 500 Zeichen lang sein.").default(""),
  notes: z
    .string({ error: "Bitte fasse das Ergebnis zusammen." })
    .trim()
    .min(10, "Bitte fasse das Ergebnis in mindestens 10 Zeichen zusammen.")
    .max(50_000, "Das Ergebnis ist zu lang."),
  highlights: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n) && n > 0),
    )
    .refine((l) => l.length <= 50, "Höchstens 50 Chat-Beiträge."),
});
export type OutcomeForm = z.infer<typeof outcomeSchema>;

export const roundsPageSchema = z.object({ seite: z.coerce.number().int().min(1).max(10_000).catch(1) });
