/**
 * The PostgreSQL engine with more than 1 000 matches, where only candidates are ranked (the best head matches and
 * the newest matches, ADR 009 and 016): counts and facets stay exact, titles still win, excluded words stay out,
 * and moderators-only documents stay invisible to members.
 */
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { engine as dbEngine, useTestDatabase } from "../setup/db.ts";
import { createPostgresEngine } from "../../search/postgres.ts";
import type { SearchDocument, SearchRequest } from "../../search/engine.ts";

const { handle } = useTestDatabase();
const now = new Date("2026-11-21T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

function doc(kind: SearchDocument["kind"], values: Partial<SearchDocument>): SearchDocument {
  const refId = randomUUID();
  return {
    key: `${kind}:${refId}`,
    kind,
    refId,
    visibility: "members",
    title: "",
    lead: "",
    body: "",
    extra: "",
    url: `/x/${refId}`,
    room: kind === "reply" ? "austausch" : null,
    materialType: null,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    answered: false,
    boost: 1,
    freshUntil: null,
    date: daysAgo(100),
    ...values,
  };
}

describe(`search with many matches on ${dbEngine}`, () => {
  it("counts exactly, ranks a title match first and keeps excluded words and hidden documents out", async () => {
    const engine = createPostgresEngine(handle());
    const replies = Array.from({ length: 1200 }, (_, i) =>
      doc("reply", {
        title: "Austausch",
        body: `Beitrag ${i} über Lernbegleitung im Alltag und die Woche.`,
        date: daysAgo(200 + (i % 300)),
      }),
    );
    const titled = doc("material", {
      title: "Lernbegleitung kompakt",
      lead: "Der Leitfaden für den Einstieg.",
      body: "Was ein Lernbegleiter wissen sollte.",
      materialType: "guide",
      date: daysAgo(400),
    });
    // Its lead matches, so it is a head candidate; its body names the excluded word.
    const excluded = doc("material", {
      title: "Gesprächsleitfaden",
      lead: "Lernbegleitung im Gespräch.",
      body: "Mit einer Checkliste für das Telefon.",
      materialType: "one_pager",
      date: daysAgo(400),
    });
    const hidden = doc("material", {
      title: "Lernbegleitung intern",
      visibility: "moderators",
      materialType: "guide",
      date: daysAgo(1),
    });
    await engine.upsert([...replies, titled, excluded, hidden]);

    const find = (q: string, extra: Partial<SearchRequest> = {}) =>
      engine.search({
        q,
        filters: {},
        sort: "relevance",
        page: 1,
        perPage: 20,
        visibilities: ["members"],
        now,
        ...extra,
      });

    const all = await find("Lernbegleitung");
    expect(all.total).toBe(1202);
    expect(all.facets.kind).toEqual({ reply: 1200, material: 2 });
    expect(all.facets.materialType).toEqual({ guide: 1, one_pager: 1 });
    expect(all.facets.room).toEqual({ austausch: 1200 });
    expect(all.hits[0].id).toBe(titled.refId);
    expect(all.hits.map((h) => h.id)).not.toContain(hidden.refId);

    const withoutPhone = await find("Lernbegleitung -Telefon");
    expect(withoutPhone.total).toBe(1201);
    expect(withoutPhone.hits.map((h) => h.id)).not.toContain(excluded.refId);
    expect(withoutPhone.hits[0].id).toBe(titled.refId);

    const moderators = await find("Lernbegleitung", { visibilities: ["members", "moderators"] });
    expect(moderators.total).toBe(1203);
    expect(moderators.facets.materialType).toEqual({ guide: 2, one_pager: 1 });
    expect(moderators.facets.time).toEqual({
      "7t": 1,
      "30t": 1,
      "12m": 1 + replies.filter((r) => r.date >= daysAgo(365)).length,
    });

    const guides = await find("Lernbegleitung", { filters: { materialType: "guide" } });
    expect(guides.total).toBe(1);
    expect(guides.facets.materialType).toEqual({ guide: 1 });
  });
});
