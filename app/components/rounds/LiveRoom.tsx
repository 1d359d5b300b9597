import { useEffect, useRef, useState } from "react";
import { useRevalidator } from "@remix-run/react";
import type { RoundEvent } from "../../realtime/events.ts";
import {
  CHAT_MAX_BYTES,
  reactionKinds,
  reactionLabels,
  utf8Bytes,
  type ReactionKind,
} from "../../domain/rounds/types.ts";
import { newClientId, useLiveRound } from "../../realtime/useLiveRound.ts";
import { HostPanel, PersonTools } from "./HostTools.tsx";
import { Avatar } from "../Avatar.tsx";
import { formatTime } from "../../domain/time.ts";

interface Props {
  roundId: string;
  me: { id: string; name: string };
  isHost: boolean;
  agenda: string[];
  conferenceUrl: string | null;
}

function describe(e: RoundEvent, names: Map<string, string>): string {
  switch (e.kind) {
    case "floor":
      return e.ref ? `${names.get(e.ref) ?? "Jemand"} hat das Wort.` : "Die Wortmeldung ist beendet.";
    case "agenda":
      return `Nächster Punkt: ${e.text}`;
    case "pin":
      return e.ref ? "Eine Nachricht wurde angeheftet." : "Die angeheftete Nachricht wurde gelöst.";
    case "question":
      return `Frage aus der Vorbereitung: ${e.text}`;
    case "status":
      return e.ref === "live" ? "Der Raum ist geöffnet." : "Der Raum ist geschlossen.";
    case "notes":
      return `${e.authorName ?? "Jemand"} hat das Protokoll aktualisiert.`;
    default:
      return e.text;
  }
}

