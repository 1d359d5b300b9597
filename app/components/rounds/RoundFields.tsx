import { Field, TextareaField } from "../Field.tsx";

/** The fields of a round, for scheduling it and for changing it later (values as typed, Berlin wall-clock times). */
export function RoundFields({ values, errors }: { values: Record<string, string>; errors: Record<string, string> }) {
  return (
    <>
      <Field name="title" label="Titel" required maxLength={160} defaultValue={values.title} error={errors.title} />
      <TextareaField
        name="description"
        label="Beschreibung"
        rows={4}
        maxLength={5000}
        defaultValue={values.description}
        error={errors.description}
        hint="Worum geht es, für wen ist die Runde gedacht?"
      />
      <div className="field-group">
        <Field
          name="startsAt"
          label="Beginn"
          type="datetime-local"
          required
          defaultValue={values.startsAt}
          error={errors.startsAt}
        />
        <Field
          name="endsAt"
          label="Ende"
          type="datetime-local"
          required
          defaultValue={values.endsAt}
          error={errors.endsAt}
        />
      </div>
      <div className="field-group">
        <Field
          name="registrationDeadline"
          label="Anmeldeschluss"
          type="datetime-local"
          required
          defaultValue={values.registrationDeadline}
          error={errors.registrationDeadline}
        />
        <Field
          name="capacity"
          label="Plätze"
          type="number"
          inputMode="numeric"
          min={2}
          max={500}
          required
          defaultValue={values.capacity ?? "20"}
          error={errors.capacity}
          hint="Wer danach kommt, landet auf der Warteliste und rückt automatisch nach."
        />
      </div>
      <Field
        name="conferenceUrl"
        label="Link zum Konferenzsystem (optional)"
        type="url"
        defaultValue={values.conferenceUrl}
        error={errors.conferenceUrl}
        hint="Ton und Bild laufen über das Konferenzsystem der Organisation. Nur Angemeldete sehen den Link."
      />
      <div className="checkbox">
        <input
          type="checkbox"
          id="orientation"
          name="orientation"
          defaultChecked={values.orientation === "on"}
          aria-describedby="orientation-hinweis"
        />
        <label htmlFor="orientation">Orientierungsrunde für neue Mitglieder</label>
        <p id="orientation-hinweis" className="field__hint">
          Neue Mitglieder finden die nächste Orientierungsrunde in ihrer Willkommens-Checkliste auf der Startseite.
        </p>
      </div>
      <Field
        name="hosts"
        label="Weitere Gastgebende (optional)"
        defaultValue={values.hosts}
        error={errors.hosts}
        hint="Kurznamen, durch Komma getrennt. Den Kurznamen einer Person findest du auf ihrem Profil im Mitgliederverzeichnis."
      />
      <TextareaField
        name="agenda"
        label="Tagesordnung (optional)"
        rows={5}
        defaultValue={values.agenda}
        error={errors.agenda}
        hint="Ein Punkt pro Zeile."
      />
    </>
  );
}
