/**
 * The write-side gate for rich text (house rule 5). tiptap's renderer throws on unknown node or mark types and on
 * empty text nodes, and passes odd attribute values through, so every document is checked here against an explicit
 * allow-list before it is stored. Never throws.
 */
import { Node } from "@tiptap/pm/model";
import { IMAGE_SRC, MAX_ALT_CHARS, MAX_IMAGES_PER_DOC } from "../images.ts";
import { HANDLE_PATTERN, isSafeHref, LINK_REL, MAX_MENTION_LABEL } from "./rules.ts";
import { richSchema } from "./schema.ts";
import type { RichDoc } from "./types.ts";
import { MAX_DOC_CHARS, MAX_TEXT_CHARS } from "./types.ts";

export type ValidateResult = { ok: true; doc: RichDoc } | { ok: false; message: string };
type Checked = { ok: true; node: Node } | { ok: false; message: string };

const MSG = {
  unreadable: "Der Text konnte nicht gelesen werden. Bitte versuch es noch einmal.",
  tooBig: "Der Text ist zu umfangreich.",
  format: "Der Text enthält eine nicht erlaubte Formatierung.",
  heading: "Erlaubt sind nur Überschriften der Ebenen 2 bis 4.",
  link: "Links dürfen nur mit http://, https:// oder mailto: beginnen oder auf eine Seite dieser Website zeigen (/…).",
  mention: "Eine Erwähnung ist ungültig.",
  empty: "Bitte schreib einen Text.",
  imageSrc: "Bilder können nur von dieser Website stammen: Bitte füge das Bild über „Bild einfügen“ ein.",
  imageAlt:
    "Bitte beschreibe jedes Bild in einem Alternativtext (was darauf zu sehen ist), damit auch Menschen, die es nicht sehen, wissen, worum es geht.",
  imageAltLong: `Ein Alternativtext darf höchstens ${MAX_ALT_CHARS} Zeichen lang sein; Ausführliches gehört in den Text.`,
  imageCount: `Ein Beitrag kann höchstens ${MAX_IMAGES_PER_DOC} Bilder enthalten.`,
  tooLong: (n: number) =>
    `Der Text ist zu lang: höchstens ${formatCount(MAX_TEXT_CHARS)} Zeichen, jetzt ${formatCount(n)}.`,
};

const MAX_DEPTH = 40;

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

type AttrCheck = (value: unknown) => string | null;
const ok = null;
const onlyNull: AttrCheck = (v) => (v === null ? ok : MSG.format);
const pixels: AttrCheck = (v) =>
  Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 20_000 ? ok : MSG.format;

/** Per type: the attributes it may carry (tiptap writes defaults such as `target: null` into its JSON). */
const NODE_ATTRS: Record<string, Record<string, AttrCheck>> = {
  doc: {},
  paragraph: {},
  text: {},
  hardBreak: {},
  blockquote: {},
  bulletList: {},
  listItem: {},
  heading: { level: (v) => (v === 2 || v === 3 || v === 4 ? ok : MSG.heading) },
  orderedList: {
    start: (v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? ok : MSG.format),
    type: onlyNull,
  },
  mention: {
    id: (v) => (typeof v === "string" && HANDLE_PATTERN.test(v) ? ok : MSG.mention),
    label: (v) =>
      v === null || (typeof v === "string" && v.trim() !== "" && v.length <= MAX_MENTION_LABEL) ? ok : MSG.mention,
    mentionSuggestionChar: (v) => (v === "@" ? ok : MSG.mention),
  },
  image: {
    // Only our own pictures: no other host, no data: URL, no path elsewhere on the site.
    src: (v) => (typeof v === "string" && IMAGE_SRC.test(v) ? ok : MSG.imageSrc),
    alt: (v) =>
      typeof v !== "string" || !v.trim() || /[\u0000-\u001f\u007f]/.test(v)
        ? MSG.imageAlt
        : v.length > MAX_ALT_CHARS
          ? MSG.imageAltLong
          : ok,
    width: pixels,
    height: pixels,
  },
};
const REQUIRED_ATTRS: Record<string, string[]> = {
  heading: ["level"],
  mention: ["id"],
  image: ["src", "alt", "width", "height"],
};

const MARK_ATTRS: Record<string, Record<string, AttrCheck>> = {
  bold: {},
  italic: {},
  link: {
    href: (v) => (isSafeHref(v) ? ok : MSG.link),
    target: onlyNull,
    class: onlyNull,
    rel: (v) => (v === null || v === LINK_REL ? ok : MSG.format),
    // The editor never sets a title and Markdown titles are dropped on import: nothing user-written in attributes.
    title: onlyNull,
  },
};

