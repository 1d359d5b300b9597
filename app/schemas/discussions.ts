import { z } from "./zod.ts";
import { optionalKey, tagList } from "./taxonomy.ts";
import { sortOrders, threadTypes, TITLE_MAX } from "../domain/discussions/types.ts";

export { TITLE_MAX } from "../domain/discussions/types.ts";
import { audiences, competenceAreas, ilbSteps, legalDomainTags } from "../domain/taxonomy.ts";

export const threadFormSchema = z.object({
  title: z
    .string({ error: "Bitte gib einen Titel ein." })
    .trim()
    .min(1, "Bitte gib einen Titel ein.")
    .min(5, "Der Titel braucht mindestens 5 Zeichen.")
    .max(TITLE_MAX, `Der Titel darf höchstens ${TITLE_MAX} Zeichen lang sein.`),
  category: z.string({ error: "Bitte wähle einen Themenraum." }).min(1, "Bitte wähle einen Themenraum."),
  type: z.enum(threadTypes, { error: "Bitte wähle, was für ein Beitrag das ist." }),
  anonymous: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
  ilbStep: optionalKey(ilbSteps, "Bitte wähle einen iLB-Schritt aus der Liste."),
  competenceArea: optionalKey(competenceAreas, "Bitte wähle einen Kompetenzbereich aus der Liste."),
  audience: optionalKey(audiences, "Bitte wähle eine Zielgruppe aus der Liste."),
  legalDomain: optionalKey(legalDomainTags, "Bitte wähle einen Rechtskreis aus der Liste."),
  tags: tagList,
});

export const listQuerySchema = z.object({
  sortierung: z
    .enum(Object.keys(sortOrders) as [keyof typeof sortOrders, ...(keyof typeof sortOrders)[]])
    .catch("aktiv"),
  seite: z.coerce.number().int().min(1).max(10_000).catch(1),
  art: z.enum(threadTypes).optional().catch(undefined),
  schlagwort: z.string().max(40).optional().catch(undefined),
});

export const titleSchema = threadFormSchema.shape.title;

export function parseListQuery(url: URL) {
  const q = listQuerySchema.parse(Object.fromEntries(url.searchParams));
  return { sort: q.sortierung, page: q.seite, type: q.art, tag: q.schlagwort };
}
