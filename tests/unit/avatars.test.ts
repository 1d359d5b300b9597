import fs from "node:fs";
import postcss from "postcss";
import { describe, expect, it } from "vitest";
import {
  AVATAR_COLOURS,
  AVATAR_TEXT_COLOUR,
  colourIndex,
  contrastRatio,
  initials,
  squareCrop,
  cleanCrop,
} from "../../app/domain/avatars/avatars.ts";
import { avatarHtml } from "../../app/components/discussions/threadHtml.ts";

describe("initials", () => {
  it("takes the first letters of the first and last word", () => {
    expect(initials("Sevgi Schneider")).toBe("SS");
    expect(initials("Anna-Lena Müller")).toBe("AM");
    expect(initials("Dr. Özlem Yıldız")).toBe("DY");
    expect(initials("  thomas   becker ")).toBe("TB");
    expect(initials("mitglied")).toBe("M");
    expect(initials("Jean-Luc de la Cruz")).toBe("JC");
  });
  it("keeps letters whole and never returns nothing", () => {
    expect(initials("Łukasz Ćwik")).toBe("ŁĆ");
    // A letter with a combining accent is one character on screen and stays whole.
    expect(initials("e\u0301mile zola")).toBe("E\u0301Z");
    expect(initials("42")).toBe("4");
    expect(initials("   ")).toBe("–");
    expect(initials("<script>")).toBe("<");
  });
});

describe("initials colours", () => {
  it("every colour reaches 4.5:1 with the text colour (WCAG 2.1 AA)", () => {
    for (const colour of AVATAR_COLOURS)
      expect(contrastRatio(colour, AVATAR_TEXT_COLOUR), colour).toBeGreaterThanOrEqual(4.5);
  });

  it("the contrast formula gives the known values", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrastRatio("#777777", "#ffffff")).toBeLessThan(4.5);
  });

  it("the stylesheet uses exactly these colours, each on white text", () => {
    const root = postcss.parse(fs.readFileSync("app/styles/avatars.css", "utf8"));
    const found: Record<number, { background?: string; color?: string }> = {};
    // The stylesheet may write a colour short (#fff, as stylelint prefers); compare the long form.
    const long = (v: string) => v.toLowerCase().replace(/^#([0-9a-f])([0-9a-f])([0-9a-f])$/, "#$1$1$2$2$3$3");
    root.walkRules(/\.avatar--c\d+/, (rule) => {
      const n = Number(/\.avatar--c(\d+)/.exec(rule.selector)![1]);
      found[n] = {};
      rule.walkDecls((d) => {
        if (d.prop === "background" || d.prop === "background-color") found[n].background = long(d.value);
        if (d.prop === "color") found[n].color = long(d.value);
      });
    });
    expect(
      Object.keys(found)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(AVATAR_COLOURS.map((_, i) => i));
    for (const [i, colour] of AVATAR_COLOURS.entries()) {
      expect(found[i]).toEqual({ background: colour, color: AVATAR_TEXT_COLOUR });
      expect(contrastRatio(found[i].background!, found[i].color!)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("a member keeps their colour, and members spread over all colours", () => {
    // Fixed values: the colour depends on the id alone (not on the process, the name or the order of a list).
    expect(colourIndex("3f2a1c9e-7b4d-4e21-9a0b-5c6d7e8f9012")).toBe(0);
    expect(colourIndex("00000000-0000-4000-8000-000000000001")).toBe(2);
    const used = new Set<number>();
    for (let i = 0; i < 400; i++) used.add(colourIndex(`00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`));
    expect(used.size).toBe(AVATAR_COLOURS.length);
  });
});

describe("the square", () => {
  it("is the largest centred square at zoom 1", () => {
    expect(squareCrop(1000, 600, { x: 0.5, y: 0.5, zoom: 1 })).toEqual({ left: 200, top: 0, size: 600 });
    expect(squareCrop(600, 1000, { x: 0.5, y: 0.5, zoom: 1 })).toEqual({ left: 0, top: 200, size: 600 });
  });
  it("follows the focus as far as the edges allow, and shrinks with the zoom", () => {
    expect(squareCrop(1000, 600, { x: 0, y: 0.5, zoom: 1 })).toEqual({ left: 0, top: 0, size: 600 });
    expect(squareCrop(1000, 600, { x: 1, y: 0.5, zoom: 1 })).toEqual({ left: 400, top: 0, size: 600 });
    expect(squareCrop(1000, 600, { x: 0.9, y: 0.1, zoom: 2 })).toEqual({ left: 700, top: 0, size: 300 });
  });
  it("makes any input safe", () => {
    expect(cleanCrop({ x: Number.NaN, y: 7, zoom: 99 })).toEqual({ x: 0.5, y: 1, zoom: 3 });
    const s = squareCrop(64, 64, { x: -3, y: 0.5, zoom: 0 });
    expect(s).toEqual({ left: 0, top: 0, size: 64 });
  });
});

describe("avatar markup", () => {
  const face = { id: "3f2a1c9e-7b4d-4e21-9a0b-5c6d7e8f9012", name: "Sevgi <b>Schneider</b>", picture: null };
  it("initials are decorative and escaped", () => {
    const html = avatarHtml({ ...face, name: "<Sevgi" }, "m");
    expect(html).toMatch(
      /^<span class="avatar avatar--m avatar--c\d" data-initials="&lt;" aria-hidden="true"><\/span>$/,
    );
    expect(avatarHtml({ ...face, name: 'Jo "x" Doe' }, "s")).toContain('data-initials="JD"');
  });
  it("a picture has a fixed size, loads lazily and has an empty alt", () => {
    const html = avatarHtml({ ...face, picture: "a1b2c3" }, "m");
    expect(html).toContain(`src="/profilbilder/${face.id}/48.webp?v=a1b2c3"`);
    expect(html).toContain(`srcset="/profilbilder/${face.id}/96.webp?v=a1b2c3 2x"`);
    expect(html).toContain('width="40" height="40" alt="" loading="lazy"');
  });
  it("anonymous posts get a plain disc without letters", () => {
    expect(avatarHtml(null, "m")).toBe('<span class="avatar avatar--m avatar--none" aria-hidden="true"></span>');
  });
});
