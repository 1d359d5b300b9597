import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../../components/meta.ts";
import { ReplyForm } from "../../components/discussions/ReplyForm.tsx";
import { ThreadModerationTools } from "../../components/discussions/ThreadModerationTools.tsx";
import {
  ACTIONS_FORM,
  authorLabel,
  firstInReadingOrder,
  openingPostHtml,
  replyTreeHtml,
} from "../../components/discussions/threadHtml.ts";
import { useThreadLive } from "../../components/discussions/useThreadLive.ts";
import { Poll } from "../../components/discussions/Poll.tsx";
import { AddPoll } from "../../components/discussions/AddPoll.tsx";
import { pollForThread } from "../../models/discussions/polls.server.ts";
import { useEnhancedHtml } from "../../components/useEnhancedHtml.ts";
import { useFragmentFocus } from "../../components/useFragmentFocus.ts";
import { formatDateTime } from "../../domain/time.ts";
import { ServerHtml, serverHtmlBlock } from "../../components/ServerHtml.tsx";
import { requireUser } from "../../auth/session.server.ts";
import { threadTypeLabels } from "../../domain/discussions/types.ts";
import { audiences, competenceAreas, ilbSteps, legalDomainTags } from "../../domain/taxonomy.ts";
import type { RichDoc } from "../../domain/richtext/types.ts";
import { quoteDoc } from "../../domain/richtext/text.ts";
import { listCategories } from "../../models/community/categories.server.ts";
import { getThreadView, markThreadSeen } from "../../models/discussions/threads.server.ts";
import { postQuote } from "../../models/discussions/posts.server.ts";
import { BookmarkToggle } from "../../components/bookmarks/BookmarkToggle.tsx";
import { handleThreadAction } from "./actions.server.ts";

