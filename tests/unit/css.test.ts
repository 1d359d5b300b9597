/** The CSS check that npm test and the build run: real parsers, every problem reported with its place. */
import { describe, expect, test } from "vitest";
import { checkCss, checkCssFiles, formatProblems } from "../../scripts/check-css.ts";

describe("checkCss", () => {
  test("an @media block that is never closed is an error, with the line it opens on", async () => {
    // The defect that once made ~90 rules apply only on wide screens (issue 17).
    const css = ".a { color: red; }\n@media (min-width: 68rem) {\n  .b { display: grid; }\n\n.c { display: flex; }\n";
    const problems = await checkCss(css, "fixture.css");
    expect(problems.map((p) => p.message)).toContain("PostCSS: Unclosed block");
    expect(problems.find((p) => p.message.startsWith("PostCSS"))).toMatchObject({ file: "fixture.css", line: 2 });
    expect(problems.some((p) => p.message === 'esbuild: Expected "}" to go with "{"')).toBe(true);
  });

  test("a stray closing brace, a missing colon and an unclosed bracket are errors too", async () => {
    expect(await checkCss(".a { color: red; } }\n")).not.toEqual([]);
    expect(await checkCss(".a { color red }\n")).not.toEqual([]);
    expect(await checkCss(".a:is(.b { color: red }\n")).not.toEqual([]);
  });

  test("valid CSS with nested at-rules and modern selectors passes", async () => {
    const css =
      "@media (min-width: 48rem) {\n  @supports selector(::details-content) {\n    details::details-content { content-visibility: visible; }\n  }\n}\n.a:has(> b) { color: red; }\n";
    expect(await checkCss(css)).toEqual([]);
  });
});

test("every stylesheet of the app parses without an error or warning", async () => {
  const problems = await checkCssFiles();
  expect(formatProblems(problems)).toBe("");
});
