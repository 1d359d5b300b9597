import { data, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { formatDate } from "../components/format.ts";
import { requireUser } from "../auth/session.server.ts";
import { getProfile } from "../models/accounts/directory.server.ts";
import { legalDomainLabels, roleLabels } from "../domain/accounts.ts";
import { threadTypeLabels } from "../domain/discussions/types.ts";

export const meta = ({ data, matches }: MetaArgs<typeof loader>) => pageTitle(data?.profile.displayName ?? "Mitglied", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireUser(request, context);
  const found = await getProfile(params.handle ?? "");
  if (!found) throw data(null, { status: 404 });
  return found;
}

export default function Profile() {
  const { profile, started } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/mitglieder">Mitglieder</Link> › Profil
      </p>
      <h1>{profile.displayName}</h1>
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
        <h2 id="beitraege-titel">Diskussionen</h2>
        {started.length === 0 ? (
          <p className="empty">Noch keine Diskussionen eröffnet.</p>
        ) : (
          <ul className="plain-list">
            {started.map((t) => (
              <li key={t.id}>
                <span className="badge">{threadTypeLabels[t.type]}</span> <Link to={`/diskussionen/${t.id}`}>{t.title}</Link>{" "}
                <span className="hint">({formatDate(t.createdAt)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
