import { Form, Link, useFetcher } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDateTime } from "../format.ts";

export interface PostViewData {
  id: string;
  parentId: string | null;
  createdAt: string | Date;
  editedAt: string | Date | null;
  html: string | null;
  removed: "deleted" | "hidden" | null;
  hidden: boolean;
  anonymous: boolean;
  own: boolean;
  author: { name: string; handle: string } | null;
  thanks: number;
  helpful: number;
  thankedByMe: boolean;
  helpfulByMe: boolean;
  may: { edit: boolean; delete: boolean; react: boolean; flag: boolean; reveal: boolean };
}

export function AuthorName({ post }: { post: Pick<PostViewData, "author" | "anonymous" | "own"> }) {
  if (post.own) return <>{post.anonymous ? "Du (anonym veröffentlicht)" : "Du"}</>;
  if (post.author) return <Link to={`/mitglieder/${post.author.handle}`}>{post.author.name}</Link>;
  return <>{post.anonymous ? "Anonymes Mitglied" : "Ehemaliges Mitglied"}</>;
}

function RevealAuthor({ postId }: { postId: string }) {
  const fetcher = useFetcher<{ author?: { name: string; handle: string } | null }>();
  if (fetcher.data && "author" in fetcher.data) {
    return <span className="hint"> (geschrieben von {fetcher.data.author?.name ?? "einem gelöschten Konto"})</span>;
  }
  return (
    <fetcher.Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="reveal" />
      <input type="hidden" name="postId" value={postId} />
      <button type="submit" className="link-button">
        Verfasser:in anzeigen (wird protokolliert)
      </button>
    </fetcher.Form>
  );
}

function ReactionButton({ post, kind, label }: { post: PostViewData; kind: "thanks" | "helpful"; label: string }) {
  const mine = kind === "thanks" ? post.thankedByMe : post.helpfulByMe;
  const count = kind === "thanks" ? post.thanks : post.helpful;
  if (!post.may.react) {
    return count > 0 ? (
      <span className="reaction">
        {label} <span className="reaction__count">{count}</span>
      </span>
    ) : null;
  }
  return (
    <Form method="post" preventScrollReset className="inline-form">
      <input type="hidden" name="intent" value="react" />
      <input type="hidden" name="postId" value={post.id} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="on" value={mine ? "0" : "1"} />
      <button type="submit" className="reaction reaction--button" aria-pressed={mine}>
        {label} <span className="reaction__count">{count}</span>
      </button>
    </Form>
  );
}

