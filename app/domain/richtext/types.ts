/**
 * Stored rich text: tiptap's JSON (ProseMirror's `Node.toJSON()` shape). Only documents that passed
 * `validateDoc` are stored, so readers may rely on the allow-listed node and mark types.
 */
export type RichMark = { type: string; attrs?: Record<string, unknown> };
export type RichNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: RichNode[];
  marks?: RichMark[];
  text?: string;
};
export type RichDoc = RichNode & { type: "doc"; content?: RichNode[] };

/** Size of the stored JSON, in characters: bounds the work validation and rendering can be made to do. */
export const MAX_DOC_CHARS = 200_000;
/** Visible characters of a post (text and mention labels). */
export const MAX_TEXT_CHARS = 50_000;
