import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { formatDate, formatDateTime } from "../domain/time.ts";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { libraryDesk } from "../models/library/materials.server.ts";
import { materialStatusLabels, materialTypeLabels } from "../domain/library/types.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Materialien – Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "curate")) throw data(null, { status: 403 });
  return libraryDesk(actor);
}

export default function LibraryDesk() {
  const { waiting, due } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav />
      <section aria-labelledby="faellig-titel">
        <h2 id="faellig-titel">Prüfung fällig</h2>
        <p className="hint">
          Veröffentlichte Materialien, deren Prüfdatum überschritten ist oder in den nächsten 30 Tagen erreicht wird.
        </p>
        {due.length === 0 ? (
          <p className="empty">Alles aktuell – keine Prüfung fällig.</p>
        ) : (
          <ul className="plain-list">
            {due.map((m) => (
              <li key={m.id} className="card">
                <Link to={`/materialien/${m.id}`}>{m.title}</Link>{" "}
                <span className="hint">({materialTypeLabels[m.type]})</span>
                <p className={m.overdue ? "field__error" : "hint"}>
                  {m.overdue ? "Überfällig seit" : "Fällig am"} {m.reviewDueAt ? formatDate(m.reviewDueAt) : "–"}
                  {m.lastReviewedAt ? ` · zuletzt geprüft ${formatDate(m.lastReviewedAt)}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="warteschlange-titel">
        <h2 id="warteschlange-titel">Vorschläge und Entwürfe</h2>
        {waiting.length === 0 ? (
          <p className="empty">Keine offenen Vorschläge oder Entwürfe.</p>
        ) : (
          <ul className="plain-list">
            {waiting.map((m) => (
              <li key={m.id} className="card">
                <Link to={`/materialien/${m.id}`}>{m.title}</Link>{" "}
                <span className="badge">{materialStatusLabels[m.status]}</span>
                <p className="hint">
                  {materialTypeLabels[m.type]} · {m.suggesterName ? `vorgeschlagen von ${m.suggesterName}, ` : ""}
                  {formatDateTime(m.createdAt)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
