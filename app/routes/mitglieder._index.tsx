import type { MetaFunction } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { SelectField } from "../components/Field.tsx";
import { Pagination } from "../components/discussions/ThreadList.tsx";
import { requireUser } from "../auth/session.server.ts";
import { directoryChoices, listMembers } from "../models/accounts/directory.server.ts";
import { parseDirectoryQuery } from "../schemas/directory.ts";
import { legalDomainLabels } from "../domain/accounts.ts";
import { Avatar } from "../components/Avatar.tsx";
import "../styles/members.css";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Mitglieder",
    matches,
    "Das Mitgliederverzeichnis: Wer kennt sich aus mit welchem Thema, in welcher Region und welchem Rechtskreis?",
  );

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  const query = parseDirectoryQuery(new URL(request.url));
  const [result, choices] = await Promise.all([listMembers(query), directoryChoices()]);
  return { ...result, choices, query };
}

export default function Directory() {
  const { members, total, pages, choices, query } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(useLocation().search);
  const searching = useNavigation().state === "loading";
  const filtered = Boolean(query.q || query.region || query.legalDomain || query.topic);
  const topicHref = (topic: string) => {
    const next = new URLSearchParams(params);
    next.set("thema", topic);
    next.delete("seite");
    return `/mitglieder?${next}`;
  };
  return (
    <div className="page">
      <h1>Mitglieder</h1>
      <p className="lead">
        Wer kennt sich aus mit …? Hier stehen alle, die sich in ihren Einstellungen ins Verzeichnis eingetragen haben.
      </p>
      <Form method="get" className="directory-form" role="search" aria-label="Mitglieder suchen">
        <div className="field">
          <label htmlFor="mitglieder-q">Name, Thema oder Stichwort</label>
          <input
            id="mitglieder-q"
            name="q"
            type="search"
            defaultValue={query.q}
            maxLength={100}
            placeholder="z. B. Lernlandkarte"
          />
        </div>
        <SelectField
          name="region"
          label="Region"
          defaultValue={query.region}
          options={[{ value: "", label: "Alle Regionen" }, ...choices.regions.map((r) => ({ value: r, label: r }))]}
        />
        <SelectField
          name="rechtskreis"
          label="Rechtskreis"
          defaultValue={query.legalDomain ?? ""}
          options={[
            { value: "", label: "Alle" },
            ...Object.entries(legalDomainLabels).map(([value, label]) => ({ value, label })),
          ]}
        />
        {query.topic ? <input type="hidden" name="thema" value={query.topic} /> : null}
        <div>
          <button type="submit" className="button">
            Suchen
          </button>
        </div>
      </Form>

      {choices.topics.length ? (
        <nav aria-label="Häufige Themen" className="topic-links">
          <h2 className="visually-hidden">Häufige Themen</h2>
          <ul className="tag-list">
            {choices.topics.map((topic) => (
              <li key={topic}>
                <Link
                  to={topicHref(topic)}
                  className="tag"
                  aria-current={query.topic.toLowerCase() === topic.toLowerCase() ? "true" : undefined}
                >
                  {topic}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      <div aria-live="polite" aria-busy={searching}>
        <p className="hint">
          {total === 0 ? "Keine Treffer." : total === 1 ? "1 Mitglied" : `${total} Mitglieder`}
          {query.topic ? ` zum Thema „${query.topic}“` : ""}
          {filtered ? (
            <>
              {" · "}
              <Link to="/mitglieder">Filter zurücksetzen</Link>
            </>
          ) : null}
        </p>
      </div>
      {members.length === 0 ? (
        <p className="empty">
          {filtered
            ? "Niemand im Verzeichnis passt zu deiner Suche. Versuch ein anderes Stichwort, oder frag in den Diskussionen, wer sich auskennt."
            : "Noch hat sich niemand ins Verzeichnis eingetragen. In deinen Einstellungen kannst du den Anfang machen."}
        </p>
      ) : (
        <ul className="grid grid--plain member-grid" role="list">
          {members.map((m) => (
            <li key={m.handle} className="card">
              <h2 className="card__title person">
                <Avatar face={{ id: m.id, name: m.displayName, picture: m.picture }} size="m" />
                <Link to={`/mitglieder/${m.handle}`}>{m.displayName}</Link>
              </h2>
              <p>
                {[m.roleText, m.region, m.legalDomain ? legalDomainLabels[m.legalDomain] : ""]
                  .filter(Boolean)
                  .join(" · ") || "Mitglied im Netzwerk"}
              </p>
              {m.expertise.length ? (
                <ul className="tag-list" aria-label={`Themen von ${m.displayName}`}>
                  {m.expertise.map((topic) => (
                    <li key={topic}>
                      <Link to={topicHref(topic)} className="tag">
                        {topic}
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination basePath="/mitglieder" page={query.page} pages={pages} params={params} />
      <p className="hint">
        Du möchtest selbst gefunden werden? Trag dich in den <Link to="/einstellungen">Einstellungen</Link> ins
        Verzeichnis ein und nenne deine Themen.
      </p>
    </div>
  );
}
