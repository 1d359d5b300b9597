/**
 * The tiptap editor behind RichTextField. Loaded lazily (its own chunk): only pages where someone starts writing
 * fetch tiptap, ProseMirror and marked.
 */
import { Node, type Node as PmNode } from "@tiptap/pm/model";
import type { EditorView } from "@tiptap/pm/view";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { createExtensions } from "../../domain/richtext/extensions.ts";
import { docFromMarkdown } from "../../domain/richtext/markdown.ts";
import { richSchema } from "../../domain/richtext/schema.ts";
import type { RichDoc } from "../../domain/richtext/types.ts";
import { AltForm, selectedImage, type AltTarget } from "./AltForm.tsx";
import { ImageForm, imageFormMessages, uploadImage, type ImageUpload } from "./ImageForm.tsx";
import { LinkForm } from "./LinkForm.tsx";
import { MentionList, mentionStatus } from "./MentionList.tsx";
import { mentionSuggestion, type MentionView } from "./mentions.ts";
import { Toolbar } from "./Toolbar.tsx";

export interface EditorHandle {
  focus: () => void;
}

/** Which editor wrote a draft and after how many edits: the server refuses saves at or before a sent edit. */
export interface DraftStamp {
  session: string;
  seq: number;
}

export interface RichTextEditorProps {
  name: string;
  label: string;
  describedBy?: string;
  invalid: boolean;
  /** Called once, when the editor is created: where to start and whether to take the focus. */
  getStart: () => {
    doc: RichDoc | null;
    text: string;
    focus: boolean;
    pictures?: Record<string, { width: number; height: number }>;
  };
  /** Called when the editor is ready to replace the textarea. */
  onReady: (handle: EditorHandle) => void;
  /** Called a second after the last edit (never after the form was submitted); `empty` when nothing is written. */
  onDraft?: (doc: RichDoc, stamp: DraftStamp, empty: boolean) => void;
  mentionSource?: string;
  rows: number;
}

const DRAFT_DELAY_MS = 1_000;
const IMAGE_TYPES = "image/jpeg,image/png,image/gif,image/webp";

/** The first picture among pasted or dropped files. */
function imageFile(files: FileList | null | undefined): File | null {
  for (const file of Array.from(files ?? [])) if (/^image\/(jpeg|png|gif|webp)$/.test(file.type)) return file;
  return null;
}

