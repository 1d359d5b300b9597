/**
 * Everything in the Meilisearch engine (search/meilisearch.ts) that runs without a server: the stemmer, the query and
 * filter text, the settings, the document mapping, the multi-search it sends and how answers become the contract's
 * result. The engine against a real server: tests/db/search-contract.test.ts when MEILISEARCH_URL is set.
 */
import { describe, expect, it } from "vitest";
import type { SearchDocument, SearchRequest } from "../../search/engine.ts";
import {
  filterFor,
  germanStem,
  indexSettings,
  meiliQuery,
  searchQueries,
  synonymSettings,
  toMeiliDocument,
  toMeiliId,
  toResult,
} from "../../search/meilisearch.ts";
import { parseQuery } from "../../search/query.ts";

const now = new Date("2026-12-07T12:00:00Z");
const nowSeconds = now.getTime() / 1000;
const DAY = 86_400;
const groups = [["Lernbegleitung", "ILB"]];

function request(overrides: Partial<SearchRequest> = {}): SearchRequest {
  return {
    q: "Kompass",
    filters: {},
    sort: "relevance",
    page: 1,
    perPage: 20,
    visibilities: ["members"],
    now,
    ...overrides,
  };
}

function doc(overrides: Partial<SearchDocument> = {}): SearchDocument {
  return {
    key: "thread:0f6b7c1e-0000-4000-8000-000000000001",
    kind: "thread",
    refId: "0f6b7c1e-0000-4000-8000-000000000001",
    visibility: "members",
    title: "Individuelle Lernbegleitung",
    lead: "",
    body: "Wir nutzen den Lernkompass.",
    extra: "",
    url: "/diskussionen/0f6b7c1e-0000-4000-8000-000000000001",
    room: "praxis",
    materialType: null,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    answered: true,
    boost: 1,
    freshUntil: null,
    date: new Date("2026-12-01T10:00:00Z"),
    ...overrides,
  };
}

describe("germanStem", () => {
  it("removes German inflection on folded words", () => {
    expect(germanStem("individuellen")).toBe("individuell");
    expect(germanStem("kompetenzen")).toBe("kompetenz");
    expect(germanStem("ergebnisse")).toBe("ergebnis");
    expect(germanStem("lernbegleitung")).toBe("lernbegleit");
  });

  it("applies Snowball's second deletion in step 3 (-lichkeit, -enheit, -erlich)", () => {
    expect(germanStem("gelegenheiten")).toBe("geleg");
    expect(germanStem("unterschiedlichkeit")).toBe("unterschied");
    expect(germanStem("sicherlich")).toBe("sich");
  });

  it("keeps short words, words with digits and stems that would get too short", () => {
    expect(germanStem("haus")).toBe("haus");
    expect(germanStem("ilb")).toBe("ilb");
    expect(germanStem("1234abc")).toBe("1234abc");
    expect(germanStem("essen")).toBe("essen"); // "ess" would be under PREFIX_MIN_LENGTH
  });
});

describe("ids, query and filter text", () => {
  it("maps document keys to Meilisearch ids", () => {
    expect(toMeiliId("thread:abc-1")).toBe("thread-abc-1");
  });

  it("sends stems, exclusions first and quoted, phrases quoted, synonym clauses as typed", () => {
    expect(meiliQuery(parseQuery("individuellen Lernbegleiterinnen -Prüfung", groups), "all")).toBe(
      '-"pruefung" individuell lernbegleiterinn',
    );
    expect(meiliQuery(parseQuery('"individuelle Lernbegleitung" Kompass', groups), "all")).toBe(
      '"individuell lernbegleit" kompass',
    );
    expect(meiliQuery(parseQuery("ILB Material", groups), "all")).toBe("ilb material");
  });

  it("leaves exclusions out of 'similar' queries (any word may match there)", () => {
    expect(meiliQuery(parseQuery("individuellen Lernbegleiterinnen -Prüfung", groups), "similar")).toBe(
      "individuell lernbegleiterinn",
    );
  });

  it("filters by visibility, facets (quoted, escaped) and time range", () => {
    expect(filterFor(request({ visibilities: ["members", "moderators"] }), now)).toEqual([
      'visibility IN ["members", "moderators"]',
    ]);
    expect(filterFor(request({ filters: { kind: "material", room: 'Ein "Raum" \\ x', time: "7t" } }), now)).toEqual([
      'visibility IN ["members"]',
      'kind = "material"',
      'room = "Ein \\"Raum\\" \\\\ x"',
      `date >= ${nowSeconds - 7 * DAY}`,
    ]);
  });

  it("limits 'similar' to materials, rounds and answered threads", () => {
    expect(filterFor(request({ mode: "similar" }), now).at(-1)).toBe(
      "(kind IN [material, round] OR (kind = thread AND answered = true))",
    );
  });
});

