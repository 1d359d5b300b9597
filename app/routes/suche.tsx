import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { FacetGroup, facetOptions } from "../components/search/SearchFacets.tsx";
import { SearchHits, SearchPager } from "../components/search/SearchHits.tsx";
import { requireUser } from "../auth/session.server.ts";
import { search } from "../models/search/search.server.ts";
import { hitPeople } from "../models/search/faces.server.ts";
import { listCategories } from "../models/community/categories.server.ts";
import { parseSearchParams } from "../schemas/search.ts";
import { searchKindLabels, searchSorts, SEARCH_MAX_PAGE, timeRangeLabels } from "../domain/search.ts";
import { materialTypeLabels } from "../domain/library/types.ts";
import { audiences, competenceAreas, ilbSteps } from "../domain/taxonomy.ts";
import { FilterPanel } from "../components/layout/FilterPanel.tsx";
import "../styles/search.css";

export const meta = ({
  data,
  matches,
}: {
  data?: { params: { q: string } };
  matches: { id: string; data?: unknown }[];
}) => pageTitle(data?.params.q ? `Suche: ${data.params.q}` : "Suche", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const params = parseSearchParams(new URL(request.url));
  const [result, rooms] = await Promise.all([
    params.q ? search(actor, params, { record: true }) : null,
    listCategories(),
  ]);
  // Faces of the page's hits: one query after the search (ADR 028).
  const people = result ? await hitPeople(actor, result.hits) : {};
  return { params, result, people, roomNames: Object.fromEntries(rooms.map((r) => [r.slug, r.name])) };
}

function Tips() {
  return (
    <div className="card">
      <h2>So findest du schneller</h2>
      <ul>
        <li>
          Mehrere Wörter: Treffer enthalten alle, z. B. <i>Lernbedarf Gespräch</i>.
        </li>
        <li>
          Genaue Wortfolge in Anführungszeichen: <i>„kollegiale Fallberatung“</i>.
        </li>
        <li>
          Ein Minus schließt ein Wort aus: <i>Fallberatung -live</i>.
        </li>
        <li>Abkürzungen wie iLB, QV, FK oder SGB II werden verstanden, Umlaute auch als ae, oe, ue.</li>
      </ul>
    </div>
  );
}

export default function SearchPage() {
  const { params, result, people, roomNames } = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  const urlParams = new URLSearchParams(location.search);
  const searching = navigation.state === "loading" && navigation.location?.pathname === "/suche";
  const pages = result ? Math.min(Math.ceil(result.total / params.perPage), SEARCH_MAX_PAGE) : 0;
  const sortHref = (sort: string) => {
    const next = new URLSearchParams(urlParams);
    if (sort === "relevanz") next.delete("sort");
    else next.set("sort", sort);
    next.delete("page");
    return `/suche?${next}`;
  };
  const didYouMeanHref = (q: string) => {
    const next = new URLSearchParams(urlParams);
    next.set("q", q);
    next.delete("page");
    return `/suche?${next}`;
  };
  const f = result?.facets;
  // No heading over an empty sidebar (no results, nothing to narrow down): only what can be chosen or undone.
  const activeFilters = [...urlParams.keys()].filter((k) => !["q", "page", "sort"].includes(k)).length;
  return (
    <div className={result ? "page with-aside with-aside--left" : "page"}>
      <div className="with-aside__head">
        <h1>Suche</h1>
        <Form method="get" action="/suche" role="search" className="search-form">
          <label htmlFor="suche-q" className="visually-hidden">
            Suchbegriff
          </label>
          <input
            id="suche-q"
            type="search"
            name="q"
            defaultValue={params.q}
            key={params.q}
            maxLength={500}
            placeholder="z. B. Selbstvereinbarung, iLB, „kollegiale Fallberatung“"
          />
          {/* Active filters stay when the words change. */}
          {[...urlParams.entries()]
            .filter(([k]) => k !== "q" && k !== "page")
            .map(([k, v]) => (
              <input key={k} type="hidden" name={k} value={v} />
            ))}
          <button type="submit" className="button" disabled={searching}>
            {searching ? "Sucht …" : "Suchen"}
          </button>
        </Form>
      </div>
      {result && f && (activeFilters > 0 || Object.values(f).some((counts) => Object.keys(counts).length > 0)) ? (
        <FilterPanel title="Ergebnisse eingrenzen" active={activeFilters}>
          <FacetGroup
            title="Art"
            param="type"
            options={facetOptions(f.kind, searchKindLabels, true)}
            params={urlParams}
          />
          <FacetGroup
            title="Materialart"
            param="materialType"
            options={facetOptions(f.materialType, materialTypeLabels)}
            params={urlParams}
          />
          <FacetGroup
            title="iLB-Schritt"
            param="ilbStep"
            options={facetOptions(f.ilbStep, ilbSteps, true)}
            params={urlParams}
          />
          <FacetGroup
            title="Kompetenzbereich"
            param="competenceArea"
            options={facetOptions(f.competenceArea, competenceAreas, true)}
            params={urlParams}
          />
          <FacetGroup
            title="Zielgruppe"
            param="audience"
            options={facetOptions(f.audience, audiences, true)}
            params={urlParams}
          />
          <FacetGroup title="Themenraum" param="room" options={facetOptions(f.room, roomNames)} params={urlParams} />
          <FacetGroup
            title="Zeitraum"
            param="time"
            options={facetOptions(f.time, timeRangeLabels, true)}
            params={urlParams}
          />
        </FilterPanel>
      ) : null}
      <div className="with-aside__body">
        {!result ? (
          <Tips />
        ) : (
          <section aria-labelledby="treffer-titel" aria-busy={searching}>
            <h2 id="treffer-titel" aria-live="polite">
              {result.total === 0
                ? "Keine Treffer"
                : result.total === 1
                  ? "1 Treffer"
                  : `${result.total.toLocaleString("de-DE")} Treffer`}{" "}
              für „{params.q}“
            </h2>
            {result.didYouMean ? (
              <p className="notice">
                Meintest du <Link to={didYouMeanHref(result.didYouMean)}>„{result.didYouMean}“</Link>? Die Treffer unten
                gelten für diese Schreibweise.
              </p>
            ) : null}
            {result.total > 0 ? (
              <nav aria-label="Sortierung" className="tabs">
                <ul>
                  {Object.entries(searchSorts).map(([key, label]) => (
                    <li key={key}>
                      <Link
                        to={sortHref(key)}
                        aria-current={(params.sort === "date") === (key === "datum") ? "page" : undefined}
                      >
                        {label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            {result.total === 0 ? (
              <div className="empty">
                <p>
                  Dazu haben wir nichts gefunden. Versuch es mit weniger oder anderen Wörtern
                  {urlParams.size > 1 ? " oder hebe die Filter auf" : ""}.
                </p>
                {urlParams.size > 1 ? (
                  <Link to={`/suche?q=${encodeURIComponent(params.q)}`}>Alle Filter aufheben</Link>
                ) : null}
                <p>
                  Du findest keine Antwort? <Link to="/diskussionen/neu">Stell deine Frage im Netzwerk.</Link>
                </p>
              </div>
            ) : (
              <>
                <SearchHits hits={result.hits} people={people} start={(params.page - 1) * params.perPage + 1} />
                <SearchPager page={params.page} pages={pages} params={urlParams} />
              </>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
