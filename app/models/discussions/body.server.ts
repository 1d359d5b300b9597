import { inArray } from "drizzle-orm";
import { images, users } from "../../../db/schema/index.ts";
import { imageIdOf, imageSrc, MAX_IMAGES_PER_DOC } from "../../domain/images.ts";
import { imageSrcsInText } from "../../domain/richtext/markdown.ts";
import { db } from "../db.server.ts";
import {
  docFromMarkdown,
  docToText,
  handlesInText,
  mentionedHandles,
  MAX_TEXT_CHARS,
  renderHtml,
  validateDoc,
  type RichDoc,
} from "../richtext.server.ts";

export interface RenderedBody {
  doc: RichDoc;
  html: string;
  text: string;
  mentions: string[];
}

/**
 * The body of a post from a submitted form: the editor's JSON (`<field>Json`) when JavaScript ran, otherwise the
 * plain textarea (`<field>`, Markdown-ish). Either way it is validated against the allow-list and rendered once here.
 */
export async function bodyFromForm(
  formData: FormData,
  field = "body",
): Promise<{ ok: true; body: RenderedBody } | { ok: false; message: string }> {
  const json = formData.get(`${field}Json`);
  const text = formData.get(field);
  let candidate: unknown;
  if (typeof json === "string" && json.trim() !== "") {
    if (json.length > MAX_TEXT_CHARS * 4) return { ok: false, message: "Der Text ist zu lang." };
    try {
      candidate = JSON.parse(json);
    } catch {
      return { ok: false, message: "Der Text konnte nicht gelesen werden. Bitte versuche es noch einmal." };
    }
  } else if (typeof text === "string") {
    if (text.length > MAX_TEXT_CHARS) {
      return { ok: false, message: `Der Text ist zu lang (höchstens ${MAX_TEXT_CHARS.toLocaleString("de-DE")} Zeichen).` };
    }
    // @kurzname in the plain textarea becomes a mention when such a member exists; a line `![…](/bilder/<id>)` (a
    // picture of a post edited without JavaScript) the picture, with its recorded size (claimImages checks whose).
    const [members, pictures] = await Promise.all([membersByHandle(handlesInText(text)), imageSizes(imageSrcsInText(text))]);
    const known = new Map(members.map((m) => [m.handle, m.displayName]));
    candidate = docFromMarkdown(text, { resolveMention: (handle) => known.get(handle) ?? null, resolveImage: (src) => pictures.get(src) ?? null });
  } else {
    return { ok: false, message: "Bitte schreib einen Text." };
  }
  return renderBody(candidate);
}

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

/** The recorded sizes of our pictures named in a text, by `src`. */
async function imageSizes(srcs: string[]): Promise<Map<string, { width: number; height: number }>> {
  const ids = srcs.map((src) => imageIdOf(src)).filter((id): id is string => id !== null).slice(0, MAX_IMAGES_PER_DOC);
  if (ids.length === 0) return new Map();
  const rows = await db().select({ id: images.id, width: images.width, height: images.height }).from(images).where(inArray(images.id, ids));
  return new Map(rows.map((r) => [imageSrc(r.id), { width: r.width, height: r.height }]));
}

async function membersByHandle(handles: string[]) {
  if (handles.length === 0) return [];
  return db()
    .select({ handle: users.handle, displayName: users.displayName })
    .from(users)
    .where(inArray(users.handle, handles.slice(0, 20)));
}

/** Handles that belong to active members, with their ids (mentions of anyone else notify nobody). */
export async function resolveMentions(handles: string[]): Promise<{ id: string; handle: string }[]> {
  if (handles.length === 0) return [];
  return db()
    .select({ id: users.id, handle: users.handle })
    .from(users)
    .where(inArray(users.handle, handles.slice(0, 20)));
}

/** Markdown (import, seed) to a validated, rendered body; invalid input is an error for the caller to report. */
export function renderMarkdown(markdown: string): RenderedBody {
  const result = renderBody(docFromMarkdown(markdown));
  if (!result.ok) throw new Error(result.message);
  return result.body;
}
