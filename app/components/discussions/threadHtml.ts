/**
 * The thread's posts as HTML (markup strings around the kept bodies; see htmlParts.ts). A long thread is hundreds
 * of posts; building them with React on every request cost ~70 ms of CPU per page, so the posts are assembled here
 * by string concatenation around their pre-rendered bodies (rendered once, at write time). Every action is a plain
 * link or a button of the page's one shared form (`form="beitragsaktionen"`), so everything works without
 * JavaScript, and the markup stays small.
 */
import {
  AVATAR_DISPLAY,
  colourIndex,
  initials,
  pictureUrl,
  type AvatarSize,
  type Face,
} from "../../domain/avatars/avatars.ts";
import { buildReplyTree, type TreeNode } from "../../domain/discussions/tree.ts";
import { escapeHtml } from "../../domain/html.ts";
import { formatDateTime } from "../../domain/time.ts";
import type { HtmlParts } from "../htmlParts.ts";

export interface PostForHtml {
  id: string;
  parentId: string | null;
  createdAt: Date | string;
  editedAt: Date | string | null;
  html: string | null;
  removed: "deleted" | "hidden" | null;
  hidden: boolean;
  anonymous: boolean;
  own: boolean;
  author: { id: string; name: string; handle: string; picture: string | null } | null;
  thanks: number;
  helpful: number;
  thankedByMe: boolean;
  helpfulByMe: boolean;
  may: { edit: boolean; delete: boolean; react: boolean; flag: boolean; reveal: boolean };
}

export interface ThreadHtmlOptions {
  threadId: string;
  acceptedPostId: string | null;
  canAccept: boolean;
  canReply: boolean;
  moderate: boolean;
  /** Replies the viewer keeps in their Merkliste (one query per page, see threadBookmarks). */
  bookmarked?: Set<string>;
  /** Replies new to this member (ADR 030): marked "Neu". */
  unread?: Set<string>;
  /** Where "Ab hier neu" goes: the first new reply in reading order, unless the thread itself is new. */
  firstUnreadId?: string | null;
}

export const ACTIONS_FORM = "beitragsaktionen";

/**
 * A face as markup (the same as components/Avatar.tsx): the picture, lazy and with a fixed size, or the initials. Always
 * decorative (alt="", aria-hidden): the name stands next to it. `null` (anonymous, former member): a plain disc.
 */
export function avatarHtml(face: Face | null, size: AvatarSize): string {
  if (!face) return `<span class="avatar avatar--${size} avatar--none" aria-hidden="true"></span>`;
  // A thread shows the same few faces many times: each is made once per process (bounded).
  const key = `${size}|${face.id}|${face.picture}|${face.name}`;
  let html = faces.get(key);
  if (html !== undefined) return html;
  const d = AVATAR_DISPLAY[size];
  html = face.picture
    ? `<img class="avatar avatar--${size}" src="${pictureUrl(face, d.src)}" srcset="${pictureUrl(face, d.src2x)} 2x" width="${d.css}" height="${d.css}" alt="" loading="lazy" decoding="async">`
    : `<span class="avatar avatar--${size} avatar--c${colourIndex(face.id)}" data-initials="${escapeHtml(initials(face.name))}" aria-hidden="true"></span>`;
  if (faces.size > 20_000) faces.clear();
  faces.set(key, html);
  return html;
}
const faces = new Map<string, string>();

function authorHtml(post: PostForHtml): string {
  if (post.own) return post.anonymous ? "Du (anonym veröffentlicht)" : "Du";
  if (post.author) return `<a href="/mitglieder/${escapeHtml(post.author.handle)}">${escapeHtml(post.author.name)}</a>`;
  return post.anonymous ? "Anonymes Mitglied" : "Ehemaliges Mitglied";
}

export function authorLabel(post: Pick<PostForHtml, "author" | "own" | "anonymous">): string {
  return (
    post.author?.name ?? (post.own ? "dich" : post.anonymous ? "ein anonymes Mitglied" : "ein ehemaliges Mitglied")
  );
}

