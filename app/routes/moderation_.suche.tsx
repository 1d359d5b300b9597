import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { deleteSynonyms, listSynonyms, saveSynonyms, searchInsights } from "../models/search/insights.server.ts";
import { inputErrors } from "../models/errors.server.ts";
import { keptValues, parseForm } from "../schemas/form.ts";
import { synonymSchema } from "../schemas/search.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Suche – Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "moderate")) throw data(null, { status: 403 });
  const [insights, synonyms] = await Promise.all([searchInsights(actor), listSynonyms(actor)]);
  return { insights, synonyms };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "moderate")) throw data(null, { status: 403 });
  const formData = await request.formData();
  const id = String(formData.get("id") ?? "");
  try {
    if (formData.get("intent") === "delete") {
      await deleteSynonyms(actor, id);
      return { ok: true, message: "Die Gruppe ist gelöscht." };
    }
    const form = parseForm(synonymSchema, formData);
    if (!form.ok) return data({ id, errors: form.errors, values: form.values }, { status: 400 });
    await saveSynonyms(actor, form.data);
    return {
      ok: true,
      message: id
        ? "Gespeichert. Die Suche nutzt die Begriffe ab sofort."
        : "Die Gruppe ist angelegt. Die Suche nutzt sie ab sofort.",
    };
  } catch (error) {
    return data({ id, errors: inputErrors(error), values: keptValues(formData) }, { status: 400 });
  }
}

type Result = {
  ok?: boolean;
  message?: string;
  id?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
};

function QueryTable({
  caption,
  rows,
  empty,
  countLabel,
}: {
  caption: string;
  rows: { query: string; searches: number }[];
  empty: string;
  countLabel: string;
}) {
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Suchanfrage</th>
            <th scope="col">{countLabel}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.query}>
              <td>
                <a href={`/suche?q=${encodeURIComponent(r.query)}`}>{r.query}</a>
              </td>
              <td>{r.searches}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function SearchDesk() {
  const { insights, synonyms } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  const errorsFor = (id: string) => (result?.errors && (result.id ?? "") === id ? result.errors : {});
  const valuesFor = (id: string) => (result?.errors && (result.id ?? "") === id ? (result.values ?? {}) : {});
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav />
      <h2>Suche</h2>
      <p className="lead">
        Was das Netzwerk in den letzten {insights.days} Tagen gesucht hat: nur Anzahlen, nie wer gesucht hat.
        Suchanfragen ohne Treffer zeigen, welche Materialien oder Antworten fehlen.
      </p>
      {result?.message ? (
        <p className="notice notice--ok" role="status">
          {result.message}
        </p>
      ) : null}
      <div className="grid">
        <section className="card" aria-labelledby="haeufig-titel">
          <h3 id="haeufig-titel">Häufigste Suchanfragen</h3>
          <QueryTable
            caption="Häufigste Suchanfragen"
            rows={insights.top}
            empty="Noch keine Suchanfragen in diesem Zeitraum."
            countLabel="Anzahl"
          />
        </section>
        <section className="card" aria-labelledby="ohne-titel">
          <h3 id="ohne-titel">Ohne Treffer</h3>
          <QueryTable
            caption="Suchanfragen ohne Treffer"
            rows={insights.zero}
            empty="Jede Suchanfrage hat etwas gefunden."
            countLabel="Anzahl ohne Treffer"
          />
        </section>
      </div>

      <section aria-labelledby="synonyme-titel">
        <h3 id="synonyme-titel">Abkürzungen und Synonyme</h3>
        <p>Begriffe einer Gruppe gelten in der Suche als gleichbedeutend, z. B. „iLB, individuelle Lernbegleitung“.</p>
        <ul className="plain-list">
          {synonyms.map((group) => {
            const errors = errorsFor(group.id);
            return (
              <li key={group.id} className="card">
                <p>
                  <strong>{group.terms.join(" · ")}</strong>
                </p>
                <FormError message={errors.form} />
                <div className="form__actions">
                  <details open={Object.keys(errors).length > 0}>
                    <summary>Bearbeiten</summary>
                    <Form method="post" className="form">
                      <input type="hidden" name="id" value={group.id} />
                      <Field
                        name="terms"
                        id={`terms-${group.id}`}
                        label="Begriffe, durch Kommas getrennt"
                        defaultValue={valuesFor(group.id).terms ?? group.terms.join(", ")}
                        error={errors.terms}
                      />
                      <div>
                        <button type="submit" className="button" disabled={busy}>
                          Speichern
                        </button>
                      </div>
                    </Form>
                  </details>
                  <details className="confirm">
                    <summary>Löschen</summary>
                    <Form method="post" className="confirm__body">
                      <input type="hidden" name="id" value={group.id} />
                      <p>
                        Die Gruppe „{group.terms.join(", ")}“ löschen? Die Begriffe werden dann nur noch wörtlich
                        gefunden.
                      </p>
                      <button
                        type="submit"
                        name="intent"
                        value="delete"
                        className="button button--danger"
                        disabled={busy}
                      >
                        Gruppe löschen
                      </button>
                    </Form>
                  </details>
                </div>
              </li>
            );
          })}
        </ul>
        <div className="card">
          <h4>Neue Gruppe</h4>
          <FormError message={errorsFor("").form} />
          <Form method="post" className="form">
            <Field
              name="terms"
              id="terms-neu"
              label="Begriffe, durch Kommas getrennt"
              defaultValue={valuesFor("").terms}
              error={errorsFor("").terms}
              hint="z. B. UWS, Ausgeschriebene Bedeutung"
            />
            <div>
              <button type="submit" className="button" disabled={busy}>
                Gruppe anlegen
              </button>
            </div>
          </Form>
        </div>
      </section>
    </div>
  );
}
