import { z } from "./zod.ts";
import { legalDomains } from "../domain/accounts.ts";

/** The directory's address parameters; anything unusable falls back to "no filter" rather than an error page. */
const directoryQuerySchema = z.object({
  q: z.string().trim().max(100).catch(""),
  region: z.string().trim().max(80).catch(""),
  rechtskreis: z.enum(legalDomains).optional().catch(undefined),
  thema: z.string().trim().max(40).catch(""),
  seite: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export function parseDirectoryQuery(url: URL) {
  const q = directoryQuerySchema.parse({
    q: url.searchParams.get("q") ?? "",
    region: url.searchParams.get("region") ?? "",
    rechtskreis: url.searchParams.get("rechtskreis") || undefined,
    thema: url.searchParams.get("thema") ?? "",
    seite: url.searchParams.get("seite") ?? 1,
  });
  return { q: q.q, region: q.region, legalDomain: q.rechtskreis ?? null, topic: q.thema, page: q.seite };
}
