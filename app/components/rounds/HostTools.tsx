import type { useLiveRound } from "../../realtime/useLiveRound.ts";

type Live = ReturnType<typeof useLiveRound>;

/** The host's controls for the floor and the agenda. */
export function HostPanel({ live, agendaLength }: { live: Live; agendaLength: number }) {
  const state = live.state;
  return (
    <div className="host-panel" role="group" aria-label="Moderation">
      <button
        type="button"
        className="button"
        disabled={!state?.queue.length}
        onClick={() => void live.host({ action: "floor" })}
      >
        Nächste Wortmeldung aufrufen
      </button>
      {state?.speakerId ? (
        <button type="button" className="button button--quiet" onClick={() => void live.host({ action: "endFloor" })}>
          Wort beenden
        </button>
      ) : null}
      {agendaLength ? (
        <>
          <button
            type="button"
            className="button button--quiet"
            disabled={!state || state.agendaIndex === 0}
            onClick={() => void live.host({ action: "agenda", to: "previous" })}
          >
            Vorheriger Punkt
          </button>
          <button
            type="button"
            className="button button--quiet"
            disabled={!state || state.agendaIndex >= agendaLength - 1}
            onClick={() => void live.host({ action: "agenda", to: "next" })}
          >
            Nächster Punkt
          </button>
        </>
      ) : null}
    </div>
  );
}

/** Per person in the room: mute, make scribe, remove (with a confirmation). */
export function PersonTools({ live, person }: { live: Live; person: { id: string; name: string } }) {
  const muted = live.state?.muted.includes(person.id);
  const scribe = live.state?.scribes.includes(person.id);
  return (
    <span className="person-tools">
      <button
        type="button"
        className="link-button"
        onClick={() => void live.host({ action: muted ? "unmute" : "mute", userId: person.id })}
      >
        {muted ? "Stummschaltung aufheben" : "Stummschalten"}
        <span className="visually-hidden"> – {person.name}</span>
      </button>
      <button
        type="button"
        className="link-button"
        onClick={() => void live.host({ action: scribe ? "unscribe" : "scribe", userId: person.id })}
      >
        {scribe ? "Protokoll abgeben" : "Protokoll übertragen"}
        <span className="visually-hidden"> – {person.name}</span>
      </button>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          if (window.confirm(`${person.name} aus der Runde entfernen? Die Person kann dann nicht wieder beitreten.`))
            void live.host({ action: "remove", userId: person.id });
        }}
      >
        Entfernen<span className="visually-hidden"> – {person.name}</span>
      </button>
    </span>
  );
}
