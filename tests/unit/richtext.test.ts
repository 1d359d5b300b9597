import { describe, expect, it } from "vitest";
import { Window } from "happy-dom";
import {
  docFromMarkdown,
  docToMarkdown,
  docToText,
  handlesInText,
  MAX_DOC_CHARS,
  MAX_TEXT_CHARS,
  mentionedHandles,
  quoteDoc,
  renderHtml,
  validateDoc,
  type RichDoc,
  type RichNode,
} from "../../app/models/richtext.server.ts";
import { isSafeHref } from "../../app/domain/richtext/rules.ts";

const text = (t: string, marks?: RichNode["marks"]): RichNode =>
  marks ? { type: "text", text: t, marks } : { type: "text", text: t };
const p = (...content: RichNode[]): RichNode => ({ type: "paragraph", content });
const doc = (...content: RichNode[]): RichDoc => ({ type: "doc", content });
const link = (href: string, extra: Record<string, unknown> = {}) => [{ type: "link", attrs: { href, ...extra } }];
const mention = (id: string, label: string | null = "Anna Beispiel"): RichNode => ({
  type: "mention",
  attrs: { id, label },
});

function rejects(input: unknown): string {
  const result = validateDoc(input);
  let shown = "";
  try {
    shown = String(JSON.stringify(input)).slice(0, 200);
  } catch {
    shown = String(typeof input);
  }
  expect(result.ok, shown).toBe(false);
  return result.ok ? "" : result.message;
}

const goodDoc = doc(
  { type: "heading", attrs: { level: 2 }, content: [text("Ankommen in der Lernbegleitung")] },
  p(
    text("Liebe "),
    mention("anna_b"),
    text(", schau mal "),
    text("hier", link("https://example.org/a?b=1")),
    text("."),
  ),
  p(
    text("fett", [{ type: "bold" }]),
    text(" und "),
    text("kursiv", [{ type: "italic" }]),
    { type: "hardBreak" },
    text("Zeile 2"),
  ),
  {
    type: "bulletList",
    content: [
      {
        type: "listItem",
        content: [
          p(text("eins")),
          { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [p(text("drei"))] }] },
        ],
      },
    ],
  },
  { type: "blockquote", content: [p(text("Zitat"))] },
  p(text("intern", link("/themen/ankommen")), text(" "), text("Mail", link("mailto:team@example.org"))),
);

