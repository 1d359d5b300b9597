import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { pageTitle } from "../../components/meta.ts";
import { PostCard } from "../../components/discussions/PostCard.tsx";
import { ReplyForm } from "../../components/discussions/ReplyForm.tsx";
import { ReplyTree } from "../../components/discussions/ReplyTree.tsx";
import { ThreadModerationTools } from "../../components/discussions/ThreadModerationTools.tsx";
import { useThreadLive } from "../../components/discussions/useThreadLive.ts";
import { formatDateTime } from "../../components/format.ts";
import { requireUser } from "../../auth/session.server.ts";
import { threadTypeLabels } from "../../domain/discussions/types.ts";
import { audiences, competenceAreas, ilbSteps, legalDomainTags } from "../../domain/taxonomy.ts";
import type { RichDoc } from "../../domain/richtext/types.ts";
import { quoteDoc } from "../../domain/richtext/text.ts";
import { listCategories } from "../../models/community/categories.server.ts";
import { markThreadNotificationsRead } from "../../models/discussions/notifications.server.ts";
import { getThreadView, markThreadRead } from "../../models/discussions/threads.server.ts";
import { getDrafts } from "../../models/discussions/watches.server.ts";
import { handleThreadAction } from "./actions.server.ts";

export const meta = ({ data }: MetaArgs<typeof loader>) => pageTitle(data?.thread.title ?? "Diskussion");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const threadId = params.id ?? "";
  const view = await getThreadView(actor, threadId);
  if (view === "forbidden") throw data(null, { status: 403 });
  if (!view) throw data(null, { status: 404 });
  const url = new URL(request.url);
  const replyTo = url.searchParams.get("antwort");
  const quoted = url.searchParams.get("zitat") === "1" ? [view.opening, ...view.replies].find((p) => p.id === replyTo) : undefined;
  const [drafts, categories] = await Promise.all([
    getDrafts(actor, [`reply:${threadId}:*`]),
    view.may.moderate ? listCategories() : Promise.resolve([]),
    markThreadRead(actor, threadId),
    markThreadNotificationsRead(actor.id, threadId),
  ]);
  return {
    ...view,
    categories,
    drafts: drafts as Record<string, { doc?: RichDoc }>,
    quote: quoted && quoted.html ? { postId: quoted.id, doc: quoteDoc(quoted.quoteText, quoted.author?.name ?? "Anonymes Mitglied") } : null,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  return handleThreadAction(actor, params.id ?? "", await request.formData());
}

type ActionResult = { intent?: string; parentId?: string | null; errors?: Record<string, string>; values?: Record<string, string> } | undefined;

const taxonomyLabel = (map: Record<string, string>, key: string | null) => (key ? map[key] : null);

export default function ThreadPage() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult;
  const [params] = useSearchParams();
  const { thread, opening, replies } = view;
  const announcement = useThreadLive(thread.id);
  const replyTo = params.get("antwort");
  const accepted = thread.acceptedPostId ? replies.find((r) => r.id === thread.acceptedPostId) : undefined;
  const replyError = result?.intent === "reply" ? result.errors?.body ?? result.errors?.parentId ?? result.errors?.form : undefined;
  const formProps = (parentId: string | null) => {
    const failed = result?.intent === "reply" && (result.parentId ?? null) === parentId;
    const draft = view.drafts[`reply:${thread.id}:${parentId ?? "thread"}`]?.doc ?? null;
    const quote = view.quote && view.quote.postId === parentId ? view.quote.doc : null;
    const kept = failed && result?.values?.bodyJson ? safeJson(result.values.bodyJson) : null;
    return {
      initialDoc: kept ?? quote ?? draft,
      initialText: failed ? result?.values?.body : undefined,
      error: failed ? replyError : undefined,
    };
  };
  const taxonomy = [
    taxonomyLabel(ilbSteps, thread.ilbStep),
    taxonomyLabel(competenceAreas, thread.competenceArea),
    taxonomyLabel(audiences, thread.audience),
    taxonomyLabel(legalDomainTags, thread.legalDomain),
  ].filter(Boolean);
  return (
    <div className="page thread">
      <p className="breadcrumb">
        <Link to="/diskussionen">Diskussionen</Link> › <Link to={`/themen/${thread.category.slug}`}>{thread.category.name}</Link>
      </p>
      <p className="thread__badges">
        <span className={`badge badge--${thread.type}`}>{threadTypeLabels[thread.type]}</span>
        {thread.acceptedPostId ? <span className="badge badge--answered">Beantwortet</span> : null}
        {thread.pinned ? <span className="badge">Angeheftet</span> : null}
        {thread.locked ? <span className="badge">Geschlossen</span> : null}
        {thread.hidden ? <span className="badge badge--warning">Ausgeblendet</span> : null}
      </p>
      <h1>{thread.title}</h1>
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
          <input type="hidden" name="on" value={view.watching ? "0" : "1"} />
          <button type="submit" className="button button--quiet" aria-pressed={view.watching}>
            {view.watching ? "Beobachtet – nicht mehr beobachten" : "Diskussion beobachten"}
          </button>
        </Form>
      </div>
      {result?.errors && result.intent !== "reply" ? (
        <p className="notice notice--error" role="alert">
          {Object.values(result.errors)[0]}
        </p>
      ) : null}
      <PostCard post={opening} threadId={thread.id} heading="h2" isAnswer={false} canAccept={false} canReply={view.may.reply} moderate={view.may.moderate} />
      {accepted && accepted.html ? (
        <section className="accepted" aria-labelledby="loesung-titel">
          <h2 id="loesung-titel">Als Lösung markiert</h2>
          <div className="prose" dangerouslySetInnerHTML={{ __html: accepted.html }} />
          <p>
            <a href={`#beitrag-${accepted.id}`}>Zur Antwort im Verlauf</a>
          </p>
        </section>
      ) : null}
      {view.may.moderate ? <ThreadModerationTools thread={thread} categories={view.categories} error={result?.intent === "retitle" ? result.errors?.title : undefined} /> : null}
      {replyTo === opening.id ? <ReplyForm threadId={thread.id} parentId={opening.id} parentLabel="den Eröffnungsbeitrag" autoFocus {...formProps(opening.id)} /> : null}

      <section aria-labelledby="antworten-titel" className="thread__replies">
        <h2 id="antworten-titel">
          {thread.replyCount} {thread.replyCount === 1 ? "Antwort" : "Antworten"}
        </h2>
        <p className="hint">Eröffnet {formatDateTime(thread.createdAt)}</p>
        <ReplyTree
          replies={replies}
          threadId={thread.id}
          acceptedPostId={thread.acceptedPostId}
          canAccept={view.may.acceptAnswer}
          canReply={view.may.reply}
          moderate={view.may.moderate}
          replyTo={replyTo}
          formProps={formProps}
        />
      </section>

      <div aria-live="polite" className="visually-hidden">
        {announcement}
      </div>

      <section aria-labelledby="antwort-schreiben" className="card">
        <h2 id="antwort-schreiben">Antworten</h2>
        {view.may.reply ? (
          <ReplyForm threadId={thread.id} parentId={null} {...formProps(null)} />
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