// type="submit" is the default for a button that belongs to a form.
function button(value: string, label: string, extra = ""): string {
  return `<button form="${ACTIONS_FORM}" name="aktion" value="${value}"${extra}>${label}</button>`;
}

function reaction(post: PostForHtml, kind: "thanks" | "helpful", label: string): string {
  const mine = kind === "thanks" ? post.thankedByMe : post.helpfulByMe;
  const count = kind === "thanks" ? post.thanks : post.helpful;
  const inner = `${label} <span class="reaction__count">${count}</span>`;
  if (!post.may.react) return count > 0 ? `<span class="reaction">${inner}</span>` : "";
  return button(`react:${kind}:${mine ? 0 : 1}:${post.id}`, inner, ` class="reaction" aria-pressed="${mine}"`);
}

function actions(post: PostForHtml, o: ThreadHtmlOptions, isAnswer: boolean, isOpening: boolean): string {
  const base = `/diskussionen/${o.threadId}/beitrag/${post.id}`;
  let html = reaction(post, "thanks", "Danke") + reaction(post, "helpful", "Hilfreich");
  // The opening post is kept by keeping the thread (the button at the top of the page).
  if (o.bookmarked && !isOpening) {
    const kept = o.bookmarked.has(post.id);
    html += button(
      `bookmark:${kept ? 0 : 1}:${post.id}`,
      kept ? "Gemerkt" : "Merken",
      ` class="link-button bookmark" aria-pressed="${kept}"`,
    );
  }
  if (o.canReply) {
    html += `<a href="?antwort=${post.id}#antworten">Antworten</a><a href="?antwort=${post.id}&amp;zitat=1#antworten">Zitieren</a>`;
  }
  if (o.canAccept && !isOpening) {
    html += button(
      `accept:${isAnswer ? "" : post.id}`,
      isAnswer ? "Markierung als Lösung aufheben" : "Als Lösung markieren",
      ' class="link-button"',
    );
  }
  if (post.may.edit) html += `<a href="${base}/bearbeiten">Bearbeiten</a>`;
  if (post.may.delete) html += `<a href="${base}/loeschen">Löschen</a>`;
  if (post.may.flag) html += `<a href="${base}/melden">Melden</a>`;
  if (post.may.reveal)
    html += button(`reveal:${post.id}`, "Verfassende Person anzeigen (wird protokolliert)", ' class="link-button"');
  if (o.moderate)
    html += button(
      `hide:${post.hidden ? 0 : 1}:${post.id}`,
      post.hidden ? "Wieder einblenden" : "Ausblenden",
      ' class="link-button"',
    );
  return html;
}

// Posts keep their creation time, so its markup is formatted once per process, not once per request.
const times = new Map<number, string>();
function timeHtml(value: Date | string): string {
  const date = new Date(value);
  const key = date.getTime();
  let html = times.get(key);
  if (html === undefined) {
    html = `<time datetime="${date.toISOString()}">${formatDateTime(date)}</time>`;
    if (times.size > 50_000) times.clear();
    times.set(key, html);
  }
  return html;
}

