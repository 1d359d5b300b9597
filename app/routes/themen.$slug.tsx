import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { Pagination, SortLinks, ThreadList } from "../components/discussions/ThreadList.tsx";
import { requireUser } from "../auth/session.server.ts";
import { getCategory } from "../models/community/categories.server.ts";
import { listThreads } from "../models/discussions/threads.server.ts";
import { setCategoryWatch } from "../models/discussions/watches.server.ts";
import { markRoomRead, roomUnreadCounts } from "../models/discussions/unread.server.ts";
import { UNREAD_RULE, unreadText } from "../domain/discussions/unread.ts";
import { parseListQuery } from "../schemas/discussions.ts";
import { inputErrorResponse } from "../models/errors.server.ts";

export const meta = ({
  data,
  matches,
}: {
  data?: { category: { name: string } };
  matches: { id: string; data?: unknown }[];
}) => pageTitle(data?.category.name ?? "Themenraum", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const category = await getCategory(params.slug ?? "", actor.id);
  if (!category) throw data(null, { status: 404 });
  const query = parseListQuery(new URL(request.url));
  const [list, unread] = await Promise.all([
    listThreads(actor, { ...query, categorySlug: category.slug }),
    roomUnreadCounts(actor, category.id),
  ]);
  return { ...list, query, category, unread: unreadText(unread.get(category.id)) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const form = await request.formData();
  try {
    if (form.get("intent") === "alles-gelesen") {
      await markRoomRead(actor, params.slug ?? "");
      return { markedRead: true };
    }
    await setCategoryWatch(actor, params.slug ?? "", form.get("watch") === "1");
    return { ok: true };
  } catch (error) {
    return inputErrorResponse(error);
  }
}

export default function Room() {
  const { threads, pages, query, category, unread } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const base = `/themen/${category.slug}`;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/diskussionen">Diskussionen</Link> › <Link to="/themen">Themenräume</Link> › {category.name}
      </p>
      <div className="page-head">
        <h1>{category.name}</h1>
        <Link to={`/diskussionen/neu?raum=${category.slug}`} className="button">
          Neue Diskussion in diesem Raum
        </Link>
      </div>
      <p className="lead">{category.description}</p>
      <Form method="post" className="inline-form" preventScrollReset>
        <input type="hidden" name="watch" value={category.watching ? "0" : "1"} />
        <button type="submit" className="button button--quiet" aria-pressed={category.watching}>
          {category.watching ? "Raum beobachtet – nicht mehr beobachten" : "Raum beobachten"}
        </button>
        <span className="hint"> Du wirst über neue Antworten in diesem Raum benachrichtigt.</span>
      </Form>
      <div className="unread-summary">
        {(result as { markedRead?: boolean } | undefined)?.markedRead ? (
          <p className="notice notice--ok" role="status">
            Alles in diesem Raum ist als gelesen markiert.
          </p>
        ) : null}
        {unread ? (
          <Form method="post" className="inline-form" preventScrollReset>
            <p className="unread-summary__text">
              <strong>Seit deinem letzten Besuch: {unread}.</strong>{" "}
              <input type="hidden" name="intent" value="alles-gelesen" />
              <button type="submit" className="button button--quiet">
                Alles als gelesen markieren
              </button>
            </p>
          </Form>
        ) : (
          <p>Hier ist nichts neu für dich.</p>
        )}
        <p className="hint">{UNREAD_RULE}</p>
      </div>
      <SortLinks basePath={base} current={query.sort} params={params} />
      {/* The list's titles are h3: its own heading keeps the outline from jumping from h1 to h3. */}
      <h2 className="visually-hidden">Diskussionen in diesem Raum</h2>
      <ThreadList
        threads={threads}
        showCategory={false}
        emptyText="In diesem Raum gibt es noch keine Diskussionen. Fang eine an!"
      />
      <Pagination basePath={base} page={query.page} pages={pages} params={params} />
    </div>
  );
}