describe("validateDoc", () => {
  it("accepts a document with every supported node and mark and returns its canonical JSON", () => {
    const result = validateDoc(goodDoc);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // tiptap's defaults are filled in, exactly as the editor's getJSON() writes them.
    expect(JSON.stringify(result.doc)).toContain('"rel":"noopener noreferrer nofollow"');
    expect(validateDoc(result.doc)).toEqual(result);
  });

  it("accepts the editor's JSON with default attributes", () => {
    const fromEditor = doc(
      p(
        text("x", [
          {
            type: "link",
            attrs: {
              href: "https://a.de",
              target: null,
              rel: "noopener noreferrer nofollow",
              class: null,
              title: null,
            },
          },
        ]),
        { type: "mention", attrs: { id: "bea", label: "Bea", mentionSuggestionChar: "@" } },
      ),
      {
        type: "orderedList",
        attrs: { start: 1, type: null },
        content: [{ type: "listItem", content: [p(text("a"))] }],
      },
    );
    expect(validateDoc(fromEditor).ok).toBe(true);
  });

  it("rejects unknown node types and marks", () => {
    rejects(doc({ type: "codeBlock", content: [text("x")] }));
    rejects(doc({ type: "image", attrs: { src: "https://a.de/x.png" } }, p(text("x"))));
    rejects(doc(p(text("x", [{ type: "strike" }]))));
    rejects(doc(p(text("x", [{ type: "code" }]))));
    rejects(doc(p(text("x", [{ type: "bold" }, { type: "bold" }]))));
    rejects(doc(p(text("x", [{ type: "constructor" }]))));
    rejects(doc({ type: "__proto__", content: [] }));
  });

  it("rejects unsafe links", () => {
    for (const href of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
      "vbscript:msgbox(1)",
      "//evil.example/x",
      "/\\evil.example",
      "\\\\evil.example",
      "ftp://example.org",
      "example.org",
      "https://",
      "",
    ]) {
      expect(rejects(doc(p(text("klick", link(href)))))).toMatch(/Links dürfen nur|Formatierung/);
    }
    rejects(doc(p(text("klick", [{ type: "link", attrs: {} }]))));
  });

  it("rejects headings other than levels 2 to 4", () => {
    for (const level of [1, 5, 6, 0, "2", null, 2.5]) {
      rejects(doc({ type: "heading", attrs: { level }, content: [text("x")] }));
    }
    rejects(doc({ type: "heading", content: [text("x")] }));
  });

  it("rejects class, style, on* and other foreign attributes", () => {
    rejects(doc({ type: "paragraph", attrs: { class: "x" }, content: [text("x")] }));
    rejects(doc({ type: "paragraph", attrs: { style: "color:red" }, content: [text("x")] }));
    rejects(doc({ type: "paragraph", attrs: { onclick: "alert(1)" }, content: [text("x")] }));
    rejects(doc(p(text("x", link("https://a.de", { class: "btn" })))));
    rejects(doc(p(text("x", link("https://a.de", { target: "_blank" })))));
    rejects(doc(p(text("x", link("https://a.de", { rel: "opener" })))));
    rejects(doc(p(text("x", link("https://a.de", { onmouseover: "alert(1)" })))));
    rejects(doc(p(text("x", link("https://a.de", { title: "Tooltip" })))));
    rejects(doc(p(text("x", [{ type: "bold", attrs: { style: "x" } }]))));
    rejects(
      doc({ type: "orderedList", attrs: { start: 0 }, content: [{ type: "listItem", content: [p(text("a"))] }] }),
    );
    rejects(
      doc({ type: "orderedList", attrs: { start: "3" }, content: [{ type: "listItem", content: [p(text("a"))] }] }),
    );
    rejects(
      doc({ type: "orderedList", attrs: { type: "a" }, content: [{ type: "listItem", content: [p(text("a"))] }] }),
    );
    rejects(doc(p({ type: "text", text: "x", style: "x" } as RichNode)));
  });

  it("rejects bad mentions", () => {
    rejects(doc(p(mention("Anna"))));
    rejects(doc(p(mention("a"))));
    rejects(doc(p(mention("../admin"))));
    rejects(doc(p(mention("anna", "x".repeat(81)))));
    rejects(doc(p({ type: "mention", attrs: { label: "Anna" } })));
    rejects(doc(p({ type: "mention", attrs: { id: "anna", label: 5 } })));
  });

  it("rejects empty text nodes, schema violations and empty documents", () => {
    rejects(doc(p(text(""))));
    rejects(doc(text("loose text at block level")));
    rejects(doc({ type: "listItem", content: [p(text("x"))] }));
    rejects(doc({ type: "bulletList", content: [p(text("x"))] }));
    rejects({ type: "paragraph", content: [text("x")] });
    expect(rejects(doc(p()))).toBe("Bitte schreib einen Text.");
    expect(rejects(doc(p(text("   \n  "))))).toBe("Bitte schreib einen Text.");
    expect(rejects({ type: "doc", content: [] })).toBe("Bitte schreib einen Text.");
  });

  it("rejects oversize JSON and text over the limit", () => {
    const big = doc(...Array.from({ length: 40 }, () => p(text("x".repeat(MAX_DOC_CHARS / 40)))));
    expect(rejects(big)).toBe("Der Text ist zu umfangreich.");
    const long = doc(p(text("y".repeat(MAX_TEXT_CHARS + 1))));
    expect(rejects(long)).toMatch(/zu lang: höchstens 50\.000 Zeichen, jetzt 50\.001/);
    expect(validateDoc(doc(p(text("y".repeat(MAX_TEXT_CHARS))))).ok).toBe(true);
  });

  it("rejects non-objects and unreadable values without throwing", () => {
    const cyclic: Record<string, unknown> = { type: "doc" };
    cyclic.content = [cyclic];
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("boom");
        },
        get: () => {
          throw new Error("boom");
        },
      },
    );
    for (const input of [
      null,
      undefined,
      0,
      1,
      true,
      "doc",
      '{"type":"doc"}',
      [],
      [goodDoc],
      () => goodDoc,
      Symbol("x"),
      10n,
      cyclic,
      hostile,
      { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: 1n }] }] },
    ]) {
      rejects(input);
    }
    let deep: RichNode = p(text("tief"));
    for (let i = 0; i < 5000; i++) deep = { type: "blockquote", content: [deep] };
    rejects(doc(deep));
  });

  it("never throws on 500 random structures, and whatever it accepts renders safely", () => {
    let seed = 20240611;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const types = [
      "doc",
      "paragraph",
      "text",
      "heading",
      "bulletList",
      "orderedList",
      "listItem",
      "blockquote",
      "hardBreak",
      "mention",
      "image",
      "script",
      "",
      "__proto__",
      "constructor",
      "toString",
    ];
    const marks = ["bold", "italic", "link", "strike", "hasOwnProperty", "__proto__"];
    const values = () =>
      pick<unknown>([
        null,
        undefined,
        0,
        -1,
        2,
        3,
        7,
        NaN,
        Infinity,
        "",
        "x",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "https://a.de",
        "/x",
        "anna",
        [],
        {},
        true,
        { toString: 1 },
      ]);
    const attrs = () =>
      Object.fromEntries(
        Array.from({ length: Math.floor(rand() * 3) }, () => [
          pick(["level", "start", "href", "id", "label", "class", "onclick", "type", "__proto__", "target", "rel"]),
          values(),
        ]),
      );
    const node = (depth: number): unknown => {
      const r = rand();
      if (r < 0.08) return values();
      const n: Record<string, unknown> = { type: pick(types) };
      if (rand() < 0.4) n.attrs = rand() < 0.9 ? attrs() : values();
      if (rand() < 0.4) n.text = rand() < 0.8 ? pick(["", "a", "Hallo <b>", " "]) : values();
      if (rand() < 0.3)
        n.marks =
          rand() < 0.9
            ? Array.from({ length: Math.floor(rand() * 3) }, () =>
                rand() < 0.9 ? { type: pick(marks), ...(rand() < 0.5 ? { attrs: attrs() } : {}) } : values(),
              )
            : values();
      if (depth < 5 && rand() < 0.6)
        n.content = rand() < 0.95 ? Array.from({ length: Math.floor(rand() * 4) }, () => node(depth + 1)) : values();
      if (rand() < 0.05) n[pick(["style", "onclick", "extra"])] = values();
      return n;
    };
    // Half pure noise, half small mutations of a good document (which mostly stay valid, so rendering gets fuzzed too).
    const mutate = (): unknown => {
      const copy = structuredClone(goodDoc) as unknown as Record<string, unknown>;
      for (let m = 0; m < 1 + Math.floor(rand() * 3); m++) {
        const all: Record<string, unknown>[] = [];
        const collect = (n: unknown) => {
          if (n && typeof n === "object" && !Array.isArray(n)) {
            all.push(n as Record<string, unknown>);
            const r = n as Record<string, unknown>;
            if (Array.isArray(r.content)) r.content.forEach(collect);
            if (Array.isArray(r.marks)) r.marks.forEach(collect);
          }
        };
        collect(copy);
        const target = pick(all);
        const what = rand();
        if (what < 0.25) target.type = pick([...types, ...marks]);
        else if (what < 0.5) target.attrs = { ...(target.attrs as object), ...attrs() };
        else if (what < 0.65) target.text = pick(["", "x", "<img src=x onerror=alert(1)>", " "]);
        else if (what < 0.8 && Array.isArray(target.content))
          target.content.splice(Math.floor(rand() * target.content.length), 1, node(3));
        else if (what < 0.9) target.marks = [{ type: pick(marks), attrs: attrs() }];
        else delete target.content;
      }
      return copy;
    };
    let accepted = 0;
    for (let i = 0; i < 500; i++) {
      const input = i % 2 === 0 ? mutate() : i % 5 === 1 ? { type: "doc", content: [node(1), node(1)] } : node(0);
      let result: ReturnType<typeof validateDoc> | undefined;
      expect(() => (result = validateDoc(input))).not.toThrow();
      expect(typeof result!.ok).toBe("boolean");
      if (result!.ok) {
        accepted++;
        assertSafeHtml(renderHtml(result!.doc));
      }
      // Rendering must not throw either, even for what validation refused.
      expect(() => assertSafeHtml(renderHtml(input as RichDoc))).not.toThrow();
      expect(() => docToText(input as RichDoc)).not.toThrow();
      expect(() => docToMarkdown(input as RichDoc)).not.toThrow();
      expect(() => mentionedHandles(input as RichDoc)).not.toThrow();
    }
    expect(accepted).toBeGreaterThan(20);
  });
});

