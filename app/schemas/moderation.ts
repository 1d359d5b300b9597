import { z } from "./zod.ts";

/** The address part of a page (/themen/…, /materialien/themenpakete/…). */
const slug = (max: number) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .min(3, "Die Adresse braucht mindestens 3 Zeichen.")
    .max(max, `Die Adresse darf höchstens ${max} Zeichen lang sein.`)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Erlaubt sind Kleinbuchstaben ohne Umlaute, Ziffern und Bindestriche.");

const description = z.string().trim().max(400, "Die Beschreibung darf höchstens 400 Zeichen lang sein.").default("");

export const categorySchema = z.object({
  name: z.string().trim().min(3, "Der Name braucht mindestens 3 Zeichen.").max(80, "Der Name darf höchstens 80 Zeichen lang sein."),
  slug: slug(40),
  description,
});

export const collectionSchema = z.object({
  title: z.string().trim().min(3, "Der Titel braucht mindestens 3 Zeichen.").max(120, "Der Titel darf höchstens 120 Zeichen lang sein."),
  slug: slug(60),
  description,
});
