import { describe, expect, it } from "vitest";
import { correctedText, fold, parseQuery, positiveWords, MAX_CLAUSES } from "../../search/query.ts";
import { toTsquery } from "../../search/postgres.ts";
import { buildSnippet } from "../../search/snippet.ts";
import { pgArray } from "../../search/sql.ts";
import { retryDelaySeconds } from "../../search/indexer.ts";

const synonyms = [
  ["iLB", "individuelle Lernbegleitung"],
  ["SGB II", "Sozialgesetzbuch II"],
  ["SGB III", "Arbeitsförderung"],
];

describe("folding German spelling", () => {
  it("writes umlauts and ß the ASCII way and drops other accents", () => {
    expect(fold("Überlastung")).toBe("ueberlastung");
    expect(fold("Führungskräfte Größe")).toBe("fuehrungskraefte groesse");
    expect(fold("Café Señora")).toBe("cafe senora");
  });
});

describe("parsing a query", () => {
  it("keeps plain words as correctable clauses", () => {
    const q = parseQuery("Lernbegleiter Überlastung");
    expect(q.clauses.map((c) => [c.alternatives, c.negated, c.correctable])).toEqual([
      [[["lernbegleiter"]], false, true],
      [[["ueberlastung"]], false, true],
    ]);
    expect(q.empty).toBe(false);
  });

  it("reads phrases, exclusions and unbalanced quotes", () => {
    const q = parseQuery('"kollegiale Fallberatung" -live "offen bis zum Ende');
    expect(q.clauses.map((c) => [c.alternatives, c.negated])).toEqual([
      [[["kollegiale", "fallberatung"]], false],
      [[["live"]], true],
      [[["offen", "bis", "zum", "ende"]], false],
    ]);
    expect(parseQuery('-"nur das"').empty).toBe(true);
  });

  it("expands synonyms, longest match first", () => {
    const ilb = parseQuery("iLB Start", synonyms);
    expect(ilb.clauses[0].alternatives).toEqual([["ilb"], ["individuelle", "lernbegleitung"]]);
    expect(ilb.clauses[0].correctable).toBe(false);
    const sgb3 = parseQuery("SGB III Zugang", synonyms);
    expect(sgb3.clauses[0].alternatives).toEqual([["sgb", "iii"], ["arbeitsfoerderung"]]);
    expect(sgb3.clauses[1].alternatives).toEqual([["zugang"]]);
    expect(parseQuery("individuelle Lernbegleitung", synonyms).clauses).toHaveLength(1);
  });

  it("survives operators, SQL, emoji, null bytes and huge input", () => {
    for (const input of [
      "& | ! :* ( ) <->",
      "'; DROP TABLE users; --",
      "🙂🙂",
      "a\0b",
      "x".repeat(10_000),
      '"""',
      "-",
      "- -",
    ]) {
      const q = parseQuery(input);
      for (const c of q.clauses)
        for (const alt of c.alternatives) for (const w of alt) expect(w).toMatch(/^[a-z0-9]+$/);
    }
    expect(parseQuery("& | ! :*").empty).toBe(true);
    expect(parseQuery(Array.from({ length: 30 }, (_, i) => `wort${i}`).join(" ")).clauses).toHaveLength(MAX_CLAUSES);
  });

  it("rebuilds the query with corrections for „Meintest du …?“", () => {
    const q = parseQuery('Fallberatnug "lokaler Verbund" -live');
    // Written as the member wrote the word (the word list is lower-case).
    expect(correctedText(q, new Map([[0, "fallberatung"]]))).toBe('Fallberatung "lokaler Verbund" -live');
    expect(correctedText(parseQuery("fallberatnug"), new Map([[0, "fallberatung"]]))).toBe("fallberatung");
    expect(correctedText(parseQuery("FALLBERATNUG"), new Map([[0, "fallberatung"]]))).toBe("FALLBERATUNG");
    expect(positiveWords(q)).toEqual(["fallberatnug", "lokaler", "verbund"]);
  });
});

