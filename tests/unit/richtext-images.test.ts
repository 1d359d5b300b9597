/**
 * Pictures in rich text (issue 19): the validator takes only our own picture URLs with a description and the recorded
 * size, the renderer builds srcset/sizes/width/height/lazy from the id alone, and nothing a stored document says can
 * point an <img> at another host.
 */
import { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import {
  docToMarkdown,
  docToText,
  renderHtml,
  validateDoc,
  type RichDoc,
  type RichNode,
} from "../../app/models/richtext.server.ts";
import { imageAttributes, renditionWidths } from "../../app/domain/images.ts";
import { withoutImages } from "../../app/domain/richtext/forget.ts";
import { docFromMarkdown, imageSrcsInText } from "../../app/domain/richtext/markdown.ts";

const ID = "0b7c2a8e-1d1f-4e6a-9a55-3f1b2c3d4e5f";
const image = (attrs: Record<string, unknown>): RichNode => ({
  type: "image",
  attrs: { src: `/bilder/${ID}`, alt: "Flipchart mit drei Zielen", width: 1600, height: 1200, ...attrs },
});
const doc = (...content: RichNode[]): RichDoc => ({
  type: "doc",
  content: [{ type: "paragraph", content: [{ type: "text", text: "Unser Ergebnis:" }] }, ...content],
});

function message(input: unknown): string {
  const result = validateDoc(input);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return result.message;
}

describe("image nodes in the validator", () => {
  it("accepts our own picture with a description and its size", () => {
    expect(validateDoc(doc(image({}))).ok).toBe(true);
    // A post may be only a picture.
    expect(validateDoc({ type: "doc", content: [image({})] }).ok).toBe(true);
  });

  it.each([
    "https://example.com/bild.jpg",
    "http://evil.example/bilder/" + ID,
    "//evil.example/bilder/" + ID,
    "data:image/png;base64,iVBORw0KGgo=",
    "javascript:alert(1)",
    `/bilder/${ID}/960.jpg`,
    `/bilder/${ID}?x=1`,
    `/bilder/../dateien/${ID}`,
    `/dateien/${ID}`,
    `/bilder/${ID.toUpperCase()}`,
    "",
  ])("refuses the foreign or odd src %j", (src) => {
    expect(message(doc(image({ src })))).toBe(
      "Bilder können nur von dieser Website stammen: Bitte füge das Bild über „Bild einfügen“ ein.",
    );
  });

  it.each(["", "   ", null, 5, "Zeile\nzwei"])("refuses the description %j", (alt) => {
    expect(message(doc(image({ alt })))).toMatch(/^Bitte beschreibe jedes Bild in einem Alternativtext/);
  });

  it("refuses a description over 500 characters, missing sizes, extra attributes and more than 20 pictures", () => {
    expect(message(doc(image({ alt: "x".repeat(501) })))).toMatch(/^Ein Alternativtext darf höchstens 500 Zeichen/);
    expect(message(doc(image({ width: 0 })))).toBe("Der Text enthält eine nicht erlaubte Formatierung.");
    expect(message(doc(image({ height: "1200" })))).toBe("Der Text enthält eine nicht erlaubte Formatierung.");
    expect(message(doc(image({ srcset: "https://evil.example/x.jpg 1w" })))).toBe(
      "Der Text enthält eine nicht erlaubte Formatierung.",
    );
    expect(message(doc(image({ onerror: "alert(1)" })))).toBe("Der Text enthält eine nicht erlaubte Formatierung.");
    const { attrs } = image({});
    const { alt: _alt, ...withoutAlt } = attrs!;
    expect(message(doc({ type: "image", attrs: withoutAlt }))).toBe(
      "Der Text enthält eine nicht erlaubte Formatierung.",
    );
    expect(message(doc(...Array.from({ length: 21 }, () => image({}))))).toBe(
      "Ein Beitrag kann höchstens 20 Bilder enthalten.",
    );
  });
});

describe("rendering", () => {
  it("renders srcset, sizes, width, height, lazy loading and the escaped description, all on this site", () => {
    const html = renderHtml(doc(image({ alt: 'Flipchart mit "Zielen" & <Notizen>' })));
    const element = new Window().document.createElement("div");
    element.innerHTML = html;
    const img = element.querySelector("img")!;
    expect(img.getAttribute("alt")).toBe('Flipchart mit "Zielen" & <Notizen>');
    expect(img.getAttribute("src")).toBe(`/bilder/${ID}/960.jpg`);
    expect(img.getAttribute("srcset")).toBe(
      `/bilder/${ID}/480.jpg 480w, /bilder/${ID}/960.jpg 960w, /bilder/${ID}/1600.jpg 1600w`,
    );
    expect(img.getAttribute("sizes")).toBe("(min-width: 50rem) 46rem, 100vw");
    expect([img.getAttribute("width"), img.getAttribute("height"), img.getAttribute("loading")]).toEqual([
      "1600",
      "1200",
      "lazy",
    ]);
    expect(element.querySelectorAll("[onerror], script").length).toBe(0);
  });

  it("a stored document with a foreign src (bypassing validation) renders no <img> at all", () => {
    const html = renderHtml(doc(image({ src: "https://evil.example/tracker.gif" })));
    expect(html).not.toContain("<img");
    expect(html).not.toContain("evil.example");
  });

  it("renditions follow from the width: small pictures keep their own width", () => {
    expect(renditionWidths(300)).toEqual([300]);
    expect(renditionWidths(900)).toEqual([480, 900]);
    expect(renditionWidths(1600)).toEqual([480, 960, 1600]);
    expect(imageAttributes(ID, 900, 600).src).toBe(`/bilder/${ID}/900.jpg`);
  });

  it("text and Markdown keep the description; account deletion leaves '[Bild entfernt]'", () => {
    expect(docToText(doc(image({})))).toBe("Unser Ergebnis:\n\n[Bild: Flipchart mit drei Zielen]");
    expect(docToMarkdown(doc(image({})))).toContain("Bild: Flipchart mit drei Zielen");
    const { value, changed } = withoutImages(doc(image({})), new Set([`/bilder/${ID}`]));
    expect(changed).toBe(true);
    expect(validateDoc(value).ok).toBe(true);
    expect(docToText(value as RichDoc)).toBe("Unser Ergebnis:\n\n[Bild entfernt]");
  });
});

describe("pictures in the plain textarea (editing without JavaScript)", () => {
  const size = { width: 1600, height: 1200 };
  const tricky = "Flipchart [Ziele] mit *Sternen*, @kurzname & https://x.example: <b>";

  it("a post's pictures become `![description](/bilder/<id>)` lines and are read back with their recorded size", () => {
    const original = doc(image({ alt: tricky }));
    const text = docToMarkdown(original, { pictures: true });
    expect(text.split("\n\n")[1]).toMatch(new RegExp(`^!\\[.*\\]\\(/bilder/${ID}\\)$`));
    expect(imageSrcsInText(text)).toEqual([`/bilder/${ID}`]);
    const back = docFromMarkdown(text, { resolveImage: (src) => (src === `/bilder/${ID}` ? size : null) });
    expect(back).toEqual(original);
    expect(validateDoc(back).ok).toBe(true);
  });

  it("without a known size, or in the export, it stays text: no picture from a typed address", () => {
    const text = docToMarkdown(doc(image({})), { pictures: true });
    expect(imageSrcsInText(`Siehe ![x](/bilder/${ID}) und /bilder/${ID}-zu-lang`)).toEqual([`/bilder/${ID}`]);
    const unknown = docFromMarkdown(text, { resolveImage: () => null });
    expect(JSON.stringify(unknown)).not.toContain('"type":"image"');
    // Next to other text in its paragraph, a picture line stays a link too.
    const inline = docFromMarkdown(`Hallo ![x](/bilder/${ID})`, { resolveImage: () => size });
    expect(JSON.stringify(inline)).not.toContain('"type":"image"');
    expect(docToMarkdown(doc(image({})))).toBe("Unser Ergebnis:\n\n\\[Bild: Flipchart mit drei Zielen\\]");
  });
});
