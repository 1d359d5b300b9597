/**
 * The one tiptap extension list for posts and materials. The server renderer and validator build their schema from
 * `extensions`; the browser editor calls `createExtensions()` with its mention suggestion UI. Both must describe the
 * same schema, so anything that changes nodes, marks or attributes belongs here and nowhere else.
 * Browser-safe: no node: imports.
 */
import { Extension, Node, type Extensions } from "@tiptap/core";
import { Link } from "@tiptap/extension-link";
import { Mention } from "@tiptap/extension-mention";
import { StarterKit } from "@tiptap/starter-kit";
import type { SuggestionOptions } from "@tiptap/suggestion";
import { imageAttributes, imageIdOf, imageSrc, MAX_ALT_CHARS } from "../images.ts";
import { keepAllowedPlugin } from "./keepAllowed.ts";
import { isSafeHref, LINK_REL, memberPath } from "./rules.ts";

/** What the editor's mention picker inserts: the handle and the display name at the time of writing. */
export interface MentionItem {
  handle: string;
  name: string;
}

/**
 * Stored attributes stay in the schema (the editor writes them into its JSON) but are never rendered:
 * a document that bypassed validation still cannot emit `target`, `class` or a foreign `rel`.
 */
const SafeLink = Link.extend({
  addAttributes() {
    const parent = this.parent?.() ?? {};
    return {
      ...parent,
      target: { default: null, rendered: false },
      rel: { default: LINK_REL, rendered: false },
      class: { default: null, rendered: false },
    };
  },
});

/** Mentions render as a plain link to the member's profile, never as editor markup. */
const MemberMention = Mention.extend({
  renderHTML({ node }) {
    const handle = String(node.attrs.id ?? "");
    const label = String(node.attrs.label ?? handle);
    return ["a", { class: "mention", href: memberPath(handle), "data-mention": handle }, `@${label}`];
  },
  renderText({ node }) {
    return `@${node.attrs.label ?? node.attrs.id}`;
  },
  // Copy and paste inside the editor goes through HTML: read our own rendering back as a mention, not as a link.
  parseHTML() {
    return [
      {
        tag: "a[data-mention]",
        priority: 60,
        getAttrs: (element) => {
          const el = element as HTMLElement;
          return {
            id: el.getAttribute("data-mention"),
            label: (el.textContent ?? "").replace(/^@/, "") || null,
          };
        },
      },
    ];
  },
});

const PASTED_IMAGE = /^\/bilder\/([0-9a-f-]{36})(?:\/\d+\.jpg)?$/;

/**
 * A picture of this site (issue 19): `src` is always `/bilder/<id>` (validate.ts refuses any other host or path), and
 * the rendering derives the renditions from it, so no stored attribute can point anywhere else. Width and height are
 * the largest rendition's (set by the server from its own record), for a page without layout shift.
 */
export const PostImage = Node.create({
  name: "image",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return {
      src: { default: null },
      alt: { default: "" },
      width: { default: null },
      height: { default: null },
    };
  },
  // Our own pictures copied from a page (any rendition) stay pictures; every other <img> is dropped on paste.
  parseHTML() {
    return [
      {
        tag: "img[src]",
        getAttrs: (element) => {
          const el = element as HTMLElement;
          const match = PASTED_IMAGE.exec(el.getAttribute("src") ?? "");
          if (!match || !imageIdOf(imageSrc(match[1]))) return false;
          const width = Number(el.getAttribute("width"));
          const height = Number(el.getAttribute("height"));
          return {
            src: imageSrc(match[1]),
            alt: (el.getAttribute("alt") ?? "").slice(0, MAX_ALT_CHARS),
            width: Number.isSafeInteger(width) && width > 0 ? width : null,
            height: Number.isSafeInteger(height) && height > 0 ? height : null,
          };
        },
      },
    ];
  },
  renderHTML({ node }) {
    const id = imageIdOf(node.attrs.src);
    const width = Number(node.attrs.width);
    const height = Number(node.attrs.height);
    if (!id || !(width > 0) || !(height > 0)) return ["span", { class: "beitragsbild-fehlt" }];
    return ["img", { class: "beitragsbild", alt: String(node.attrs.alt ?? ""), ...imageAttributes(id, width, height) }];
  },
  renderText({ node }) {
    return `[Bild: ${String(node.attrs.alt ?? "")}]`;
  },
});

/** Editor only (plugins do not run on the server): see keepAllowed.ts. */
const KeepAllowed = Extension.create({
  name: "keepAllowed",
  addProseMirrorPlugins() {
    return [keepAllowedPlugin()];
  },
});

export function createExtensions(
  options: { mentionSuggestion?: Omit<SuggestionOptions<MentionItem>, "editor"> } = {},
): Extensions {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3, 4] },
      code: false,
      codeBlock: false,
      strike: false,
      underline: false,
      horizontalRule: false,
      link: false, // configured below with our own href rules
    }),
    SafeLink.configure({
      openOnClick: false,
      autolink: true,
      linkOnPaste: true,
      protocols: [],
      defaultProtocol: "https",
      HTMLAttributes: { rel: LINK_REL, target: null, class: null },
      // Editor-side: typed and pasted links must pass the server's rule (a bare "www.…" is checked as the
      // https link the autolinker turns it into); server-side: blanks unsafe hrefs when rendering a document
      // that bypassed validation. A scheme-less value can only ever be a harmless relative link.
      isAllowedUri: (url) =>
        isSafeHref(url) || (!/^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(url) && isSafeHref(`https://${url}`)),
      shouldAutoLink: (url) => /^(https?:\/\/|mailto:)/i.test(url) || /^www\./i.test(url),
    }),
    MemberMention.configure({
      HTMLAttributes: {},
      deleteTriggerWithBackspace: false,
      // Without a picker (server, or no mentionSource) "@" stays plain text.
      suggestion: options.mentionSuggestion ?? { allow: () => false },
    }),
    PostImage,
    KeepAllowed,
  ];
}

/** The schema-defining list, without any browser UI: for getSchema, generateHTML and validation. */
export const extensions: Extensions = createExtensions();
