/**
 * Every pattern that runs over text a member sends must take linear time: one request must not block the event loop.
 * Each input below is the worst case for a pattern this code used before (found with the recheck ReDoS checker),
 * 100 KB long; the quadratic versions took 30 to 80 seconds on them, the current ones take a few milliseconds.
 */
import { describe, expect, it } from "vitest";
import { checkAnonymity } from "../../app/domain/cases/anonymity.ts";
import { beyondLexerBounds, docFromMarkdown } from "../../app/domain/richtext/markdown.ts";
import { docToText } from "../../app/domain/richtext/text.ts";
import { paragraphsFromText } from "../../app/domain/richtext/text.ts";
import { docToMarkdown } from "../../app/domain/richtext/toMarkdown.ts";
import { safeFileName } from "../../app/domain/library/sniff.ts";
import { normalizeHref } from "../../app/components/editor/LinkForm.tsx";
import { icsText } from "../../app/domain/rounds/ics.ts";

const N = 100_000;
/** Generous for a shared CI machine; a quadratic pattern on 100 KB needs seconds, not milliseconds. */
const BUDGET_MS = 150;

function timed(run: () => unknown): number {
  run(); // once to compile, so the measurement is the pattern and not the first JIT pass
  const start = performance.now();
  run();
  return performance.now() - start;
}

const spaces = " ".repeat(N);
const adversarial: [string, string][] = [
  ["letters without an @ (e-mail)", "a".repeat(N)],
  ["address characters without an @ (e-mail)", ".".repeat(N) + "-.AA"],
  ["many @ without a domain (e-mail)", "a@".repeat(N / 2)],
  ["a dotted domain that never ends in letters (e-mail)", "a@" + ".a".repeat(N / 2)],
  ["a number word and spaces (case number)", "Az." + "\t".repeat(N) + "!"],
  ["a number word, a colon and spaces (case number)", "Kundennummer:" + spaces + "!"],
  ["zeros and separators (phone)", "0 ".repeat(N / 2)],
  ["separators without enough digits (phone)", ("0" + " ".repeat(16_666)).repeat(6) + "x"],
  ["a long digit run ending in a letter (customer number)", "1".repeat(N) + "a"],
  ["a title and spaces (name)", "Frau" + spaces + "x"],
  ["a capitalised word and spaces (name)", "Anna" + spaces + "x"],
  ["one long capitalised word (name)", "A" + "a".repeat(N)],
  ["dates everywhere (birth date)", "1.1.1990 ".repeat(N / 9)],
  ["first names everywhere (name)", "Anna Schmidt Thomas ".repeat(N / 20)],
];

describe("anonymisation check on hostile text", () => {
  it.each(adversarial)("%s: linear", (_name, text) => {
    expect(text.length).toBeGreaterThanOrEqual(N - 20);
    expect(timed(() => checkAnonymity(text))).toBeLessThan(BUDGET_MS);
  });

  it("still finds what it should after a long run of spaces", () => {
    const text = `${spaces}Kundennummer:   ${spaces}123A456789 und anna@example.org ${spaces}Frau   Nowak`;
    const findings = checkAnonymity(text).map((f) => `${f.kind}:${f.match}`);
    expect(findings).toEqual(expect.arrayContaining(["email:anna@example.org", "name:Frau   Nowak"]));
    expect(findings.some((f) => f.startsWith("caseNumber:") && f.endsWith("123A456789"))).toBe(true);
  });

  it("stops collecting at 50 hints (a pasted list must not cost seconds or flood the page)", () => {
    const list = Array.from({ length: 5000 }, (_, i) => `kontakt${i}@example.org`).join(" ");
    expect(checkAnonymity(list)).toHaveLength(50);
  });
});