/** A post: who, when, the pre-rendered body, and the actions this member may take. */
export function PostCard({
  post,
  threadId,
  heading,
  answersName,
  isAnswer,
  canAccept,
  canReply,
  moderate,
  children,
}: {
  post: PostViewData;
  threadId: string;
  heading: "h2" | "h3";
  answersName?: string | null;
  isAnswer: boolean;
  canAccept: boolean;
  canReply: boolean;
  moderate: boolean;
  children?: ReactNode;
}) {
  const H = heading;
  const labelId = `beitrag-${post.id}-titel`;
  if (post.removed) {
    return (
      <article id={`beitrag-${post.id}`} className="post post--removed" aria-labelledby={labelId}>
        <H id={labelId} className="post__byline">
          {post.removed === "deleted" ? "Gelöschter Beitrag" : "Ausgeblendeter Beitrag"}
        </H>
        <p className="hint">{post.removed === "deleted" ? "Dieser Beitrag wurde gelöscht." : "Dieser Beitrag wurde von der Moderation ausgeblendet."}</p>
        {children}
      </article>
    );
  }
  const permalink = `/diskussionen/${threadId}#beitrag-${post.id}`;
  return (
    <article id={`beitrag-${post.id}`} className={`post${isAnswer ? " post--answer" : ""}${post.hidden ? " post--hidden" : ""}`} aria-labelledby={labelId}>
      <header className="post__header">
        <H id={labelId} className="post__byline">
          <AuthorName post={post} />
          {answersName ? <span className="post__answers"> antwortet {answersName}</span> : null}
        </H>
        <p className="post__meta">
          <a href={permalink} className="post__time">
            <time dateTime={new Date(post.createdAt).toISOString()}>{formatDateTime(post.createdAt)}</time>
            <span className="visually-hidden"> (Link zu diesem Beitrag)</span>
          </a>
          {post.editedAt ? (
            <>
              {" · "}
              <Link to={`/diskussionen/${threadId}/beitrag/${post.id}/versionen`}>bearbeitet</Link>
            </>
          ) : null}
          {isAnswer ? <span className="badge badge--answered">Lösung</span> : null}
          {post.hidden ? <span className="badge badge--warning">Ausgeblendet</span> : null}
        </p>
        {post.may.reveal ? <RevealAuthor postId={post.id} /> : null}
      </header>
      <div className="post__body prose" dangerouslySetInnerHTML={{ __html: post.html ?? "" }} />
      <footer className="post__actions">
        <ReactionButton post={post} kind="thanks" label="Danke" />
        <ReactionButton post={post} kind="helpful" label="Hilfreich" />
        {canReply ? (
          <>
            <Link to={`?antwort=${post.id}#antworten-${post.id}`} preventScrollReset className="action-link">
              Antworten
            </Link>
            <Link to={`?antwort=${post.id}&zitat=1#antworten-${post.id}`} preventScrollReset className="action-link">
              Zitieren
            </Link>
          </>
        ) : null}
        {canAccept ? (
          <Form method="post" preventScrollReset className="inline-form">
            <input type="hidden" name="intent" value="accept" />
            <input type="hidden" name="postId" value={isAnswer ? "" : post.id} />
            <button type="submit" className="link-button">
              {isAnswer ? "Markierung als Lösung aufheben" : "Als Lösung markieren"}
            </button>
          </Form>
        ) : null}
        {post.may.edit ? (
          <Link to={`/diskussionen/${threadId}/beitrag/${post.id}/bearbeiten`} className="action-link">
            Bearbeiten
          </Link>
        ) : null}
        {post.may.delete ? (
          <details className="confirm">
            <summary>Löschen</summary>
            <Form method="post" className="confirm__body">
              <p>Diesen Beitrag wirklich löschen? Das lässt sich nicht rückgängig machen.</p>
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" className="button button--danger">
                Endgültig löschen
              </button>
            </Form>
          </details>
        ) : null}
        {post.may.flag ? <FlagForm postId={post.id} /> : null}
        {moderate ? (
          <Form method="post" preventScrollReset className="inline-form">
            <input type="hidden" name="intent" value="hide" />
            <input type="hidden" name="postId" value={post.id} />
            <input type="hidden" name="on" value={post.hidden ? "0" : "1"} />
            <button type="submit" className="link-button">
              {post.hidden ? "Wieder einblenden" : "Ausblenden"}
            </button>
          </Form>
        ) : null}
      </footer>
      {children}
    </article>
  );
}

function FlagForm({ postId }: { postId: string }) {
  const fetcher = useFetcher<{ ok?: boolean; message?: string; errors?: Record<string, string> }>();
  if (fetcher.data?.ok) {
    return (
      <p className="hint" role="status">
        {fetcher.data.message}
      </p>
    );
  }
  const error = fetcher.data?.errors?.reason;
  return (
    <details className="confirm">
      <summary>Melden</summary>
      <fetcher.Form method="post" className="confirm__body">
        <input type="hidden" name="intent" value="flag" />
        <input type="hidden" name="postId" value={postId} />
        <label htmlFor={`grund-${postId}`}>Was ist an diesem Beitrag nicht in Ordnung?</label>
        <textarea id={`grund-${postId}`} name="reason" rows={3} maxLength={500} required aria-invalid={error ? true : undefined} aria-describedby={error ? `grund-${postId}-fehler` : undefined} />
        {error ? (
          <p id={`grund-${postId}-fehler`} className="field__error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button">
          Meldung senden
        </button>
      </fetcher.Form>
    </details>
  );
}
