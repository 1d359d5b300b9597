import type { MetaFunction } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useEnhancedHtml } from "../components/useEnhancedHtml.ts";
import { pageTitle } from "../components/meta.ts";
import { Pagination } from "../components/discussions/ThreadList.tsx";
import { formatDate } from "../domain/time.ts";
import { requireUser } from "../auth/session.server.ts";
import { can } from "../auth/permissions.ts";
import { listLibrary } from "../models/library/materials.server.ts";
import { listCollections } from "../models/library/collections.server.ts";
import { parseLibraryQuery } from "../schemas/library.ts";
import { librarySorts, materialTypeLabels, materialTypes } from "../domain/library/types.ts";
import { audiences, competenceAreas, ilbSteps } from "../domain/taxonomy.ts";
import { FilterPanel } from "../components/layout/FilterPanel.tsx";
import "../styles/library.css";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Materialien",
    matches,
    "Die Materialbibliothek: geprüfte One-Pager, Methodenkarten, Videos und Podcasts für die Lernbegleitung, nach Schritt und Thema sortiert.",
  );

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const query = parseLibraryQuery(new URL(request.url));
  const [library, collections] = await Promise.all([listLibrary(query), listCollections()]);
  return { ...library, query, collections, curator: can(actor, "curate") };
}

/** Filters are links that set one parameter and keep the others: they work without JavaScript. */
function FilterGroup({
  title,
  param,
  options,
  params,
}: {
  title: string;
  param: string;
  options: Record<string, string>;
  params: URLSearchParams;
}) {
  const current = params.get(param);
  const href = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(param, value);
    else next.delete(param);
    next.delete("seite");
    const q = next.toString();
    return q ? `/materialien?${q}` : "/materialien";
  };
  return (
    <div className="filter-group">
      <h3>{title}</h3>
      <ul className="plain-list">
        <li>
          <a href={href(null)} aria-current={current ? undefined : "true"}>
            Alle
          </a>
        </li>
        {Object.entries(options).map(([value, label]) => (
          <li key={value}>
            <a href={href(value)} aria-current={current === value ? "true" : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The parameters the filter panel sets (its "n aktiv"). */
const filterParams = ["art", "schritt", "bereich", "zielgruppe"];

export default function Library() {
  const { materials, total, pages, query, collections, curator } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(useLocation().search);
  const enhance = useEnhancedHtml();
  const typeOptions = Object.fromEntries(materialTypes.map((t) => [t, materialTypeLabels[t]]));
  const sortHref = (sort: string) => {
    const next = new URLSearchParams(params);
    next.set("sortierung", sort);
    next.delete("seite");
    return `/materialien?${next}`;
  };
  return (
    <div className="page with-aside with-aside--left" ref={enhance}>
      <div className="with-aside__head">
        <div className="page-head">
          <h1>Materialien</h1>
          <Link to="/materialien/neu" className="button">
            {curator ? "Neues Material" : "Material vorschlagen"}
          </Link>
        </div>
        <p className="lead">
          Für jeden Lerntyp etwas: OnePager, Kurzvideos, Podcasts und Hintergrundwissen, von der Moderation aktuell
          gehalten.
        </p>
      </div>
      <FilterPanel title="Filtern" active={filterParams.filter((p) => params.has(p)).length}>
        <FilterGroup title="Materialart" param="art" options={typeOptions} params={params} />
        <FilterGroup title="iLB-Schritt" param="schritt" options={ilbSteps} params={params} />
        <FilterGroup title="Kompetenzbereich" param="bereich" options={competenceAreas} params={params} />
        <FilterGroup title="Zielgruppe" param="zielgruppe" options={audiences} params={params} />
      </FilterPanel>
      <div className="with-aside__body">
        {collections.length > 0 ? (
          <section aria-labelledby="pakete-titel">
            <h2 id="pakete-titel">Themenpakete</h2>
            <ul className="grid grid--plain">
              {collections.map((c) => (
                <li key={c.slug} className="card">
                  <h3>
                    <Link to={`/materialien/themenpakete/${c.slug}`}>{c.title}</Link>
                  </h3>
                  <p className="hint">
                    {c.count} {c.count === 1 ? "Material" : "Materialien"}
                  </p>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <h2>
          {total} {total === 1 ? "Material" : "Materialien"}
          {query.tag ? ` zum Thema #${query.tag}` : ""}
        </h2>
        <nav aria-label="Sortierung" className="tabs">
          <ul>
            {Object.entries(librarySorts).map(([key, label]) => (
              <li key={key}>
                <Link to={sortHref(key)} aria-current={query.sort === key ? "page" : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {materials.length === 0 ? (
          <p className="empty">
            Keine Materialien passen zu diesen Filtern. <Link to="/materialien">Alle Filter aufheben</Link>
          </p>
        ) : (
          <ul className="material-list">
            {materials.map((m) => (
              <li key={m.id} className="card material-card">
                <p className="thread-list__meta">
                  <span className="badge">{materialTypeLabels[m.type]}</span>
                  {m.ilbStep ? <span className="hint">{ilbSteps[m.ilbStep as keyof typeof ilbSteps]}</span> : null}
                </p>
                <h3 className="thread-list__title">
                  <a href={`/materialien/${m.id}`}>{m.title}</a>
                </h3>
                {m.summary ? <p>{m.summary}</p> : null}
                <p className="hint">
                  {m.publishedAt ? `Veröffentlicht ${formatDate(m.publishedAt)}` : null}
                  {m.lastReviewedAt ? ` · zuletzt geprüft ${formatDate(m.lastReviewedAt)}` : null}
                </p>
                {m.tags.length > 0 ? (
                  <ul className="tags" aria-label="Themen">
                    {m.tags.map((tag) => (
                      <li key={tag}>
                        <a href={`/materialien?thema=${encodeURIComponent(tag)}`}>#{tag}</a>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <Pagination basePath="/materialien" page={query.page} pages={pages} params={params} />
      </div>
    </div>
  );
}