// ---------------------------------------------------------------- rendering and XSS

const probe = new Window({
  settings: {
    disableJavaScriptEvaluation: true,
    disableJavaScriptFileLoading: true,
    disableCSSFileLoading: true,
    disableIframePageLoading: true,
  },
});

/** Parses rendered HTML in a DOM and checks it cannot run code or load anything. */
function assertSafeHtml(html: string) {
  expect(html).not.toMatch(/<script/i);
  const container = probe.document.createElement("div");
  container.innerHTML = html;
  const forbidden = new Set([
    "SCRIPT",
    "IFRAME",
    "OBJECT",
    "EMBED",
    "STYLE",
    "LINK",
    "META",
    "BASE",
    "FORM",
    "INPUT",
    "BUTTON",
    "SVG",
    "MATH",
    "IMG",
    "VIDEO",
    "AUDIO",
    "SOURCE",
    "FRAME",
    "FRAMESET",
    "TEMPLATE",
  ]);
  const allowedAttrs = new Set(["href", "rel", "title", "class", "data-mention", "start", "type"]);
  for (const el of container.querySelectorAll("*")) {
    expect(forbidden.has(el.tagName.toUpperCase()), el.tagName).toBe(false);
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.toLowerCase().startsWith("on"), attr.name).toBe(false);
      expect(allowedAttrs.has(attr.name.toLowerCase()), attr.name).toBe(true);
      expect((attr.value ?? "").toLowerCase().replace(/[\s\u0000-\u001f]/g, "")).not.toContain("javascript:");
      if (attr.name === "class") expect(attr.value).toBe("mention");
    }
    const href = el.getAttribute("href");
    if (href !== null)
      expect(href === "" || isSafeHref(href) || !/^[a-z][a-z0-9+.-]*:|^[/\\]{2}|^\/\\/i.test(href), href).toBe(true);
  }
}

