/**
 * When a member deletes their account, mentions of them in other members' texts must no longer carry their name or
 * handle: each mention node becomes the plain text "@ehemaliges Mitglied" (with the same marks). Works on any JSON
 * (post bodies, revisions, drafts with their own wrapping), so every stored shape is covered.
 */
export const FORMER_MEMBER = "ehemaliges Mitglied";

export function withoutMentionOf(value: unknown, handle: string): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const obj = node as Record<string, unknown>;
    const attrs = obj.attrs as Record<string, unknown> | undefined;
    if (obj.type === "mention" && attrs && String(attrs.id ?? "").toLowerCase() === handle.toLowerCase()) {
      changed = true;
      const text: Record<string, unknown> = { type: "text", text: `@${FORMER_MEMBER}` };
      if (Array.isArray(obj.marks) && obj.marks.length > 0) text.marks = obj.marks;
      return text;
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, walk(v)]));
  };
  const value2 = walk(value);
  return { value: changed ? value2 : value, changed };
}

/**
 * When a member deletes their account, their pictures go (issue 19): in the texts that stay (posts kept without a
 * name, published materials), each of their image nodes becomes a paragraph "[Bild entfernt]", so the text still
 * reads and no <img> points at a deleted file.
 */
export function withoutImages(value: unknown, srcs: Set<string>): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const obj = node as Record<string, unknown>;
    const attrs = obj.attrs as Record<string, unknown> | undefined;
    if (obj.type === "image" && attrs && srcs.has(String(attrs.src))) {
      changed = true;
      return { type: "paragraph", content: [{ type: "text", text: "[Bild entfernt]" }] };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, walk(v)]));
  };
  const value2 = walk(value);
  return { value: changed ? value2 : value, changed };
}
