import { inArray } from "drizzle-orm";
import { images, users } from "../../../db/schema/index.ts";
import { imageIdOf, imageSrc, MAX_IMAGES_PER_DOC } from "../../domain/images.ts";
import { imageSrcsInText } from "../../domain/richtext/markdown.ts";
import { db } from "../db.server.ts";
import { docFromMarkdown, handlesInText, MAX_TEXT_CHARS, renderBody, type RenderedBody } from "../richtext.server.ts";
import type { BodyResult } from "../richtext/job.server.ts";
import { renderOffThread } from "../richtext/pool.server.ts";

export type { RenderedBody } from "../richtext.server.ts";
export { renderBody };

/**
 * The body of a post from a submitted form: the editor's JSON (`<field>Json`) when JavaScript ran, otherwise the
 * plain textarea (`<field>`, Markdown-ish). Either way it is validated against the allow-list and rendered once, in
 * the rich-text worker: a long list or a deep nesting of the allowed size costs the parser hundreds of milliseconds.
 */
export async function bodyFromForm(formData: FormData, field = "body"): Promise<BodyResult> {
  const json = formData.get(`${field}Json`);
  const text = formData.get(field);
  if (typeof json === "string" && json.trim() !== "") {
    if (json.length > MAX_TEXT_CHARS * 4) return { ok: false, message: "Der Text ist zu lang." };
    return renderOffThread({ kind: "json", json });
  }
  if (typeof text !== "string") return { ok: false, message: "Bitte schreib einen Text." };
  if (text.length > MAX_TEXT_CHARS) {
    return {
      ok: false,
      message: `Der Text ist zu lang (höchstens ${MAX_TEXT_CHARS.toLocaleString("de-DE")} Zeichen).`,
    };
  }
  // @kurzname in the plain textarea becomes a mention when such a member exists; a line `![…](/bilder/<id>)` (a
  // picture of a post edited without JavaScript) the picture, with its recorded size (claimImages checks whose).
  const [members, pictures] = await Promise.all([
    membersByHandle(handlesInText(text)),
    imageSizes(imageSrcsInText(text)),
  ]);
  const names = Object.fromEntries(members.map((m) => [m.handle, m.displayName]));
  return renderOffThread({ kind: "markdown", text, names, pictures: Object.fromEntries(pictures) });
}

/** The recorded sizes of our pictures named in a text, by `src`. */
async function imageSizes(srcs: string[]): Promise<Map<string, { width: number; height: number }>> {
  const ids = srcs
    .map((src) => imageIdOf(src))
    .filter((id): id is string => id !== null)
    .slice(0, MAX_IMAGES_PER_DOC);
  if (ids.length === 0) return new Map();
  const rows = await db()
    .select({ id: images.id, width: images.width, height: images.height })
    .from(images)
    .where(inArray(images.id, ids));
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
