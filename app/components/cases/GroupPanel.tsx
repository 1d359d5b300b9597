import { Form } from "@remix-run/react";
import { Field } from "../Field.tsx";
import { roleLabels, type CaseRole } from "../../domain/cases/phases.ts";

interface Member {
  userId: string;
  name: string;
  role: CaseRole;
  agreed: boolean;
}

interface Props {
  group: Member[];
  present: string[];
  groupSize: number;
  /** The case giver while the group forms: may invite, cast roles, open seats and withdraw the request. */
  casting: boolean;
  seatsOpen: boolean;
  errors: Record<string, string>;
  values: Record<string, string>;
}

const castable: Exclude<CaseRole, "case_giver">[] = ["moderation", "consultant", "notes", "timekeeper"];

export function GroupPanel({ group, present, groupSize, casting, seatsOpen, errors, values }: Props) {
  return (
    <section className="card case-group" id="gruppe" aria-labelledby="gruppe-titel">
      <h2 id="gruppe-titel">Gruppe</h2>
      <p className="hint">
        {group.length} von {groupSize} Plätzen besetzt
      </p>
      <ul className="plain-list case-group__list">
        {group.map((m) => (
          <li key={m.userId}>
            <span
              className={present.includes(m.userId) ? "case-presence case-presence--on" : "case-presence"}
              aria-hidden="true"
            />
            <strong>{m.name}</strong> – {roleLabels[m.role]}
            {present.includes(m.userId) ? <span className="visually-hidden"> (gerade dabei)</span> : null}
            {!m.agreed ? <span className="hint"> (Zusage zur Vertraulichkeit steht aus)</span> : null}
            {casting && m.role !== "case_giver" ? (
              <Form method="post" className="inline-form case-group__role">
                <input type="hidden" name="intent" value="role" />
                <input type="hidden" name="userId" value={m.userId} />
                <label htmlFor={`rolle-${m.userId}`} className="visually-hidden">
                  Rolle von {m.name}
                </label>
                <select id={`rolle-${m.userId}`} name="role" defaultValue={m.role} className="case-group__select">
                  {castable.map((r) => (
                    <option key={r} value={r}>
                      {roleLabels[r]}
                    </option>
                  ))}
                </select>{" "}
                <button type="submit" className="button button--quiet">
                  Rolle setzen
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {errors.role ? <p className="field__error">{errors.role}</p> : null}
      {casting ? (
        <>
          {group.length < groupSize ? (
            <Form method="post" className="form">
              <input type="hidden" name="intent" value="invite" />
              <Field
                name="handle"
                label="Mitglied einladen (Kurzname)"
                defaultValue={values.intent === "invite" ? values.handle : ""}
                error={errors.handle}
                hint="Zum Beispiel jonas-wagner. Eingeladene sehen den Fall erst, wenn sie der Vertraulichkeit zugestimmt haben."
              />
              <button type="submit" className="button button--quiet">
                Einladen
              </button>
            </Form>
          ) : null}
          {/* With every seat taken there is nothing to offer (or to stop offering). */}
          {group.length < groupSize ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="seats" />
              <input type="hidden" name="open" value={seatsOpen ? "0" : "1"} />
              <button type="submit" className="button button--quiet">
                {seatsOpen ? "Freie Plätze nicht mehr anbieten" : "Freie Plätze für Freiwillige anbieten"}
              </button>
            </Form>
          ) : null}
          <details className="case-withdraw" open={errors.withdraw ? true : undefined}>
            <summary>Anfrage zurückziehen</summary>
            <Form method="post" className="form">
              <input type="hidden" name="intent" value="withdraw" />
              <div className="checkbox">
                <input
                  type="checkbox"
                  id="confirm-withdraw"
                  name="confirm"
                  aria-describedby={errors.withdraw ? "withdraw-fehler" : undefined}
                />
                <label htmlFor="confirm-withdraw">Ja, die Anfrage mit allem, was darin steht, endgültig löschen.</label>
              </div>
              {errors.withdraw ? (
                <p id="withdraw-fehler" className="field__error">
                  {errors.withdraw}
                </p>
              ) : null}
              <button type="submit" className="button button--danger">
                Endgültig löschen
              </button>
            </Form>
          </details>
        </>
      ) : null}
    </section>
  );
}
