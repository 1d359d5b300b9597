import { z } from "./zod.ts";
import { isCalendarDay } from "./values.ts";
import { optionalKey, tagList } from "./taxonomy.ts";
import {
  librarySorts,
  materialTypes,
  SUMMARY_MAX,
  TRANSCRIPT_MAX,
  type LibrarySort,
  type MaterialType,
} from "../domain/library/types.ts";
import { audiences, competenceAreas, ilbSteps } from "../domain/taxonomy.ts";
import { TITLE_MAX } from "../domain/discussions/types.ts";

export const materialFormSchema = z.object({
  type: z.enum(materialTypes, { error: "Bitte wähle eine Materialart." }),
  title: z
    .string({ error: "Bitte gib einen Titel ein." })
    .trim()
    .min(3, "Der Titel braucht mindestens 3 Zeichen.")
    .max(TITLE_MAX, `Der Titel darf höchstens ${TITLE_MAX} Zeichen lang sein.`),
  summary: z
    .string()
    .trim()
    .max(SUMMARY_MAX, `Die Kurzbeschreibung darf höchstens ${SUMMARY_MAX} Zeichen lang sein.`)
    .default(""),
  transcript: z
    .string()
    .max(TRANSCRIPT_MAX, "Das Transkript ist zu lang.")
    .default("")
    .transform((v) => v.trim()),
  ilbStep: optionalKey(ilbSteps, "Bitte wähle einen iLB-Schritt aus der Liste."),
  competenceArea: optionalKey(competenceAreas, "Bitte wähle einen Kompetenzbereich aus der Liste."),
  audience: optionalKey(audiences, "Bitte wähle eine Zielgruppe aus der Liste."),
  tags: tagList,
  source: z.string().trim().max(200, "Die Quelle darf höchstens 200 Zeichen lang sein.").default(""),
  licence: z.string().trim().max(120, "Die Lizenz darf höchstens 120 Zeichen lang sein.").default(""),
  externalUrl: z
    .string()
    .trim()
    .max(2000)
    .default("")
    .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "Der Link muss mit http:// oder https:// beginnen.")
    .transform((v) => (v ? v : null)),
  reviewDueAt: z
    .string()
    .default("")
    .refine((v) => v === "" || isCalendarDay(v), "Bitte gib ein gültiges Datum an (TT.MM.JJJJ).")
    .transform((v) => (v ? v : null)),
  fileIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean))
    .refine((ids) => ids.length <= 10, "Höchstens 10 Dateien je Material.")
    .refine((ids) => ids.every((id) => /^[0-9a-f-]{36}$/.test(id)), "Unbekannte Datei."),
});

export type MaterialForm = z.infer<typeof materialFormSchema>;

export const libraryQuerySchema = z.object({
  art: z.enum(materialTypes).optional().catch(undefined),
  schritt: z
    .enum(Object.keys(ilbSteps) as [string, ...string[]])
    .optional()
    .catch(undefined),
  bereich: z
    .enum(Object.keys(competenceAreas) as [string, ...string[]])
    .optional()
    .catch(undefined),
  zielgruppe: z
    .enum(Object.keys(audiences) as [string, ...string[]])
    .optional()
    .catch(undefined),
  thema: z.string().max(40).optional().catch(undefined),
  sortierung: z.enum(Object.keys(librarySorts) as ["neu", "titel"]).catch("neu"),
  seite: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export interface LibraryQuery {
  type?: MaterialType;
  ilbStep?: string;
  competenceArea?: string;
  audience?: string;
  tag?: string;
  sort: LibrarySort;
  page: number;
}

export function parseLibraryQuery(url: URL): LibraryQuery {
  const q = libraryQuerySchema.parse(Object.fromEntries(url.searchParams));
  return {
    type: q.art,
    ilbStep: q.schritt,
    competenceArea: q.bereich,
    audience: q.zielgruppe,
    tag: q.thema,
    sort: q.sortierung,
    page: q.seite,
  };
}
