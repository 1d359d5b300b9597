import { Link } from "@remix-run/react";
import { useEnhancedHtml } from "../useEnhancedHtml.ts";
import { threadTypeLabels, sortOrders, type SortOrder, type ThreadType } from "../../domain/discussions/types.ts";
import { formatDateTime } from "../../domain/time.ts";
import { Person } from "../Avatar.tsx";
import type { Face } from "../../domain/avatars/avatars.ts";

export interface ThreadListItem {
  id: string;
  title: string;
  type: ThreadType;
  author: (Face & { handle: string | null }) | null;
  anonymous: boolean;
  /** The newest visible reply's author (null author: anonymous or former member); null when there is no reply. */
  lastReply: { author: Face | null; anonymous: boolean } | null;
  categorySlug: string;
  categoryName: string;
  tags: string[];
  replyCount: number;
  answered: boolean;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  unread: boolean;
  /** Never opened and newer than the member's baseline (ADR 030). */
  isNewThread: boolean;
  newReplies: number;
  /** The title link leads to the first new reply. */
  jumpToUnread: boolean;
  lastActivityAt: string | Date;
}

/** Sort tabs and page links are plain links with stable URLs (?sortierung=…&seite=…), so they work without JS. */
export function SortLinks({
  basePath,
  current,
  params,
}: {
  basePath: string;
  current: SortOrder;
  params: URLSearchParams;
}) {
  return (
    <nav aria-label="Sortierung" className="tabs">
      <ul>
        {(Object.keys(sortOrders) as SortOrder[]).map((key) => {
          const next = new URLSearchParams(params);
          next.set("sortierung", key);
          next.delete("seite");
          return (
            <li key={key}>
              <Link to={`${basePath}?${next}`} aria-current={key === current ? "page" : undefined}>
                {sortOrders[key]}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function Pagination({
  basePath,
  page,
  pages,
  params,
}: {
  basePath: string;
  page: number;
  pages: number;
  params: URLSearchParams;
}) {
  if (pages <= 1) return null;
  const href = (p: number) => {
    const next = new URLSearchParams(params);
    if (p === 1) next.delete("seite");
    else next.set("seite", String(p));
    const query = next.toString();
    return query ? `${basePath}?${query}` : basePath;
  };
  return (
    <nav aria-label="Seiten" className="pagination">
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          ← Vorherige Seite
        </Link>
      ) : null}
      <span>
        Seite {page} von {pages}
      </span>
      {page < pages ? (
        <Link to={href(page + 1)} rel="next">
          Nächste Seite →
        </Link>
      ) : null}
    </nav>
  );
}

function whoWrote(author: Face | null, anonymous: boolean): string {
  return author ? author.name : anonymous ? "Anonymes Mitglied" : "Ehemaliges Mitglied";
}

export function ThreadList({
  threads,
  showCategory,
  emptyText,
}: {
  threads: ThreadListItem[];
  showCategory: boolean;
  emptyText: string;
}) {
  // Plain links with one delegated handler: a list of 20 threads has ~70 links (see useEnhancedHtml).
  const enhance = useEnhancedHtml();
  if (threads.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <ul className="thread-list" ref={enhance}>
      {threads.map((t) => (
        <li key={t.id} className={t.unread ? "thread-list__item thread-list__item--unread" : "thread-list__item"}>
          <div className="thread-list__main">
            <p className="thread-list__meta">
              <span className={`badge badge--${t.type}`}>{threadTypeLabels[t.type]}</span>
              {t.pinned ? <span className="badge">Angeheftet</span> : null}
              {t.answered ? <span className="badge badge--answered">Beantwortet</span> : null}
              {t.locked ? <span className="badge">Geschlossen</span> : null}
              {t.hidden ? <span className="badge badge--warning">Ausgeblendet</span> : null}
              {t.isNewThread ? <span className="badge badge--unread">Neue Diskussion</span> : null}
            </p>
            <h3 className="thread-list__title">
              <a href={t.jumpToUnread ? `/diskussionen/${t.id}#ungelesen` : `/diskussionen/${t.id}`}>{t.title}</a>
            </h3>
            <p className="thread-list__byline">
              <Person face={t.author}>{whoWrote(t.author, t.anonymous)}</Person>
              {showCategory ? (
                <>
                  <span>·</span>
                  <a href={`/themen/${t.categorySlug}`}>{t.categoryName}</a>
                </>
              ) : null}
            </p>
            <p className="thread-list__byline">
              <span>letzte Aktivität {formatDateTime(t.lastActivityAt)}</span>
              {t.lastReply ? (
                <>
                  <span>·</span>
                  <span>letzte Antwort von</span>
                  <Person face={t.lastReply.author}>{whoWrote(t.lastReply.author, t.lastReply.anonymous)}</Person>
                </>
              ) : null}
            </p>
            {t.tags.length > 0 ? (
              <ul className="tags" aria-label="Schlagwörter">
                {t.tags.map((tag) => (
                  <li key={tag}>
                    <a href={`/diskussionen?schlagwort=${encodeURIComponent(tag)}`}>#{tag}</a>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <p className="thread-list__count">
            <strong>{t.replyCount}</strong> {t.replyCount === 1 ? "Antwort" : "Antworten"}
            {t.newReplies > 0 ? (
              <>
                <span className="visually-hidden">, davon</span>{" "}
                <span className="badge badge--unread thread-list__new">{t.newReplies} neu</span>
              </>
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}
