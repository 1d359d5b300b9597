/**
 * Putting a picture into a post (issue 19): the picked, pasted or dropped file is uploaded at once; the picture goes
 * into the text only with a description (alternative text), like captions for a video. While this form is open the
 * post cannot be sent (RichTextEditor blocks the submit and brings the member here), so no picture is lost unseen.
 */
import type { Editor } from "@tiptap/react";
import { useEffect, useId, useRef, useState } from "react";
import { MAX_ALT_CHARS } from "../../domain/images.ts";

export interface UploadedImage {
  id: string;
  src: string;
  width: number;
  height: number;
}

export type ImageUpload =
  | { state: "uploading"; preview: string }
  | { state: "ready"; preview: string; image: UploadedImage }
  | { state: "failed"; message: string };

export const imageFormMessages = {
  altMissing: "Bitte beschreibe das Bild in einem Alternativtext, bevor du es einfügst.",
  altEmpty: "Die Bildbeschreibung darf nicht leer sein: Bitte beschreibe, was auf dem Bild zu sehen ist.",
  pending: "Das Bild ist noch nicht im Text: Bitte beschreibe es und wähle „Bild einfügen“ – oder verwirf es.",
  uploading: "Das Bild wird noch hochgeladen. Bitte warte einen Moment.",
  failed: "Das Bild konnte nicht hochgeladen werden. Bitte versuche es noch einmal.",
} as const;

/** Uploads one picture; resolves with the stored picture or a German message. */
export async function uploadImage(
  file: File,
): Promise<{ ok: true; image: UploadedImage } | { ok: false; message: string }> {
  const form = new FormData();
  form.append("file", file, file.name || "bild");
  try {
    const response = await fetch("/api/v1/bilder", { method: "POST", body: form, credentials: "same-origin" });
    const body = (await response.json().catch(() => null)) as (UploadedImage & { error?: string }) | null;
    if (response.ok && body?.id) return { ok: true, image: body };
    return { ok: false, message: body?.error ?? imageFormMessages.failed };
  } catch {
    return { ok: false, message: imageFormMessages.failed };
  }
}

export function ImageForm({
  editor,
  upload,
  notice,
  onClose,
}: {
  editor: Editor;
  upload: ImageUpload;
  /** A message from outside (the blocked submit), shown as this form's error. */
  notice: string | null;
  onClose: () => void;
}) {
  const id = useId();
  const [alt, setAlt] = useState("");
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // What the member just did (their own click) speaks louder than the earlier blocked submit.
  const shown = error ?? notice;

  useEffect(() => {
    if (upload.state !== "failed") input.current?.focus();
  }, [upload.state, notice]);

  const insert = () => {
    if (upload.state === "uploading") return setError(imageFormMessages.uploading);
    if (upload.state !== "ready") return;
    const text = alt.trim();
    if (!text) {
      setError(imageFormMessages.altMissing);
      input.current?.focus();
      return;
    }
    const { image } = upload;
    editor
      .chain()
      .focus()
      .insertContent({ type: "image", attrs: { src: image.src, alt: text, width: image.width, height: image.height } })
      .run();
    onClose();
  };

  return (
    <div className="richtext__imageform" role="group" aria-labelledby={`${id}-titel`}>
      <p id={`${id}-titel`} className="richtext__imageform-title">
        Bild einfügen
      </p>
      {upload.state === "failed" ? (
        <p className="field__error" role="alert">
          {upload.message}
        </p>
      ) : (
        <>
          {/* The preview needs no description of its own: the field next to it is where the description is written. */}
          <img className="richtext__imagepreview" src={upload.preview} alt="" />
          <div className="richtext__imagefields">
            <label htmlFor={`${id}-alt`}>Bildbeschreibung (Alternativtext, Pflicht)</label>
            <p id={`${id}-hinweis`} className="field__hint">
              Was ist auf dem Bild zu sehen? Für Menschen, die es nicht sehen können – zum Beispiel „Flipchart mit den
              drei Zielen des Workshops“.
            </p>
            <input
              ref={input}
              id={`${id}-alt`}
              type="text"
              value={alt}
              maxLength={MAX_ALT_CHARS}
              aria-invalid={shown ? true : undefined}
              aria-describedby={`${id}-hinweis${shown ? ` ${id}-fehler` : ""}`}
              onChange={(event) => {
                setAlt(event.target.value);
                setError(null);
              }}
              onKeyDown={(event) => {
                if (event.key === "Enter") {
                  event.preventDefault();
                  insert();
                } else if (event.key === "Escape") {
                  event.preventDefault();
                  onClose();
                }
              }}
            />
            {shown ? (
              <p id={`${id}-fehler`} className="field__error" role="alert">
                {shown}
              </p>
            ) : null}
            {upload.state === "uploading" ? <p role="status">Das Bild wird hochgeladen …</p> : null}
          </div>
        </>
      )}
      <div className="richtext__imageactions">
        {upload.state !== "failed" ? (
          <button type="button" className="button" onClick={insert}>
            Bild einfügen
          </button>
        ) : null}
        <button type="button" className="button button--quiet" onClick={onClose}>
          {upload.state === "failed" ? "Schließen" : "Verwerfen"}
        </button>
      </div>
    </div>
  );
}
