import { z } from "./zod.ts";
import { TAGS_MAX } from "../domain/discussions/types.ts";

/** One key of a taxonomy map, or nothing ("" from an empty select). */
export const optionalKey = (map: Record<string, string>, message: string) =>
  z
    .union([z.enum(Object.keys(map) as [string, ...string[]]), z.literal("")], { error: message })
    .optional()
    .transform((v) => (v ? v : null));

/**
 * Free topic tags typed as "a, b; #c": trimmed, kept as typed ("eAkte" stays "eAkte"), unique regardless of case (the
 * first spelling wins), at most TAGS_MAX of at most 40 characters. Lists and filters compare them without case.
 */
export const tagList = z
  .string()
  .max(300, "Zu viele Schlagwörter.")
  .optional()
  .transform((v, ctx) => {
    const typed = (v ?? "")
      .split(/[,;]/)
      .map((t) => t.trim().replace(/^#/, "").trim())
      .filter(Boolean);
    const seen = new Set<string>();
    const tags = typed.filter((t) => !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
    if (tags.length > TAGS_MAX) ctx.addIssue({ code: "custom", message: `Höchstens ${TAGS_MAX} Schlagwörter.` });
    if (tags.some((t) => t.length > 40))
      ctx.addIssue({ code: "custom", message: "Ein Schlagwort darf höchstens 40 Zeichen lang sein." });
    return tags;
  });
