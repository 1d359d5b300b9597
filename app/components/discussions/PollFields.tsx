import type { ReactNode } from "react";
import { Field, TextareaField } from "../Field.tsx";
import { POLL_OPTIONS_MAX, POLL_OPTIONS_MIN, POLL_QUESTION_MAX } from "../../domain/discussions/polls.ts";
import "../../styles/polls.css";

/**
 * The fields that ask a poll, inside a fold so a discussion without one stays short (open when a field has an error
 * or a value). Plain fields: options one per line, the end as a Berlin date and time.
 */
export function PollFields({
  values,
  errors,
  children,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  children?: ReactNode;
}) {
  const hasPollInput = ["pollQuestion", "pollOptions", "pollClosesAt"].some(
    (k) => (values[k] ?? "").trim() !== "" || errors[k],
  );
  const fields = (
    <>
      <Field
        name="pollQuestion"
        label="Frage der Umfrage"
        maxLength={POLL_QUESTION_MAX}
        defaultValue={values.pollQuestion}
        error={errors.pollQuestion}
      />
      <TextareaField
        name="pollOptions"
        label="Antwortmöglichkeiten"
        rows={5}
        defaultValue={values.pollOptions}
        error={errors.pollOptions}
        hint={`Eine pro Zeile, ${POLL_OPTIONS_MIN} bis ${POLL_OPTIONS_MAX}.`}
      />
      <div className="checkbox">
        <input type="checkbox" id="pollMultiple" name="pollMultiple" defaultChecked={values.pollMultiple === "on"} />
        <label htmlFor="pollMultiple">Mehrere Antworten erlauben</label>
      </div>
      <Field
        name="pollClosesAt"
        label="Ende der Umfrage (freiwillig)"
        type="datetime-local"
        defaultValue={values.pollClosesAt}
        error={errors.pollClosesAt}
        hint="Berliner Zeit. Leer lassen: Die Umfrage läuft, solange die Diskussion offen ist."
      />
      <p className="field__hint">
        Alle sehen nur die Summen der Stimmen, niemand sieht, wer wie abgestimmt hat – auch du und die Moderation nicht.
      </p>
    </>
  );
  return (
    <details className="poll-fields" open={hasPollInput}>
      <summary>Umfrage hinzufügen (freiwillig)</summary>
      <fieldset className="field-group">
        <legend>Umfrage</legend>
        {fields}
      </fieldset>
      {children}
    </details>
  );
}
