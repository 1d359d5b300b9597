/**
 * The numbers of facet-value combinations (ADR 016): one per combination, the same for every process that asks, and
 * made once even when two processes ask at the same moment.
 */
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { engine as dbEngine, useTestDatabase } from "../setup/db.ts";
import { createFacetSets } from "../../search/facet-sets.ts";
import type { SearchDocument } from "../../search/engine.ts";

const { handle } = useTestDatabase();

type Values = Pick<
  SearchDocument,
  "visibility" | "kind" | "room" | "materialType" | "ilbStep" | "competenceArea" | "audience"
>;
const none = { room: null, materialType: null, ilbStep: null, competenceArea: null, audience: null };
const reply: Values = { ...none, visibility: "members", kind: "reply", room: "austausch" };
const hiddenReply: Values = { ...reply, visibility: "moderators" };
const material: Values = {
  ...none,
  visibility: "members",
  kind: "material",
  materialType: "one_pager",
  ilbStep: "lernbedarf",
};

describe(`search facet sets on ${dbEngine}`, () => {
  it("numbers each combination once, with NULL as a value of its own, and every process learns the same numbers", async () => {
    const first = createFacetSets(handle());
    const ids = await first.idsFor([reply, material, reply, hiddenReply, { ...reply, room: null }]);
    expect(ids[0]).toBe(ids[2]);
    expect(new Set(ids).size).toBe(4);

    // A second process (its own memory) gets the same numbers and creates nothing new.
    const second = createFacetSets(handle());
    expect(await second.idsFor([hiddenReply, material, reply])).toEqual([ids[3], ids[1], ids[0]]);
    const [{ n }] = await handle().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM search_facet_sets`);
    expect(Number(n)).toBe(4);

    const [row] = await handle().rows<Record<string, string | null>>(
      sql`SELECT * FROM search_facet_sets WHERE id = ${ids[1]}`,
    );
    expect(row).toMatchObject({
      visibility: "members",
      kind: "material",
      material_type: "one_pager",
      ilb_step: "lernbedarf",
      room: null,
    });

    // A number made by another process after this one last looked is read from the table.
    const [late] = await second.idsFor([{ ...material, audience: "neue" }]);
    const values = await first.valuesOf([late, ids[3]]);
    expect(values.get(late)).toEqual({ ...material, audience: "neue" });
    expect(values.get(ids[3])).toEqual(hiddenReply);
    await expect(first.valuesOf([late + 1000])).rejects.toThrow(/fehlt/);
  });

  it("makes a new combination once when two processes ask for it at the same time", async () => {
    const podcast: Values = { ...material, materialType: "podcast", audience: "neue" };
    const [a, b] = await Promise.all([
      createFacetSets(handle()).idsFor([podcast]),
      createFacetSets(handle()).idsFor([podcast]),
    ]);
    expect(a).toEqual(b);
    const [{ n }] = await handle().rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM search_facet_sets WHERE material_type = 'podcast'`,
    );
    expect(Number(n)).toBe(1);
  });
});
