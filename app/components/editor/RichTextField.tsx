import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ComponentType } from "react";
import { docToMarkdown } from "../../domain/richtext/toMarkdown.ts";
import type { RichDoc, RichNode } from "../../domain/richtext/types.ts";
import type { DraftStamp, EditorHandle, RichTextEditorProps } from "./RichTextEditor.tsx";
import { PlainPictureFields, type PlainPictureProps } from "./PlainPicture.tsx";

// The editor (tiptap, ProseMirror, marked) is its own chunk, fetched only when someone starts writing. If the chunk
// cannot load (offline, deploy in between), the plain textarea simply stays: the form works without it.
const RichTextEditor = lazy((): Promise<{ default: ComponentType<RichTextEditorProps> }> =>
  import("./RichTextEditor.tsx").then((m) => ({ default: m.RichTextEditor })).catch(() => ({ default: () => null })),
);

export interface RichTextFieldProps {
  /** The textarea posts `<name>` (Markdown-ish text); once the editor runs, `<name>Json` carries its JSON instead. */
  name: string;
  /** Element id of the textarea, when several fields share a name on one page; defaults to `name`. */
  id?: string;
  label: string;
  /** Wins over `initialText` when given (shown as Markdown in the textarea, loaded as is into the editor). */
  initialDoc?: RichDoc | null;
  initialText?: string;
  error?: string;
  hint?: string;
  /** Called a second after the member's last edit in the editor (see useDraftSaver). */
  onDraft?: (doc: RichDoc, stamp: DraftStamp, empty: boolean) => void;
  /** URL answering `?q=` with JSON `[{ handle, name }]`; without it "@" stays plain text. */
  mentionSource?: string;
  autoFocus?: boolean;
  rows?: number;
  /** The textarea shows the pictures of `initialDoc` as `![…](/bilder/<id>)`, so an edit without JavaScript keeps them. */
  keepPictures?: boolean;
  /** Offer a picture without JavaScript (the form must be multipart; see PlainPicture.tsx). */
  plainPicture?: PlainPictureProps;
}

/**
 * A labelled textarea that works without JavaScript and turns into the rich-text editor when the member focuses
 * or clicks it (or at once with `autoFocus`). Reading a page therefore ships no editor code.
 */
export function RichTextField({
  name,
  id = name,
  label,
  initialDoc,
  initialText,
  error,
  hint,
  onDraft,
  mentionSource,
  autoFocus,
  rows = 6,
  plainPicture,
  keepPictures,
}: RichTextFieldProps) {
  const [initialValue] = useState(() =>
    initialDoc ? docToMarkdown(initialDoc, { pictures: keepPictures }) : (initialText ?? ""),
  );
  const [wanted, setWanted] = useState(false);
  const [editor, setEditor] = useState<EditorHandle | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const hintId = hint ? `${id}-hinweis` : undefined;
  const errorId = error ? `${id}-fehler` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;

  // Someone may have focused the server-rendered textarea before hydration finished.
  useEffect(() => {
    if (autoFocus || document.activeElement === textarea.current) setWanted(true);
  }, [autoFocus]);

  const want = useCallback(() => setWanted(true), []);

  // Read when the editor is created, since the member may go on typing while its code loads: the textarea's
  // current text, or initialDoc itself while the textarea still holds its untouched prefill.
  const getStart = () => {
    const text = textarea.current?.value ?? initialValue;
    return {
      doc: initialDoc && text === initialValue ? initialDoc : null,
      text,
      pictures: keepPictures ? pictureSizes(initialDoc) : undefined,
      focus: !!autoFocus || (!!textarea.current && document.activeElement === textarea.current),
    };
  };

  return (
    <div className="field richtext">
      {/* Once the textarea is gone, a click on the label focuses the editor instead (keyboards reach it by Tab). */}
      {/* eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions */}
      <label htmlFor={editor ? undefined : id} onClick={editor ? () => editor.focus() : undefined}>
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {wanted ? (
        <Suspense fallback={null}>
          <RichTextEditor
            name={name}
            label={label}
            describedBy={describedBy}
            invalid={!!error}
            getStart={getStart}
            onReady={setEditor}
            onDraft={onDraft}
            mentionSource={mentionSource}
            rows={rows}
          />
        </Suspense>
      ) : null}
      {editor ? null : (
        <textarea
          ref={textarea}
          id={id}
          name={name}
          rows={rows}
          defaultValue={initialValue}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          autoFocus={autoFocus}
          // Focus, not pointerdown: once the editor's code is cached it renders at once, and on pointerdown the
          // textarea does not have the focus yet, so the editor would not take it (typing would go nowhere).
          onFocus={want}
        />
      )}
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
      {plainPicture && !editor ? <PlainPictureFields id={id} name={name} {...plainPicture} /> : null}
    </div>
  );
}

/** The sizes of the pictures in a document, by `src`: the editor reads `![…](/bilder/<id>)` in a changed textarea with them. */
function pictureSizes(doc: RichDoc | null | undefined): Record<string, { width: number; height: number }> {
  const sizes: Record<string, { width: number; height: number }> = {};
  const walk = (node: RichNode) => {
    if (node.type === "image" && typeof node.attrs?.src === "string")
      sizes[node.attrs.src] = { width: Number(node.attrs.width), height: Number(node.attrs.height) };
    for (const child of node.content ?? []) walk(child);
  };
  for (const child of doc?.content ?? []) walk(child);
  return sizes;
}