const NODE_KEYS = new Set(["type", "attrs", "content", "marks", "text"]);
const MARK_KEYS = new Set(["type", "attrs"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function lookup<T>(table: Record<string, T>, key: unknown): T | undefined {
  return typeof key === "string" && Object.hasOwn(table, key) ? table[key] : undefined;
}

function checkAttrs(attrs: unknown, allowed: Record<string, AttrCheck>, required: string[] = []): string | null {
  if (attrs === undefined) return required.length ? MSG.format : ok;
  if (!isRecord(attrs)) return MSG.format;
  for (const name of required) if (!Object.hasOwn(attrs, name)) return MSG.format;
  for (const [name, value] of Object.entries(attrs)) {
    const check = lookup(allowed, name);
    if (!check) return MSG.format;
    const error = check(value);
    if (error) return error;
  }
  return ok;
}

interface Tally {
  chars: number;
  visible: boolean;
  images: number;
}

function checkMarks(marks: unknown): string | null {
  if (marks === undefined) return ok;
  if (!Array.isArray(marks)) return MSG.format;
  const seen = new Set<string>();
  for (const mark of marks) {
    if (!isRecord(mark) || Object.keys(mark).some((k) => !MARK_KEYS.has(k))) return MSG.format;
    const allowed = lookup(MARK_ATTRS, mark.type);
    if (!allowed || seen.has(mark.type as string)) return MSG.format;
    seen.add(mark.type as string);
    const error = checkAttrs(mark.attrs, allowed, mark.type === "link" ? ["href"] : []);
    if (error) return error;
  }
  return ok;
}

function checkNode(node: unknown, depth: number, tally: Tally): string | null {
  if (depth > MAX_DEPTH) return MSG.format;
  if (!isRecord(node) || Object.keys(node).some((k) => !NODE_KEYS.has(k))) return MSG.format;
  const allowed = lookup(NODE_ATTRS, node.type);
  if (!allowed) return MSG.format;
  const attrError = checkAttrs(node.attrs, allowed, REQUIRED_ATTRS[node.type as string]);
  if (attrError) return attrError;
  const markError = checkMarks(node.marks);
  if (markError) return markError;

  if (node.type === "text") {
    if (typeof node.text !== "string" || node.text === "" || node.content !== undefined) return MSG.format;
    tally.chars += node.text.length;
    if (node.text.trim() !== "") tally.visible = true;
    return ok;
  }
  if (node.text !== undefined) return MSG.format;
  if (node.type === "image") {
    tally.visible = true;
    if (++tally.images > MAX_IMAGES_PER_DOC) return MSG.imageCount;
  }
  if (node.type === "mention") {
    const attrs = (node.attrs ?? {}) as Record<string, unknown>;
    const label = attrs.label ?? attrs.id;
    tally.chars += 1 + String(label).length;
    tally.visible = true;
  }
  if (node.content === undefined) return ok;
  if (!Array.isArray(node.content)) return MSG.format;
  for (const child of node.content) {
    const error = checkNode(child, depth + 1, tally);
    if (error) return error;
  }
  return ok;
}

/** The checks of `validateDoc`, returning the ProseMirror node (the renderer serializes it directly). */
export function checkDoc(input: unknown): Checked {
  try {
    if (!isRecord(input)) return { ok: false, message: MSG.unreadable };
    // Work on a JSON snapshot: no getters, prototypes or toJSON tricks can differ between check and use.
    const json = JSON.stringify(input);
    if (typeof json !== "string") return { ok: false, message: MSG.unreadable };
    if (json.length > MAX_DOC_CHARS) return { ok: false, message: MSG.tooBig };
    const snapshot: unknown = JSON.parse(json);
    if (!isRecord(snapshot) || snapshot.type !== "doc") return { ok: false, message: MSG.format };

    const tally: Tally = { chars: 0, visible: false, images: 0 };
    const error = checkNode(snapshot, 0, tally);
    if (error) return { ok: false, message: error };
    if (!tally.visible) return { ok: false, message: MSG.empty };
    if (tally.chars > MAX_TEXT_CHARS) return { ok: false, message: MSG.tooLong(tally.chars) };
    try {
      const node = Node.fromJSON(richSchema(), snapshot);
      node.check();
      return { ok: true, node };
    } catch {
      return { ok: false, message: MSG.format };
    }
  } catch {
    // Anything unforeseen (a cyclic structure, a BigInt, a hostile proxy) is simply unreadable input.
    return { ok: false, message: MSG.unreadable };
  }
}

/**
 * Accepts a tiptap JSON document only if it uses allow-listed nodes, marks and attributes, fits the schema and
 * the size limits, and has visible text. Returns the canonical JSON (defaults filled in, marks ordered) to store.
 */
export function validateDoc(input: unknown): ValidateResult {
  const checked = checkDoc(input);
  return checked.ok ? { ok: true, doc: checked.node.toJSON() as RichDoc } : checked;
}
