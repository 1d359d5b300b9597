import { Form } from "@remix-run/react";

/** Moderators' controls for a thread: lock, pin, hide, move, retitle. Each is a plain form (audited on the server). */
export function ThreadModerationTools({
  thread,
  categories,
  error,
}: {
  thread: { id: string; title: string; locked: boolean; pinned: boolean; hidden: boolean; category: { slug: string } };
  categories: { slug: string; name: string }[];
  error?: string;
}) {
  return (
    <details className="card moderation-tools" open={!!error}>
      <summary>Moderation dieser Diskussion</summary>
      <div className="moderation-tools__row">
        <Toggle intent="lock" on={thread.locked} labelOn="Wieder öffnen" labelOff="Schließen (keine Antworten mehr)" />
        <Toggle intent="pin" on={thread.pinned} labelOn="Nicht mehr anheften" labelOff="Anheften" />
      </div>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="move" />
        <label htmlFor="verschieben">In Themenraum verschieben</label>{" "}
        <select id="verschieben" name="categorySlug" defaultValue={thread.category.slug}>
          {categories.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="button button--quiet">
          Verschieben
        </button>
      </Form>
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="retitle" />
        <div className="field">
          <label htmlFor="neuer-titel">Titel ändern</label>
          <input
            id="neuer-titel"
            name="title"
            defaultValue={thread.title}
            maxLength={160}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "neuer-titel-fehler" : undefined}
          />
          {error ? (
            <p id="neuer-titel-fehler" className="field__error">
              {error}
            </p>
          ) : null}
        </div>
        <div>
          <button type="submit" className="button button--quiet">
            Titel speichern
          </button>
        </div>
      </Form>
      <p className="hint">
        Die ganze Diskussion blendest du über „Ausblenden“ am Eröffnungsbeitrag aus. Jede Aktion wird protokolliert.
      </p>
    </details>
  );
}

function Toggle({ intent, on, labelOn, labelOff }: { intent: string; on: boolean; labelOn: string; labelOff: string }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="on" value={on ? "0" : "1"} />
      <button type="submit" className="button button--quiet">
        {on ? labelOn : labelOff}
      </button>
    </Form>
  );
}
