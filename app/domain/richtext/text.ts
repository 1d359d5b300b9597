/**
 * Plain-text views of a document and small document builders. Every function here tolerates malformed input
 * (it may be handed an old or hand-edited document) and never throws.
 */
import { HANDLE_PATTERN } from "./rules.ts";
import type { RichDoc, RichNode } from "./types.ts";

function children(node: unknown): RichNode[] {
  const content = (node as RichNode | null)?.content;
  return Array.isArray(content) ? content.filter((c) => c !== null && typeof c === "object") : [];
}

function inlineText(nodes: RichNode[]): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text" && typeof node.text === "string") out += node.text;
    else if (node.type === "hardBreak") out += "\n";
    else if (node.type === "mention") out += `@${String(node.attrs?.label ?? node.attrs?.id ?? "")}`;
    else out += inlineText(children(node));
  }
  return out;
}

function blockText(node: RichNode): string {
  switch (node.type) {
    case "bulletList":
    case "orderedList": {
      const start = typeof node.attrs?.start === "number" ? node.attrs.start : 1;
      return children(node)
        .map((item, i) => {
          const marker = node.type === "bulletList" ? "- " : `${start + i}. `;
          const body = children(item).map(blockText).filter(Boolean).join("\n");
          return marker + body.replace(/\n/g, `\n${" ".repeat(marker.length)}`);
        })
        .join("\n");
    }
    case "blockquote":
    case "doc":
    case "listItem":
      return children(node).map(blockText).filter(Boolean).join("\n\n");
    case "image":
      return `[Bild: ${String(node.attrs?.alt ?? "")}]`;
    default:
      return inlineText(children(node)).trim();
  }
}

/** Plain text for search, snippets, notification previews and quote-replies; blocks separated by blank lines. */
export function docToText(doc: RichDoc | RichNode | null | undefined): string {
  if (!doc || typeof doc !== "object") return "";
  return blockText(doc as RichNode).trim();
}

/** Handles of all members mentioned in the document, each once, in order of appearance. */
export function mentionedHandles(doc: RichDoc | RichNode | null | undefined): string[] {
  const found = new Set<string>();
  const visit = (node: RichNode) => {
    if (node.type === "mention") {
      const id = node.attrs?.id;
      if (typeof id === "string" && HANDLE_PATTERN.test(id)) found.add(id);
    }
    children(node).forEach(visit);
  };
  if (doc && typeof doc === "object") visit(doc as RichNode);
  return [...found];
}

/** Paragraph content for plain text: single newlines become hard breaks, no empty text nodes. */
function textInline(text: string): RichNode[] {
  const nodes: RichNode[] = [];
  text.split("\n").forEach((line, i) => {
    if (i > 0) nodes.push({ type: "hardBreak" });
    if (line) nodes.push({ type: "text", text: line });
  });
  return nodes;
}

/** Plain text as paragraphs (split at blank lines); no Markdown is interpreted. */
export function paragraphsFromText(text: string): RichNode[] {
  return String(text ?? "")
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/^\n+/, "").trimEnd()) // not /\s+$/, which is quadratic on long runs of spaces
    .filter((p) => p.trim() !== "")
    .map((p) => ({ type: "paragraph", content: textInline(p) }));
}

export function textDoc(text: string): RichDoc {
  const paragraphs = paragraphsFromText(text);
  return { type: "doc", content: paragraphs.length ? paragraphs : [{ type: "paragraph" }] };
}

/**
 * Prefill for a quote-reply: "<author> schrieb:", the quoted text as a blockquote, and an empty paragraph
 * where the cursor goes.
 */
export function quoteDoc(text: string, authorLabel: string): RichDoc {
  const quoted = paragraphsFromText(text);
  const author = String(authorLabel ?? "").trim();
  return {
    type: "doc",
    content: [
      ...(author ? [{ type: "paragraph", content: [{ type: "text", text: `${author} schrieb:` }] }] : []),
      { type: "blockquote", content: quoted.length ? quoted : [{ type: "paragraph" }] },
      { type: "paragraph" },
    ],
  };
}