describe("the PostgreSQL query text", () => {
  // As to_tsvector('german', word) gives them; "im" and "und" are stop words.
  const stems = new Map(
    Object.entries({
      lernbegleiter: ["lernbegleit"],
      lernbegleiterinnen: ["lernbegleiterin"],
      lb: ["lb"],
      lokaler: ["lokal"],
      verbund: ["verbund"],
      live: ["liv"],
      qv: ["qv"],
      ilb: ["ilb"],
      individuelle: ["individuell"],
      lernbegleitung: ["lernbegleit"],
      zeit: ["zeit"],
      schuetzen: ["schutz"],
      heute: ["heut"],
      kollegiale: ["kollegial"],
      fallberatung: ["fallberat"],
      team: ["team"],
      im: [],
      und: [],
    }),
  );

  it("prefix-expands longer words, matches two-word phrases by their word pair and negates exclusions", () => {
    expect(toTsquery(parseQuery('Lernbegleiter "lokaler Verbund" -live qv'), "all", stems)).toBe(
      "('lernbegleit':*) & ('~p:lokal_verbund':*) & !('liv':*) & ('qv')",
    );
    expect(toTsquery(parseQuery("iLB", synonyms), "all", stems)).toBe("(('ilb') | ('~p:individuell_lernbegleit':*))");
    expect(toTsquery(parseQuery("Zeit schützen -heute"), "similar", stems)).toBe("('zeit':*) | ('schutz':*)");
  });

  it("leaves out synonyms that a shorter prefix already finds", () => {
    const groups = [["LB", "Lernbegleiter", "Lernbegleiterinnen", "Lernbegleitung"]];
    expect(toTsquery(parseQuery("LB", groups), "all", stems)).toBe("(('lb') | ('lernbegleit':*))");
    expect(toTsquery(parseQuery("Lernbegleiterinnen"), "all", stems)).toBe("('lernbegleiterin':*)");
  });

  it("checks positions for longer phrases and across stop words, and drops clauses of stop words only", () => {
    expect(toTsquery(parseQuery('"kollegiale Fallberatung Team"'), "all", stems)).toBe(
      "('~p:kollegial_fallberat' & '~p:fallberat_team':* & ('kollegial':* <1> 'fallberat':* <1> 'team':*))",
    );
    expect(toTsquery(parseQuery('"Fallberatung im Team"'), "all", stems)).toBe("('fallberat':* <2> 'team':*)");
    expect(toTsquery(parseQuery('"im Team"'), "all", stems)).toBe("('team':*)");
    expect(toTsquery(parseQuery("Team und -im"), "all", stems)).toBe("('team':*)");
    expect(toTsquery(parseQuery("und im"), "all", stems)).toBeNull();
    expect(toTsquery(parseQuery("und -team"), "all", stems)).toBeNull();
  });
});

describe("snippets", () => {
  it("highlights matching words in the original spelling and escapes HTML", () => {
    const snippet = buildSnippet(["<b>Achtung</b>: Überlastung im Team & mehr"], ["uberlast"]);
    expect(snippet).toBe("&lt;b&gt;Achtung&lt;/b&gt;: <mark>Überlastung</mark> im Team &amp; mehr");
  });

  it("cuts long texts around the first match", () => {
    const text = `${"Vorher ".repeat(60)}Die Lernlandkarte hilft. ${"Nachher ".repeat(60)}`;
    const snippet = buildSnippet([text], ["lernlandkart"]);
    expect(snippet.startsWith("… ")).toBe(true);
    expect(snippet.endsWith(" …")).toBe(true);
    expect(snippet).toContain("<mark>Lernlandkarte</mark>");
    expect(snippet.length).toBeLessThan(300);
  });

  it("shows the passage with the most words of the query, not tags that hold one of them", () => {
    const text = `Das Lerntagebuch kurz vorgestellt. ${"Einleitung ohne Bezug. ".repeat(20)}Ein Lerntagebuch hilft beim Transfer in den Alltag.`;
    // The PostgreSQL engine passes a document's tags after its text (search_texts.body).
    const snippet = buildSnippet(
      [`${text}\n\ntransfer lerntagebuch reflexion Kompetenzteam`],
      ["lerntagebuch", "transf"],
    );
    expect(snippet).toContain("Ein <mark>Lerntagebuch</mark> hilft beim <mark>Transfer</mark>");
    expect(snippet).not.toContain("<mark>Lerntagebuch</mark> kurz vorgestellt");
  });

  it("matches short words only exactly", () => {
    expect(buildSnippet(["QV und QVs"], ["qv"])).toBe("<mark>QV</mark> und QVs");
  });
});

describe("small pieces", () => {
  it("writes array literals that PostgreSQL reads back exactly", () => {
    expect(pgArray(["a", 'b"c', "d\\e", "x,y"])).toBe('{"a","b\\"c","d\\\\e","x,y"}');
  });

  it("backs off retries up to ten minutes", () => {
    expect([1, 2, 5, 20].map(retryDelaySeconds)).toEqual([5, 20, 125, 600]);
  });
});
