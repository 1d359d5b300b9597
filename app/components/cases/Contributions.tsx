import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { formatDateTime } from "../../domain/time.ts";
import { TextareaField } from "../Field.tsx";
import { kindLabels, type ContributionKind } from "../../domain/cases/gating.ts";
import {
  casePhases,
  methodLibrary,
  phaseLabels,
  roleLabels,
  type CaseMethod,
  type CasePhase,
  type CaseRole,
} from "../../domain/cases/phases.ts";
import { CONTRIBUTION_MAX } from "../../schemas/cases.ts";

interface Contribution {
  id: number;
  phase: CasePhase;
  kind: string;
  prompt: string | null;
  body: string;
  createdAt: Date | string;
  authorName: string;
  authorRole: CaseRole | null;
}

/** What the group said, phase by phase (plain text, rendered as text: never markup). */
export function Contributions({ items }: { items: Contribution[] }) {
  const phases = casePhases.filter((p) => items.some((c) => c.phase === p));
  if (phases.length === 0) return <p className="empty">Noch keine Beiträge.</p>;
  return (
    <>
      {phases.map((p) => (
        <section key={p} aria-labelledby={`verlauf-${p}`} className="case-log">
          <h3 id={`verlauf-${p}`}>{phaseLabels[p]}</h3>
          <ol className="plain-list">
            {items
              .filter((c) => c.phase === p)
              .map((c) => (
                <li key={c.id} id={`beitrag-${c.id}`} className={`case-entry case-entry--${c.kind}`}>
                  <p className="case-entry__meta">
                    <strong>{c.authorName}</strong>
                    {c.authorRole ? ` (${roleLabels[c.authorRole]})` : ""} ·{" "}
                    {kindLabels[c.kind as ContributionKind] ?? "Beitrag"}
                    {c.prompt ? `: ${c.prompt}` : ""} ·{" "}
                    <time dateTime={new Date(c.createdAt).toISOString()}>{formatDateTime(c.createdAt)}</time>
                  </p>
                  <p className="case-entry__body">{c.body}</p>
                </li>
              ))}
          </ol>
        </section>
      ))}
    </>
  );
}

const inputLabels: Record<ContributionKind, string> = {
  report: "Dein Spontanbericht",
  key_question: "Deine Schlüsselfrage",
  question: "Deine Verständnisfrage",
  answer: "Deine Antwort auf eine Verständnisfrage",
  contribution: "Dein Beitrag",
  notes: "Protokollnotiz",
  closing: "Was du mitnimmst (für die Gruppe)",
};

/** The input the phase allows this participant; a listening participant is told so instead. */
export function PhaseInput({
  kinds,
  method,
  phase,
  role,
  errors,
  values,
}: {
  kinds: ContributionKind[];
  method: CaseMethod | null;
  phase: CasePhase;
  role: CaseRole;
  errors: Record<string, string>;
  values: Record<string, string>;
}) {
  // After a successful "Beitragen" the box starts empty; a refused one keeps the text (it comes back in `values`).
  const navigation = useNavigation();
  const mine = navigation.formData?.get("intent") === "contribute";
  const [sent, setSent] = useState(0);
  const sending = useRef(false);
  const refused = Object.keys(errors).length > 0;
  useEffect(() => {
    if (navigation.state !== "idle" && mine) sending.current = true;
    else if (navigation.state === "idle" && sending.current) {
      sending.current = false;
      if (!refused) setSent((n) => n + 1);
    }
  }, [navigation.state, mine, refused]);
  if (kinds.length === 0) {
    const why =
      phase === "beratung" && role === "case_giver"
        ? "In der Beratung hörst du zu. Du antwortest nicht – notiere dir, was dich anspricht."
        : phase === "spontanbericht"
          ? "Im Spontanbericht spricht nur die Fallgeberin oder der Fallgeber. Hör zu."
          : phase === "beratung"
            ? "Sobald die Moderation eine Methode gewählt hat, kannst du beitragen."
            : "In dieser Phase schreibst du nichts.";
    return <p className="notice">{why}</p>;
  }
  const kept = values.intent === "contribute";
  const prompts = method ? methodLibrary[method].prompts : [];
  return (
    <Form key={sent} method="post" className="form card case-input">
      <input type="hidden" name="intent" value="contribute" />
      {kinds.length > 1 ? (
        <div className="field">
          <label htmlFor="kind">Art des Beitrags</label>
          <select id="kind" name="kind" defaultValue={kept ? values.kind : kinds[0]}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {kindLabels[k]}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <input type="hidden" name="kind" value={kinds[0]} />
      )}
      {kinds.includes("contribution") && prompts.length > 1 ? (
        <div className="field">
          <label htmlFor="prompt">Schritt der Methode</label>
          <select id="prompt" name="prompt" defaultValue={kept ? values.prompt : prompts[0]}>
            {prompts.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </div>
      ) : null}
      <TextareaField
        name="body"
        label={kinds.length > 1 ? "Dein Text" : inputLabels[kinds[0]]}
        rows={4}
        maxLength={CONTRIBUTION_MAX}
        required
        defaultValue={kept ? values.body : ""}
        error={errors.body}
      />
      <button type="submit" className="button" disabled={navigation.state === "submitting" && mine}>
        Beitragen
      </button>
    </Form>
  );
}

/** The method library; the moderation picks one in Methodenwahl, everyone else reads along. */
export function MethodPicker({
  method,
  canChoose,
  error,
}: {
  method: CaseMethod | null;
  canChoose: boolean;
  error?: string;
}) {
  const list = (Object.keys(methodLibrary) as CaseMethod[]).map((key) => (
    <div key={key} className="case-method">
      {canChoose ? (
        <>
          <input type="radio" id={`methode-${key}`} name="method" value={key} defaultChecked={method === key} />{" "}
          <label htmlFor={`methode-${key}`}>
            <strong>{methodLibrary[key].label}</strong>
          </label>
        </>
      ) : (
        <strong>
          {methodLibrary[key].label}
          {method === key ? " (gewählt)" : ""}
        </strong>
      )}
      <p className="hint">{methodLibrary[key].instructions}</p>
    </div>
  ));
  return (
    <section className="card" aria-labelledby="methoden-titel">
      <h2 id="methoden-titel">Methoden</h2>
      {canChoose ? (
        <Form method="post">
          <input type="hidden" name="intent" value="method" />
          <fieldset className="field-group">
            <legend>Methode für die Beratung</legend>
            {list}
          </fieldset>
          {error ? <p className="field__error">{error}</p> : null}
          <button type="submit" className="button">
            Methode wählen
          </button>
        </Form>
      ) : (
        list
      )}
    </section>
  );
}
