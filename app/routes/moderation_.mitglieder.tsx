import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormError, SelectField } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { Pagination } from "../components/discussions/ThreadList.tsx";
import { formatDate } from "../domain/time.ts";
import { can, isAdmin } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { roleLabels, roles } from "../domain/accounts.ts";
import { changeRole, deactivateMember, listMembersForDesk, reactivateMember } from "../models/accounts/roles.server.ts";
import { inputErrors } from "../models/errors.server.ts";
import { memberChangeSchema, memberDeskQuerySchema } from "../schemas/moderation.ts";
import { parseForm } from "../schemas/form.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Mitglieder – Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "moderate")) throw data(null, { status: 403 });
  const query = memberDeskQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const list = await listMembersForDesk(actor, {
    q: query.q,
    role: query.rolle,
    status: query.status,
    page: query.seite,
  });
  return { ...list, page: query.seite, query, me: actor.id, canManage: isAdmin(actor) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "moderate")) throw data(null, { status: 403 });
  const formData = await request.formData();
  const form = parseForm(memberChangeSchema, formData);
  if (!form.ok) return data({ userId: String(formData.get("userId") ?? ""), errors: form.errors }, { status: 400 });
  const { userId } = form.data;
  try {
    if (form.data.intent === "role") {
      await changeRole(actor, userId, form.data.role);
      return { userId, message: `Die Rolle ist jetzt „${roleLabels[form.data.role]}“.` };
    }
    if (form.data.intent === "deactivate") {
      await deactivateMember(actor, userId);
      return {
        userId,
        message: "Das Konto ist deaktiviert. Alle Anmeldungen sind beendet; Beiträge bleiben erhalten.",
      };
    }
    await reactivateMember(actor, userId);
    return { userId, message: "Das Konto ist wieder aktiv. Die Person kann sich wieder anmelden." };
  } catch (error) {
    return data({ userId, errors: inputErrors(error) }, { status: 400 });
  }
}

type Result = { userId: string; message?: string; errors?: Record<string, string> };

const statusOptions = [
  { value: "", label: "alle" },
  { value: "active", label: "aktiv" },
  { value: "deactivated", label: "deaktiviert" },
];

export default function MembersDesk() {
  const { members, total, pages, page, query, me, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const filtered = !!(query.q || query.rolle || query.status);
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav />
      <h2>Mitglieder</h2>
      <p className="lead">
        {canManage
          ? "Rollen vergeben und Konten deaktivieren. Jede Änderung steht im Protokoll."
          : "Wer ein Konto hat und welche Rolle. Rollen und Konten ändert die Administration."}{" "}
        Hier stehen bewusst keine Aktivitätszahlen einzelner Personen.
      </p>
      {result?.message ? (
        <p className="notice notice--ok" role="status">
          {result.message}
        </p>
      ) : null}
      <FormError message={result?.errors ? Object.values(result.errors)[0] : undefined} />

      <Form method="get" className="form form--inline" role="search" aria-label="Mitglieder filtern">
        <div className="field">
          <label htmlFor="mitglieder-q">Name, E-Mail oder Kurzname</label>
          <input id="mitglieder-q" name="q" type="search" defaultValue={query.q} maxLength={100} />
        </div>
        <SelectField
          name="rolle"
          label="Rolle"
          defaultValue={query.rolle ?? ""}
          options={[{ value: "", label: "alle" }, ...roles.map((r) => ({ value: r, label: roleLabels[r] }))]}
        />
        <SelectField name="status" label="Status" defaultValue={query.status ?? ""} options={statusOptions} />
        <div>
          <button type="submit" className="button">
            Filtern
          </button>
        </div>
      </Form>

      <p role="status">
        {total === 1 ? "1 Konto" : `${total} Konten`}
        {filtered ? " passen zum Filter" : ""}.
      </p>
      {members.length === 0 ? (
        <p className="empty">{filtered ? "Kein Konto passt zu diesem Filter." : "Noch keine Konten."}</p>
      ) : (
        // On phones each row is a card (moderation.css); the explicit table role keeps it a table for screen readers in
        // browsers that stop exposing one once it is no longer laid out as a table. HTML forbids the same roles on the
        // rows and cells of a native table (Nu Html Checker, ADR 037); Chromium and Firefox keep their semantics.
        <div className="table-wrap table-wrap--stack" role="region" aria-label="Konten" tabIndex={0}>
          <table className="table--stack" role="table">
            <caption className="visually-hidden">
              Konten, Seite {page} von {pages}
            </caption>
            <thead role="rowgroup">
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-Mail</th>
                <th scope="col">Rolle</th>
                <th scope="col">Status</th>
                <th scope="col">Mitglied seit</th>
                {canManage ? <th scope="col">Ändern</th> : null}
              </tr>
            </thead>
            <tbody role="rowgroup">
              {members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    {m.displayName}
                    {m.id === me ? " (du)" : ""}
                    <br />
                    <span className="hint">@{m.handle}</span>
                  </th>
                  <td data-label="E-Mail">{m.email}</td>
                  <td data-label="Rolle">{roleLabels[m.role]}</td>
                  <td data-label="Status">
                    {m.deactivatedAt ? `deaktiviert seit ${formatDate(m.deactivatedAt)}` : "aktiv"}
                  </td>
                  <td data-label="Mitglied seit">{formatDate(m.createdAt)}</td>
                  {canManage ? (
                    <td className="table--stack__controls">
                      {m.id === me ? (
                        <span className="hint">Die eigene Rolle ändert eine andere Person aus der Administration.</span>
                      ) : (
                        <MemberControls member={m} busy={busy} />
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination basePath="/moderation/mitglieder" page={page} pages={pages} params={params} />
    </div>
  );
}

function MemberControls({
  member,
  busy,
}: {
  member: { id: string; displayName: string; role: (typeof roles)[number]; deactivatedAt: string | Date | null };
  busy: boolean;
}) {
  return (
    <div className="member-controls">
      <Form method="post" className="form form--inline">
        <input type="hidden" name="intent" value="role" />
        <input type="hidden" name="userId" value={member.id} />
        <div className="field">
          <label htmlFor={`rolle-${member.id}`} className="visually-hidden">
            Rolle von {member.displayName}
          </label>
          <select id={`rolle-${member.id}`} name="role" defaultValue={member.role}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--quiet" disabled={busy}>
          Rolle ändern<span className="visually-hidden"> für {member.displayName}</span>
        </button>
      </Form>
      {member.deactivatedAt ? (
        <Form method="post">
          <input type="hidden" name="intent" value="reactivate" />
          <input type="hidden" name="userId" value={member.id} />
          <button type="submit" className="button button--quiet" disabled={busy}>
            Wieder aktivieren<span className="visually-hidden">: {member.displayName}</span>
          </button>
        </Form>
      ) : (
        <details className="confirm">
          <summary>
            Deaktivieren<span className="visually-hidden">: {member.displayName}</span>
          </summary>
          <Form method="post" className="confirm__body">
            <input type="hidden" name="intent" value="deactivate" />
            <input type="hidden" name="userId" value={member.id} />
            <p>
              {member.displayName} wird sofort überall abgemeldet und kann sich nicht mehr anmelden, bis jemand aus der
              Administration das Konto wieder aktiviert. Beiträge bleiben erhalten.
            </p>
            <button type="submit" className="button button--danger" disabled={busy}>
              Konto deaktivieren
            </button>
          </Form>
        </details>
      )}
    </div>
  );
}
