import { useEditorState, type Editor } from "@tiptap/react";
import { useRef, useState, type KeyboardEvent } from "react";
import { selectedImage } from "./AltForm.tsx";

interface Tool {
  key: string;
  label: string;
  /** Shown as a tooltip and announced via aria-keyshortcuts. */
  shortcut?: string;
  keys?: string;
  icon: string;
  pressed?: boolean;
  expanded?: boolean;
  run: () => void;
}

const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * Formatting buttons as one ARIA toolbar: a single tab stop, arrow keys (and Home/End) move between buttons.
 * Buttons keep the editor's selection on mouse use (mousedown is not allowed to move focus).
 */
export function Toolbar({
  editor,
  linkFormOpen,
  onLink,
  imageFormOpen,
  onImage,
  altFormOpen,
  onAlt,
  controls,
}: {
  editor: Editor;
  linkFormOpen: boolean;
  onLink: () => void;
  imageFormOpen: boolean;
  /** Opens the file picker; the picture then waits in ImageForm for its description. */
  onImage: () => void;
  altFormOpen: boolean;
  /** Opens AltForm for the selected picture; offered only while a picture is selected. */
  onAlt: () => void;
  controls: string;
}) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      heading: e.isActive("heading"),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      blockquote: e.isActive("blockquote"),
      link: e.isActive("link"),
      picture: selectedImage(e.state) !== null,
    }),
  });
  const mod = isMac() ? "⌘" : "Strg";
  const modKey = isMac() ? "Meta" : "Control";
  const chain = () => editor.chain().focus();
  const tools: Tool[] = [
    {
      key: "bold",
      label: "Fett",
      icon: "F",
      shortcut: `${mod}+B`,
      keys: `${modKey}+B`,
      pressed: state.bold,
      run: () => chain().toggleBold().run(),
    },
    {
      key: "italic",
      label: "Kursiv",
      icon: "K",
      shortcut: `${mod}+I`,
      keys: `${modKey}+I`,
      pressed: state.italic,
      run: () => chain().toggleItalic().run(),
    },
    {
      key: "heading",
      label: "Überschrift",
      icon: "Ü",
      shortcut: `${mod}+Alt+2`,
      keys: `${modKey}+Alt+2`,
      pressed: state.heading,
      run: () => chain().toggleHeading({ level: 2 }).run(),
    },
    {
      key: "bulletList",
      label: "Aufzählung",
      icon: "•",
      shortcut: `${mod}+Umschalt+8`,
      keys: `${modKey}+Shift+8`,
      pressed: state.bulletList,
      run: () => chain().toggleBulletList().run(),
    },
    {
      key: "orderedList",
      label: "Nummerierte Liste",
      icon: "1.",
      shortcut: `${mod}+Umschalt+7`,
      keys: `${modKey}+Shift+7`,
      pressed: state.orderedList,
      run: () => chain().toggleOrderedList().run(),
    },
    {
      key: "blockquote",
      label: "Zitat",
      icon: "„“",
      shortcut: `${mod}+Umschalt+B`,
      keys: `${modKey}+Shift+B`,
      pressed: state.blockquote,
      run: () => chain().toggleBlockquote().run(),
    },
    state.link
      ? {
          key: "link",
          label: "Link entfernen",
          icon: "Link ×",
          run: () => chain().extendMarkRange("link").unsetLink().run(),
        }
      : {
          key: "link",
          label: "Link einfügen",
          icon: "Link",
          shortcut: `${mod}+K`,
          keys: `${modKey}+K`,
          expanded: linkFormOpen,
          run: onLink,
        },
    { key: "image", label: "Bild einfügen", icon: "Bild", expanded: imageFormOpen, run: onImage },
    ...(state.picture || altFormOpen
      ? [
          {
            key: "alt",
            label: "Bildbeschreibung ändern",
            icon: "Beschreibung",
            shortcut: "Eingabetaste",
            keys: "Enter",
            expanded: altFormOpen,
            run: onAlt,
          },
        ]
      : []),
  ];

  const [chosen, setCurrent] = useState(0);
  // The picture's tool comes and goes with the selection: the tab stop never points past the last tool.
  const current = Math.min(chosen, tools.length - 1);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (event: KeyboardEvent) => {
    const last = tools.length - 1;
    const next =
      event.key === "ArrowRight"
        ? current === last
          ? 0
          : current + 1
        : event.key === "ArrowLeft"
          ? current === 0
            ? last
            : current - 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    setCurrent(next);
    buttons.current[next]?.focus();
  };

  return (
    <div
      role="toolbar"
      aria-label="Formatierung"
      aria-controls={controls}
      className="richtext__toolbar"
      onKeyDown={move}
    >
      {tools.map((tool, i) => (
        <button
          key={tool.key}
          ref={(el) => {
            buttons.current[i] = el;
          }}
          type="button"
          className="richtext__tool"
          tabIndex={i === current ? 0 : -1}
          aria-pressed={tool.pressed}
          aria-expanded={tool.expanded}
          aria-keyshortcuts={tool.keys}
          title={tool.shortcut ? `${tool.label} (${tool.shortcut})` : tool.label}
          onFocus={() => setCurrent(i)}
          onMouseDown={(event) => event.preventDefault()}
          onClick={tool.run}
        >
          <span aria-hidden="true">{tool.icon}</span>
          <span className="visually-hidden">{tool.label}</span>
        </button>
      ))}
    </div>
  );
}
