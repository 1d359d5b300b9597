/**
 * Attaching a picture without JavaScript (ADR 031): a file field and its required description next to the plain
 * textarea; the form is multipart and the server appends the described picture below the text. After a refusal the
 * picture already uploaded is shown again and kept (a file field cannot be refilled), so it is never picked twice.
 * With JavaScript (the `js` class on <html>) these fields are hidden: the editor has its own way (ImageForm).
 */
import { MAX_ALT_CHARS, renditionPath, renditionWidths } from "../../domain/images.ts";

export interface PlainPictureProps {
  /** A picture uploaded with a refused form, offered again. */
  kept: { id: string; width: number; height: number } | null;
  alt?: string;
  error?: string;
}

const IMAGE_TYPES = "image/jpeg,image/png,image/gif,image/webp";
/** Shown this wide, whatever the rendition: a reminder of which picture it is, not the picture itself. */
const PREVIEW_WIDTH = 160;

export function PlainPictureFields({ id, name, kept, alt, error }: PlainPictureProps & { id: string; name: string }) {
  const errorId = error ? `${id}-bild-fehler` : "";
  const smallest = kept ? renditionWidths(kept.width)[0] : 0;
  return (
    <fieldset className="richtext__plainimage">
      <legend>Bild anhängen (freiwillig)</legend>
      {kept ? (
        <div className="richtext__plainimage-kept">
          <img
            src={renditionPath(kept.id, smallest)}
            alt=""
            width={PREVIEW_WIDTH}
            height={Math.round((PREVIEW_WIDTH * kept.height) / kept.width)}
            className="richtext__imagepreview"
          />
          <p id={`${id}-bild-behalten`}>
            Dein Bild ist hochgeladen. Es kommt unter deinen Text, sobald es eine Beschreibung hat.
          </p>
          <input type="hidden" name={`${name}BildId`} value={kept.id} />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-bild`}>{kept ? "Anderes Bild wählen" : "Bild"}</label>
        <p id={`${id}-bild-hinweis`} className="field__hint">
          JPEG, PNG, GIF oder WebP. Es erscheint unter deinem Text.
        </p>
        <input
          type="file"
          id={`${id}-bild`}
          name={`${name}Bild`}
          accept={IMAGE_TYPES}
          aria-describedby={`${id}-bild-hinweis`}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-bildtext`}>Bildbeschreibung (Alternativtext, Pflicht bei einem Bild)</label>
        <p id={`${id}-bildtext-hinweis`} className="field__hint">
          Was ist auf dem Bild zu sehen? Für Menschen, die es nicht sehen können – zum Beispiel „Flipchart mit den drei
          Zielen des Workshops“.
        </p>
        <input
          type="text"
          id={`${id}-bildtext`}
          name={`${name}BildAlt`}
          maxLength={MAX_ALT_CHARS}
          defaultValue={alt}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-bildtext-hinweis${error ? ` ${errorId}` : ""}`}
        />
        {error ? (
          <p id={errorId} className="field__error">
            {error}
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}
