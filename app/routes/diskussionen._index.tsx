import type { MetaFunction } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { Pagination, SortLinks, ThreadList } from "../components/discussions/ThreadList.tsx";
import { requireUser } from "../auth/session.server.ts";
import { listCategories } from "../models/community/categories.server.ts";
import { listThreads } from "../models/discussions/threads.server.ts";
import { roomUnreadCounts } from "../models/discussions/unread.server.ts";
import { unreadText } from "../domain/discussions/unread.ts";
import { parseListQuery } from "../schemas/discussions.ts";
import { sortOrders, threadTypeLabels } from "../domain/discussions/types.ts";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Diskussionen",
    matches,
    "Alle Diskussionen des Netzwerks: Fragen, Erfahrungen und Antworten aus der Praxis der Lernbegleitung.",
  );

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const query = parseListQuery(new URL(request.url));
  const [list, categories, unread] = await Promise.all([
    listThreads(actor, query),
    listCategories(),
    roomUnreadCounts(actor),
  ]);
  const total = { newThreads: 0, newReplies: 0 };
  for (const u of unread.values()) {
    total.newThreads += u.newThreads;
    total.newReplies += u.newReplies;
  }
  return {
    ...list,
    query,
    categories: categories.map((c) => ({ slug: c.slug, name: c.name, unread: unreadText(unread.get(c.id)) })),
    unread: unreadText(total),
  };
}

export default function Discussions() {
  const { threads, total, pages, query, categories, unread } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(useLocation().search);
  return (
    <div className="page with-aside">
      <div>
        <div className="page-head">
          <h1>Diskussionen</h1>
          <Link to="/diskussionen/neu" className="button">
            Neue Diskussion
          </Link>
        </div>
        <p className="lead">Fragen, Best Practice und Erfolgsgeschichten aus allen Themenräumen.</p>
        <p className="unread-summary">
          {unread ? (
            <strong>Seit deinem letzten Besuch: {unread}.</strong>
          ) : (
            "Seit deinem letzten Besuch ist nichts neu."
          )}{" "}
          <span className="hint">Als gelesen markieren kannst du im jeweiligen Themenraum.</span>
        </p>
        {params.get("geloescht") ? (
          <p className="notice notice--ok" role="status">
            Die Diskussion ist gelöscht.
          </p>
        ) : null}
        {query.type || query.tag ? (
          <p className="notice">
            Gefiltert: {query.type ? threadTypeLabels[query.type] : null}
            {query.type && query.tag ? ", " : null}
            {query.tag ? `#${query.tag}` : null} · <Link to="/diskussionen">Filter aufheben</Link>
          </p>
        ) : null}
        <SortLinks basePath="/diskussionen" current={query.sort} params={params} />
        <h2 className="visually-hidden">
          {sortOrders[query.sort]}: {total} {total === 1 ? "Diskussion" : "Diskussionen"}
        </h2>
        <ThreadList
          threads={threads}
          showCategory
          emptyText={
            query.sort === "offen"
              ? "Keine offenen Fragen – alles beantwortet!"
              : "Noch keine Diskussionen. Stell die erste Frage!"
          }
        />
        <Pagination basePath="/diskussionen" page={query.page} pages={pages} params={params} />
      </div>
      <aside aria-labelledby="raeume-titel">
        <h2 id="raeume-titel">Themenräume</h2>
        <ul className="plain-list">
          {categories.map((c) => (
            <li key={c.slug}>
              <Link to={`/themen/${c.slug}`}>{c.name}</Link>
              {c.unread ? <span className="hint"> ({c.unread})</span> : null}
            </li>
          ))}
        </ul>
        <p>
          <Link to="/themen">Alle Themenräume im Überblick</Link>
        </p>
        <h2>Arten</h2>
        <ul className="plain-list">
          {Object.entries(threadTypeLabels).map(([key, label]) => (
            <li key={key}>
              <Link to={`/diskussionen?art=${key}`}>{label}</Link>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
