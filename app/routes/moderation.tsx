import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError, SelectField } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { env } from "../env.server.ts";
import { createInvitation, listInvitations, revokeInvitation } from "../models/accounts/invitations.server.ts";
import { libraryDesk } from "../models/library/materials.server.ts";
import { listOpenFlags } from "../models/discussions/moderation.server.ts";
import { caseCounts } from "../models/cases/jobs.server.ts";
import { InputError } from "../models/errors.server.ts";
import { invitationCreateSchema } from "../schemas/accounts.ts";
import { roleLabels } from "../domain/accounts.ts";
import { parseForm } from "../schemas/form.ts";
import { formatDate } from "../domain/time.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "moderate")) throw data(null, { status: 403 });
  const [invitations, library, flags, consultations] = await Promise.all([
    listInvitations(actor),
    libraryDesk(actor),
    listOpenFlags(actor),
    caseCounts(),
  ]);
  return {
    queue: {
      flags: flags.length,
      waiting: library.waiting.length,
      due: library.due.filter((m) => m.overdue).length,
      dueSoon: library.due.length,
    },
    // The first few of each queue, so the desk says what is waiting, not only how much.
    preview: {
      flags: flags.slice(0, 3).map((f) => ({
        id: f.id,
        threadId: f.threadId,
        postId: f.postId,
        threadTitle: f.threadTitle,
        reason: f.reason,
      })),
      waiting: library.waiting.slice(0, 3).map((m) => ({ id: m.id, title: m.title, suggested: !!m.suggesterName })),
      due: library.due
        .slice(0, 3)
        .map((m) => ({ id: m.id, title: m.title, reviewDueAt: m.reviewDueAt, overdue: m.overdue })),
    },
    invitations: invitations.map((i) => ({ ...i, state: invitationState(i) })),
    canInviteModerators: can(actor, "invite", { type: "invitation", role: "moderator" }),
    // Case consultations are confidential: the desk learns only how many there are.
    consultations,
  };
}

function invitationState(i: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date }) {
  if (i.usedAt) return "angenommen";
  if (i.revokedAt) return "zurückgezogen";
  if (i.expiresAt.getTime() <= Date.now()) return "abgelaufen";
  return "offen";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "moderate")) throw data(null, { status: 403 });
  const formData = await request.formData();
  const intent = formData.get("intent");
  try {
    if (intent === "revoke") {
      await revokeInvitation(actor, String(formData.get("id") ?? ""));
      return { revoked: true as const };
    }
    const form = parseForm(invitationCreateSchema, formData);
    if (!form.ok) return data({ errors: form.errors }, { status: 400 });
    if (!can(actor, "invite", { type: "invitation", role: form.data.role })) throw data(null, { status: 403 });
    const { token, expiresAt } = await createInvitation(actor, form.data);
    const base = env().PUBLIC_URL ?? new URL(request.url).origin;
    return { link: `${base}/einladung/${token}`, expiresAt };
  } catch (error) {
    if (error instanceof InputError) return data({ errors: { [error.field]: error.message } }, { status: 400 });
    throw error;
  }
}

