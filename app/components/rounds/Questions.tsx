import { Form } from "@remix-run/react";
import { FormError, TextareaField } from "../Field.tsx";
import { QUESTION_MAX_CHARS } from "../../domain/rounds/types.ts";

interface Question {
  id: string;
  text: string;
  votes: number;
  takenAt: string | Date | null;
  authorName: string | null;
  mine: boolean;
  voted: boolean;
}

interface Result {
  ok: boolean;
  form: string;
  message?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

/** Questions in advance, ranked by votes; registrants upvote others' questions. */
export function Questions({
  questions,
  mayAsk,
  isHost,
  live,
  result,
  busy,
}: {
  questions: Question[];
  mayAsk: boolean;
  isHost: boolean;
  live: boolean;
  result?: Result;
  busy: boolean;
}) {
  const mine = result?.form === "question" ? result : undefined;
  return (
    <section aria-labelledby="fragen-titel" className="card">
      <h2 id="fragen-titel">Fragen vorab</h2>
      {isHost ? (
        <p className="hint">Nach Stimmen sortiert. Im Live-Raum kannst du eine Frage in die Runde holen.</p>
      ) : null}
      {questions.length === 0 ? <p className="empty">Noch keine Fragen. {mayAsk ? "Stell die erste!" : null}</p> : null}
      <ol className="question-list">
        {questions.map((q) => (
          <li key={q.id} className="question">
            <p>{q.text}</p>
            <p className="hint">
              {q.authorName ?? "Ein Mitglied"} · {q.votes === 1 ? "1 Stimme" : `${q.votes} Stimmen`}
              {q.takenAt ? " · in der Runde besprochen" : null}
            </p>
            {isHost && live && !q.takenAt ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="questionId" value={q.id} />
                <button type="submit" name="intent" value="take" className="button button--quiet" disabled={busy}>
                  In die Runde holen
                </button>
              </Form>
            ) : null}
            {mayAsk && !q.mine ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="questionId" value={q.id} />
                <button
                  type="submit"
                  name="intent"
                  value={q.voted ? "unvote" : "vote"}
                  className="button button--quiet"
                  aria-pressed={q.voted}
                  disabled={busy}
                >
                  {q.voted ? "Stimme zurücknehmen" : "Auch wichtig für mich"}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
      {mayAsk ? (
        <Form method="post" className="form" key={mine?.ok ? `asked-${questions.length}` : "ask"}>
          {mine?.ok ? (
            <p className="notice notice--ok" role="status">
              {mine.message}
            </p>
          ) : null}
          <FormError message={mine?.errors?.form} />
          <TextareaField
            name="text"
            label="Deine Frage an die Runde"
            rows={3}
            maxLength={QUESTION_MAX_CHARS}
            defaultValue={mine?.ok ? "" : mine?.values?.text}
            error={mine?.errors?.text}
          />
          <div>
            <button type="submit" name="intent" value="ask" className="button" disabled={busy}>
              Frage einreichen
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
