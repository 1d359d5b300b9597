import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Field, FormError, SelectField, TextareaField } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { AnonymityHints, useAnonymityFindings } from "../components/cases/AnonymityHints.tsx";
import { requireUser } from "../auth/session.server.ts";
import { createCaseRequest } from "../models/cases/consultations.server.ts";
import { InputError } from "../models/errors.server.ts";
import { fieldLimits, keptValues, parseForm } from "../schemas/form.ts";
import { caseRequestSchema, CASE_TEXT_MAX, KEY_QUESTION_MAX, TOPIC_MAX } from "../schemas/cases.ts";
import { checkAnonymity } from "../domain/cases/anonymity.ts";
import { ASYNC_DAYS_MAX, ASYNC_DAYS_MIN, GROUP_MAX, GROUP_MIN } from "../domain/cases/phases.ts";
import "../styles/cases.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Fall einbringen", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

/** The fields a refusal sends back, each cut to what it accepts (checkboxes and choices are short). */
const LIMITS: Record<string, number> = {
  ...fieldLimits(caseRequestSchema),
  mode: 10,
  groupSize: 3,
  seatsOpen: 2,
  noNames: 2,
  noOffice: 2,
  noClientData: 2,
  hintsReviewed: 2,
};

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const kept = keptValues(formData, LIMITS);
  const values = Object.fromEntries(Object.entries(kept).filter(([key]) => key in LIMITS));
  // The hints for the page are computed here, once, on the bounded text (never while rendering).
  const refused = (errors: Record<string, string>) =>
    data(
      {
        errors,
        values,
        findings: checkAnonymity([values.topic, values.situation, values.tried, values.keyQuestion].join("\n")),
      },
      { status: 400 },
    );
  const form = parseForm(caseRequestSchema, formData);
  if (!form.ok) return refused(form.errors);
  try {
    const { id } = await createCaseRequest(actor, form.data);
    return redirect(`/fallberatung/${id}`);
  } catch (error) {
    if (error instanceof InputError) return refused({ [error.field]: error.message });
    throw error;
  }
}

