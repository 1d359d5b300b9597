import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { percentOf, votersText, votesText, type PollView } from "../../domain/discussions/polls.ts";
import { getSocket } from "../../realtime/useSocket.ts";
import { formatDateTime } from "../../domain/time.ts";
import "../../styles/polls.css";

export interface PollResult {
  intent?: string;
  ok?: boolean;
  message?: string;
  errors?: Record<string, string>;
  chosen?: string[];
}

/**
 * A thread's poll: a fieldset of radio buttons or checkboxes that posts a plain form (works without JavaScript), and
 * the totals as text with a bar beside each (the bar is decoration; the text says the same). Totals follow the
 * thread's live room (`poll:totals`, counts only); the page already joined that room (useThreadLive).
 */
export function Poll({ threadId, poll, result }: { threadId: string; poll: PollView; result?: PollResult }) {
  const totals = useLiveTotals(threadId, poll);
  useRevalidateWhenClosing(poll.closesAt, poll.closed);
  const busy = useNavigation().formData?.get("pollId") === poll.id;
  const ours = result && ["vote", "withdrawVote", "closePoll", "addPoll"].includes(result.intent ?? "");
  const error = ours ? result?.errors?.poll : undefined;
  const status = ours && result?.ok ? result.message : "";
  // After a refused vote the choice just made stays ticked, not the stored one.
  const checked = new Set(error && result?.chosen ? result.chosen : poll.mine);
  const voted = poll.mine.length > 0;
  const ending = poll.closesAt ? formatDateTime(poll.closesAt) : null;
  const byId = new Map(totals.options.map((o) => [o.id, o.votes]));
  return (
    <section className="poll card" aria-labelledby="umfrage-titel" id="umfrage">
      <h2 id="umfrage-titel">{poll.closed ? "Umfrage (beendet)" : "Umfrage"}</h2>
      {poll.mayVote ? (
        <Form method="post" preventScrollReset className="poll__form">
          <input type="hidden" name="pollId" value={poll.id} />
          <fieldset aria-describedby={`umfrage-hinweis${error ? " umfrage-fehler" : ""}`}>
            <legend>{poll.question}</legend>
            <p id="umfrage-hinweis" className="field__hint">
              {poll.multiple ? "Mehrere Antworten möglich." : "Eine Antwort möglich."}{" "}
              {ending
                ? `Abstimmen bis ${ending} Uhr; bis dahin kannst du deine Stimme ändern.`
                : "Du kannst deine Stimme ändern, solange die Umfrage läuft."}{" "}
              Alle sehen nur die Summen, niemand sieht, wer wie abgestimmt hat.
            </p>
            {error ? (
              <p id="umfrage-fehler" className="field__error" role="alert">
                {error}
              </p>
            ) : null}
            {poll.options.map((option) => (
              <div className="poll__choice" key={option.id}>
                <input
                  type={poll.multiple ? "checkbox" : "radio"}
                  name="option"
                  value={option.id}
                  id={`umfrage-${option.id}`}
                  defaultChecked={checked.has(option.id)}
                  required={!poll.multiple}
                />
                <label htmlFor={`umfrage-${option.id}`}>{option.label}</label>
              </div>
            ))}
          </fieldset>
          <div className="poll__actions">
            <button type="submit" name="intent" value="vote" className="button" disabled={busy}>
              {voted ? "Stimme ändern" : "Abstimmen"}
            </button>
            {voted ? (
              <button
                type="submit"
                name="intent"
                value="withdrawVote"
                className="button button--quiet"
                formNoValidate
                disabled={busy}
              >
                Stimme zurücknehmen
              </button>
            ) : null}
          </div>
        </Form>
      ) : (
        <>
          <p className="poll__question">{poll.question}</p>
          {error ? (
            <p className="field__error" role="alert">
              {error}
            </p>
          ) : null}
          <p className="field__hint">
            {poll.closed
              ? `Die Umfrage ist beendet${ending ? ` (seit ${ending} Uhr)` : ""}.`
              : "Abstimmen können Mitglieder, die in dieser Diskussion antworten dürfen."}
            {voted
              ? ` Deine Stimme: ${poll.options
                  .filter((o) => poll.mine.includes(o.id))
                  .map((o) => o.label)
                  .join(", ")}.`
              : ""}
          </p>
        </>
      )}
      <p role="status" className="poll__status">
        {status}
      </p>
      <h3 className="poll__results-title">{poll.closed ? "Ergebnis" : "Zwischenstand"}</h3>
      <p className="poll__voters">
        {votersText(totals.voters)}
        {poll.multiple && totals.voters > 0 ? " (mehrere Antworten je Person möglich)" : ""}.
      </p>
      <ul className="poll__results">
        {poll.options.map((option) => {
          const votes = byId.get(option.id) ?? 0;
          return (
            <li key={option.id}>
              <span className="poll__label">
                {option.label}
                {poll.mine.includes(option.id) ? <span className="poll__mine"> (deine Wahl)</span> : null}
              </span>
              <span className="poll__count">{votesText(votes, totals.voters)}</span>
              <span className="poll__bar" aria-hidden="true">
                <span style={{ width: `${percentOf(votes, totals.voters)}%` }} />
              </span>
            </li>
          );
        })}
      </ul>
      {poll.mayClose ? (
        <Form method="post" preventScrollReset className="poll__close">
          <input type="hidden" name="pollId" value={poll.id} />
          <button type="submit" name="intent" value="closePoll" className="button button--quiet">
            Umfrage jetzt beenden
          </button>
        </Form>
      ) : null}
    </section>
  );
}

/** The totals from the loader, replaced by newer ones from the thread's live room. */
function useLiveTotals(threadId: string, poll: PollView) {
  const fromLoader = { voters: poll.voters, options: poll.options };
  const [live, setLive] = useState<{ voters: number; options: { id: string; votes: number }[] } | null>(null);
  // A reload through the loader (after a vote or another change) is at least as new as what came live.
  useEffect(() => setLive(null), [poll]);
  useEffect(() => {
    let active = true;
    let off = () => {};
    void getSocket().then((socket) => {
      if (!active) return;
      const onTotals = (payload: {
        threadId: string;
        pollId: string;
        voters: number;
        options: { id: string; votes: number }[];
      }) => {
        if (payload.threadId === threadId && payload.pollId === poll.id)
          setLive({ voters: payload.voters, options: payload.options });
      };
      socket.on("poll:totals", onTotals);
      off = () => socket.off("poll:totals", onTotals);
    });
    return () => {
      active = false;
      off();
    };
  }, [threadId, poll.id]);
  return live ?? fromLoader;
}

/** At the closing time the page reloads its data, so the form gives way to the result without a click. */
function useRevalidateWhenClosing(closesAt: string | null, closed: boolean) {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    if (!closesAt || closed) return;
    const wait = new Date(closesAt).getTime() - Date.now() + 500;
    // Timers are 32-bit; a poll ending in weeks is picked up by any later reload anyway.
    if (wait > 2 ** 31 - 1) return;
    const timer = setTimeout(revalidate, Math.max(0, wait));
    return () => clearTimeout(timer);
  }, [closesAt, closed, revalidate]);
}
