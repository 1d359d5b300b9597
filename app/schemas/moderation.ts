import { z } from "./zod.ts";
import { calendarDay } from "./values.ts";
import { roles } from "../domain/accounts.ts";
import { auditKinds, auditSubjectTypes, type AuditKind } from "../domain/audit.ts";

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
  name: z
    .string()
    .trim()
    .min(3, "Der Name braucht mindestens 3 Zeichen.")
    .max(80, "Der Name darf höchstens 80 Zeichen lang sein."),
  slug: slug(40),
  description,
});

export const collectionSchema = z.object({
  title: z
    .string()
    .trim()
    .min(3, "Der Titel braucht mindestens 3 Zeichen.")
    .max(120, "Der Titel darf höchstens 120 Zeichen lang sein."),
  slug: slug(60),
  description,
});

const page = z.coerce.number().int().min(1).max(10_000).catch(1);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
/** A day from a date input; anything else is ignored rather than refused (a filter, not a form to correct). */
const day = calendarDay.optional().catch(undefined);

/** The desk's member list: search, role, status and page from the address (lenient: a bad value means "all"). */
export const memberDeskQuerySchema = z.object({
  q: z.string().trim().max(100).catch("").default(""),
  rolle: z.enum(roles).optional().catch(undefined),
  status: z.enum(["active", "deactivated"]).optional().catch(undefined),
  seite: page,
});

export const memberChangeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), userId: uuid, role: z.enum(roles, { error: "Bitte wähle eine Rolle." }) }),
  z.object({ intent: z.literal("deactivate"), userId: uuid }),
  z.object({ intent: z.literal("reactivate"), userId: uuid }),
]);

/** The audit log's filters; dates are whole days in German time, both ends included. */
export const auditQuerySchema = z.object({
  art: z
    .enum(Object.keys(auditKinds) as [AuditKind, ...AuditKind[]])
    .optional()
    .catch(undefined),
  wer: uuid.optional().catch(undefined),
  betrifft: z
    .enum(Object.keys(auditSubjectTypes) as [string, ...string[]])
    .optional()
    .catch(undefined),
  von: day,
  bis: day,
  seite: page,
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const siteSettingsSchema = z.object({
  siteName: z
    .string({ error: "Bitte gib einen Namen ein." })
    .trim()
    .min(3, "Der Name braucht mindestens 3 Zeichen.")
    .max(80, "Der Name darf höchstens 80 Zeichen lang sein."),
  welcomeText: z.string().trim().max(2000, "Der Willkommenstext darf höchstens 2000 Zeichen lang sein.").default(""),
  // A checkbox sends "on" when ticked and nothing otherwise.
  openRegistration: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
  // Named as owner in the podcast feed; directories such as Apple Podcasts write to it. Empty: the sender address.
  contactEmail: z
    .string()
    .trim()
    .max(254, "Die E-Mail-Adresse ist zu lang.")
    .refine(
      (v) => v === "" || z.email().safeParse(v).success,
      "Bitte gib eine gültige E-Mail-Adresse ein oder lass das Feld leer.",
    )
    .optional(),
});
export type SiteSettingsInput = z.infer<typeof siteSettingsSchema>;
