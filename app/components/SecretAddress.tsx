import { Form } from "@remix-run/react";

/**
 * A personal address with a secret token (podcast feed, calendar feed): created, shown once right after, renewed or
 * withdrawn. `shown` is the new address from the action, `""` after withdrawing, `undefined` otherwise.
 */
export function SecretAddress({
  id,
  title,
  intro,
  noun,
  exists,
  shown,
  intents,
}: {
  id: string;
  title: string;
  intro: string;
  /** "Feed-Adresse", "Kalender-Adresse" */
  noun: string;
  exists: boolean;
  shown: string | undefined;
  intents: { renew: string; revoke: string };
}) {
  return (
    <section aria-labelledby={`${id}-titel`} className="card">
      <h2 id={`${id}-titel`}>{title}</h2>
      <p>{intro}</p>
      {shown ? (
        <div className="notice notice--ok" role="status">
          <p>Deine neue {noun}:</p>
          <div className="copy-field">
            <label htmlFor={`${id}-adresse`} className="visually-hidden">
              {noun}
            </label>
            <input id={`${id}-adresse`} readOnly value={shown} onFocus={(e) => e.currentTarget.select()} />
          </div>
        </div>
      ) : null}
      {shown === "" ? (
        <p className="notice notice--ok" role="status">
          Deine {noun} gilt nicht mehr.
        </p>
      ) : null}
      <div className="form__actions">
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value={intents.renew} />
          <button type="submit" className="button button--quiet">
            {exists ? `Neue ${noun} erzeugen` : `${noun} erzeugen`}
          </button>
        </Form>
        {exists ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value={intents.revoke} />
            <button type="submit" className="button button--quiet">
              {noun} zurückziehen
            </button>
          </Form>
        ) : null}
      </div>
    </section>
  );
}