export const meta = ({ data, matches }: MetaArgs<typeof loader>) =>
  pageTitle(data?.thread.title ?? "Diskussion", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const threadId = params.id ?? "";
  const view = await getThreadView(actor, threadId);
  if (!view) throw data(null, { status: 404 });
  const url = new URL(request.url);
  const { thread, opening, replies, may } = view;
  // The reply form answers the thread, or the post named by ?antwort= (if it can still be answered).
  const target = [opening, ...replies].find((p) => p.id === url.searchParams.get("antwort") && !p.removed) ?? null;
  const drafts = view.replyDrafts;
  const [categories, found, markedRead, poll] = await Promise.all([
    may.moderate ? listCategories() : Promise.resolve([]),
    target ? postQuote(actor, threadId, target.id) : Promise.resolve(null),
    // Nothing to record when the member saw this state already and has nothing unread.
    view.seen && context.unreadNotifications === 0 ? 0 : markThreadSeen(actor, threadId, view.lastActivityAt),
    pollForThread(actor, threadId, may.reply),
  ]);
  const quote = found;
  // A thread read before opens at its first new reply; a new thread is read from the start (ADR 030).
  const firstUnread = view.newThread ? null : firstInReadingOrder(replies, view.unread);
  const options = {
    threadId,
    acceptedPostId: thread.acceptedPostId,
    canAccept: may.acceptAnswer,
    canReply: may.reply,
    moderate: may.moderate,
    bookmarked: view.bookmarks.posts,
    unread: view.unread,
    firstUnreadId: firstUnread?.id ?? null,
  };
  const accepted = thread.acceptedPostId ? replies.find((r) => r.id === thread.acceptedPostId && r.html) : undefined;
  const replyParent = target && target !== opening ? target.id : null;
  return {
    unreadNotifications: markedRead > 0 ? Math.max(0, context.unreadNotifications - markedRead) : undefined,
    thread,
    watching: view.watching,
    threadBookmarked: view.bookmarks.thread,
    may,
    categories,
    poll,
    openingHtml: serverHtmlBlock(context, "opening", openingPostHtml(opening, options)),
    repliesHtml: serverHtmlBlock(context, "replies", replyTreeHtml(replies, options)),
    accepted: accepted ? { id: accepted.id, html: accepted.html! } : null,
    unread: firstUnread ? { count: view.unread.size, from: authorLabel(firstUnread), at: firstUnread.createdAt } : null,
    reply: {
      parentId: replyParent,
      parentLabel: target && target !== opening ? authorLabel(target) : null,
      parentExcerpt: target && target !== opening && quote ? quote.text.slice(0, 200) : null,
      draft: ((drafts[`reply:${threadId}:${replyParent ?? "thread"}`] as { doc?: RichDoc } | undefined)?.doc ??
        null) as RichDoc | null,
      quote:
        target && quote && url.searchParams.get("zitat") === "1" ? quoteDoc(quote.text, authorLabel(target)) : null,
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  return handleThreadAction(actor, params.id ?? "", await request.formData());
}

type ActionResult =
  | {
      intent?: string;
      errors?: Record<string, string>;
      values?: Record<string, string>;
      revealed?: string;
      postId?: string;
      ok?: boolean;
      message?: string;
      chosen?: string[];
      picture?: { id: string; width: number; height: number } | null;
    }
  | undefined;

const taxonomyLabel = (map: Record<string, string>, key: string | null) => (key ? map[key] : null);

export default function ThreadPage() {
  const {
    thread,
    watching,
    threadBookmarked,
    may,
    categories,
    poll,
    openingHtml,
    repliesHtml,
    accepted,
    reply,
    unread,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult;
  const announcement = useThreadLive(thread.id);
  const enhance = useEnhancedHtml();
  useFragmentFocus();
  const failedReply = result?.intent === "reply" ? result : null;
  // The poll shows its own messages next to it.
  const pollResult = ["vote", "withdrawVote", "closePoll", "addPoll"].includes(result?.intent ?? "")
    ? result
    : undefined;
  const replyParent = failedReply ? failedReply.values?.parentId || null : reply.parentId;
  const keptDoc = failedReply?.values?.bodyJson ? safeJson(failedReply.values.bodyJson) : null;
  const taxonomy = [
    taxonomyLabel(ilbSteps, thread.ilbStep),
    taxonomyLabel(competenceAreas, thread.competenceArea),
    taxonomyLabel(audiences, thread.audience),
    taxonomyLabel(legalDomainTags, thread.legalDomain),
  ].filter(Boolean);
  return (
    <div className="page thread">
      <p className="breadcrumb">
        <Link to="/diskussionen">Diskussionen</Link> ›{" "}
        <Link to={`/themen/${thread.category.slug}`}>{thread.category.name}</Link>
      </p>
      <p className="thread__badges">
        <span className={`badge badge--${thread.type}`}>{threadTypeLabels[thread.type]}</span>
        {thread.acceptedPostId ? <span className="badge badge--answered">Beantwortet</span> : null}
        {thread.pinned ? <span className="badge">Angeheftet</span> : null}
        {thread.locked ? <span className="badge">Geschlossen</span> : null}
        {thread.hidden ? <span className="badge badge--warning">Ausgeblendet</span> : null}
      </p>
      <h1 id="anfang" tabIndex={-1}>
        {thread.title}
      </h1>
      {unread ? (
        <p className="notice unread-notice">
          {unread.count === 1 ? "1 neue Antwort" : `${unread.count} neue Antworten`} seit deinem letzten Besuch.{" "}
          <a href="#ungelesen">
            Weiterlesen ab {unread.from === "dich" ? "der ersten neuen Antwort" : `der Antwort von ${unread.from}`} vom{" "}
            {formatDateTime(unread.at)}
          </a>
        </p>
      ) : null}
      {taxonomy.length > 0 || thread.tags.length > 0 ? (
        <ul className="tags" aria-label="Einordnung und Schlagwörter">
          {taxonomy.map((label) => (
            <li key={label} className="tag--taxonomy">
              {label}
            </li>
          ))}
          {thread.tags.map((tag) => (
            <li key={tag}>
              <Link to={`/diskussionen?schlagwort=${encodeURIComponent(tag)}`}>#{tag}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="thread__tools">
        <Form method="post" preventScrollReset className="inline-form">
          <input type="hidden" name="intent" value="watch" />
          <input type="hidden" name="on" value={watching ? "0" : "1"} />
          <button type="submit" className="button button--quiet" aria-pressed={watching}>
            {watching ? "Beobachtet – nicht mehr beobachten" : "Diskussion beobachten"}
          </button>
        </Form>
        <BookmarkToggle bookmarked={threadBookmarked} what="Diskussion" />
      </div>
      {result?.revealed ? (
        <p className="notice" role="status">
          Dieser anonyme Beitrag stammt von {result.revealed}. Die Einsicht ist protokolliert.{" "}
          <a href={`#beitrag-${result.postId}`}>Zum Beitrag</a>
        </p>
      ) : null}
      {result?.errors && !failedReply && !pollResult ? (
        <p className="notice notice--error" role="alert">
          {Object.values(result.errors)[0]}
        </p>
      ) : null}
      {/* The one form every post button belongs to (see threadHtml.ts). */}
      <Form method="post" id={ACTIONS_FORM} preventScrollReset hidden>
        <input type="hidden" name="intent" value="postAction" />
      </Form>
      <div ref={enhance}>
        <ServerHtml blockKey="opening" html={openingHtml} />
      </div>
      {poll ? (
        <Poll threadId={thread.id} poll={poll} result={pollResult} />
      ) : may.moderate ? (
        <AddPoll result={pollResult} />
      ) : null}
      {accepted ? (
        <section className="accepted" aria-labelledby="loesung-titel">
          <h2 id="loesung-titel">Als Lösung markiert</h2>
          <div className="prose" dangerouslySetInnerHTML={{ __html: accepted.html }} />
          <p>
            <a href={`#beitrag-${accepted.id}`}>Zur Antwort im Verlauf</a>
          </p>
        </section>
      ) : null}
      {may.moderate ? (
        <ThreadModerationTools
          thread={thread}
          categories={categories}
          error={result?.intent === "retitle" ? result.errors?.title : undefined}
        />
      ) : null}

      <section aria-labelledby="antworten-titel" className="thread__replies">
        <h2 id="antworten-titel">
          {thread.replyCount} {thread.replyCount === 1 ? "Antwort" : "Antworten"}
        </h2>
        <div ref={enhance}>
          <ServerHtml blockKey="replies" html={repliesHtml} />
        </div>
      </section>

      <div aria-live="polite" className="visually-hidden">
        {announcement}
      </div>

      <section aria-labelledby="antwort-schreiben" className="card" id="antworten">
        <h2 id="antwort-schreiben">{reply.parentLabel ? `Antwort an ${reply.parentLabel}` : "Antworten"}</h2>
        {reply.parentExcerpt ? (
          <blockquote className="reply-target">
            {reply.parentExcerpt}
            {reply.parentExcerpt.length >= 200 ? " …" : ""}
          </blockquote>
        ) : null}
        {reply.parentLabel ? (
          <p>
            <Link to="?#antworten" preventScrollReset>
              Stattdessen auf die Diskussion antworten
            </Link>
          </p>
        ) : null}
        {may.reply ? (
          <ReplyForm
            key={`${replyParent ?? "thread"}-${reply.quote ? "zitat" : ""}`}
            threadId={thread.id}
            parentId={replyParent}
            initialDoc={keptDoc ?? reply.quote ?? reply.draft}
            restored={!failedReply && !reply.quote && !!reply.draft}
            initialText={failedReply?.values?.body}
            error={
              failedReply
                ? (failedReply.errors?.body ??
                  Object.entries(failedReply.errors ?? {}).find(([k]) => k !== "bodyBild")?.[1])
                : undefined
            }
            picture={
              failedReply
                ? {
                    kept: failedReply.picture ?? null,
                    alt: failedReply.values?.bodyBildAlt,
                    error: failedReply.errors?.bodyBild,
                  }
                : undefined
            }
            autoFocus={!!reply.parentId}
          />
        ) : (
          <p>{thread.locked ? "Diese Diskussion ist geschlossen." : "Du kannst hier nicht antworten."}</p>
        )}
      </section>
    </div>
  );
}

function safeJson(text: string): RichDoc | null {
  try {
    return JSON.parse(text) as RichDoc;
  } catch {
    return null;
  }
}
