/**
 * Markdown → document, for content import and for the no-JavaScript textarea (docToMarkdown in toMarkdown.ts is
 * the inverse). Uses marked's lexer only, never its HTML output: every token is mapped onto our own nodes, and
 * whatever we do not support (raw HTML, code, tables, images) becomes plain text. Browser-safe: the lazily loaded
 * editor converts the textarea's text with it.
 */
import { Lexer, type Token, type Tokens } from "marked";
import { Node } from "@tiptap/pm/model";
import { IMAGE_SRC, MAX_ALT_CHARS } from "../images.ts";
import { HANDLE_PATTERN, isSafeHref, MAX_MENTION_LABEL } from "./rules.ts";
import { richSchema } from "./schema.ts";
import { textDoc } from "./text.ts";
import type { RichDoc, RichMark, RichNode } from "./types.ts";
import { MAX_DOC_CHARS } from "./types.ts";

export interface MarkdownOptions {
  /** Turns `@handle` into a mention when it returns the member's display name; `null` keeps the text. */
  resolveMention?: (handle: string) => string | null;
  /**
   * Turns a paragraph that is only `![description](/bilder/<id>)` into that picture when it returns the picture's
   * size (the plain textarea of a post with pictures, see docToMarkdown's `pictures`); otherwise it stays a link.
   */
  resolveImage?: (src: string) => { width: number; height: number } | null;
}

const PICTURE_IN_TEXT = /\/bilder\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])/g;

/** `/bilder/<id>` addresses in Markdown, so a caller can look up their sizes before `docFromMarkdown`. */
export function imageSrcsInText(text: string): string[] {
  return [...new Set(String(text ?? "").match(PICTURE_IN_TEXT) ?? [])];
}

/** The text of inline tokens as written, escapes resolved (a picture's description). */
function plainTokenText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) =>
      "tokens" in t && t.tokens?.length
        ? plainTokenText(t.tokens)
        : t.type === "text" || t.type === "escape"
          ? t.text
          : t.raw,
    )
    .join("");
}

/** A paragraph holding nothing but one of our pictures, as that picture's node (or null). */
function pictureParagraph(tokens: Token[] | undefined, options: MarkdownOptions): RichNode | null {
  if (!options.resolveImage) return null;
  const parts = (tokens ?? []).filter((t) => !(t.type === "text" && !t.raw.trim()));
  if (parts.length !== 1 || parts[0].type !== "image") return null;
  const image = parts[0] as Tokens.Image;
  if (!IMAGE_SRC.test(image.href)) return null;
  const size = options.resolveImage(image.href);
  if (!size) return null;
  const alt = plainTokenText(image.tokens).trim().slice(0, MAX_ALT_CHARS);
  return { type: "image", attrs: { src: image.href, alt, width: size.width, height: size.height } };
}

const MENTION_IN_TEXT = /(^|[^\p{L}\p{N}_@.\\/-])@([a-z0-9][a-z0-9_-]{2,29})(?![a-z0-9_-])/giu;

/** `@handle` candidates in Markdown or plain text, so a caller can look them all up before `docFromMarkdown`. */
export function handlesInText(text: string): string[] {
  const found = new Set<string>();
  for (const m of String(text ?? "").matchAll(MENTION_IN_TEXT)) found.add(m[2].toLowerCase());
  return [...found];
}

type Inline = RichNode[];

function addMark(marks: RichMark[], mark: RichMark): RichMark[] {
  return marks.some((m) => m.type === mark.type) ? marks : [...marks, mark];
}

function withMarks(node: RichNode, marks: RichMark[]): RichNode {
  return marks.length ? { ...node, marks } : node;
}