/** The live room: presence, chat, hand-raise queue, reactions, agenda and shared notes. */
export function LiveRoom({ roundId, me, isHost, agenda, conferenceUrl }: Props) {
  const [announcement, setAnnouncement] = useState("");
  const revalidator = useRevalidator();
  const live = useLiveRound(roundId, (e) => {
    // Polite announcements for screen readers: others' chat messages; focus stays where it is.
    if (e.kind === "chat" && e.authorId !== me.id) setAnnouncement(`${e.authorName}: ${e.text.slice(0, 200)}`);
    if (e.kind === "status" && e.ref === "closed") revalidator.revalidate();
  });
  const { state, events, people } = live;
  const [draft, setDraft] = useState({ text: "", clientId: newClientId() });
  const [chatError, setChatError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const speakerRef = useRef<string | null>(null);
  const names = new Map([
    ...people.map((p) => [p.id, p.name] as const),
    ...events.filter((e) => e.authorId).map((e) => [e.authorId!, e.authorName ?? ""] as const),
    ...(state?.queue.map((q) => [q.userId, q.name] as const) ?? []),
  ]);

  useEffect(() => {
    if (!state) return;
    if (state.speakerId === me.id && speakerRef.current !== me.id) setAnnouncement("Du hast das Wort.");
    speakerRef.current = state.speakerId;
  }, [state, me.id]);

  if (live.connection === "removed") {
    return (
      <p className="notice notice--error" role="alert">
        Die Moderation hat dich aus dieser Runde entfernt.
      </p>
    );
  }
  if (live.connection === "refused") {
    return (
      <p className="notice notice--error" role="alert">
        {live.refusal}
      </p>
    );
  }

  const muted = !!state?.muted.includes(me.id);
  const canWriteNotes = isHost || !!state?.scribes.includes(me.id);
  const myPlace = state ? state.queue.findIndex((q) => q.userId === me.id) + 1 : 0;
  // Notes changes show in the notes panel, not as lines in the chat.
  const chat = events.filter((e) => e.kind !== "notes");
  const pinned = state?.pinnedSeq ? events.find((e) => e.seq === state.pinnedSeq) : null;
  const bytes = utf8Bytes(draft.text);

  async function send(event: React.FormEvent) {
    event.preventDefault();
    if (!draft.text.trim() || sending) return;
    setSending(true);
    const problem = await live.sendChat(draft.text, draft.clientId);
    setSending(false);
    setChatError(problem);
    // On failure the text stays (and so does its clientId: sending again cannot store it twice).
    if (!problem) setDraft({ text: "", clientId: newClientId() });
  }

  return (
    <div className="live-room">
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      <p className="live-room__status" role="status">
        <span>
          {live.connection === "connected"
            ? "Verbunden"
            : live.connection === "connecting"
              ? "Verbinde …"
              : "Verbindung unterbrochen – wir verbinden dich neu, es geht nichts verloren."}
        </span>
        {conferenceUrl ? (
          <>
            {" · "}
            <a href={conferenceUrl} target="_blank" rel="noreferrer noopener">
              Ton und Bild im Konferenzsystem (öffnet ein neues Fenster)
            </a>
          </>
        ) : null}
      </p>
      {live.error ? (
        <p className="notice notice--error" role="alert">
          {live.error}
        </p>
      ) : null}

      <section aria-labelledby="wort-titel" className="card live-room__floor">
        <h2 id="wort-titel">Wortmeldungen</h2>
        <p className={state?.speakerId ? "speaker speaker--active" : "speaker"}>
          {state?.speakerId ? (
            <>
              Das Wort hat:{" "}
              <strong>{state.speakerId === me.id ? "du" : (names.get(state.speakerId) ?? "Jemand")}</strong>
            </>
          ) : (
            "Gerade hat niemand das Wort."
          )}
        </p>
        {/* Hosts give the floor; they do not queue for it. */}
        {isHost ? null : !muted ? (
          <button
            type="button"
            className="button"
            aria-pressed={myPlace > 0}
            onClick={() => void live.setHand(myPlace === 0).then((p) => p && setChatError(p))}
          >
            {myPlace > 0 ? `Hand senken (du bist Nr. ${myPlace})` : "Hand heben"}
          </button>
        ) : (
          <p className="hint">Die Moderation hat deinen Chat und deine Wortmeldungen stummgeschaltet.</p>
        )}
        {state && state.queue.length ? (
          <ol className="hand-queue" aria-label="Warteschlange der Wortmeldungen">
            {state.queue.map((q) => (
              <li key={q.userId}>
                <span className="person">
                  <Avatar face={{ id: q.userId, name: q.name, picture: q.picture }} size="s" />
                  {q.userId === me.id ? `${q.name} (du)` : q.name}
                </span>
                {isHost ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => void live.host({ action: "floor", userId: q.userId })}
                  >
                    Wort erteilen<span className="visually-hidden"> an {q.name}</span>
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="hint">Keine Wortmeldungen.</p>
        )}
        {isHost ? <HostPanel live={live} agendaLength={agenda.length} /> : null}
      </section>

      {agenda.length ? (
        <section aria-labelledby="tagesordnung-titel" className="card">
          <h2 id="tagesordnung-titel">Tagesordnung</h2>
          <ol className="agenda">
            {agenda.map((item, i) => (
              <li
                key={i}
                aria-current={state?.agendaIndex === i ? "step" : undefined}
                className={state?.agendaIndex === i ? "agenda__item agenda__item--current" : "agenda__item"}
              >
                {item}
                {state?.agendaIndex === i ? <span className="visually-hidden"> (aktueller Punkt)</span> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <section aria-labelledby="chat-titel" className="card live-room__chat">
        <h2 id="chat-titel">Chat</h2>
        {pinned ? (
          <p className="pinned">
            <strong>Angeheftet:</strong> {pinned.authorName}: {pinned.text}
          </p>
        ) : null}
        <ol className="chat-log" aria-label="Nachrichten">
          {chat.map((e) => (
            <li
              key={e.seq}
              className={e.kind === "chat" ? "chat-message" : "chat-message chat-message--system"}
              data-seq={e.seq}
            >
              {e.kind === "chat" ? (
                <>
                  <Avatar
                    face={
                      e.authorId ? { id: e.authorId, name: e.authorName ?? "", picture: e.authorPicture ?? null } : null
                    }
                    size="s"
                  />{" "}
                  <span className="chat-message__author">{e.authorName}</span>{" "}
                  <time className="hint" dateTime={e.createdAt}>
                    {formatTime(e.createdAt)}
                  </time>
                  <p className="chat-message__text">{e.text}</p>
                  {isHost ? (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => void live.host({ action: "pin", seq: state?.pinnedSeq === e.seq ? null : e.seq })}
                    >
                      {state?.pinnedSeq === e.seq ? "Lösen" : "Anheften"}
                    </button>
                  ) : null}
                </>
              ) : (
                <p>{describe(e, names)}</p>
              )}
            </li>
          ))}
        </ol>
        <div className="reactions" role="group" aria-label="Schnelle Reaktionen">
          {(Object.keys(reactionKinds) as ReactionKind[]).map((k) => (
            <button
              key={k}
              type="button"
              className="button button--quiet"
              disabled={muted}
              onClick={() => live.react(k)}
            >
              {/* The word stays visible: without an emoji font the emoji alone would be an empty box. */}
              <span aria-hidden="true">{reactionKinds[k]}</span> {reactionLabels[k]}
            </button>
          ))}
        </div>
        {live.reactions.length ? (
          <p className="hint" aria-hidden="true">
            {live.reactions
              .map(
                (r) =>
                  `${r.name}: ${reactionKinds[r.kind as ReactionKind] ?? ""} ${reactionLabels[r.kind as ReactionKind] ?? ""}`,
              )
              .join(" · ")}
          </p>
        ) : null}
        <form className="chat-form" onSubmit={send}>
          <label htmlFor="chat-text">Nachricht an alle</label>
          <textarea
            id="chat-text"
            rows={2}
            value={draft.text}
            disabled={muted}
            aria-invalid={bytes > CHAT_MAX_BYTES || undefined}
            aria-describedby={chatError ? "chat-fehler" : undefined}
            onChange={(e) => setDraft((d) => ({ ...d, text: e.target.value }))}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) void send(e);
            }}
          />
          {chatError || bytes > CHAT_MAX_BYTES ? (
            <p id="chat-fehler" className="field__error">
              {bytes > CHAT_MAX_BYTES ? "Die Nachricht ist zu lang (höchstens 4 KB)." : chatError}
            </p>
          ) : null}
          <button type="submit" className="button" disabled={muted || sending || bytes > CHAT_MAX_BYTES}>
            Senden
          </button>
        </form>
      </section>

      <Notes live={live} canWrite={canWriteNotes} />

      <section aria-labelledby="anwesend-titel" className="card">
        <h2 id="anwesend-titel">Anwesend ({people.length})</h2>
        {live.presenceNote ? <p className="hint">{live.presenceNote}</p> : null}
        <ul className="plain-list">
          {people.map((p) => (
            <li key={p.id}>
              <span className="person">
                <Avatar face={p} size="s" />
                {p.name}
              </span>
              {p.id === me.id ? " (du)" : null}
              {state?.scribes.includes(p.id) ? " · Protokoll" : null}
              {state?.muted.includes(p.id) ? " · stummgeschaltet" : null}
              {isHost && p.id !== me.id ? <PersonTools live={live} person={p} /> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Notes({ live, canWrite }: { live: ReturnType<typeof useLiveRound>; canWrite: boolean }) {
  const [text, setText] = useState(live.notes);
  const [saved, setSaved] = useState<"saved" | "saving" | "error">("saved");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const editing = useRef(false);
  // Others' changes arrive live; while this person is typing, their own text wins until it is saved.
  useEffect(() => {
    if (!editing.current) setText(live.notes);
  }, [live.notes]);
  function change(value: string) {
    setText(value);
    editing.current = true;
    setSaved("saving");
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void live.saveNotes(value).then((problem) => {
        editing.current = false;
        setSaved(problem ? "error" : "saved");
      });
    }, 800);
  }
  return (
    <section aria-labelledby="protokoll-titel" className="card live-room__notes">
      <h2 id="protokoll-titel">Protokoll</h2>
      {canWrite ? (
        <>
          <label htmlFor="protokoll-text" className="visually-hidden">
            Protokoll bearbeiten
          </label>
          <textarea
            id="protokoll-text"
            rows={10}
            value={text}
            onChange={(e) => change(e.target.value)}
            aria-describedby="protokoll-hinweis"
          />
          <p id="protokoll-hinweis" className="hint">
            {saved === "saving"
              ? "Wird gespeichert …"
              : saved === "error"
                ? "Nicht gespeichert – bitte prüfe die Verbindung."
                : "Gespeichert. Alle sehen das Protokoll live."}
          </p>
        </>
      ) : text ? (
        <div className="notes-view">{text}</div>
      ) : (
        <p className="empty">Noch nichts protokolliert.</p>
      )}
    </section>
  );
}
