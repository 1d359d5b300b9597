import { Link } from "@remix-run/react";
import { searchKindSingular, type SearchKind } from "../../domain/search.ts";
import { formatDate } from "../../domain/time.ts";
import { Avatar, Person } from "../Avatar.tsx";
import type { Face } from "../../domain/avatars/avatars.ts";
import "../../styles/search.css";

export interface Hit {
  type: SearchKind;
  id: string;
  title: string;
  url: string;
  snippet: string;
  date: string;
}

/** Who a hit is by (see models/search/faces.server.ts), keyed by "<type>:<id>". */
export type HitPeople = Record<string, { face: Face | null; anonymous: boolean }>;

export function SearchHits({ hits, start, people = {} }: { hits: Hit[]; start: number; people?: HitPeople }) {
  return (
    <ol className="search-hits" start={start}>
      {hits.map((hit) => {
        const person = hit.type === "member" ? undefined : people[`${hit.type}:${hit.id}`];
        const member = hit.type === "member" ? people[`member:${hit.id}`] : undefined;
        return (
          <li key={`${hit.type}:${hit.id}`} className="search-hit">
            <p className="thread-list__meta search-hit__meta">
              <span className={`badge badge--kind-${hit.type}`}>{searchKindSingular[hit.type]}</span>
              {hit.type !== "member" ? <span className="hint">{formatDate(hit.date)}</span> : null}
              {person ? (
                <Person face={person.face}>
                  {person.face ? person.face.name : person.anonymous ? "Anonymes Mitglied" : "Ehemaliges Mitglied"}
                </Person>
              ) : null}
            </p>
            <h3 className={member ? "search-hit__title search-hit__title--person" : "search-hit__title"}>
              {/* Decorative: the member's name is the link beside it. */}
              {member ? <Avatar face={member.face} size="s" /> : null}
              <Link to={hit.url}>{hit.type === "reply" ? `Antwort in „${hit.title}“` : hit.title}</Link>
            </h3>
            {/* The snippet is built from HTML-escaped text; <mark> is the only markup it contains. */}
            {hit.snippet ? (
              <p className="search-hit__snippet" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

export function SearchPager({ page, pages, params }: { page: number; pages: number; params: URLSearchParams }) {
  if (pages <= 1) return null;
  const href = (p: number) => {
    const next = new URLSearchParams(params);
    if (p === 1) next.delete("page");
    else next.set("page", String(p));
    return `/suche?${next}`;
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
