import { z } from "./zod.ts";
import { searchKinds, timeRanges, SEARCH_MAX_PAGE, SEARCH_PAGE_SIZE } from "../domain/search.ts";
import { materialTypes } from "../domain/library/types.ts";
import { audiences, competenceAreas, ilbSteps } from "../domain/taxonomy.ts";

/** A filter value that is not one of the known keys is ignored, as a link with a stale value should still work. */
const oneOf = (values: readonly string[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v && values.includes(v) ? v : undefined));

/**
 * Search parameters from a URL (page, combobox and JSON API share them). Anything odd is tolerated rather than
 * refused: an overlong query is cut, unknown filters are dropped, pages are clamped.
 */
export const searchParamsSchema = z
  .object({
    q: z
      .string()
      .optional()
      .transform((v) => (v ?? "").replace(/\0/g, "").slice(0, 500).trim()),
    type: oneOf(searchKinds),
    materialType: oneOf(materialTypes),
    ilbStep: oneOf(Object.keys(ilbSteps)),
    competenceArea: oneOf(Object.keys(competenceAreas)),
    audience: oneOf(Object.keys(audiences)),
    room: z
      .string()
      .optional()
      .transform((v) => (v && /^[a-z0-9-]{1,60}$/.test(v) ? v : undefined)),
    time: oneOf(timeRanges),
    sort: z
      .string()
      .optional()
      .transform((v) => (v === "datum" ? ("date" as const) : ("relevance" as const))),
    page: z
      .string()
      .optional()
      .transform((v) => {
        const n = Number.parseInt(v ?? "1", 10);
        return Number.isFinite(n) ? Math.min(Math.max(n, 1), SEARCH_MAX_PAGE) : 1;
      }),
    limit: z
      .string()
      .optional()
      .transform((v) => {
        const n = Number.parseInt(v ?? "", 10);
        return Number.isFinite(n) ? Math.min(Math.max(n, 1), SEARCH_PAGE_SIZE) : SEARCH_PAGE_SIZE;
      }),
  })
  .transform((p) => ({
    q: p.q,
    filters: {
      kind: p.type as (typeof searchKinds)[number] | undefined,
      materialType: p.materialType,
      ilbStep: p.ilbStep,
      competenceArea: p.competenceArea,
      audience: p.audience,
      room: p.room,
      time: p.time as (typeof timeRanges)[number] | undefined,
    },
    sort: p.sort,
    page: p.page,
    perPage: p.limit,
  }));

export type SearchParams = z.infer<typeof searchParamsSchema>;

export function parseSearchParams(url: URL): SearchParams {
  return searchParamsSchema.parse(Object.fromEntries(url.searchParams));
}

/** A synonym group as moderators type it: "iLB, individuelle Lernbegleitung". */
export const synonymSchema = z.object({
  id: z
    .uuid()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  terms: z
    .string({ error: "Bitte gib mindestens zwei Begriffe ein." })
    .max(600, "Höchstens 600 Zeichen.")
    .transform((v) => [
      ...new Set(
        v
          .split(/[,;\n]/)
          .map((t) => t.replace(/\s+/g, " ").trim())
          .filter(Boolean),
      ),
    ])
    .refine(
      (terms) => terms.length >= 2,
      "Bitte gib mindestens zwei gleichbedeutende Begriffe ein, durch Kommas getrennt.",
    )
    .refine((terms) => terms.length <= 10, "Höchstens 10 Begriffe in einer Gruppe.")
    .refine((terms) => terms.every((t) => t.length <= 60), "Ein Begriff darf höchstens 60 Zeichen lang sein.")
    .refine(
      (terms) => terms.every((t) => /[\p{L}\p{N}]/u.test(t)),
      "Jeder Begriff braucht mindestens einen Buchstaben oder eine Ziffer.",
    ),
});
export type SynonymInput = z.infer<typeof synonymSchema>;
