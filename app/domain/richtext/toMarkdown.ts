/**
 * Document → Markdown, for content export and for refilling the plain textarea (no JavaScript, or before the
 * editor has loaded). `docFromMarkdown` reads the result back to the same document. Deliberately free of
 * dependencies: RichTextField imports it into every page with a form, where no editor code may be shipped.
 */
import { imageIdOf } from "../images.ts";
import type { RichDoc, RichMark, RichNode } from "./types.ts";

/** Set for one docToMarkdown call (synchronous): pictures as `![description](/bilder/<id>)` lines. */
let picturesAsMarkdown = false;

/** Inline punctuation that could start Markdown syntax; escaped with a backslash. */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, "\\$&")
    .replace(/&(?=#?[a-z0-9]+;)/gi, "\\&")
    .replace(/@(?=[a-z0-9])/gi, "\\@") // not a mention on the way back in
    .replace(/:(?=\/\/)/g, "\\:") // not a GFM autolink
    .replace(/\b(www)\./gi, "$1\\.");
}

/** Line starts that would turn a paragraph line into a heading, list, quote or setext underline. */
function escapeLineStarts(block: string): string {
  return block
    .split("\n")
    .map((line) =>
      line
        .replace(/^(\s*)(#{1,6})(?=\s|$)/, "$1\\$2")
        .replace(/^(\s*)([-+])(?=\s|$)/, "$1\\$2")
        .replace(/^(\s*)([-=])(?=[-=\s]*$)/, "$1\\$2")
        .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, "$1\\$2"),
    )
    .join("\n");
}

function sameMark(a: RichMark, b: RichMark): boolean {
  return a.type === b.type && JSON.stringify(a.attrs ?? {}) === JSON.stringify(b.attrs ?? {});
}

function openMark(mark: RichMark): string {
  return mark.type === "bold" ? "**" : mark.type === "italic" ? "*" : mark.type === "link" ? "[" : "";
}

function closeMark(mark: RichMark): string {
  if (mark.type === "bold") return "**";
  if (mark.type === "italic") return "*";
  if (mark.type !== "link") return "";
  const href = String(mark.attrs?.href ?? "");
  const dest = /[\s()<>]/.test(href) ? `<${href.replace(/[<>\s]/g, encodeURIComponent)}>` : href;
  return `](${dest})`;
}

const MARK_ORDER = ["link", "bold", "italic"];

function inlineMarkdown(nodes: RichNode[]): string {
  let out = "";
  const open: RichMark[] = [];
  const closeTo = (depth: number) => {
    // Whitespace must sit outside the delimiters, or `** a**` is not bold.
    const trailing = out.slice(out.trimEnd().length); // not /\s*$/, which is quadratic on long runs of spaces
    out = out.slice(0, out.length - trailing.length);
    while (open.length > depth) out += closeMark(open.pop()!);
    out += trailing;
  };
  for (const node of nodes) {
    let marks = (Array.isArray(node.marks) ? node.marks : []).filter((m) => MARK_ORDER.includes(m.type));
    const isText = node.type === "text" && typeof node.text === "string";
    // Emphasis around nothing but whitespace (or a line break) cannot be written in Markdown.
    if ((isText && !node.text!.trim()) || node.type === "hardBreak") marks = marks.filter((m) => m.type === "link");
    marks.sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
    let keep = 0;
    while (keep < open.length && marks.some((m) => sameMark(m, open[keep]))) keep++;
    if (keep < open.length) closeTo(keep);
    const toOpen = marks.filter((m) => !open.some((o) => sameMark(o, m)));
    let body = "";
    if (isText) body = escapeText(node.text!);
    else if (node.type === "hardBreak") body = "\n";
    else if (node.type === "mention") body = `@${String(node.attrs?.id ?? "")}`;
    const leading = toOpen.length ? (/^\s*/.exec(body)?.[0] ?? "") : "";
    out += leading;
    for (const mark of toOpen) {
      out += openMark(mark);
      open.push(mark);
    }
    out += body.slice(leading.length);
  }
  closeTo(0);
  return escapeLineStarts(out);
}

function indent(text: string, prefix: string, first = prefix): string {
  return text
    .split("\n")
    .map((line, i) => (i === 0 ? first : line ? prefix : prefix.trimEnd()) + line)
    .join("\n");
}

function kids(node: RichNode): RichNode[] {
  return Array.isArray(node.content) ? node.content.filter((c) => c && typeof c === "object") : [];
}

function blocksMarkdown(nodes: RichNode[], inListItem = false): string {
  let out = "";
  for (const node of nodes) {
    const block = blockMarkdown(node);
    if (block === "") continue;
    // A list nested right under an item's text stays tight ("- a\n  - b"), which reads better; only an ordered
    // list starting at 1 may interrupt a paragraph in CommonMark.
    const tight =
      inListItem &&
      (node.type === "bulletList" || (node.type === "orderedList" && Number(node.attrs?.start ?? 1) === 1));
    out += out ? (tight ? "\n" : "\n\n") + block : block;
  }
  return out;
}

function blockMarkdown(node: RichNode): string {
  switch (node.type) {
    case "heading": {
      const level = Math.min(4, Math.max(2, Number(node.attrs?.level) || 2));
      // A Markdown heading is one line.
      const text = inlineMarkdown(
        kids(node).map((n) => (n.type === "hardBreak" ? { ...n, type: "text", text: " " } : n)),
      );
      return text.trim() ? `${"#".repeat(level)} ${text}` : "";
    }
    case "bulletList":
    case "orderedList": {
      const start = Number(node.attrs?.start) >= 1 ? Number(node.attrs!.start) : 1;
      const items = kids(node).map((item, i) => {
        const marker = node.type === "bulletList" ? "- " : `${start + i}. `;
        const body = blocksMarkdown(kids(item), true);
        return indent(body, " ".repeat(marker.length), marker);
      });
      return items.join("\n");
    }
    case "blockquote":
      return indent(blocksMarkdown(kids(node)) || "", "> ");
    case "paragraph":
      return inlineMarkdown(kids(node));
    case "image":
      // For the plain textarea, the picture itself (docFromMarkdown's resolveImage reads it back). Otherwise pictures
      // stay on the site and the Markdown keeps their description.
      if (picturesAsMarkdown && imageIdOf(node.attrs?.src))
        return `![${escapeText(String(node.attrs?.alt ?? "")).replace(/\n/g, " ")}](${String(node.attrs?.src)})`;
      return inlineMarkdown([{ type: "text", text: `[Bild: ${String(node.attrs?.alt ?? "")}]` }]);
    case "doc":
    case "listItem":
      return blocksMarkdown(kids(node));
    default:
      return inlineMarkdown(kids(node));
  }
}

/**
 * A document as Markdown (for export); `docFromMarkdown` reads it back to the same document. Never throws.
 * `pictures`: our pictures as `![description](/bilder/<id>)`, for the plain textarea of a post being edited.
 */
export function docToMarkdown(
  doc: RichDoc | RichNode | null | undefined,
  options: { pictures?: boolean } = {},
): string {
  picturesAsMarkdown = !!options.pictures;
  try {
    return doc && typeof doc === "object" ? blockMarkdown(doc as RichNode) : "";
  } catch {
    return "";
  } finally {
    picturesAsMarkdown = false;
  }
}
