/**
 * A picture attached through the plain form, without JavaScript (ADR 031): the reply and new-thread forms are
 * multipart and carry, next to the textarea, a file field `<field>Bild`, its description `<field>BildAlt` and, after a
 * refusal, the picture already uploaded `<field>BildId` (a file field cannot be filled again by the page, so the
 * picture is kept on the server instead of being picked twice). The picture goes through the same `storeImage` as the
 * editor's upload (type sniffed from the bytes, size and pixel limits, limits per member and day, processing in the
 * worker) and, described, is appended to the text as an image node, which then passes the same validation and
 * `claimImages` as any other.
 */
import { Readable } from "node:stream";
import { and, eq, isNull } from "drizzle-orm";
import { images } from "../../../db/schema/index.ts";
import type { Actor } from "../../auth/permissions.ts";
import { imageSrc, MAX_ALT_CHARS } from "../../domain/images.ts";
import type { RichNode } from "../../domain/richtext/types.ts";
import { bodyFromForm, renderBody, type RenderedBody } from "../discussions/body.server.ts";
import { db } from "../db.server.ts";
import { isRefusal } from "../errors.server.ts";
import { discardImage, imageMessages, storeImage } from "./images.server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const formPictureMessages = {
  altMissing:
    "Bitte beschreibe das Bild im Feld „Bildbeschreibung“ – für Menschen, die es nicht sehen können. Dein Bild ist schon hochgeladen und bleibt hier, bis du den Beitrag sendest.",
  altWithoutPicture:
    "Du hast eine Bildbeschreibung geschrieben, aber kein Bild ausgewählt. Bitte wähle ein Bild aus oder leere das Feld.",
  altLong: `Die Bildbeschreibung darf höchstens ${MAX_ALT_CHARS} Zeichen lang sein; Ausführliches gehört in den Text.`,
  gone: imageMessages.gone,
} as const;

/** A picture the member uploaded through the form that is not in a post yet: shown again after a refusal. */
export interface FormPicture {
  id: string;
  width: number;
  height: number;
}

export interface FormPictureResult {
  /** The image node for the text, when a picture came with a description. */
  node: RichNode | null;
  /** The uploaded picture to offer again if the form is refused. */
  kept: FormPicture | null;
  /** A German message for the picture's fields (field `<field>Bild`), or null. */
  error: string | null;
  /** 429 when the day's pictures are used up, else 400 (only meaningful with an error). */
  status: 400 | 429;
}

/** The actor's own picture that belongs to nothing yet (uploaded through the form before a refusal). */
async function keptPicture(actor: Actor, id: string): Promise<FormPicture | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db()
    .select({ id: images.id, width: images.width, height: images.height })
    .from(images)
    .where(and(eq(images.id, id), eq(images.uploadedBy, actor.id), isNull(images.postId), isNull(images.materialId)));
  return row ?? null;
}

/** Reads the picture fields of a plain form; stores a new picture (replacing one kept from an earlier try). */
export async function pictureFromForm(actor: Actor, formData: FormData, field = "body"): Promise<FormPictureResult> {
  const file = formData.get(`${field}Bild`);
  const alt = String(formData.get(`${field}BildAlt`) ?? "").trim();
  const keptId = String(formData.get(`${field}BildId`) ?? "");
  let kept = keptId ? await keptPicture(actor, keptId) : null;
  const answer = (error: string | null, status: 400 | 429 = 400): FormPictureResult => ({
    node: null,
    kept,
    error,
    status,
  });
  if (keptId && !kept) return answer(formPictureMessages.gone);

  // A browser sends an empty part for a file field nobody used.
  if (file && typeof file !== "string" && (file.size > 0 || file.name)) {
    try {
      const stored = await storeImage(actor, {
        stream: Readable.from(Buffer.from(await file.arrayBuffer())),
        filename: file.name,
      });
      if (kept) await discardImage(actor, kept.id);
      kept = { id: stored.id, width: stored.width, height: stored.height };
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return answer(error.message, error.status === 429 ? 429 : 400);
    }
  }
  if (!kept) return answer(alt ? formPictureMessages.altWithoutPicture : null);
  if (!alt) return answer(formPictureMessages.altMissing);
  if (alt.length > MAX_ALT_CHARS) return answer(formPictureMessages.altLong);
  return {
    node: { type: "image", attrs: { src: imageSrc(kept.id), alt, width: kept.width, height: kept.height } },
    kept,
    error: null,
    status: 400,
  };
}

export type FormBodyResult =
  | { ok: true; body: RenderedBody; picture: FormPicture | null }
  | { ok: false; errors: Record<string, string>; picture: FormPicture | null; status: 400 | 429 };

/**
 * The body of a post from a form (bodyFromForm: the editor's JSON or the plain textarea) with the picture of the
 * plain form appended below the text. Errors by field: `<field>` for the text, `<field>Bild` for the picture.
 */
export async function bodyWithPictureFromForm(
  actor: Actor,
  formData: FormData,
  field = "body",
): Promise<FormBodyResult> {
  const [text, picture] = await Promise.all([bodyFromForm(formData, field), pictureFromForm(actor, formData, field)]);
  // A picture alone is a post too (pictures count as visible content): an empty text then is no error.
  const blank = !String(formData.get(`${field}Json`) ?? "").trim() && !String(formData.get(field) ?? "").trim();
  const textError = text.ok || (blank && picture.node) ? null : text.message;
  if (textError || picture.error) {
    const errors: Record<string, string> = {};
    if (textError) errors[field] = textError;
    if (picture.error) errors[`${field}Bild`] = picture.error;
    return { ok: false, errors, picture: picture.kept, status: picture.error ? picture.status : 400 };
  }
  if (!picture.node) return { ok: true, body: (text as Extract<typeof text, { ok: true }>).body, picture: null };
  const before = text.ok && !blank ? (text.body.doc.content ?? []) : [];
  const withPicture = renderBody({ type: "doc", content: [...before, picture.node] });
  if (!withPicture.ok)
    return { ok: false, errors: { [field]: withPicture.message }, picture: picture.kept, status: 400 };
  return { ok: true, body: withPicture.body, picture: picture.kept };
}
