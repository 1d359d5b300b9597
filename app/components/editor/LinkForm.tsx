import type { Editor } from "@tiptap/react";
import { useId, useState, type KeyboardEvent } from "react";
import { isSafeHref } from "../../domain/richtext/rules.ts";

/** What people type into the address field, made into a link target (or null if it is not an allowed one). */
export function normalizeHref(input: string): string | null {
  const value = input.trim();
  if (!value) return null;
  const domain = value.slice(value.indexOf("@") + 1);
  if (isSafeHref(value)) return value;
  // An e-mail address: one "@", and a dot inside the domain (not with /[^\s@/]+\.[^\s@/]+/, which is quadratic).
  if (/^[^\s@/:]+@[^\s@/]+$/.test(value) && domain.slice(1, -1).includes("."))
    return isSafeHref(`mailto:${value}`) ? `mailto:${value}` : null;
  // "www.example.org" or "example.org/pfad": a web address without its scheme.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[/\\]/.test(value) && /^[^\s/]+\.[^\s/]+/.test(value)) {
    return isSafeHref(`https://${value}`) ? `https://${value}` : null;
  }
  return null;
}

/**
 * The inline "Link einfügen" form. It lives inside the post's <form>, so it is a group of fields without a form
 * of its own and without names (nothing of it is submitted); Enter applies, Escape cancels.
 */
export function LinkForm({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const id = useId();
  const [value, setValue] = useState(() => String(editor.getAttributes("link").href ?? ""));
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    onClose();
    editor.commands.focus();
  };
  const apply = () => {
    const href = normalizeHref(value);
    if (!href) {
      setError(
        "Bitte gib eine Adresse an, die mit https://, http:// oder mailto: beginnt oder auf eine Seite hier verweist (/…).",
      );
      return;
    }
    const { empty } = editor.state.selection;
    if (empty && !editor.isActive("link")) {
      // Nothing selected: the address itself becomes the link text.
      editor
        .chain()
        .focus()
        .insertContent({ type: "text", text: value.trim(), marks: [{ type: "link", attrs: { href } }] })
        .run();
    } else {
      editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
    }
    onClose();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter") {
      event.preventDefault(); // would submit the post
      apply();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  };

  return (
    <div role="group" aria-labelledby={`${id}-titel`} className="richtext__linkform" onKeyDown={onKeyDown}>
      <span id={`${id}-titel`} className="visually-hidden">
        Link einfügen
      </span>
      <label htmlFor={`${id}-adresse`}>Adresse</label>
      <input
        id={`${id}-adresse`}
        type="text"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="https://…"
        value={value}
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-fehler` : undefined}
        onChange={(event) => {
          setValue(event.target.value);
          setError(null);
        }}
      />
      <button type="button" className="button" onClick={apply}>
        Übernehmen
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
