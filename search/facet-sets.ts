/**
 * Numbers for the combinations of visibility and facet values that occur in the index (search_facet_sets, ADR 016).
 * Counting a common word then groups tens of thousands of matches by one integer; visibility and facets are decided
 * per group, here, from what this process has learnt. Numbers are never reused or removed, so what a process once
 * read stays right, and a number it does not know yet sends it back to the table.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import type { SearchDocument } from "./engine.ts";

export type FacetValues = Pick<
  SearchDocument,
  "visibility" | "kind" | "room" | "materialType" | "ilbStep" | "competenceArea" | "audience"
>;

/** Runs a statement: the handle's own, or a transaction's (PGlite would wait for itself otherwise). */
type Rows = <T>(statement: SQL) => Promise<T[]>;

const signature = (v: FacetValues) =>
  JSON.stringify([v.visibility, v.kind, v.room, v.materialType, v.ilbStep, v.competenceArea, v.audience]);

export function createFacetSets(handle: DatabaseHandle) {
  const ids = new Map<string, number>();
  const byId = new Map<number, FacetValues>();
  const ownRows: Rows = (statement) => handle.rows(statement);

  async function load(rows: Rows) {
    type Row = { id: number } & Record<
      "visibility" | "kind" | "room" | "material_type" | "ilb_step" | "competence_area" | "audience",
      string | null
    >;
    const found = await rows<Row>(
      sql`SELECT id, visibility, kind, room, material_type, ilb_step, competence_area, audience FROM search_facet_sets`,
    );
    for (const r of found) {
      const values = {
        visibility: r.visibility,
        kind: r.kind,
        room: r.room,
        materialType: r.material_type,
        ilbStep: r.ilb_step,
        competenceArea: r.competence_area,
        audience: r.audience,
      } as FacetValues;
      ids.set(signature(values), Number(r.id));
      byId.set(Number(r.id), values);
    }
  }

  return {
    /**
     * The number of each document's combination, creating the missing ones. Runs outside the caller's transaction
     * on purpose: a number remembered here must never belong to a row that was rolled back.
     */
    async idsFor(documents: FacetValues[]): Promise<number[]> {
      let missing = [...new Set(documents.map(signature))].filter((s) => !ids.has(s));
      if (missing.length) {
        await load(ownRows);
        missing = missing.filter((s) => !ids.has(s));
      }
      if (missing.length) {
        const values = missing.map((s) => {
          const [visibility, kind, room, material_type, ilb_step, competence_area, audience] = JSON.parse(s) as (
            string | null
          )[];
          return { visibility, kind, room, material_type, ilb_step, competence_area, audience };
        });
        await handle.db.execute(sql`
          INSERT INTO search_facet_sets (visibility, kind, room, material_type, ilb_step, competence_area, audience)
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
            AS x(visibility text, kind text, room text, material_type text, ilb_step text, competence_area text, audience text)
          ON CONFLICT DO NOTHING`);
        await load(ownRows);
      }
      return documents.map((d) => {
        const id = ids.get(signature(d));
        if (id === undefined) throw new Error(`search_facet_sets: keine Nummer für ${signature(d)}`);
        return id;
      });
    },

    /** The values behind numbers found in the index. */
    async valuesOf(numbers: number[], rows: Rows = ownRows): Promise<Map<number, FacetValues>> {
      if (numbers.some((n) => !byId.has(n))) await load(rows);
      const out = new Map<number, FacetValues>();
      for (const n of numbers) {
        const values = byId.get(n);
        if (!values) throw new Error(`search_facet_sets: Nummer ${n} fehlt`);
        out.set(n, values);
      }
      return out;
    },
  };
}