/** Literal text; newlines become hard breaks and `@handle` may become a mention (never inside a link). */
function textNodes(text: string, marks: RichMark[], options: MarkdownOptions): Inline {
  const out: Inline = [];
  const push = (t: string) => {
    t.split("\n").forEach((line, i) => {
      if (i > 0) out.push(withMarks({ type: "hardBreak" }, marks));
      if (line) out.push(withMarks({ type: "text", text: line }, marks));
    });
  };
  const resolve = options.resolveMention;
  if (!resolve || marks.some((m) => m.type === "link")) {
    push(text);
    return out;
  }
  let last = 0;
  for (const m of text.matchAll(MENTION_IN_TEXT)) {
    const handle = m[2].toLowerCase();
    const label = HANDLE_PATTERN.test(handle) ? resolve(handle) : null;
    if (!label || !label.trim()) continue;
    const at = (m.index ?? 0) + m[1].length;
    push(text.slice(last, at));
    out.push(
      withMarks({ type: "mention", attrs: { id: handle, label: label.trim().slice(0, MAX_MENTION_LABEL) } }, marks),
    );
    last = at + 1 + m[2].length;
  }
  push(text.slice(last));
  return out;
}

function inlineTokens(tokens: Token[] | undefined, marks: RichMark[], options: MarkdownOptions): Inline {
  const out: Inline = [];
  for (const token of tokens ?? []) out.push(...inlineToken(token, marks, options));
  return out;
}

function inlineToken(token: Token, marks: RichMark[], options: MarkdownOptions): Inline {
  switch (token.type) {
    case "text":
      return "tokens" in token && token.tokens?.length
        ? inlineTokens(token.tokens, marks, options)
        : textNodes(token.text, marks, options);
    case "escape":
      return textNodes(token.text, marks, {});
    case "strong":
      return inlineTokens(token.tokens, addMark(marks, { type: "bold" }), options);
    case "em":
      return inlineTokens(token.tokens, addMark(marks, { type: "italic" }), options);
    case "br":
      return [withMarks({ type: "hardBreak" }, marks)];
    case "link": {
      const { href } = token as Tokens.Link;
      // An unsafe or unsupported target loses its link and keeps its text.
      if (!isSafeHref(href) || marks.some((m) => m.type === "link")) return inlineTokens(token.tokens, marks, options);
      // Titles are dropped: no user-written text ends up in attributes.
      return inlineTokens(token.tokens, addMark(marks, { type: "link", attrs: { href } }), options);
    }
    case "image": {
      const { href, text } = token as Tokens.Image;
      const label = text || href;
      if (isSafeHref(href) && !marks.some((m) => m.type === "link")) {
        return textNodes(label, addMark(marks, { type: "link", attrs: { href } }), {});
      }
      return textNodes(label, marks, {});
    }
    // Unsupported inline syntax (inline HTML, code spans, strikethrough…) stays exactly as typed.
    default:
      return textNodes(token.raw ?? "", marks, {});
  }
}

function paragraph(content: Inline): RichNode {
  return content.length ? { type: "paragraph", content } : { type: "paragraph" };
}

function rawParagraph(raw: string): RichNode[] {
  // trimEnd, not /\s+$/: that pattern rescans a long run of spaces from each of its characters (quadratic).
  const text = raw.replace(/^\n+/, "").trimEnd();
  return text.trim() ? [paragraph(textNodes(text, [], {}))] : [];
}

function blockTokens(tokens: Token[] | undefined, options: MarkdownOptions): RichNode[] {
  const out: RichNode[] = [];
  for (const token of tokens ?? []) out.push(...blockToken(token, options));
  return out;
}

function listItem(item: Tokens.ListItem, options: MarkdownOptions): RichNode {
  const tokens = item.tokens.filter((t) => t.type !== "checkbox");
  const content = blockTokens(tokens, options);
  if (item.task) {
    const box: RichNode = { type: "text", text: item.checked ? "[x] " : "[ ] " };
    if (content[0]?.type === "paragraph") content[0] = { ...content[0], content: [box, ...(content[0].content ?? [])] };
    else content.unshift(paragraph([box]));
  }
  // A list item must start with a paragraph.
  if (content[0]?.type === "heading") content[0] = { type: "paragraph", content: content[0].content };
  else if (content[0]?.type !== "paragraph") content.unshift(paragraph([]));
  return { type: "listItem", content };
}

