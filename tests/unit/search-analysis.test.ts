import { describe, expect, it } from "vitest";
import { analyse, decompose, relaxedSets, type Vocabulary } from "../../search/analysis.ts";
import { parseQuery } from "../../search/query.ts";

/** A vocabulary as the index's word list would give it: these words, each in `docs` documents. */
function vocabulary(words: Record<string, number>, compounds: Record<string, string[]> = {}, total = 1000): Vocabulary {
  const docs = new Map<string, number>();
  for (const [word, n] of Object.entries(words)) {
    for (let i = 1; i <= word.length; i++) docs.set(word.slice(0, i), (docs.get(word.slice(0, i)) ?? 0) + n);
  }
  return { total, docs, exact: new Set(Object.keys(words)), compounds: new Map(Object.entries(compounds)) };
}

describe("query analysis", () => {
  it("lets question words decide nothing, unless nothing else is left", () => {
    const v = vocabulary({ lernbegleitung: 50, zeit: 300 });
    const a = analyse(parseQuery("Wie viel Zeit gibt es für Lernbegleitung"), v);
    expect(a.clauses.filter((c) => c.decisive).map((c) => c.clause.typed)).toEqual(["Zeit", "Lernbegleitung"]);
    const only = analyse(parseQuery("Wie viel gibt es"), v);
    expect(only.clauses.every((c) => c.decisive)).toBe(true);
  });

  it("drops the engine's stop words from what decides", () => {
    const a = analyse(parseQuery("Akte der Lernenden"), vocabulary({ akte: 3, lernenden: 9 }), (w) => w === "der");
    expect(a.clauses.map((c) => c.clause.typed)).toEqual(["Akte", "Lernenden"]);
  });

  it("weighs rare words more than common ones", () => {
    const a = analyse(parseQuery("Zugriffszahlen Netzwerk"), vocabulary({ zugriffszahlen: 2, netzwerk: 400 }));
    expect(a.clauses[0].weight).toBeGreaterThan(a.clauses[1].weight * 3);
  });

  it("treats the hyphenated and the joined spelling as one word", () => {
    const a = analyse(parseQuery("E-Akte"), vocabulary({}));
    expect(a.clauses[0].clause.alternatives).toEqual([["e", "akte"]]);
    expect(a.clauses[0].variants).toEqual([{ words: ["eakte"], phrase: true }]);
  });

  it("splits a joined compound into parts the index knows, and finds compounds that end with a word", () => {
    const v = vocabulary(
      { online: 20, sprechstunden: 3, lernen: 80, therapie: 2, lerntherapie: 1 },
      { therapie: ["lerntherapie"] },
    );
    expect(decompose("onlinesprechstunde", v)).toEqual([["online", "sprechstunde"]]);
    expect(decompose("lerntherapie", v)).toEqual([["lern", "therapie"]]);
    // A head must be a word or a word's stem, not merely the start of one.
    expect(decompose("lernbegleitung", vocabulary({ lernbegleitung: 9, leitung: 9 }))).toEqual([]);
    const a = analyse(parseQuery("Therapie"), v);
    expect(a.clauses[0].variants).toEqual([{ words: ["lerntherapie"], phrase: true }]);
  });

  it("relaxes to half of the clauses, or to the words worth half of the weight", () => {
    const sets = relaxedSets([
      { weight: 5, decisive: true },
      { weight: 1, decisive: true },
      { weight: 1, decisive: true },
      { weight: 1, decisive: true },
    ]);
    expect(sets).toContainEqual([0]);
    expect(sets).toContainEqual([1, 2]);
    expect(sets.every((s) => s.length <= 2)).toBe(true);
    expect(relaxedSets([{ weight: 1, decisive: true }])).toEqual([]);
  });
});