const XSS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  "<img src=x onerror=alert(1)>",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<iframe src=javascript:alert(1)>",
  "<body onload=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)' autofocus='",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "javascript&#58;alert(1)",
  "javascript&colon;alert(1)",
  "&#106;avascript:alert(1)",
  "jav&#x09;ascript:alert(1)",
  "java\u0000script:alert(1)",
  "java\nscript:alert(1)",
  " \u0001javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "vbscript:msgbox(1)",
  "livescript:alert(1)",
  "//evil.example",
  "\\\\evil.example",
  "/\\evil.example",
  "https:evil.example",
  'http://evil.example/"><script>alert(1)</script>',
  'https://example.org/?q="><img src=x onerror=alert(1)>',
  "mailto:x@example.org?body=<script>alert(1)</script>",
  "<style>@import 'https://evil.example/x.css'</style>",
  "<link rel=stylesheet href=https://evil.example/x.css>",
  '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
  "<base href=https://evil.example/>",
  "<object data=javascript:alert(1)>",
  "<embed src=javascript:alert(1)>",
  "<form action=javascript:alert(1)><button>x</button></form>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<details open ontoggle=alert(1)>",
  "<input autofocus onfocus=alert(1)>",
  "<video><source onerror=alert(1)>",
  "<marquee onstart=alert(1)>",
  '<div style="background:url(javascript:alert(1))">',
  "<!--<img src=x onerror=alert(1)>-->",
  "<![CDATA[<script>alert(1)</script>]]>",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  "<template><script>alert(1)</script></template>",
  '<a href="&#x6A;avascript:alert(1)">x</a>',
  "[x](javascript:alert(1))",
  "[x](<javascript:alert(1)>)",
  "![x](javascript:alert(1))",
  "<javascript:alert(1)>",
  "{{constructor.constructor('alert(1)')()}}",
  "${alert(1)}",
  "\u202e<script>alert(1)</script>",
  "</p></li></ul><script>alert(1)</script>",
  "<p onclick=alert(1)>x</p>",
  "<a class=mention href=/x onclick=alert(1)>@x</a>",
];

