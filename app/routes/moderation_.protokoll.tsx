import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { SelectField } from "../components/Field.tsx";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { Pagination } from "../components/discussions/ThreadList.tsx";
import { formatDateTime } from "../domain/time.ts";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { auditKinds, auditSubjectTypes } from "../domain/audit.ts";
import { listAudit } from "../models/audit.server.ts";
import { auditQuerySchema } from "../schemas/moderation.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Protokoll – Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "moderate")) throw data(null, { status: 403 });
  const query = auditQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { ...(await listAudit(actor, query)), query };
}

/** Read-only: there is nothing to post here. Nobody can change the log, and the database refuses it too (0009). */
export function action() {
  throw data("Das Protokoll kann nicht geändert werden.", { status: 405, headers: { Allow: "GET, HEAD" } });
}

export default function AuditLog() {
  const { entries, total, pages, actors, query } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = !!(query.art || query.wer || query.betrifft || query.von || query.bis);
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav />
      <h2>Protokoll</h2>
      <p className="lead">
        Jede Handlung der Moderation und der Administration, mit Zeitpunkt und Person. Das Protokoll kann niemand ändern
        oder löschen. Hat jemand sein Konto gelöscht, steht dort „ehemaliges Mitglied“.
      </p>
      <Form method="get" className="form form--inline" aria-label="Protokoll filtern">
        <SelectField
          name="art"
          label="Art"
          defaultValue={query.art ?? ""}
          options={[
            { value: "", label: "alle" },
            ...Object.entries(auditKinds).map(([value, label]) => ({ value, label })),
          ]}
        />
        <SelectField
          name="wer"
          label="Wer"
          defaultValue={query.wer ?? ""}
          options={[{ value: "", label: "alle" }, ...actors.map((a) => ({ value: a.id, label: a.name }))]}
        />
        <SelectField
          name="betrifft"
          label="Betrifft"
          defaultValue={query.betrifft ?? ""}
          options={[
            { value: "", label: "alles" },
            ...Object.entries(auditSubjectTypes).map(([value, label]) => ({ value, label })),
          ]}
        />
        <div className="field">
          <label htmlFor="protokoll-von">Von (Tag)</label>
          <input id="protokoll-von" name="von" type="date" defaultValue={query.von ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="protokoll-bis">Bis (Tag)</label>
          <input id="protokoll-bis" name="bis" type="date" defaultValue={query.bis ?? ""} />
        </div>
        <div>
          <button type="submit" className="button">
            Filtern
          </button>
        </div>
        {filtered ? (
          <p>
            <Link to="/moderation/protokoll">Filter zurücksetzen</Link>
          </p>
        ) : null}
      </Form>
      <p role="status">
        {total === 1 ? "1 Eintrag" : `${total} Einträge`}
        {filtered ? " passen zum Filter" : ""}.
      </p>
      {entries.length === 0 ? (
        <p className="empty">{filtered ? "Kein Eintrag passt zu diesem Filter." : "Das Protokoll ist noch leer."}</p>
      ) : (
        <div className="table-wrap" role="region" aria-label="Protokoll" tabIndex={0}>
          <table>
            <caption className="visually-hidden">Protokoll, neueste Einträge zuerst</caption>
            <thead>
              <tr>
                <th scope="col">Zeitpunkt</th>
                <th scope="col">Wer</th>
                <th scope="col">Was</th>
                <th scope="col">Art</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.createdAt)}</td>
                  <td>{e.actorName ?? "ehemaliges Mitglied"}</td>
                  <td>{e.link ? <Link to={e.link}>{e.description}</Link> : e.description}</td>
                  <td>{auditKinds[e.action.split(".")[0] as keyof typeof auditKinds] ?? e.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination basePath="/moderation/protokoll" page={query.seite} pages={pages} params={params} />
    </div>
  );
}
