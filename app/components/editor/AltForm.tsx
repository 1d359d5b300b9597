/**
 * Changing the description (alternative text) of a picture already in the text (ADR 031). Opened for the selected
 * picture by the toolbar's "Bildbeschreibung ändern", by Enter on the picture, or by a double click on it. Like the
 * other editor forms it lives inside the post's <form> without names of its own (nothing of it is submitted):
 * Enter saves, Escape cancels, and the focus goes back to the picture in the text. An empty description is refused,
 * as when the picture was inserted.
 */
import type { Editor } from "@tiptap/react";
import { NodeSelection, type EditorState } from "@tiptap/pm/state";
import { useId, useState, type KeyboardEvent } from "react";
import { MAX_ALT_CHARS } from "../../domain/images.ts";
import { imageFormMessages } from "./ImageForm.tsx";

/** The picture being described: where it was when the form opened, and which one it is. */
export interface AltTarget {
  pos: number;
  src: string;
  alt: string;
}

/** The picture the editor's selection holds, or null. */
export function selectedImage(state: EditorState): AltTarget | null {
  const { selection } = state;
  if (!(selection instanceof NodeSelection) || selection.node.type.name !== "image") return null;
  return { pos: selection.from, src: String(selection.node.attrs.src), alt: String(selection.node.attrs.alt ?? "") };
}

/** Where the picture is now: the text may have changed while the form was open. */
function currentPos(editor: Editor, target: AltTarget): number | null {
  const at = editor.state.doc.nodeAt(target.pos);
  if (at?.type.name === "image" && at.attrs.src === target.src) return target.pos;
  let found: number | null = null;
  editor.state.doc.descendants((node, pos) => {
    if (found === null && node.type.name === "image" && node.attrs.src === target.src) found = pos;
    return found === null;
  });
  return found;
}

export function AltForm({ editor, target, onClose }: { editor: Editor; target: AltTarget; onClose: () => void }) {
  const id = useId();
  const [value, setValue] = useState(target.alt);
  const [error, setError] = useState<string | null>(null);

  const backToPicture = () => {
    const pos = currentPos(editor, target);
    if (pos === null) editor.commands.focus();
    else editor.chain().focus().setNodeSelection(pos).run();
  };
  const close = () => {
    onClose();
    backToPicture();
  };
  const save = () => {
    const alt = value.trim();
    if (!alt) {
      setError(imageFormMessages.altEmpty);
      return;
    }
    const pos = currentPos(editor, target);
    if (pos !== null) editor.chain().setNodeSelection(pos).updateAttributes("image", { alt }).run();
    onClose();
    backToPicture();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter") {
      event.preventDefault(); // would submit the post
      save();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  };

  return (
    <div
      role="group"
      aria-labelledby={`${id}-titel`}
      className="richtext__linkform richtext__altform"
      onKeyDown={onKeyDown}
    >
      <span id={`${id}-titel`} className="visually-hidden">
        Bildbeschreibung ändern
      </span>
      <label htmlFor={`${id}-alt`}>Bildbeschreibung (Alternativtext, Pflicht)</label>
      <input
        id={`${id}-alt`}
        type="text"
        value={value}
        maxLength={MAX_ALT_CHARS}
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-fehler` : undefined}
        onChange={(event) => {
          setValue(event.target.value);
          setError(null);
        }}
      />
      <button type="button" className="button" onClick={save}>
        Beschreibung speichern
      </button>
      <button type="button" className="button button--quiet" onClick={close}>
        Abbrechen
      </button>
      {error ? (
        <p id={`${id}-fehler`} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