/** One post as an <article>; `answersName` names whom a reply deeper than the indentation limit answers. */
function pushPost(
  out: HtmlParts,
  post: PostForHtml,
  o: ThreadHtmlOptions,
  heading: "h2" | "h3",
  answersName: string | null,
  isOpening = false,
): void {
  const id = `beitrag-${post.id}`;
  if (post.removed) {
    const title = post.removed === "deleted" ? "Gelöschter Beitrag" : "Ausgeblendeter Beitrag";
    const text =
      post.removed === "deleted"
        ? "Dieser Beitrag wurde gelöscht."
        : "Dieser Beitrag wurde von der Moderation ausgeblendet.";
    out.push(
      `<article id="${id}" class="post post--removed"><${heading} class="post__byline">${title}</${heading}><p class="hint">${text}</p></article>`,
    );
    return;
  }
  const isAnswer = o.acceptedPostId === post.id;
  const meta = [
    `<a href="#${id}" class="post__time">${timeHtml(post.createdAt)}<span class="visually-hidden"> (Link zu diesem Beitrag)</span></a>`,
    post.editedAt ? ` · <a href="/diskussionen/${o.threadId}/beitrag/${post.id}/versionen">bearbeitet</a>` : "",
    isAnswer ? ' <span class="badge badge--answered">Lösung</span>' : "",
    post.hidden ? ' <span class="badge badge--warning">Ausgeblendet</span>' : "",
    o.unread?.has(post.id) ? ' <span class="badge badge--unread">Neu</span>' : "",
  ].join("");
  const answers = answersName ? `<span class="post__answers"> antwortet ${escapeHtml(answersName)}</span>` : "";
  const classes = `post${isAnswer ? " post--answer" : ""}${post.hidden ? " post--hidden" : ""}`;
  out.push(
    `<article id="${id}" class="${classes}">` +
      `<header class="post__header"><${heading} class="post__byline">${avatarHtml(post.anonymous ? null : post.author, "m")}${authorHtml(post)}${answers}</${heading}><p class="post__meta">${meta}</p></header>` +
      `<div class="post__body prose">`,
    post.html ? { body: post.html } : "",
    `</div><footer class="post__actions">${actions(post, o, isAnswer, isOpening)}</footer></article>`,
  );
}

/** The opening post, as an <article> with an <h2>. */
export function openingPostHtml(post: PostForHtml, o: ThreadHtmlOptions): HtmlParts {
  const out: HtmlParts = [];
  pushPost(out, post, o, "h2", null, true);
  return out;
}

function branch(node: TreeNode<PostForHtml>, names: Map<string, string>, o: ThreadHtmlOptions, out: HtmlParts): void {
  out.push(`<li class="reply reply--depth-${node.visibleDepth}">`);
  if (node.post.id === o.firstUnreadId) out.push(UNREAD_MARKER);
  const replyOptions = node.post.removed ? { ...o, canAccept: false, canReply: false } : o;
  pushPost(out, node.post, replyOptions, "h3", node.answersId ? (names.get(node.answersId) ?? null) : null);
  if (node.children.length > 0) {
    const n = node.descendants;
    out.push(
      `<details open class="reply__children"><summary>${n} ${n === 1 ? "Antwort" : "Antworten"} auf diesen Beitrag</summary><ol class="reply-list">`,
    );
    for (const child of node.children) branch(child, names, o, out);
    out.push("</ol></details>");
  }
  out.push("</li>");
}

/** Focusable, so a jump to #ungelesen leaves keyboard and screen-reader users right there (useUnreadFocus). */
const UNREAD_MARKER =
  '<p id="ungelesen" class="unread-marker" tabindex="-1">Ab hier neu seit deinem letzten Besuch · <a href="#anfang">Zum Anfang der Diskussion</a></p>';

/** The first of `ids` in reading order (the order the tree is shown in), or null. */
export function firstInReadingOrder(replies: PostForHtml[], ids: Set<string>): PostForHtml | null {
  if (ids.size === 0) return null;
  const walk = (nodes: TreeNode<PostForHtml>[]): PostForHtml | null => {
    for (const node of nodes) {
      if (ids.has(node.post.id)) return node.post;
      const below = walk(node.children);
      if (below) return below;
    }
    return null;
  };
  return walk(buildReplyTree(replies, ""));
}

/**
 * The reply tree, indented to depth 6. Each sub-tree sits in an open <details>, so it collapses and expands with the
 * keyboard and without JavaScript; a permalink into a collapsed sub-tree opens it (browsers do that for #targets).
 */
export function replyTreeHtml(replies: PostForHtml[], o: ThreadHtmlOptions): HtmlParts {
  const tree = buildReplyTree(replies, "");
  if (tree.length === 0) return ['<p class="empty">Noch keine Antworten. Teile deine Erfahrung!</p>'];
  const names = new Map(replies.map((r) => [r.id, authorLabel(r)]));
  const out: HtmlParts = ['<ol class="reply-list">'];
  for (const node of tree) branch(node, names, o, out);
  out.push("</ol>");
  return out;
}
