import { Form } from "@remix-run/react";
import { Field, FormError, TextareaField } from "../Field.tsx";
import type { RoundEvent } from "../../realtime/events.ts";

interface Result {
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

/** After closing: the host edits the notes, picks chat highlights and publishes the result in one step. */
export function OutcomeEditor({
  round,
  chat,
  result,
  busy,
}: {
  round: { title: string; notes: string | null };
  chat: RoundEvent[];
  result?: Result;
  busy: boolean;
}) {
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const chosen = new Set(
    Object.entries(values)
      .filter(([k]) => k === "highlights")
      .map(([, v]) => v),
  );
  return (
    <section aria-labelledby="ergebnis-bearbeiten-titel" className="card">
      <h2 id="ergebnis-bearbeiten-titel">Ergebnis veröffentlichen</h2>
      <p className="hint">
        Das Ergebnis erscheint als Material „Ergebnis einer Dialogrunde“ in der Bibliothek, mit einer Diskussion zum
        Weiterreden. Alle Angemeldeten und Beobachtenden werden benachrichtigt. Bitte keine Namen von Lernenden oder
        Kundinnen und Kunden.
      </p>
      <FormError message={errors.form} />
      <Form method="post" className="form" noValidate>
        <Field
          name="title"
          label="Titel"
          required
          maxLength={160}
          defaultValue={values.title ?? `Ergebnis: ${round.title}`}
          error={errors.title}
        />
        <Field
          name="summary"
          label="Kurzbeschreibung"
          maxLength={500}
          defaultValue={values.summary}
          error={errors.summary}
        />
        <TextareaField
          name="notes"
          label="Ergebnis (aus dem Protokoll)"
          rows={14}
          defaultValue={values.notes ?? round.notes ?? ""}
          error={errors.notes}
          hint="Markdown: ## Überschrift, - Aufzählung, **fett**."
        />
        {chat.length ? (
          <fieldset className="field">
            <legend>Stimmen aus dem Chat übernehmen</legend>
            {errors.highlights ? <p className="field__error">{errors.highlights}</p> : null}
            <ul className="plain-list highlight-list">
              {chat.map((m) => (
                <li key={m.seq}>
                  <label className="checkbox">
                    <input type="checkbox" name="highlights" value={m.seq} defaultChecked={chosen.has(String(m.seq))} />
                    <span>
                      <strong>{m.authorName}:</strong> {m.text}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ) : null}
        <div>
          <button type="submit" name="intent" value="publish" className="button" disabled={busy}>
            Ergebnis veröffentlichen
          </button>
        </div>
      </Form>
    </section>
  );
}