/** A random id for this opened editor (works without a secure context, unlike crypto.randomUUID). */
function newSession(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The stored document when the schema can read it, else the textarea's text as Markdown (with known pictures). */
function startContent(
  doc: RichDoc | null,
  text: string,
  pictures: Record<string, { width: number; height: number }> = {},
): RichDoc {
  if (doc) {
    try {
      const node = Node.fromJSON(richSchema(), doc);
      node.check();
      return node.toJSON() as RichDoc;
    } catch {
      // an old or damaged draft: fall back to the text
    }
  }
  return docFromMarkdown(text, { resolveImage: (src) => pictures[src] ?? null });
}

export function RichTextEditor({
  name,
  label,
  describedBy,
  invalid,
  getStart,
  onReady,
  onDraft,
  mentionSource,
  rows,
}: RichTextEditorProps) {
  const id = useId();
  const editorId = `${id}-text`;
  const listId = `${id}-mitglieder`;
  const [start] = useState(() => {
    const s = getStart();
    return { content: startContent(s.doc, s.text, s.pictures), focus: s.focus };
  });
  const [linkFormOpen, setLinkFormOpen] = useState(false);
  const [imageUpload, setImageUpload] = useState<ImageUpload | null>(null);
  const [imageNotice, setImageNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const uploadRound = useRef(0);
  const pendingImage = useRef(false);
  pendingImage.current = imageUpload !== null && imageUpload.state !== "failed";
  const [mention, setMention] = useState<MentionView | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const jsonInput = useRef<HTMLInputElement>(null);
  // tiptap registers callbacks once: they read the latest props and state through refs.
  const closeImage = () => {
    uploadRound.current += 1;
    setImageUpload((current) => {
      if (current && current.state !== "failed") URL.revokeObjectURL(current.preview);
      return null;
    });
    setImageNotice(null);
  };
  // One picture at a time: it is uploaded at once, and goes into the text once it has a description (ImageForm).
  const startImage = (file: File) => {
    const round = ++uploadRound.current;
    const preview = URL.createObjectURL(file);
    setImageNotice(null);
    setImageUpload((current) => {
      if (current && current.state !== "failed") URL.revokeObjectURL(current.preview);
      return { state: "uploading", preview };
    });
    void uploadImage(file).then((result) => {
      if (round !== uploadRound.current) return;
      setImageUpload(
        result.ok ? { state: "ready", preview, image: result.image } : { state: "failed", message: result.message },
      );
    });
  };
  // A picture already in the text gets its description changed in AltForm (one form open at a time).
  const [altTarget, setAltTarget] = useState<AltTarget | null>(null);
  const openAltForm = (target: AltTarget | null) => {
    if (!target) return;
    setLinkFormOpen(false);
    setAltTarget(target);
  };
  const latest = useRef({ onDraft, onReady, openLinkForm: () => setLinkFormOpen(true), startImage, openAltForm });
  latest.current = { onDraft, onReady, openLinkForm: () => setLinkFormOpen(true), startImage, openAltForm };
  const draftTimer = useRef<ReturnType<typeof setTimeout>>();
  // Every edit counts; the form posts the count with the text, so autosaves up to it are refused once it is sent.
  const [session] = useState(newSession);
  const edits = useRef(0);
  const seqInput = useRef<HTMLInputElement>(null);

  const [extensions] = useState(() =>
    createExtensions({ mentionSuggestion: mentionSource ? mentionSuggestion(mentionSource, setMention) : undefined }),
  );

  const editorProps = useMemo(() => {
    const attributes: Record<string, string> = {
      id: editorId,
      class: "richtext__content",
      "aria-label": label,
      "aria-multiline": "true",
      style: `min-height: ${Math.max(2, rows) * 1.6}em`,
    };
    if (describedBy) attributes["aria-describedby"] = describedBy;
    if (invalid) attributes["aria-invalid"] = "true";
    if (mentionSource) attributes["aria-autocomplete"] = "list";
    return {
      attributes,
      handleKeyDown: (view: EditorView, event: KeyboardEvent) => {
        if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === "k") {
          event.preventDefault();
          latest.current.openLinkForm();
          return true;
        }
        // Enter on a selected picture changes its description (instead of replacing the picture).
        const picture = event.key === "Enter" && !event.shiftKey ? selectedImage(view.state) : null;
        if (picture) {
          event.preventDefault();
          latest.current.openAltForm(picture);
          return true;
        }
        return false;
      },
      handleDoubleClickOn: (_view: EditorView, pos: number, node: PmNode) => {
        if (node.type.name !== "image") return false;
        latest.current.openAltForm({ pos, src: String(node.attrs.src), alt: String(node.attrs.alt ?? "") });
        return true;
      },
      // A pasted or dropped picture is uploaded and waits for its description; other pastes go on as usual.
      handlePaste: (_view: unknown, event: ClipboardEvent) => {
        const file = imageFile(event.clipboardData?.files);
        if (!file) return false;
        event.preventDefault();
        latest.current.startImage(file);
        return true;
      },
      handleDrop: (_view: unknown, event: DragEvent) => {
        const file = imageFile(event.dataTransfer?.files);
        if (!file) return false;
        event.preventDefault();
        latest.current.startImage(file);
        return true;
      },
    };
  }, [editorId, label, describedBy, invalid, mentionSource, rows]);

  const editor = useEditor({
    extensions,
    content: start.content,
    immediatelyRender: false,
    shouldRerenderOnTransaction: false,
    autofocus: start.focus ? "end" : false,
    editorProps,
    onCreate: ({ editor: created }) => {
      if (jsonInput.current) jsonInput.current.value = JSON.stringify(created.getJSON());
      latest.current.onReady({ focus: () => created.commands.focus() });
    },
    onUpdate: ({ editor: changed }) => {
      const doc = changed.getJSON() as RichDoc;
      edits.current += 1;
      if (jsonInput.current) jsonInput.current.value = JSON.stringify(doc);
      if (seqInput.current) seqInput.current.value = String(edits.current);
      if (!latest.current.onDraft) return;
      clearTimeout(draftTimer.current);
      draftTimer.current = setTimeout(
        () => latest.current.onDraft?.(changed.getJSON() as RichDoc, { session, seq: edits.current }, changed.isEmpty),
        DRAFT_DELAY_MS,
      );
    },
  });

  // Sending makes a pending autosave pointless (the server would refuse it anyway). A picture that waits for its
  // description stops the sending (before Remix's own handler, which respects defaultPrevented): it would be lost.
  useEffect(() => {
    const form = wrapper.current?.closest("form");
    const cancel = (event: Event) => {
      if (pendingImage.current) {
        event.preventDefault();
        event.stopImmediatePropagation();
        setImageNotice(imageFormMessages.pending);
        return;
      }
      clearTimeout(draftTimer.current);
    };
    form?.addEventListener("submit", cancel);
    return () => {
      form?.removeEventListener("submit", cancel);
      clearTimeout(draftTimer.current);
    };
  }, []);

  // A selected picture is announced with its description and how to change it (a node selection says nothing).
  const pictureAlt = useEditorState({
    editor,
    selector: ({ editor: e }) => (e ? (selectedImage(e.state)?.alt ?? null) : null),
  });

  // The suggestion list is announced through the editable itself (aria-activedescendant), as in a combobox.
  useEffect(() => {
    const dom = editor?.view.dom;
    if (!dom) return;
    const open = !!mention && mention.items.length > 0;
    if (open) {
      dom.setAttribute("aria-controls", listId);
      dom.setAttribute("aria-activedescendant", `${listId}-${mention.active}`);
    } else {
      dom.removeAttribute("aria-controls");
      dom.removeAttribute("aria-activedescendant");
    }
  }, [editor, mention, listId]);

  return (
    <div className="richtext__editor" ref={wrapper}>
      <input ref={jsonInput} type="hidden" name={`${name}Json`} />
      {onDraft ? (
        <>
          <input type="hidden" name="draftSession" value={session} />
          <input ref={seqInput} type="hidden" name="draftSeq" defaultValue="0" />
        </>
      ) : null}
      {editor ? (
        <>
          <Toolbar
            editor={editor}
            controls={editorId}
            linkFormOpen={linkFormOpen}
            onLink={() => setLinkFormOpen(true)}
            imageFormOpen={imageUpload !== null}
            onImage={() => fileInput.current?.click()}
            altFormOpen={altTarget !== null}
            onAlt={() => openAltForm(selectedImage(editor.state))}
          />
          {linkFormOpen ? <LinkForm editor={editor} onClose={() => setLinkFormOpen(false)} /> : null}
          {altTarget ? (
            <AltForm
              key={`${altTarget.pos}-${altTarget.src}`}
              editor={editor}
              target={altTarget}
              onClose={() => setAltTarget(null)}
            />
          ) : null}
          {imageUpload ? (
            <ImageForm editor={editor} upload={imageUpload} notice={imageNotice} onClose={closeImage} />
          ) : null}
          <input
            ref={fileInput}
            type="file"
            accept={IMAGE_TYPES}
            hidden
            aria-hidden="true"
            tabIndex={-1}
            data-bild-auswahl=""
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = "";
              if (file) startImage(file);
            }}
          />
        </>
      ) : null}
      <EditorContent editor={editor} />
      {mention ? <MentionList id={listId} view={mention} container={wrapper.current} /> : null}
      <p role="status" className="visually-hidden">
        {mention
          ? mentionStatus(mention)
          : pictureAlt !== null
            ? `Bild ausgewählt: „${pictureAlt}“. Eingabetaste: Beschreibung ändern.`
            : ""}
      </p>
    </div>
  );
}