describe("rich text, file names, links and calendar text on hostile input", () => {
  const trailing = "a" + spaces + "a";
  it.each([
    ["paragraphs from plain text", () => paragraphsFromText(trailing)],
    // The posting limit is 50,000 characters; with `breaks: true` marked needed 12 s for this one.
    ["Markdown to a document", () => docFromMarkdown("a" + " ".repeat(50_000) + "a")],
    ["Markdown with spaces before a mark", () => docFromMarkdown(`**a${" ".repeat(50_000)}**b`)],
    [
      "a document back to Markdown",
      () =>
        docToMarkdown({
          type: "doc",
          content: [
            {
              type: "paragraph",
              content: [
                { type: "text", text: `a${spaces}`, marks: [{ type: "bold" }] },
                { type: "text", text: "b" },
              ],
            },
          ],
        }),
    ],
    ["a file name of dots and spaces", () => safeFileName(". ".repeat(N / 2) + "x" + " .".repeat(N / 2))],
    ["a link target with many dots after the @", () => normalizeHref("a@" + ".a".repeat(N / 2) + ".@")],
    ["a calendar text full of control characters", () => icsText("\r\n\\;,".repeat(N / 5))],
  ] as [string, () => unknown][])("%s: linear", (_name, run) => {
    expect(timed(run)).toBeLessThan(BUDGET_MS);
  });

  it("keeps the meaning of the rewritten patterns", () => {
    expect(paragraphsFromText("\n\nHallo   \n\nWelt \t")).toEqual([
      { type: "paragraph", content: [{ type: "text", text: "Hallo" }] },
      { type: "paragraph", content: [{ type: "text", text: "Welt" }] },
    ]);
    expect(safeFileName("..bericht. . .", "pdf")).toBe("bericht.pdf");
    expect(normalizeHref("anna@example.org")).toBe("mailto:anna@example.org");
    expect(normalizeHref("anna@.org") ?? "").not.toMatch(/^mailto:/);
    expect(normalizeHref("anna@example.") ?? "").not.toMatch(/^mailto:/);
  });
});

describe("Markdown the lexer would need seconds for is kept as typed", () => {
  const lines = (line: string, n: number) => Array.from({ length: n }, () => line).join("\n");
  // Each took marked 1.5 to 7.7 s at the 50,000-character limit; past the bounds the text stays plain.
  it.each([
    ["an autolink followed by 50,000 dots", "http://a" + ".".repeat(49_990)],
    ["25,000 nested quotes on one line", "> ".repeat(24_990) + "x"],
    ["16,000 nested numbered lists on one line", "1. ".repeat(16_000) + "x"],
    ["25,000 nested bullets on one line", "- ".repeat(24_990) + "x"],
    ["300 levels of indented lists", Array.from({ length: 300 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n")],
  ])("%s", (_name, text) => {
    expect(beyondLexerBounds(text)).toBe(true);
    expect(timed(() => docFromMarkdown(text))).toBeLessThan(BUDGET_MS);
    expect(docToText(docFromMarkdown(text))).toContain(text.slice(-8).trim());
  });

  it("real posts are still read as Markdown: lists, quotes, rules, headings and links", () => {
    const post = [
      "## Ablauf",
      "",
      "1. Ankommen",
      "   - Namensrunde",
      "     - mit Ball",
      "> Ein Zitat",
      "> > mit Antwort",
      "",
      "------------------------------------------------------------",
      "Mehr unter https://www.arbeitsagentur.de/bildung/lernbegleitung?quelle=netzwerk&seite=2",
    ].join("\n");
    expect(beyondLexerBounds(post)).toBe(false);
    const json = JSON.stringify(docFromMarkdown(post));
    for (const type of ["heading", "orderedList", "bulletList", "blockquote", "link"])
      expect(json).toContain(`"type":"${type}"`);
    expect(beyondLexerBounds(lines("- ".repeat(12) + "x", 10))).toBe(false);
    expect(beyondLexerBounds(lines("- ".repeat(13) + "x", 10))).toBe(true);
  });
});
