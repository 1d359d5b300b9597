import { z } from "./zod.ts";
import { legalDomains, PASSWORD_MIN_LENGTH, roles } from "../domain/accounts.ts";

export { legalDomainLabels, legalDomains, PASSWORD_MIN_LENGTH, roleLabels, roles } from "../domain/accounts.ts";

const email = z
  .string({ error: "Bitte gib deine E-Mail-Adresse ein." })
  .trim()
  .toLowerCase()
  .min(1, "Bitte gib deine E-Mail-Adresse ein.")
  .max(254, "Die E-Mail-Adresse ist zu lang.")
  .pipe(z.email({ error: "Das ist keine gültige E-Mail-Adresse." }));

const newPassword = z
  .string({ error: "Bitte wähle ein Passwort." })
  .min(PASSWORD_MIN_LENGTH, `Das Passwort muss mindestens ${PASSWORD_MIN_LENGTH} Zeichen lang sein.`)
  .max(200, "Das Passwort darf höchstens 200 Zeichen lang sein.");

export const displayName = z
  .string({ error: "Bitte gib deinen Namen ein." })
  .trim()
  .min(2, "Der Name muss mindestens 2 Zeichen lang sein.")
  .max(80, "Der Name darf höchstens 80 Zeichen lang sein.");

export const handle = z
  .string({ error: "Bitte wähle einen Kurznamen." })
  .trim()
  .toLowerCase()
  .min(3, "Der Kurzname muss mindestens 3 Zeichen lang sein.")
  .max(30, "Der Kurzname darf höchstens 30 Zeichen lang sein.")
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    "Erlaubt sind Kleinbuchstaben ohne Umlaute, Ziffern, - und _ (am Anfang ein Buchstabe oder eine Ziffer).",
  );

export const loginSchema = z.object({
  email,
  password: z.string({ error: "Bitte gib dein Passwort ein." }).min(1, "Bitte gib dein Passwort ein.").max(200),
  redirectTo: z.string().optional(),
});

export const registrationSchema = z.object({
  displayName,
  handle,
  email,
  password: newPassword,
});

export const invitationAcceptSchema = registrationSchema;

export const invitationCreateSchema = z.object({
  role: z.enum(roles, { error: "Bitte wähle eine Rolle." }).default("member"),
  note: z.string().trim().max(200, "Die Notiz darf höchstens 200 Zeichen lang sein.").default(""),
});

const optionalText = (max: number, label: string) =>
  z.string().trim().max(max, `${label} darf höchstens ${max} Zeichen lang sein.`).default("");

export const EXPERTISE_MAX_TAGS = 10;

/** "Moderation, eAkte; Lernlandkarte" → ["Moderation", "eAkte", "Lernlandkarte"]: trimmed, duplicates (any case) dropped. */
export function expertiseTags(input: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of input.split(/[,;\n]/)) {
    const tag = raw.trim().replace(/^#+/, "").replace(/\s+/g, " ").trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  return tags;
}

export const profileSchema = z.object({
  displayName,
  handle,
  roleText: optionalText(120, "Die Funktion"),
  legalDomain: z
    .union([z.enum(legalDomains), z.literal("")], { error: "Bitte wähle einen Rechtskreis aus der Liste." })
    .default("")
    .transform((v) => (v === "" ? null : v)),
  region: optionalText(80, "Die Region"),
  bio: optionalText(1000, "Die Kurzvorstellung"),
  expertise: z
    .string()
    .default("")
    .transform((v) => expertiseTags(v))
    .refine((tags) => tags.length <= EXPERTISE_MAX_TAGS, `Bitte nenne höchstens ${EXPERTISE_MAX_TAGS} Themen.`)
    .refine((tags) => tags.every((t) => t.length <= 40), "Ein Thema darf höchstens 40 Zeichen lang sein."),
  /** A checkbox: present ("on") when ticked. */
  listed: z
    .string()
    .optional()
    .transform((v) => v === "on"),
});

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, "Bitte gib dein bisheriges Passwort ein."),
  newPassword,
});

export type ProfileInput = z.infer<typeof profileSchema>;
