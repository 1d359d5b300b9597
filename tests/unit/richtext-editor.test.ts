import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { RichTextField } from "../../app/components/editor/RichTextField.tsx";
import { normalizeHref } from "../../app/components/editor/LinkForm.tsx";
import { mentionSuggestion, type MentionView } from "../../app/components/editor/mentions.ts";
import { EditorState } from "@tiptap/pm/state";
import { Node } from "@tiptap/pm/model";
import { keepAllowedPlugin } from "../../app/domain/richtext/keepAllowed.ts";
import { richSchema } from "../../app/domain/richtext/schema.ts";
import { docToText, quoteDoc } from "../../app/domain/richtext/text.ts";
import { renderHtml, validateDoc } from "../../app/models/richtext.server.ts";

describe("RichTextField on the server", () => {
  it("renders a plain labelled textarea that works without JavaScript", () => {
    const html = renderToString(
      createElement(RichTextField, {
        name: "body",
        id: "body-p1",
        label: "Deine Antwort",
        hint: "Markdown geht.",
        error: "Bitte schreib einen Text.",
        initialText: "Hallo <b>",
        rows: 4,
      }),
    );
    expect(html).toContain('<label for="body-p1">Deine Antwort</label>');
    expect(html).toMatch(
      /<textarea id="body-p1" name="body" rows="4" aria-invalid="true" aria-describedby="body-p1-hinweis body-p1-fehler"[^>]*>Hallo &lt;b&gt;<\/textarea>/,
    );
    expect(html).toContain('<p id="body-p1-fehler" class="field__error">Bitte schreib einen Text.</p>');
    // No editor, no JSON field before someone starts writing.
    expect(html).not.toContain("bodyJson");
    expect(html).not.toContain("contenteditable");
  });

  it("prefills the textarea with a document as Markdown", () => {
    const html = renderToString(
      createElement(RichTextField, {
        name: "body",
        label: "Text",
        initialDoc: quoteDoc("Erster *Absatz*", "Anna"),
        initialText: "ignoriert",
      }),
    );
    expect(html).toContain(">Anna schrieb:\n\n&gt; Erster \\*Absatz\\*</textarea>");
  });
});

describe("link addresses typed into the link form", () => {
  it("accepts web, mail and site addresses and completes missing schemes", () => {
    expect(normalizeHref(" https://example.org/a ")).toBe("https://example.org/a");
    expect(normalizeHref("www.example.org")).toBe("https://www.example.org");
    expect(normalizeHref("example.org/pfad?x=1")).toBe("https://example.org/pfad?x=1");
    expect(normalizeHref("anna@example.org")).toBe("mailto:anna@example.org");
    expect(normalizeHref("/themen/ankommen")).toBe("/themen/ankommen");
  });

  it("refuses everything else", () => {
    for (const bad of [
      "",
      "javascript:alert(1)",
      "data:text/html,x",
      "//evil.example",
      "ftp://example.org",
      "hallo",
      "java script:alert(1)",
    ]) {
      expect(normalizeHref(bad), bad).toBeNull();
    }
  });
});

describe("mention suggestions", () => {
  it("moves through results with the arrow keys and inserts the chosen member", () => {
    const views: (MentionView | null)[] = [];
    const inserted: unknown[] = [];
    const renderer = mentionSuggestion("/api/v1/members", (v) => views.push(v)).render!();
    const items = [
      { handle: "anna_b", name: "Anna B." },
      { handle: "annette", name: "Annette" },
    ];
    const props = {
      query: "an",
      items,
      loading: false,
      command: (attrs: unknown) => inserted.push(attrs),
      clientRect: null,
    } as never;
    const key = (k: string) => renderer.onKeyDown!({ event: { key: k } } as never);

    renderer.onStart!(props);
    expect(views.at(-1)).toMatchObject({ query: "an", active: 0, items });
    expect(key("ArrowDown")).toBe(true);
    expect(views.at(-1)?.active).toBe(1);
    expect(key("ArrowDown")).toBe(true);
    expect(views.at(-1)?.active).toBe(0);
    expect(key("ArrowUp")).toBe(true);
    expect(key("Enter")).toBe(true);
    expect(inserted).toEqual([{ id: "annette", label: "Annette" }]);
    expect(key("x")).toBe(false);
    renderer.onExit!(props);
    expect(views.at(-1)).toBeNull();
  });

  it("shows nothing for a bare @ and lets Enter through when there is nothing to pick", () => {
    const views: (MentionView | null)[] = [];
    const renderer = mentionSuggestion("/m", (v) => views.push(v)).render!();
    const key = (k: string) => renderer.onKeyDown!({ event: { key: k } } as never);
    renderer.onStart!({ query: "", items: [], loading: false, command: () => {}, clientRect: null } as never);
    expect(views.at(-1)).toBeNull();
    renderer.onUpdate!({ query: "zz", items: [], loading: false, command: () => {}, clientRect: null } as never);
    expect(views.at(-1)).toMatchObject({ query: "zz", items: [] });
    expect(key("Enter")).toBe(false);
    expect(key("Escape")).toBe(true);
  });
});

describe("keepAllowed: the editor's document stays valid whatever changed it", () => {
  const schema = richSchema();
  const state = () =>
    EditorState.create({
      doc: Node.fromJSON(schema, {
        type: "doc",
        content: [{ type: "paragraph", content: [{ type: "text", text: "Start" }] }],
      }),
      plugins: [keepAllowedPlugin()],
    });
  const insert = (json: unknown) => {
    const s = state();
    const slice = Node.fromJSON(schema, { type: "doc", content: json }).content;
    return s.apply(s.tr.replaceWith(s.doc.content.size, s.doc.content.size, slice)).doc.toJSON();
  };

  it("cleans pasted link attributes and drops unsafe links", () => {
    const doc = insert([
      {
        type: "paragraph",
        content: [
          {
            type: "text",
            text: "ok",
            marks: [
              {
                type: "link",
                attrs: { href: "https://a.de", target: "_blank", class: "x", rel: "opener", title: "t" },
              },
            ],
          },
          { type: "text", text: " rel", marks: [{ type: "link", attrs: { href: "relativ/pfad" } }] },
          {
            type: "text",
            text: " js",
            marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }, { type: "bold" }],
          },
        ],
      },
    ]);
    expect(validateDoc(doc).ok).toBe(true);
    expect(renderHtml(doc)).toBe(
      '<p>Start</p><p><a rel="noopener noreferrer nofollow" href="https://a.de">ok</a> rel<strong> js</strong></p>',
    );
  });

  it("fixes list numbering and list types from input rules or paste", () => {
    const doc = insert([
      {
        type: "orderedList",
        attrs: { start: 0, type: "a" },
        content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "x" }] }] }],
      },
    ]);
    expect(validateDoc(doc).ok).toBe(true);
    expect(doc.content[1].attrs).toEqual({ start: 1, type: null });
  });

  it("turns mentions of unknown handles into text and shortens long labels", () => {
    const doc = insert([
      {
        type: "paragraph",
        content: [
          { type: "mention", attrs: { id: "Not A Handle", label: "Jemand" } },
          { type: "text", text: " und " },
          { type: "mention", attrs: { id: "anna_b", label: "A".repeat(100) } },
          { type: "text", text: " danach", marks: [{ type: "link", attrs: { href: "https://a.de", class: "c" } }] },
        ],
      },
    ]);
    expect(validateDoc(doc).ok).toBe(true);
    expect(docToText(doc)).toBe(`Start\n\n@Jemand und @${"A".repeat(80)} danach`);
  });
});
