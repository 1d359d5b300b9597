/**
 * Numbers for the combinations of visibility and facet values that occur in the index (search_facet_sets, ADR 016).
 * Counting a common word then groups tens of thousands of matches by one integer, and decides visibility and facets
 * per group. Numbers are never reused or removed, so a process may keep what it has learnt.
 */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import type { SearchDocument } from "./engine.ts";

type FacetValues = Pick<SearchDocument, "visibility" | "kind" | "room" | "materialType" | "ilbStep" | "competenceArea" | "audience">;

const signature = (v: FacetValues) => JSON.stringify([v.visibility, v.kind, v.room, v.materialType, v.ilbStep, v.competenceArea, v.audience]);

export function createFacetSets(handle: DatabaseHandle) {
  const ids = new Map<string, number>();

  async function load() {
    const rows = await handle.rows<{ id: number } & Record<"visibility" | "kind" | "room" | "material_type" | "ilb_step" | "competence_area" | "audience", string | null>>(
      sql`SELECT id, visibility, kind, room, material_type, ilb_step, competence_area, audience FROM search_facet_sets`,
    );
    for (const r of rows) {
      const values = { visibility: r.visibility, kind: r.kind, room: r.room, materialType: r.material_type, ilbStep: r.ilb_step, competenceArea: r.competence_area, audience: r.audience };
      ids.set(signature(values as FacetValues), Number(r.id));
    }
  }

  /**
   * The number of each document's combination, creating the missing ones. Runs outside the caller's transaction on
   * purpose: a number remembered here must never belong to a row that was rolled back.
   */
  return async function facetSetIds(documents: FacetValues[]): Promise<number[]> {
    let missing = [...new Set(documents.map(signature))].filter((s) => !ids.has(s));
    if (missing.length) {
      await load();
      missing = missing.filter((s) => !ids.has(s));
    }
    if (missing.length) {
      const values = missing.map((s) => {
        const [visibility, kind, room, material_type, ilb_step, competence_area, audience] = JSON.parse(s) as (string | null)[];
        return { visibility, kind, room, material_type, ilb_step, competence_area, audience };
      });
      await handle.db.execute(sql`
        INSERT INTO search_facet_sets (visibility, kind, room, material_type, ilb_step, competence_area, audience)
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
          AS x(visibility text, kind text, room text, material_type text, ilb_step text, competence_area text, audience text)
        ON CONFLICT DO NOTHING`);
      await load();
    }
    return documents.map((d) => {
      const id = ids.get(signature(d));
      if (id === undefined) throw new Error(`search_facet_sets: keine Nummer für ${signature(d)}`);
      return id;
    });
  };
}
