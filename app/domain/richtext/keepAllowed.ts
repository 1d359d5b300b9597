/**
 * Keeps the editor's document inside what `validateDoc` accepts, whatever changed it: pasted or dropped HTML
 * (tiptap copies `target`, `class`, `<ol type>` and any `href` it does not recognise as unsafe), input rules
 * ("0. " starts a list at 0) or commands. Without this a member could end up with a post the server refuses for
 * reasons they cannot see. Browser-safe, no DOM needed (unit-tested on a bare EditorState).
 */
import type { Mark, Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type Transaction } from "@tiptap/pm/state";
import { IMAGE_SRC } from "../images.ts";
import { HANDLE_PATTERN, isSafeHref, LINK_REL, MAX_MENTION_LABEL } from "./rules.ts";

export const keepAllowedKey = new PluginKey("keepAllowed");

function linkIsClean(mark: Mark): boolean {
  const { href, target, rel, class: cls, title } = mark.attrs;
  return isSafeHref(href) && target === null && rel === LINK_REL && cls === null && title === null;
}

function fix(doc: PMNode, tr: Transaction): void {
  doc.descendants((node, oldPos) => {
    // Earlier fixes may have shifted this node (a mention becoming text changes the size).
    const pos = tr.mapping.map(oldPos);
    if (node.type.name === "orderedList") {
      const { start, type } = node.attrs;
      const goodStart = Number.isSafeInteger(start) && start >= 1;
      if (!goodStart || type !== null) {
        tr.setNodeMarkup(pos, undefined, { ...node.attrs, start: goodStart ? start : 1, type: null });
      }
    } else if (node.type.name === "image") {
      // Only pictures uploaded here (with the size the server recorded) can be stored; anything else would be refused.
      const { src, width, height } = node.attrs;
      if (typeof src !== "string" || !IMAGE_SRC.test(src) || !(width > 0) || !(height > 0))
        tr.delete(pos, pos + node.nodeSize);
      return false;
    } else if (node.type.name === "mention") {
      const { id, label } = node.attrs;
      if (typeof id !== "string" || !HANDLE_PATTERN.test(id)) {
        // Not a member we know: keep what the reader saw, as text.
        const text = `@${String(label ?? id ?? "")}`;
        tr.replaceWith(pos, pos + node.nodeSize, doc.type.schema.text(text, node.marks));
      } else if (typeof label === "string" && (label.length > MAX_MENTION_LABEL || !label.trim())) {
        tr.setNodeMarkup(pos, undefined, { ...node.attrs, label: label.trim().slice(0, MAX_MENTION_LABEL) || null });
      }
    }
    if (node.isInline) {
      for (const mark of node.marks) {
        if (mark.type.name !== "link" || linkIsClean(mark)) continue;
        const from = pos;
        const to = pos + node.nodeSize;
        tr.removeMark(from, to, mark);
        if (isSafeHref(mark.attrs.href)) tr.addMark(from, to, mark.type.create({ href: mark.attrs.href }));
      }
    }
    return true;
  });
}

export function keepAllowedPlugin(): Plugin {
  return new Plugin({
    key: keepAllowedKey,
    appendTransaction(transactions, _old, state) {
      if (!transactions.some((t) => t.docChanged)) return null;
      const tr = state.tr;
      fix(state.doc, tr);
      return tr.docChanged ? tr : null;
    },
  });
}
