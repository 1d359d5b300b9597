import { data, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { formatDate } from "../domain/time.ts";
import { requireUser } from "../auth/session.server.ts";
import { getProfile } from "../models/accounts/directory.server.ts";
import { legalDomainLabels, roleLabels } from "../domain/accounts.ts";
import { threadTypeLabels } from "../domain/discussions/types.ts";
import { materialTypeLabels } from "../domain/library/types.ts";
import { Avatar } from "../components/Avatar.tsx";

export const meta = ({ data, matches }: MetaArgs<typeof loader>) =>
  pageTitle(data?.profile.displayName ?? "Mitglied", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireUser(request, context);
  const page = Math.min(
    1000,
    Math.max(1, Number.parseInt(new URL(request.url).searchParams.get("antworten") ?? "1", 10) || 1),
  );
  const found = await getProfile(params.handle ?? "", page);
  if (!found) throw data(null, { status: 404 });
  return { ...found, page };
}

export default function Profile() {
  const { profile, face, started, replies, moreReplies, materials, page } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/mitglieder">Mitglieder</Link> › Profil
      </p>
      <h1 className="person profile__name">
        <Avatar face={face} size="l" />
        {profile.displayName}
      </h1>
      <p className="lead">
        {profile.roleText || "Mitglied im Netzwerk"}
        {profile.role !== "member" ? ` · ${roleLabels[profile.role]}` : ""}
      </p>
      <dl className="facts card">
        <dt>Kurzname</dt>
        <dd>@{profile.handle}</dd>
        {profile.legalDomain ? (
          <>
            <dt>Rechtskreis</dt>
            <dd>{legalDomainLabels[profile.legalDomain]}</dd>
          </>
        ) : null}
        {profile.region ? (
          <>
            <dt>Region</dt>
            <dd>{profile.region}</dd>
          </>
        ) : null}
        {profile.expertise.length ? (
          <>
            <dt>Dazu kann man {profile.displayName.split(" ")[0]} fragen</dt>
            <dd>
              <ul className="tag-list">
                {profile.expertise.map((topic) => (
                  <li key={topic}>
                    <Link to={`/mitglieder?thema=${encodeURIComponent(topic)}`} className="tag">
                      {topic}
                    </Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>Dabei seit</dt>
        <dd>{formatDate(profile.createdAt)}</dd>
      </dl>
      {profile.bio ? (
        <section aria-labelledby="ueber-titel">
          <h2 id="ueber-titel">Über mich</h2>
          <p>{profile.bio}</p>
        </section>
      ) : null}
      <section aria-labelledby="beitraege-titel">
        <h2 id="beitraege-titel">Eröffnete Diskussionen</h2>
        {started.length === 0 ? (
          <p className="empty">Noch keine Diskussionen eröffnet.</p>
        ) : (
          <ul className="plain-list">
            {started.map((t) => (
              <li key={t.id}>
                <span className="badge">{threadTypeLabels[t.type]}</span>{" "}
                <Link to={`/diskussionen/${t.id}`}>{t.title}</Link>{" "}
                <span className="hint">({formatDate(t.createdAt)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="antworten-titel">
        <h2 id="antworten-titel">Antworten</h2>
        {replies.length === 0 ? (
          <p className="empty">{page > 1 ? "Keine weiteren Antworten." : "Noch keine Antworten geschrieben."}</p>
        ) : (
          <ul className="plain-list profile-replies">
            {replies.map((r) => (
              <li key={r.id}>
                <Link to={`/diskussionen/${r.threadId}#beitrag-${r.id}`}>in „{r.threadTitle}“</Link>{" "}
                <span className="hint">({formatDate(r.createdAt)})</span>
                <p className="hint">{r.excerpt}</p>
              </li>
            ))}
          </ul>
        )}
        {page > 1 || moreReplies ? (
          <nav aria-label="Weitere Antworten" className="pagination">
            {page > 1 ? (
              <Link to={page === 2 ? `/mitglieder/${profile.handle}` : `?antworten=${page - 1}`} rel="prev">
                ← Neuere Antworten
              </Link>
            ) : null}
            {moreReplies ? (
              <Link to={`?antworten=${page + 1}`} rel="next">
                Ältere Antworten →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
      {materials.length ? (
        <section aria-labelledby="materialien-titel">
          <h2 id="materialien-titel">Materialien</h2>
          <ul className="plain-list">
            {materials.map((m) => (
              <li key={m.id}>
                <span className="badge">{materialTypeLabels[m.type]}</span>{" "}
                <Link to={`/materialien/${m.id}`}>{m.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