export default function NewCase() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  const [mode, setMode] = useState(values.mode ?? "live");
  // Without JavaScript both fields stay usable; with it, the one that does not apply is switched off.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [texts, setTexts] = useState({
    topic: values.topic ?? "",
    situation: values.situation ?? "",
    tried: values.tried ?? "",
    keyQuestion: values.keyQuestion ?? "",
  });
  const findings = useAnonymityFindings(Object.values(texts).join("\n"), result?.findings ?? []);
  const track = (field: keyof typeof texts) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setTexts((t) => ({ ...t, [field]: e.target.value }));
  return (
    <div className="page page--form">
      <p className="breadcrumb">
        <Link to="/fallberatung">Kollegiale Fallberatung</Link> › Fall einbringen
      </p>
      <h1>Fall einbringen</h1>
      <p className="lead">
        Beschreibe deinen Fall so, dass niemand erkannt werden kann. Lesen können ihn nur die Teilnehmenden deiner
        Gruppe – nicht die Moderation des Netzwerks und nicht die Administration.
      </p>
      {Object.keys(errors).length > 0 ? <FormError message="Bitte prüfe die markierten Angaben." /> : null}
      <Form method="post" className="form card" noValidate>
        <Field
          name="topic"
          label="Thema"
          required
          maxLength={TOPIC_MAX}
          defaultValue={values.topic}
          error={errors.topic}
          onChange={track("topic")}
          hint="Allgemein gehalten; das Thema sehen auch Mitglieder, die sich für einen freien Platz interessieren."
        />
        <TextareaField
          name="situation"
          label="Situation"
          required
          rows={7}
          maxLength={CASE_TEXT_MAX}
          defaultValue={values.situation}
          error={errors.situation}
          onChange={track("situation")}
        />
        <TextareaField
          name="tried"
          label="Was du schon versucht hast"
          required
          rows={4}
          maxLength={CASE_TEXT_MAX}
          defaultValue={values.tried}
          error={errors.tried}
          onChange={track("tried")}
        />
        <TextareaField
          name="keyQuestion"
          label="Schlüsselfrage (Entwurf)"
          required
          rows={2}
          maxLength={KEY_QUESTION_MAX}
          defaultValue={values.keyQuestion}
          error={errors.keyQuestion}
          onChange={track("keyQuestion")}
          hint="Zum Beispiel: „Wie kann ich … erreichen, dass …?“ Du schärfst sie in der Phase Schlüsselfrage."
        />
        <AnonymityHints findings={findings} />
        <fieldset className="field-group">
          <legend>Ablauf</legend>
          <SelectField
            name="mode"
            label="Form der Beratung"
            options={[
              { value: "live", label: "Live zu einem Termin" },
              { value: "async", label: "Asynchron über mehrere Tage" },
            ]}
            defaultValue={mode}
            onChange={(e) => setMode(e.target.value)}
            error={errors.mode}
          />
          {/* Both stay in the form (it works without JavaScript); the one that does not apply is ignored. */}
          <Field
            name="scheduledAt"
            label="Termin (nur live)"
            type="datetime-local"
            defaultValue={values.scheduledAt}
            error={errors.scheduledAt}
            hint="Die Live-Beratung dauert etwa 45 Minuten."
            disabled={hydrated && mode !== "live"}
          />
          <Field
            name="asyncDays"
            label="Dauer in Tagen (nur asynchron)"
            type="number"
            min={ASYNC_DAYS_MIN}
            max={ASYNC_DAYS_MAX}
            defaultValue={values.asyncDays ?? "5"}
            error={errors.asyncDays}
            hint="Jede Phase bekommt eine Frist; alle werden erinnert, bevor sie endet."
            disabled={hydrated && mode !== "async"}
          />
          <SelectField
            name="groupSize"
            label="Gruppengröße (mit dir)"
            options={Array.from({ length: GROUP_MAX - GROUP_MIN + 1 }, (_, i) => ({
              value: String(GROUP_MIN + i),
              label: `${GROUP_MIN + i} Personen`,
            }))}
            defaultValue={values.groupSize ?? "5"}
            error={errors.groupSize}
          />
          <div className="checkbox">
            <input
              type="checkbox"
              id="seatsOpen"
              name="seatsOpen"
              defaultChecked={values.seatsOpen === "on"}
              aria-describedby="seatsOpen-hinweis"
            />
            <label htmlFor="seatsOpen">Freie Plätze für Freiwillige anbieten</label>
            <p id="seatsOpen-hinweis" className="field__hint">
              Angezeigt werden nur Thema und Termin. Den Fall sieht erst, wer einen Platz übernimmt und der
              Vertraulichkeit zustimmt.
            </p>
          </div>
        </fieldset>
        <fieldset className="field-group">
          <legend>Vor dem Absenden bestätigen</legend>
          <Check
            name="noNames"
            label="Der Fall enthält keine Namen – weder von Lernenden noch von Kolleginnen und Kollegen."
            error={errors.noNames}
            checked={values.noNames === "on"}
          />
          <Check
            name="noOffice"
            label="Der Fall nennt keine Dienststelle und keinen Ort, aus dem man auf Personen schließen kann."
            error={errors.noOffice}
            checked={values.noOffice === "on"}
          />
          <Check
            name="noClientData"
            label="Der Fall enthält keine Daten von Kundinnen und Kunden (Nummern, Geburtsdaten, Kontakte)."
            error={errors.noClientData}
            checked={values.noClientData === "on"}
          />
          {findings.length > 0 || errors.hintsReviewed ? (
            <Check
              name="hintsReviewed"
              label="Ich habe die Hinweise der Anonymisierungsprüfung gelesen; nichts davon macht jemanden erkennbar."
              error={errors.hintsReviewed}
              checked={false}
            />
          ) : null}
        </fieldset>
        <div>
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Wird angelegt …" : "Anfrage anlegen"}
          </button>
        </div>
      </Form>
    </div>
  );
}

function Check({ name, label, error, checked }: { name: string; label: string; error?: string; checked: boolean }) {
  return (
    <div className="checkbox">
      <input
        type="checkbox"
        id={name}
        name={name}
        defaultChecked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-fehler` : undefined}
      />
      <label htmlFor={name}>{label}</label>
      {error ? (
        <p id={`${name}-fehler`} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