describe("renderHtml", () => {
  it("renders a sample document", () => {
    const html = renderHtml(
      doc(
        { type: "heading", attrs: { level: 3 }, content: [text("Titel")] },
        p(
          text("Hallo "),
          mention("anna_b", "Anna B."),
          text(" – "),
          text("fett & <sicher>", [{ type: "bold" }]),
          { type: "hardBreak" },
          text("Link", link("https://example.org")),
        ),
        { type: "orderedList", attrs: { start: 2 }, content: [{ type: "listItem", content: [p(text("zwei"))] }] },
        { type: "blockquote", content: [p(text("Zitat", [{ type: "italic" }]))] },
      ),
    );
    expect(html).toBe(
      '<h3>Titel</h3><p>Hallo <a class="mention" href="/mitglieder/anna_b" data-mention="anna_b">@Anna B.</a> – ' +
        '<strong>fett &amp; &lt;sicher&gt;</strong><br><a rel="noopener noreferrer nofollow" href="https://example.org">Link</a></p>' +
        '<ol start="2"><li><p>zwei</p></li></ol><blockquote><p><em>Zitat</em></p></blockquote>',
    );
  });

  it("shows documents that fail validation as escaped plain text", () => {
    const bad = {
      type: "doc",
      content: [{ type: "script", content: [{ type: "text", text: "<b>x</b>" }] }, p(text(""))],
    };
    expect(renderHtml(bad as RichDoc)).toBe("<p>&lt;b&gt;x&lt;/b&gt;</p>");
    const sneaky = doc(
      p(text("Klick", link("javascript:alert(1)", { class: "evil", target: "_top" }))),
      p(text("zwei")),
    );
    expect(renderHtml(sneaky)).toBe("<p>Klick</p><p>zwei</p>");
    expect(renderHtml(doc({ type: "heading", attrs: { level: 1 }, content: [text("x")] }))).toBe("<p>x</p>");
    expect(renderHtml(doc(p()))).toBe("");
  });

  it(`keeps ${XSS.length} XSS payloads inert in text, links, titles and mentions`, () => {
    expect(XSS.length).toBeGreaterThanOrEqual(50);
    for (const payload of XSS) {
      const candidates: unknown[] = [
        doc(p(text(payload))),
        doc({ type: "heading", attrs: { level: 2 }, content: [text(payload)] }),
        doc(p(text("klick", link(payload)))),
        doc(p(text(payload, link("https://example.org")))),
        doc(p(text("klick", link("https://example.org", { title: payload })))),
        doc(p(mention("anna", payload))),
        doc(p(mention(payload, "Anna"))),
        doc(p(text("x", link("https://example.org", { class: payload, target: payload, rel: payload })))),
        doc({
          type: "orderedList",
          attrs: { start: payload, type: payload },
          content: [{ type: "listItem", content: [p(text("a"))] }],
        }),
        docFromMarkdown(payload),
        docFromMarkdown(`Text ${payload} mehr\n\n- ${payload}\n\n> ${payload}`),
      ];
      for (const candidate of candidates) {
        const result = validateDoc(candidate);
        if (result.ok) assertSafeHtml(renderHtml(result.doc));
        // Also when validation is bypassed (an old row, a bug elsewhere).
        assertSafeHtml(renderHtml(candidate as RichDoc));
      }
    }
  });
});

