import { Form, useNavigation } from "@remix-run/react";
import { Field, FormError, SelectField, TextareaField } from "../Field.tsx";
import { RichTextField } from "../editor/RichTextField.tsx";
import { FileUpload } from "./FileUpload.tsx";
import { materialTypeLabels, materialTypes, SUMMARY_MAX } from "../../domain/library/types.ts";
import { TITLE_MAX } from "../../domain/discussions/types.ts";
import { audiences, competenceAreas, ilbSteps, options } from "../../domain/taxonomy.ts";
import type { RichDoc } from "../../domain/richtext/types.ts";

export type MaterialValues = Record<string, string>;

/** The material form, for moderators (create, edit) and members (suggest). */
export function MaterialForm({
  values,
  bodyDoc,
  errors,
  submitLabel,
  curator,
}: {
  values: MaterialValues;
  bodyDoc: RichDoc | null;
  errors: Record<string, string>;
  submitLabel: string;
  curator: boolean;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      {Object.keys(errors).length > 0 ? (
        <FormError message={errors.form ?? "Bitte prüfe die markierten Angaben."} />
      ) : null}
      <Form method="post" className="form card" noValidate>
        <SelectField
          name="type"
          label="Materialart"
          options={materialTypes.map((t) => ({ value: t, label: materialTypeLabels[t] }))}
          defaultValue={values.type ?? "one_pager"}
          error={errors.type}
        />
        <Field
          name="title"
          label="Titel"
          required
          maxLength={TITLE_MAX}
          defaultValue={values.title}
          error={errors.title}
        />
        <TextareaField
          name="summary"
          label="Kurzbeschreibung"
          maxLength={SUMMARY_MAX}
          rows={3}
          defaultValue={values.summary}
          error={errors.summary}
          hint="Zwei, drei Sätze: Worum geht es, wem hilft es?"
        />
        <RichTextField
          name="body"
          label="Beschreibung (freiwillig)"
          initialDoc={bodyDoc}
          initialText={values.body}
          error={errors.body}
          mentionSource="/api/v1/members"
          rows={6}
        />
        <FileUpload />
        <Field
          name="externalUrl"
          label="Oder: Link zum Material"
          type="url"
          defaultValue={values.externalUrl}
          error={errors.externalUrl}
          hint="z. B. ein Video im Intranet, wenn die Datei dort liegt."
        />
        <TextareaField
          name="transcript"
          label="Transkript"
          rows={6}
          defaultValue={values.transcript}
          error={errors.transcript}
          hint="Für Videos und Podcasts: Untertitel (WebVTT) oder ein Transkript sind Pflicht, damit alle das Material nutzen können."
        />
        <fieldset className="field-group">
          <legend>Einordnung</legend>
          <div className="grid grid--tight">
            <SelectField
              name="ilbStep"
              label="iLB-Schritt"
              options={options(ilbSteps)}
              defaultValue={values.ilbStep ?? ""}
              error={errors.ilbStep}
            />
            <SelectField
              name="competenceArea"
              label="Kompetenzbereich"
              options={options(competenceAreas)}
              defaultValue={values.competenceArea ?? ""}
              error={errors.competenceArea}
            />
            <SelectField
              name="audience"
              label="Zielgruppe"
              options={options(audiences)}
              defaultValue={values.audience ?? ""}
              error={errors.audience}
            />
          </div>
          <Field
            name="tags"
            label="Themen (Schlagwörter)"
            defaultValue={values.tags}
            error={errors.tags}
            hint="Mit Komma getrennt, z. B. eAkte, Selbstvereinbarung"
          />
        </fieldset>
        <div className="grid grid--tight">
          <Field
            name="source"
            label="Quelle oder verfassende Person"
            defaultValue={values.source}
            error={errors.source}
          />
          <Field
            name="licence"
            label="Lizenz"
            defaultValue={values.licence}
            error={errors.licence}
            hint="z. B. intern, CC BY 4.0"
          />
          {curator ? (
            <Field
              name="reviewDueAt"
              label="Prüfen bis"
              type="date"
              defaultValue={values.reviewDueAt}
              error={errors.reviewDueAt}
              hint="Ohne Angabe: ein Jahr nach Veröffentlichung."
            />
          ) : null}
        </div>
        <div>
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Wird gespeichert …" : submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}
