import { Form, Link } from "@remix-run/react";
import { useMemo, useState } from "react";
import { Field, SelectField, TextareaField } from "../Field.tsx";
import { formatDateTime } from "../../domain/time.ts";
import { AnonymityHints } from "./AnonymityHints.tsx";
import { checkAnonymity } from "../../domain/cases/anonymity.ts";
import { CASE_TEXT_MAX } from "../../schemas/cases.ts";

interface GiverProps {
  takeaway: string;
  learning: { title: string; text: string; publishedAt: Date | string | null };
  categories: { slug: string; name: string }[];
  consenting: string[];
  errors: Record<string, string>;
  values: Record<string, string>;
  saved: string | null;
  published: { threadId?: string; materialId?: string } | null;
}

/** Abschluss for the case giver: the private takeaway, and a generalised learning published only on approval. */
export function CaseGiverClosing({
  takeaway,
  learning,
  categories,
  consenting,
  errors,
  values,
  saved,
  published,
}: GiverProps) {
  const kept = values.intent === "publish" || values.intent === "learningDraft";
  const [text, setText] = useState(
    kept ? `${values.learningTitle ?? ""}\n${values.learningText ?? ""}` : `${learning.title}\n${learning.text}`,
  );
  const findings = useMemo(() => checkAnonymity(text), [text]);
  return (
    <section className="card" id="abschluss" aria-labelledby="abschluss-titel">
      <h2 id="abschluss-titel">Dein Abschluss</h2>
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="takeaway" />
        <TextareaField
          name="takeaway"
          label="Meine Erkenntnis (nur für dich)"
          rows={4}
          maxLength={CASE_TEXT_MAX}
          defaultValue={values.intent === "takeaway" ? values.takeaway : takeaway}
          error={errors.takeaway}
          hint="Nur du siehst diesen Text. Er bleibt erhalten, wenn die Inhalte der Beratung gelöscht werden."
        />
        <button type="submit" className="button button--quiet">
          Für mich speichern
        </button>
        {saved === "takeaway" ? (
          <p role="status" className="notice notice--ok">
            Gespeichert.
          </p>
        ) : null}
      </Form>

      <h3>Erkenntnis für das Netzwerk (freiwillig)</h3>
      {learning.publishedAt || published ? (
        <p role="status" className="notice notice--ok">
          {published?.threadId ? (
            <>
              Veröffentlicht als <Link to={`/diskussionen/${published.threadId}`}>Best-Practice-Beitrag</Link>.
            </>
          ) : published?.materialId ? (
            "Als Praxisbeispiel vorgeschlagen; die Moderation prüft es für die Materialsammlung."
          ) : (
            `Veröffentlicht am ${formatDateTime(learning.publishedAt as Date | string)}.`
          )}
        </p>
      ) : (
        <Form
          method="post"
          className="form"
          onChange={(e) => {
            const form = e.currentTarget;
            setText(
              `${(form.elements.namedItem("learningTitle") as HTMLInputElement).value}\n${(form.elements.namedItem("learningText") as HTMLTextAreaElement).value}`,
            );
          }}
        >
          <p className="hint">
            Allgemein formuliert, ohne den Fall nacherzählen: Was können andere Lernbegleiterinnen und Lernbegleiter
            daraus lernen? Nichts davon verweist auf diese Beratung.
          </p>
          <Field
            name="learningTitle"
            label="Titel"
            maxLength={120}
            defaultValue={kept ? values.learningTitle : learning.title}
            error={errors.learningTitle}
          />
          <TextareaField
            name="learningText"
            label="Erkenntnis"
            rows={6}
            maxLength={CASE_TEXT_MAX}
            defaultValue={kept ? values.learningText : learning.text}
            error={errors.learningText}
          />
          <AnonymityHints findings={findings} id="anonymisierung-erkenntnis" />
          <SelectField
            name="target"
            label="Veröffentlichen als"
            options={[
              { value: "best_practice", label: "Best-Practice-Beitrag in den Diskussionen" },
              { value: "practice_example", label: "Praxisbeispiel für die Materialsammlung (die Moderation prüft es)" },
            ]}
            defaultValue={kept ? values.target : "best_practice"}
            error={errors.target}
          />
          <SelectField
            name="category"
            label="Themenraum (für Best Practice)"
            options={categories.map((c) => ({ value: c.slug, label: c.name }))}
            defaultValue={
              kept ? values.category : (categories.find((c) => c.slug === "methoden")?.slug ?? categories[0]?.slug)
            }
            error={errors.category}
          />
          <div className="checkbox">
            <input
              type="checkbox"
              id="credit"
              name="credit"
              defaultChecked={kept && values.credit === "on"}
              aria-describedby="credit-hinweis"
            />
            <label htmlFor="credit">Mitwirkende nennen</label>
            <p id="credit-hinweis" className="field__hint">
              {consenting.length
                ? `Genannt werden nur, die zugestimmt haben: ${consenting.join(", ")}.`
                : "Bisher hat niemand zugestimmt, genannt zu werden; es werden keine Namen genannt."}
            </p>
          </div>
          {findings.length > 0 || errors.hintsReviewed ? (
            <div className="checkbox">
              <input type="checkbox" id="hintsReviewed" name="hintsReviewed" />
              <label htmlFor="hintsReviewed">
                Ich habe die Hinweise geprüft; nichts davon macht jemanden erkennbar.
              </label>
              {errors.hintsReviewed ? <p className="field__error">{errors.hintsReviewed}</p> : null}
            </div>
          ) : null}
          <div className="checkbox">
            <input
              type="checkbox"
              id="approve"
              name="approve"
              aria-describedby={errors.approve ? "approve-fehler" : undefined}
            />
            <label htmlFor="approve">Ich gebe diese Erkenntnis zur Veröffentlichung frei.</label>
            {errors.approve ? (
              <p id="approve-fehler" className="field__error">
                {errors.approve}
              </p>
            ) : null}
          </div>
          {errors.form ? <p className="field__error">{errors.form}</p> : null}
          <div className="form__actions">
            <button type="submit" name="intent" value="learningDraft" className="button button--quiet">
              Entwurf speichern
            </button>
            <button type="submit" name="intent" value="publish" className="button">
              Veröffentlichen
            </button>
          </div>
          {saved === "learningDraft" ? (
            <p role="status" className="notice notice--ok">
              Entwurf gespeichert.
            </p>
          ) : null}
        </Form>
      )}
    </section>
  );
}

/** Abschluss for the consultants: may they be named under a published learning? */
export function ConsultantClosing({ consent }: { consent: boolean }) {
  return (
    <section className="card" id="abschluss" aria-labelledby="abschluss-titel">
      <h2 id="abschluss-titel">Namensnennung</h2>
      <p>
        Falls die Fallgeberin oder der Fallgeber eine Erkenntnis veröffentlicht:{" "}
        {consent ? "Du wirst unter den Mitwirkenden genannt." : "Dein Name wird nicht genannt."}
      </p>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="consent" />
        <input type="hidden" name="consent" value={consent ? "0" : "1"} />
        <button type="submit" className="button button--quiet">
          {consent ? "Doch nicht nennen" : "Ich bin einverstanden, genannt zu werden"}
        </button>
      </Form>
    </section>
  );
}