describe("settings", () => {
  it("maps every synonym term to the others, as stems, and puts their words in the dictionary", () => {
    expect(synonymSettings(groups)).toEqual({
      synonyms: { lernbegleit: ["ilb"], ilb: ["lernbegleit"] },
      dictionary: ["ilb", "lernbegleit"],
    });
    expect(synonymSettings([["Haus"]])).toEqual({ synonyms: {}, dictionary: ["haus"] });
  });

  it("searches stems and prefixes of each text, German, with typos only on stems", () => {
    const settings = indexSettings(groups);
    expect(settings.searchableAttributes).toEqual([
      "s_title",
      "p_title",
      "s_lead",
      "p_lead",
      "s_body",
      "p_body",
      "s_extra",
      "p_extra",
    ]);
    expect(settings.localizedAttributes).toEqual([
      { attributePatterns: settings.searchableAttributes, locales: ["deu"] },
    ]);
    expect(settings.typoTolerance).toEqual({ disableOnAttributes: ["p_title", "p_lead", "p_body", "p_extra"] });
    expect(settings.filterableAttributes).toEqual([
      "visibility",
      "kind",
      "materialType",
      "ilbStep",
      "competenceArea",
      "audience",
      "room",
      "answered",
      "date",
    ]);
    expect(settings.rankingRules?.slice(0, 2)).toEqual(["words", "sort"]);
    expect(settings.synonyms).toEqual({ lernbegleit: ["ilb"], ilb: ["lernbegleit"] });
  });
});

describe("documents", () => {
  it("keeps the facts, stems and prefixes of each text, the date in seconds and the boost as score", () => {
    const d = toMeiliDocument(doc(), "2026-12-07");
    expect(d).toMatchObject({
      id: "thread-0f6b7c1e-0000-4000-8000-000000000001",
      kind: "thread",
      visibility: "members",
      room: "praxis",
      answered: true,
      text: "Wir nutzen den Lernkompass.",
      date: new Date("2026-12-01T10:00:00Z").getTime() / 1000,
      score: 1,
      s_title: "individuell lernbegleit",
      s_body: "wir nutz den lernkompass.",
    });
    expect(String(d.p_body).split(" ")).toEqual(expect.arrayContaining(["lern", "lernkomp", "lernkompas", "nutz"]));
    expect(String(d.p_body).split(" ")).not.toContain("lernkompass"); // whole words are matched by s_*, not prefixes
  });

  it("does not search a reply's title (it is its thread's) but still shows it", () => {
    const d = toMeiliDocument(doc({ kind: "reply", key: "reply:r1" }), "2026-12-07");
    expect(d.title).toBe("Individuelle Lernbegleitung");
    expect(d.s_title).toBe("");
    expect(d.p_title).toBe("");
  });

  it("raises the score of fresh documents until their day has passed", () => {
    expect(toMeiliDocument(doc({ boost: 2, freshUntil: "2026-12-07" }), "2026-12-07").score).toBeCloseTo(2.4);
    expect(toMeiliDocument(doc({ boost: 2, freshUntil: "2026-12-06" }), "2026-12-07").score).toBe(2);
  });

  it("cuts very long texts", () => {
    const d = toMeiliDocument(doc({ body: "x".repeat(70_000), extra: "y".repeat(300_000) }), "2026-12-07");
    expect(String(d.s_body).length).toBe(60_000);
    expect(String(d.s_extra).length).toBe(200_000);
    expect(String(d.text).length).toBe(260_000);
  });
});

describe("the multi-search and its result", () => {
  const query = parseQuery("Kompass", groups);

  it("asks for one page with facets, then one count per time range", () => {
    const queries = searchQueries("search_documents", request({ page: 2, perPage: 10, sort: "date" }), query, now);
    expect(queries).toHaveLength(4);
    expect(queries[0]).toMatchObject({
      indexUid: "search_documents",
      q: "kompass",
      locales: ["deu"],
      matchingStrategy: "all",
      page: 2,
      hitsPerPage: 10,
      sort: ["date:desc", "id:asc"],
    });
    expect(queries[0].facets).toEqual(["kind", "materialType", "ilbStep", "competenceArea", "audience", "room"]);
    expect(queries.slice(1).map((q) => [q.hitsPerPage, (q.filter as string[]).at(-1)])).toEqual([
      [0, `date >= ${nowSeconds - 7 * DAY}`],
      [0, `date >= ${nowSeconds - 30 * DAY}`],
      [0, `date >= ${nowSeconds - 365 * DAY}`],
    ]);
  });

  it("asks 'similar' once, without facets, dropping frequent words first", () => {
    const queries = searchQueries("i", request({ mode: "similar" }), query, now);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ matchingStrategy: "frequency" });
    expect(queries[0].facets).toBeUndefined();
    expect(queries[0].sort).toBeUndefined();
  });

  it("turns the answers into hits with snippets, facet counts and the time facet", () => {
    const date = new Date("2026-12-01T10:00:00Z").getTime() / 1000;
    const main = {
      hits: [
        {
          kind: "thread" as const,
          refId: "t1",
          title: "Der <Kompass>",
          url: "/diskussionen/t1",
          text: "Wir nutzen den Kompass & mehr.",
          date,
        },
      ],
      totalHits: 1,
      facetDistribution: { kind: { thread: 1, material: 0 }, room: { praxis: 1 } },
    };
    const result = toResult(
      main,
      [
        { hits: [], totalHits: 1 },
        { hits: [], totalHits: 0 },
        { hits: [], totalHits: 1 },
      ],
      query,
    );
    expect(result.total).toBe(1);
    expect(result.didYouMean).toBeNull();
    expect(result.facets.kind).toEqual({ thread: 1 });
    expect(result.facets.room).toEqual({ praxis: 1 });
    expect(result.facets.time).toEqual({ "7t": 1, "12m": 1 });
    expect(result.hits).toEqual([
      {
        type: "thread",
        id: "t1",
        title: "Der <Kompass>",
        url: "/diskussionen/t1",
        snippet: "Wir nutzen den <mark>Kompass</mark> &amp; mehr.",
        date: "2026-12-01T10:00:00.000Z",
      },
    ]);
  });
});