// ---------------------------------------------------------------- Markdown

describe("docFromMarkdown", () => {
  it("maps paragraphs, headings, lists, emphasis, links, quotes and line breaks", () => {
    const d = docFromMarkdown(
      "# Eins\n\n## Zwei\n\n### Drei\n\n##### Fünf\n\nAbsatz mit **fett**, *kursiv*, _auch kursiv_ und [Link](https://example.org).\nNeue Zeile.\n\n- a\n  - a1\n- b\n\n3. c\n4. d\n\n> Zitat\n> weiter",
    );
    expect(renderHtml(d)).toBe(
      "<h2>Eins</h2><h2>Zwei</h2><h3>Drei</h3><h4>Fünf</h4>" +
        '<p>Absatz mit <strong>fett</strong>, <em>kursiv</em>, <em>auch kursiv</em> und <a rel="noopener noreferrer nofollow" href="https://example.org">Link</a>.<br>Neue Zeile.</p>' +
        "<ul><li><p>a</p><ul><li><p>a1</p></li></ul></li><li><p>b</p></li></ul>" +
        '<ol start="3"><li><p>c</p></li><li><p>d</p></li></ol>' +
        "<blockquote><p>Zitat<br>weiter</p></blockquote>",
    );
    expect(validateDoc(d).ok).toBe(true);
  });

  it("treats plain text from the textarea as paragraphs", () => {
    const d = docFromMarkdown("Hallo zusammen,\r\nich habe eine Frage.\r\n\r\n\r\nViele Grüße\nAnna");
    expect(renderHtml(d)).toBe("<p>Hallo zusammen,<br>ich habe eine Frage.</p><p>Viele Grüße<br>Anna</p>");
  });

  it("keeps raw HTML, code and tables as inert text", () => {
    const d = docFromMarkdown(
      '<script>alert(1)</script>\n\nText <b onclick="x()">fett</b> <img src=x onerror=alert(1)>\n\n<div>\nblock</div>\n\n`<i>code</i>`\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    );
    const html = renderHtml(d);
    expect(html).toBe(
      "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" +
        '<p>Text &lt;b onclick="x()"&gt;fett&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;</p>' +
        "<p>&lt;div&gt;<br>block&lt;/div&gt;</p>" +
        "<p>`&lt;i&gt;code&lt;/i&gt;`</p>" +
        "<p>| a | b |<br>|---|---|<br>| 1 | 2 |</p>",
    );
    assertSafeHtml(html);
  });

  it("drops unsafe link targets to plain text", () => {
    const d = docFromMarkdown(
      "[a](javascript:alert(1)) [b](//evil.example) [c](relativ/pfad) [d](data:text/html,x) [e](/themen/x) <https://example.org>",
    );
    expect(renderHtml(d)).toBe(
      '<p>a b c d <a rel="noopener noreferrer nofollow" href="/themen/x">e</a> <a rel="noopener noreferrer nofollow" href="https://example.org">https://example.org</a></p>',
    );
  });

  it("makes mentions only with a resolver and only for known handles", () => {
    expect(mentionedHandles(docFromMarkdown("Hallo @anna_b!"))).toEqual([]);
    const resolveMention = (h: string) => ({ anna_b: "Anna B.", bea: "Bea" })[h] ?? null;
    const d = docFromMarkdown("Hallo @anna_b und @Bea, nicht @niemand, nicht x@bea.de, nicht [@bea](https://a.de).", {
      resolveMention,
    });
    expect(mentionedHandles(d)).toEqual(["anna_b", "bea"]);
    expect(docToText(d)).toBe("Hallo @Anna B. und @Bea, nicht @niemand, nicht x@bea.de, nicht @bea.");
    expect(handlesInText("@anna_b und @Bea, mail an x@bea.de, \\@nein")).toEqual(["anna_b", "bea"]);
  });

  it("never throws and handles empty or huge input", () => {
    expect(validateDoc(docFromMarkdown("")).ok).toBe(false);
    expect(validateDoc(docFromMarkdown("   \n\n  ")).ok).toBe(false);
    const huge = docFromMarkdown("a".repeat(MAX_DOC_CHARS + 10));
    expect(validateDoc(huge).ok).toBe(false);
    for (const weird of ["- ", "> ", "#", "1.", "* * *", "[]()", "***", "```", "\u0000", "<", "&amp;"]) {
      expect(() => docFromMarkdown(weird)).not.toThrow();
    }
  });
});

describe("docToMarkdown", () => {
  const resolveMention = (h: string) => (h === "anna_b" ? "Anna B." : null);

  it("writes readable Markdown", () => {
    expect(docToMarkdown(goodDoc)).toBe(
      [
        "## Ankommen in der Lernbegleitung",
        "Liebe @anna_b, schau mal [hier](https://example.org/a?b=1).",
        "**fett** und *kursiv*\nZeile 2",
        "- eins\n\n  3. drei",
        "> Zitat",
        "[intern](/themen/ankommen) [Mail](mailto:team@example.org)",
      ].join("\n\n"),
    );
  });

  const roundTrips: [string, RichDoc][] = [
    [
      "the sample",
      validOrThrow({
        ...goodDoc,
        content: goodDoc.content!.map((n) =>
          n.type === "paragraph" && n.content?.[1]?.type === "mention"
            ? p(text("Liebe "), { type: "mention", attrs: { id: "anna_b", label: "Anna B." } })
            : n,
        ),
      }),
    ],
    [
      "markdown-looking text",
      validOrThrow(
        doc(
          p(
            text(
              "*kein* **fett** _x_ `code` [a](b) <b>html</b> & &amp; | ~~del~~ \\ # @anna_b www.example.org https://x.de",
            ),
          ),
          p(text("# keine Überschrift")),
          p(text("- keine Liste")),
          p(text("1. keine Nummer")),
          p(text("> kein Zitat")),
          p(text("---")),
          p(text("===")),
          p(text("2024. war ein Jahr")),
          p(text("+ plus")),
        ),
      ),
    ],
    [
      "adjacent and nested marks",
      validOrThrow(
        doc(
          p(
            text("fett ", [{ type: "bold" }]),
            text("und kursiv", [{ type: "bold" }, { type: "italic" }]),
            text(" weiter", [{ type: "bold" }]),
            text(" nur "),
            text("kursiv", [{ type: "italic" }]),
            text(" Wort"),
            text("teil", [{ type: "bold" }]),
            text("e "),
            text("a", [{ type: "bold" }]),
            text("b", [{ type: "italic" }]),
            text(" Ende"),
          ),
        ),
      ),
    ],
    [
      "links with marks and odd urls",
      validOrThrow(
        doc(
          p(
            text("fett ", link("https://de.wikipedia.org/wiki/Lernen_(Psychologie)")),
            text("link", [...link("https://de.wikipedia.org/wiki/Lernen_(Psychologie)"), { type: "bold" }]),
            text(" und "),
            text("t", link("/a")),
          ),
        ),
      ),
    ],
    [
      "hard breaks everywhere",
      validOrThrow(
        doc(p(text("a"), { type: "hardBreak" }, text("- b"), { type: "hardBreak" }, text("# c")), {
          type: "blockquote",
          content: [p(text("q1"), { type: "hardBreak" }, text("q2")), p(text("q3"))],
        }),
      ),
    ],
    [
      "deeply nested lists",
      validOrThrow(
        doc({
          type: "orderedList",
          attrs: { start: 9 },
          content: [
            {
              type: "listItem",
              content: [
                p(text("neun")),
                p(text("zweiter Absatz")),
                {
                  type: "bulletList",
                  content: [
                    { type: "listItem", content: [p(text("x")), { type: "blockquote", content: [p(text("zitat"))] }] },
                    {
                      type: "listItem",
                      content: [
                        p(text("y")),
                        {
                          type: "orderedList",
                          attrs: { start: 1 },
                          content: [{ type: "listItem", content: [p(text("z"))] }],
                        },
                      ],
                    },
                  ],
                },
              ],
            },
            { type: "listItem", content: [p(text("zehn"))] },
          ],
        }),
      ),
    ],
    ["a quote-reply", validOrThrow(quoteDoc("Erster Absatz\nmit Umbruch\n\nZweiter Absatz", "Anna B."), true)],
  ];

  for (const [name, d] of roundTrips) {
    it(`round-trips ${name}`, () => {
      const md = docToMarkdown(d);
      expect(docFromMarkdown(md, { resolveMention }), md).toEqual(d);
    });
  }

  it("moves spaces at the edges of marks outside, where Markdown needs them", () => {
    const d = validOrThrow(doc(p(text("Wort"), text(" fett ", [{ type: "bold" }]), text("weiter"))));
    expect(docToMarkdown(d)).toBe("Wort **fett** weiter");
    expect(docFromMarkdown(docToMarkdown(d))).toEqual(
      validOrThrow(doc(p(text("Wort "), text("fett", [{ type: "bold" }]), text(" weiter")))),
    );
  });

  it("round-trips what it reads", () => {
    const d = docFromMarkdown(
      "## Titel\n\nText mit **fett** und *kursiv* und [Link](https://example.org)\nZeile\n\n- a\n- b\n  1. c\n\n> Zitat",
      { resolveMention },
    );
    expect(docFromMarkdown(docToMarkdown(d), { resolveMention })).toEqual(d);
  });
});

function validOrThrow(d: RichDoc, dropTrailingEmpty = false): RichDoc {
  const result = validateDoc(d);
  if (!result.ok) throw new Error(result.message);
  // Markdown has no empty paragraphs; the quote-reply's cursor paragraph does not survive a round trip.
  if (dropTrailingEmpty) result.doc.content = result.doc.content!.filter((n) => n.content?.length);
  return result.doc;
}

// ---------------------------------------------------------------- text helpers

describe("docToText, mentionedHandles, quoteDoc", () => {
  it("gives plain text with blocks separated by blank lines", () => {
    expect(docToText(goodDoc)).toBe(
      "Ankommen in der Lernbegleitung\n\nLiebe @Anna Beispiel, schau mal hier.\n\nfett und kursiv\nZeile 2\n\n- eins\n  3. drei\n\nZitat\n\nintern Mail",
    );
    expect(docToText(null)).toBe("");
  });

  it("lists mentioned handles once each", () => {
    expect(
      mentionedHandles(
        doc(p(mention("anna_b"), text(" "), mention("bea"), mention("anna_b")), {
          type: "blockquote",
          content: [p(mention("carl"))],
        }),
      ),
    ).toEqual(["anna_b", "bea", "carl"]);
    expect(mentionedHandles(doc(p(text("@anna_b"))))).toEqual([]);
  });

  it("builds a valid quote-reply", () => {
    const q = quoteDoc("Erster Absatz\nmit Umbruch\n\nZweiter <b>Absatz</b>", "Anna B.");
    expect(validateDoc(q).ok).toBe(true);
    expect(renderHtml(q)).toBe(
      "<p>Anna B. schrieb:</p><blockquote><p>Erster Absatz<br>mit Umbruch</p><p>Zweiter &lt;b&gt;Absatz&lt;/b&gt;</p></blockquote><p></p>",
    );
    expect(validateDoc(quoteDoc("", "")).ok).toBe(false);
  });
});
