import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { berlinDay, formatDate } from "../domain/time.ts";
import { requireUser } from "../auth/session.server.ts";
import {
  bookmarkFilters,
  bookmarkKindLabels,
  isBookmarkFilter,
  NOTE_MAX,
  type BookmarkFilter,
} from "../domain/bookmarks.ts";
import { listBookmarks, removeBookmark, updateBookmark } from "../models/bookmarks/bookmarks.server.ts";
import { InputError, inputErrors } from "../models/errors.server.ts";
import { isUuid } from "../models/input.server.ts";
import "../styles/bookmarks.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Merkliste", matches);

interface View {
  filter: BookmarkFilter | null;
  withReminder: boolean;
  page: number;
}

/** The list's address with the given filters (page 1 unless named). */
function listUrl(v: View, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (v.filter) q.set("art", v.filter);
  if (v.withReminder) q.set("erinnerung", "1");
  if (v.page > 1) q.set("seite", String(v.page));
  for (const [k, value] of Object.entries(extra)) q.set(k, value);
  const s = q.toString();
  return s ? `/merkliste?${s}` : "/merkliste";
}

function readView(params: URLSearchParams): View {
  const art = params.get("art");
  if (art !== null && art !== "" && !isBookmarkFilter(art))
    throw new InputError("art", "Diesen Filter gibt es nicht. Wähle Beiträge, Diskussionen oder Materialien.");
  const page = Math.min(10_000, Math.max(1, Number.parseInt(params.get("seite") ?? "1", 10) || 1));
  return { filter: art && isBookmarkFilter(art) ? art : null, withReminder: params.get("erinnerung") === "1", page };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const params = new URL(request.url).searchParams;
  const view = readView(params);
  const only = params.get("eintrag");
  const { items, hasMore } = await listBookmarks(actor, { ...view, only: only || null });
  const asking = params.get("entfernen");
  return {
    view,
    only: only && isUuid(only) ? only : null,
    items,
    hasMore,
    confirmRemove: asking && items.some((i) => i.id === asking) ? asking : null,
    removed: params.get("entfernt") === "1",
    today: berlinDay(new Date()),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  const view = readView(new URL(request.url).searchParams);
  if (intent === "remove") {
    await removeBookmark(actor, id);
    return redirect(listUrl(view, { entfernt: "1" }));
  }
  if (intent === "save") {
    const values = { note: String(form.get("note") ?? ""), remindOn: String(form.get("remindOn") ?? "") };
    try {
      await updateBookmark(actor, id, values, new Date());
      return { savedId: id };
    } catch (error) {
      return Response.json({ id, errors: inputErrors(error), values }, { status: 400 });
    }
  }
  throw new InputError("intent", "Unbekannte Aktion.");
}

type ActionResult =
  | { savedId?: string; id?: string; errors?: Record<string, string>; values?: { note: string; remindOn: string } }
  | undefined;

const filterLinks: { key: BookmarkFilter | null; label: string }[] = [
  { key: null, label: "Alle" },
  ...(Object.keys(bookmarkFilters) as BookmarkFilter[]).map((key) => ({ key, label: bookmarkFilters[key].label })),
];

export default function Bookmarks() {
  const { view, only, items, hasMore, confirmRemove, removed, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult;
  const busy = useNavigation().state === "submitting";
  const filtered = view.filter !== null || view.withReminder;
  return (
    <div className="page page--narrow">
      <h1>Merkliste</h1>
      <p>
        Was du dir merkst, findest du hier wieder – mit Notiz und auf Wunsch mit einer Erinnerung. Nur du siehst deine
        Merkliste.
      </p>
      {only ? (
        <p>
          <Link to="/merkliste">Alle Einträge der Merkliste</Link>
        </p>
      ) : (
        <nav aria-label="Merkliste filtern" className="bookmark-filters">
          <ul>
            {filterLinks.map((f) => (
              <li key={f.key ?? "alle"}>
                <Link
                  to={listUrl({ ...view, filter: f.key, page: 1 })}
                  aria-current={view.filter === f.key ? "page" : undefined}
                >
                  {f.label}
                </Link>
              </li>
            ))}
            <li>
              <Link
                to={listUrl({ ...view, withReminder: !view.withReminder, page: 1 })}
                aria-current={view.withReminder ? "true" : undefined}
              >
                {view.withReminder ? "Nur mit Erinnerung ✓" : "Nur mit Erinnerung"}
              </Link>
            </li>
          </ul>
        </nav>
      )}
      {result?.errors && !result.id ? (
        <p className="notice notice--error" role="alert">
          {Object.values(result.errors)[0]}
        </p>
      ) : null}
      {removed ? (
        <p className="notice notice--ok" role="status">
          Der Eintrag ist aus deiner Merkliste entfernt.
        </p>
      ) : null}
      {items.length === 0 ? (
        filtered || view.page > 1 || only ? (
          <p className="empty">
            Hier gibt es keine Einträge. {only ? "" : <Link to="/merkliste">Alle Einträge zeigen</Link>}
          </p>
        ) : (
          <div className="empty">
            <p>Du hast dir noch nichts gemerkt.</p>
            <p>
              Bei jeder Diskussion, jedem Beitrag und jedem Material findest du die Schaltfläche „Merken“. Was du so
              markierst, steht danach hier – zum Wiederfinden, mit einer eigenen Notiz und, wenn du willst, mit einer
              Erinnerung an einem Tag deiner Wahl.
            </p>
          </div>
        )
      ) : (
        <ol className="bookmark-list">
          {items.map((b) => {
            const failed = result?.id === b.id && result.errors ? result : null;
            const note = failed?.values?.note ?? b.note;
            const remindOn = failed?.values?.remindOn ?? (b.remindAt ? berlinDay(new Date(b.remindAt)) : "");
            const f = `merk-${b.id}`;
            return (
              <li key={b.id} id={f} className="bookmark">
                <p className="bookmark__kind">
                  <span className="badge">{bookmarkKindLabels[b.kind]}</span>{" "}
                  <span className="hint">gemerkt am {formatDate(b.createdAt)}</span>
                </p>
                {b.content ? (
                  <>
                    <h2 className="bookmark__title">
                      <Link to={b.content.url}>{b.content.title}</Link>
                    </h2>
                    {b.content.excerpt ? <p className="bookmark__excerpt">{b.content.excerpt}</p> : null}
                  </>
                ) : (
                  <h2 className="bookmark__title bookmark__title--gone">Nicht mehr verfügbar</h2>
                )}
                {b.note ? <p className="bookmark__note">Deine Notiz: {b.note}</p> : null}
                {b.remindAt ? (
                  <p className="hint">
                    {b.remindedAt ? `Erinnert am ${formatDate(b.remindAt)}` : `Erinnerung am ${formatDate(b.remindAt)}`}
                  </p>
                ) : null}
                {result?.savedId === b.id ? (
                  <p className="notice notice--ok" role="status">
                    Gespeichert.
                  </p>
                ) : null}
                <details className="bookmark__edit" open={!!failed}>
                  <summary>Notiz und Erinnerung</summary>
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="intent" value="save" />
                    <input type="hidden" name="id" value={b.id} />
                    {failed?.errors?.form ? (
                      <p className="field__error" role="alert">
                        {failed.errors.form}
                      </p>
                    ) : null}
                    <div className="field">
                      <label htmlFor={`${f}-notiz`}>Notiz (nur für dich)</label>
                      <textarea
                        id={`${f}-notiz`}
                        name="note"
                        rows={2}
                        maxLength={NOTE_MAX}
                        defaultValue={note}
                        aria-invalid={failed?.errors?.note ? true : undefined}
                        aria-describedby={failed?.errors?.note ? `${f}-notiz-fehler` : undefined}
                      />
                      {failed?.errors?.note ? (
                        <p id={`${f}-notiz-fehler`} className="field__error">
                          {failed.errors.note}
                        </p>
                      ) : null}
                    </div>
                    <div className="field">
                      <label htmlFor={`${f}-erinnerung`}>Erinnern am (leer lassen für keine Erinnerung)</label>
                      <input
                        id={`${f}-erinnerung`}
                        type="date"
                        name="remindOn"
                        min={today}
                        defaultValue={remindOn}
                        aria-invalid={failed?.errors?.remindOn ? true : undefined}
                        aria-describedby={`${f}-erinnerung-hinweis${failed?.errors?.remindOn ? ` ${f}-erinnerung-fehler` : ""}`}
                      />
                      <p id={`${f}-erinnerung-hinweis`} className="field__hint">
                        Du bekommst an diesem Tag um 8 Uhr eine Benachrichtigung, so wie du es unter{" "}
                        <Link to="/benachrichtigungen/einstellungen">Benachrichtigungen</Link> eingestellt hast.
                      </p>
                      {failed?.errors?.remindOn ? (
                        <p id={`${f}-erinnerung-fehler`} className="field__error">
                          {failed.errors.remindOn}
                        </p>
                      ) : null}
                    </div>
                    <button type="submit" className="button" disabled={busy}>
                      Speichern
                    </button>
                  </Form>
                </details>
                {confirmRemove === b.id ? (
                  <Form method="post" className="bookmark__confirm" preventScrollReset>
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="id" value={b.id} />
                    <p role="alert">Diesen Eintrag wirklich aus deiner Merkliste entfernen?</p>
                    <button type="submit" className="button button--danger" disabled={busy}>
                      Ja, entfernen
                    </button>{" "}
                    <Link to={`${listUrl(view)}#${f}`} preventScrollReset>
                      Abbrechen
                    </Link>
                  </Form>
                ) : (
                  <p>
                    <Link
                      to={`${listUrl(view, { entfernen: b.id })}#${f}`}
                      preventScrollReset
                      className="bookmark__remove"
                    >
                      Entfernen<span className="visually-hidden"> ({b.content?.title ?? "Eintrag"})</span>
                    </Link>
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {!only && (view.page > 1 || hasMore) ? (
        <nav aria-label="Seiten" className="pagination">
          {view.page > 1 ? <Link to={listUrl({ ...view, page: view.page - 1 })}>← Neuere</Link> : null}
          <span>Seite {view.page}</span>
          {hasMore ? <Link to={listUrl({ ...view, page: view.page + 1 })}>Ältere →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