function QueuePreview({ items }: { items: { key: string; to: string; text: string; note: string }[] }) {
  if (items.length === 0) return null;
  return (
    <ul>
      {items.map((i) => (
        <li key={i.key}>
          <Link to={i.to}>{i.text}</Link>
          {i.note ? <span className="hint"> – {i.note}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export default function Moderation() {
  const { invitations, canInviteModerators, queue, preview, consultations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const roleOptions = (canInviteModerators ? (["member", "moderator", "admin"] as const) : (["member"] as const)).map(
    (r) => ({ value: r, label: roleLabels[r] }),
  );
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav openFlags={queue.flags} />
      <section aria-labelledby="schreibtisch-titel" className="card">
        <h2 id="schreibtisch-titel">Auf dem Schreibtisch</h2>
        <ul className="plain-list">
          <li>
            <Link to="/moderation/meldungen">Offene Meldungen: {queue.flags}</Link>
            <QueuePreview
              items={preview.flags.map((f) => ({
                key: f.id,
                to: `/diskussionen/${f.threadId}#beitrag-${f.postId}`,
                text: f.threadTitle,
                note: f.reason.length > 80 ? `${f.reason.slice(0, 80)}…` : f.reason,
              }))}
            />
          </li>
          <li>
            <Link to="/moderation/materialien">Vorschläge und Entwürfe: {queue.waiting}</Link>
            <QueuePreview
              items={preview.waiting.map((m) => ({
                key: m.id,
                to: `/materialien/${m.id}`,
                text: m.title,
                note: m.suggested ? "Vorschlag eines Mitglieds" : "Entwurf",
              }))}
            />
          </li>
          <li>
            <Link to="/moderation/materialien">
              Prüfung fällig: {queue.due} überfällig, {queue.dueSoon - queue.due} in den nächsten 30 Tagen
            </Link>
            <QueuePreview
              items={preview.due.map((m) => ({
                key: m.id,
                to: `/materialien/${m.id}`,
                text: m.title,
                note: m.reviewDueAt
                  ? `${m.overdue ? "überfällig seit" : "prüfen bis"} ${m.reviewDueAt.split("-").reverse().join(".")}`
                  : "",
              }))}
            />
          </li>
          <li>
            <Link to="/moderation/mitglieder">Mitglieder und Rollen</Link> ·{" "}
            <Link to="/moderation/einblicke">Einblicke in die Community</Link> ·{" "}
            <Link to="/moderation/protokoll">Protokoll</Link>
          </li>
          <li>
            Kollegiale Fallberatungen: {consultations.running} laufen, {consultations.forming} suchen ihre Gruppe,{" "}
            {consultations.closed} abgeschlossen. Ihre Inhalte sind nur für die Teilnehmenden sichtbar.
          </li>
        </ul>
      </section>
      <section aria-labelledby="einladen-titel" className="card">
        <h2 id="einladen-titel">Mitglieder einladen</h2>
        <p>
          Eine Einladung ist ein Link, der 14 Tage lang für genau ein neues Konto gilt. Schick ihn auf einem Weg, dem du
          vertraust, an die eingeladene Person.
        </p>
        {result && "errors" in result ? <FormError message={Object.values(result.errors)[0]} /> : null}
        {result && "link" in result && result.link ? (
          <div className="notice notice--ok" role="status">
            <p>
              <strong>Einladung erstellt.</strong> Gültig bis {formatDate(result.expiresAt ?? Date.now())}. Der Link
              wird nur jetzt angezeigt:
            </p>
            <div className="copy-field">
              <label htmlFor="einladungslink" className="visually-hidden">
                Einladungslink
              </label>
              <input id="einladungslink" readOnly value={result.link} onFocus={(e) => e.currentTarget.select()} />
            </div>
          </div>
        ) : null}
        {result && "revoked" in result ? (
          <p className="notice notice--ok" role="status">
            Die Einladung ist zurückgezogen.
          </p>
        ) : null}
        <Form method="post" className="form">
          <input type="hidden" name="intent" value="create" />
          <SelectField name="role" label="Rolle" options={roleOptions} defaultValue="member" />
          <Field
            name="note"
            label="Notiz (nur für die Moderation)"
            maxLength={200}
            hint="z. B. für wen die Einladung ist"
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Einladungslink erstellen
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="liste-titel">
        <h2 id="liste-titel">Letzte Einladungen</h2>
        {invitations.length === 0 ? (
          <p>Noch keine Einladungen.</p>
        ) : (
          <div className="table-wrap" role="region" aria-label="Einladungen" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Die letzten 50 Einladungen</caption>
              <thead>
                <tr>
                  <th scope="col">Erstellt</th>
                  <th scope="col">Rolle</th>
                  <th scope="col">Notiz</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Aktion</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id}>
                    <td>
                      {formatDate(i.createdAt)}
                      {i.createdByName ? ` von ${i.createdByName}` : ""}
                    </td>
                    <td>{roleLabels[i.role]}</td>
                    <td>{i.note || "–"}</td>
                    <td>{i.state}</td>
                    <td>
                      {i.state === "offen" ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="id" value={i.id} />
                          <button type="submit" className="button button--quiet">
                            Zurückziehen
                            <span className="visually-hidden"> (Einladung vom {formatDate(i.createdAt)})</span>
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
