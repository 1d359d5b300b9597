import { Form, Link } from "@remix-run/react";
import { formatDateTime } from "../../domain/time.ts";

export interface FeedbackItem {
  id: number;
  name: string;
  contact: string;
  page: string;
  message: string;
  createdAt: string | Date;
  handledAt: string | Date | null;
  memberName: string | null;
  handlerName: string | null;
}

/** The accessibility feedback on the moderators' reports page: open ones with "answered", answered ones folded. */
export function AccessibilityFeedback({ open, handled }: { open: FeedbackItem[]; handled: FeedbackItem[] }) {
  return (
    <>
      <h2 id="barrierefreiheit">Rückmeldungen zur Barrierefreiheit</h2>
      <p className="hint">
        Aus dem Formular der <Link to="/barrierefreiheit">Erklärung zur Barrierefreiheit</Link>, auch von Gästen ohne
        Konto. Jede Rückmeldung kommt auch per E-Mail; bitte antwortet innerhalb von sechs Wochen und markiert sie dann
        als beantwortet.
      </p>
      {open.length === 0 ? (
        <p className="empty">Keine offenen Rückmeldungen.</p>
      ) : (
        <ul className="plain-list">
          {open.map((f) => (
            <li key={f.id} className="card">
              <Sender item={f} />
              <p className="prose">{f.message}</p>
              <div className="form__actions">
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="feedback-handled" />
                  <input type="hidden" name="feedbackId" value={f.id} />
                  <button type="submit" className="button">
                    Als beantwortet markieren
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}
      {handled.length > 0 ? (
        <details className="feedback-handled">
          <summary>Beantwortet ({handled.length === 20 ? "die letzten 20" : handled.length})</summary>
          <ul className="plain-list">
            {handled.map((f) => (
              <li key={f.id} className="card">
                <Sender item={f} />
                <p className="prose">{f.message}</p>
                <p className="hint">
                  Beantwortet {f.handledAt ? formatDateTime(f.handledAt) : ""}
                  {f.handlerName ? ` von ${f.handlerName}` : ""}
                </p>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="feedback-open" />
                  <input type="hidden" name="feedbackId" value={f.id} />
                  <button type="submit" className="button button--quiet">
                    Wieder als offen markieren
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

function Sender({ item: f }: { item: FeedbackItem }) {
  return (
    <p className="hint">
      {formatDateTime(f.createdAt)} · {f.name || f.memberName || "ohne Namen"}
      {f.contact ? (
        <>
          {" "}
          · Antwort an <a href={`mailto:${f.contact}`}>{f.contact}</a>
        </>
      ) : (
        " · ohne Kontaktadresse"
      )}
      {f.page ? ` · Seite: ${f.page}` : ""}
    </p>
  );
}
