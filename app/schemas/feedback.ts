import { z } from "./zod.ts";

/** The accessibility feedback form: a description is needed, everything else is optional. */
export const accessibilityFeedbackSchema = z.object({
  message: z
    .string({ error: "Bitte beschreibe kurz, was nicht barrierefrei ist." })
    .trim()
    .min(10, "Bitte beschreibe kurz, was nicht barrierefrei ist (mindestens 10 Zeichen).")
    .max(4000, "Bitte fasse dich kürzer (höchstens 4.000 Zeichen)."),
  page: z.string().trim().max(300, "Die Seitenangabe darf höchstens 300 Zeichen lang sein.").default(""),
  name: z.string().trim().max(100, "Der Name darf höchstens 100 Zeichen lang sein.").default(""),
  contact: z
    .string()
    .trim()
    .max(200, "Die E-Mail-Adresse darf höchstens 200 Zeichen lang sein.")
    .refine(
      (v) => v === "" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
      "Bitte gib eine gültige E-Mail-Adresse ein oder lass das Feld leer.",
    )
    .default(""),
});

export type AccessibilityFeedbackInput = z.infer<typeof accessibilityFeedbackSchema>;