function blockToken(token: Token, options: MarkdownOptions): RichNode[] {
  switch (token.type) {
    case "space":
    case "hr":
      return [];
    case "heading": {
      const level = Math.min(4, Math.max(2, token.depth));
      const content = inlineTokens(token.tokens, [], options).map((n) =>
        n.type === "hardBreak" ? { type: "text", text: " ", ...(n.marks ? { marks: n.marks } : {}) } : n,
      );
      return content.length ? [{ type: "heading", attrs: { level }, content }] : [];
    }
    case "paragraph":
    case "text": {
      const picture = "tokens" in token ? pictureParagraph(token.tokens, options) : null;
      if (picture) return [picture];
      const content =
        "tokens" in token && token.tokens
          ? inlineTokens(token.tokens, [], options)
          : textNodes(token.text, [], options);
      return content.length ? [paragraph(content)] : [];
    }
    case "list": {
      const list = token as Tokens.List;
      const items = list.items.map((item) => listItem(item, options));
      if (!list.ordered) return [{ type: "bulletList", content: items }];
      const start = typeof list.start === "number" && list.start >= 1 ? list.start : 1;
      return [{ type: "orderedList", attrs: { start }, content: items }];
    }
    case "blockquote": {
      const content = blockTokens(token.tokens, options);
      return [{ type: "blockquote", content: content.length ? content : [paragraph([])] }];
    }
    case "code":
      return rawParagraph(token.text);
    // Raw HTML, tables, link definitions and anything newer: shown as the text that was written.
    default:
      return rawParagraph(token.raw ?? "");
  }
}

/** Fills in default attributes and orders marks exactly as the editor and `validateDoc` would. */
function canonical(doc: RichDoc): RichDoc {
  const node = Node.fromJSON(richSchema(), doc);
  node.check();
  return node.toJSON() as RichDoc;
}

/**
 * Markdown (or plain text with blank lines between paragraphs) to a document. Never throws; the result still
 * goes through `validateDoc` before it is stored (limits, empty text).
 */
export function docFromMarkdown(md: string, options: MarkdownOptions = {}): RichDoc {
  const source = String(md ?? "").replace(/\r\n?/g, "\n");
  // Oversized input is refused by validation anyway; spare the lexer the work.
  if (source.length > MAX_DOC_CHARS) return textDoc(source);
  // The lexer's time grows faster than the text on deep nesting and on very long unbroken runs (autolinks): 50,000
  // characters of either took seconds. Such text is kept as typed, its Markdown not interpreted.
  if (beyondLexerBounds(source)) return textDoc(source);
  try {
    // Not `breaks: true`: its inline text rule rescans every run of spaces from each of its characters (quadratic: one
    // 50,000-character reply of spaces took 12 s). Single newlines stay in the text, and textNodes makes them hard breaks.
    const tokens = new Lexer({ gfm: true }).lex(source);
    const content = blockTokens(tokens, options);
    return canonical({ type: "doc", content: content.length ? content : [paragraph([])] });
  } catch {
    return textDoc(source);
  }
}

/** Deeper than any real post nests (lists, quotes, indentation), or an unbroken run longer than any real link. */
const MAX_LINE_PREFIX = 24;
const MAX_RUN = 1000;

/**
 * One linear pass (no pattern): a line's leading run of nesting characters, and every run of non-space characters.
 * A line of one repeated mark ("-----", "=====") is a rule or heading underline, not nesting.
 */
export function beyondLexerBounds(text: string): boolean {
  let prefix = 0;
  let first = -1;
  let repeated = true;
  let atLineStart = true;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      prefix = 0;
      first = -1;
      repeated = true;
      run = 0;
      continue;
    }
    const space = c === 32 || c === 9;
    run = space ? 0 : run + 1;
    if (run > MAX_RUN) return true;
    if (!atLineStart) continue;
    // space, tab, > * + - . ) and digits: what lists, quotes and indented blocks begin with
    if (!(space || c === 62 || c === 42 || c === 43 || c === 45 || c === 46 || c === 41 || (c >= 48 && c <= 57))) {
      atLineStart = false;
      continue;
    }
    if (first === -1) first = c;
    if (c !== first) repeated = false;
    if (++prefix > MAX_LINE_PREFIX && !repeated) return true;
  }
  return false;
}
