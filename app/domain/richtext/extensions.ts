/**
 * The one tiptap extension list for posts and materials. The server renderer and validator build their schema from
 * `extensions`; the browser editor calls `createExtensions()` with its mention suggestion UI. Both must describe the
 * same schema, so anything that changes nodes, marks or attributes belongs here and nowhere else.
 * Browser-safe: no node: imports.
 */
import { Extension, type Extensions } from "@tiptap/core";
import { Link } from "@tiptap/extension-link";
import { Mention } from "@tiptap/extension-mention";
import { StarterKit } from "@tiptap/starter-kit";
import type { SuggestionOptions } from "@tiptap/suggestion";
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
      isAllowedUri: (url) => isSafeHref(url) || (!/^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(url) && isSafeHref(`https://${url}`)),
      shouldAutoLink: (url) => /^(https?:\/\/|mailto:)/i.test(url) || /^www\./i.test(url),
    }),
    MemberMention.configure({
      HTMLAttributes: {},
      deleteTriggerWithBackspace: false,
      // Without a picker (server, or no mentionSource) "@" stays plain text.
      suggestion: options.mentionSuggestion ?? { allow: () => false },
    }),
    KeepAllowed,
  ];
}

/** The schema-defining list, without any browser UI: for getSchema, generateHTML and validation. */
export const extensions: Extensions = createExtensions();
