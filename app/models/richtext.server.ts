/**
 * Rich text for posts and materials: validate on write, render on read, convert to and from Markdown and text.
 * The pure parts live in app/domain/richtext/ (the browser editor shares them); rendering needs happy-dom and is
 * server-only.
 */
import { DOMSerializer, type Node } from "@tiptap/pm/model";
import { Window } from "happy-dom";
import { richSchema } from "../domain/richtext/schema.ts";
import { escapeHtml } from "../domain/html.ts";
import { docToText, mentionedHandles } from "../domain/richtext/text.ts";
import type { RichDoc } from "../domain/richtext/types.ts";
import { checkDoc, validateDoc } from "../domain/richtext/validate.ts";
import { docFromMarkdown } from "../domain/richtext/markdown.ts";

export type { RichDoc, RichMark, RichNode } from "../domain/richtext/types.ts";
export { MAX_DOC_CHARS, MAX_TEXT_CHARS } from "../domain/richtext/types.ts";
export { validateDoc, type ValidateResult } from "../domain/richtext/validate.ts";
export { docFromMarkdown, handlesInText, type MarkdownOptions } from "../domain/richtext/markdown.ts";
export { docToMarkdown } from "../domain/richtext/toMarkdown.ts";
export { docToText, mentionedHandles, quoteDoc, textDoc } from "../domain/richtext/text.ts";

// tiptap's generateHTML (@tiptap/html/server) builds a schema and a fresh happy-dom window on every call (~4 ms);
// a page of posts cannot afford that. This is the same DOMSerializer it uses, with the schema and one window
// (scripts, styles and frames disabled, as there) kept for the life of the process.
let window: Window | null = null;
let serializer: DOMSerializer | null = null;

function serialize(node: Node): string {
  window ??= new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  serializer ??= DOMSerializer.fromSchema(richSchema());
  const document = window.document as unknown as Document;
  const wrap = document.createElement("div");
  serializer.serializeFragment(node.content, { document }, wrap);
  return wrap.innerHTML;
}

/**
 * Builds the schema, the window and the serializer, and runs the Markdown parser once: 82 ms the first time in a
 * CPU profile, paid when the rich-text worker starts rather than by the first member who posts.
 */
export function prepareRichText(): void {
  renderHtml(docFromMarkdown("**Start** mit _Text_ und [Link](/)\n\n- Liste"));
}

export interface RenderedBody {
  doc: RichDoc;
  html: string;
  text: string;
  mentions: string[];
}

/** A candidate document (editor JSON or parsed Markdown) checked against the allow-list and rendered once. */
export function renderBody(candidate: unknown): { ok: true; body: RenderedBody } | { ok: false; message: string } {
  const checked = validateDoc(candidate);
  if (!checked.ok) return checked;
  return {
    ok: true,
    body: {
      doc: checked.doc,
      html: renderHtml(checked.doc),
      text: docToText(checked.doc),
      mentions: mentionedHandles(checked.doc),
    },
  };
}

/**
 * HTML for a stored document. The document is checked again on the way out (about as cheap as parsing it), so an
 * old, hand-edited or otherwise unvalidated row can neither make tiptap throw nor smuggle anything into the page:
 * whatever fails the allow-list is shown as escaped plain text instead.
 */
export function renderHtml(doc: RichDoc): string {
  const checked = checkDoc(doc);
  if (checked.ok) {
    try {
      return serialize(checked.node);
    } catch {
      // fall through to plain text
    }
  }
  return docToText(doc)
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== "")
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
}
