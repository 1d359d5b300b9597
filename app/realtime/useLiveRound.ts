import { useCallback, useEffect, useRef, useState } from "react";
import { getSocket, type AppSocket } from "./useSocket.ts";
import type { RoundAck, RoundEvent, RoundHostCommand, RoundJoined, RoundLiveState } from "./events.ts";
import { contiguousUpTo, mergeEvents } from "../domain/rounds/replay.ts";

export type Connection = "connecting" | "connected" | "reconnecting" | "refused" | "removed";

export interface LiveRound {
  connection: Connection;
  events: RoundEvent[];
  state: RoundLiveState | null;
  people: { id: string; name: string; picture: string | null }[];
  /** Who came or left with the last presence change, e.g. "Jonas Wagner ist dazugekommen." */
  presenceNote: string;
  notes: string;
  notesBy: string | null;
  reactions: { key: number; name: string; kind: string }[];
  error: string | null;
  refusal: string | null;
  /** Send again with the same clientId after a failure: the server stores a message once. */
  sendChat: (text: string, clientId: string) => Promise<string | null>;
  saveNotes: (text: string) => Promise<string | null>;
  setHand: (raised: boolean) => Promise<string | null>;
  react: (kind: string) => void;
  host: (command: RoundHostCommand) => Promise<string | null>;
}

export function newClientId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The live room's connection: joins with "since N" (N = the last number seen without a gap), merges live events,
 * replays and join answers by number (each once, in order), and joins again after every reconnect. Socket.io falls
 * back to HTTP long-polling by itself where WebSockets are blocked.
 */
export function useLiveRound(roundId: string, onEvent?: (event: RoundEvent) => void): LiveRound {
  const [connection, setConnection] = useState<Connection>("connecting");
  const [events, setEvents] = useState<RoundEvent[]>([]);
  const [state, setState] = useState<RoundLiveState | null>(null);
  const [people, setPeople] = useState<{ id: string; name: string; picture: string | null }[]>([]);
  const [presenceNote, setPresenceNote] = useState("");
  const peopleRef = useRef<{ id: string; name: string; picture: string | null }[] | null>(null);
  const [notes, setNotes] = useState({ text: "", by: null as string | null });
  const [reactions, setReactions] = useState<{ key: number; name: string; kind: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const socketRef = useRef<AppSocket | null>(null);
  const eventsRef = useRef<RoundEvent[]>([]);
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;

  const absorb = useCallback((incoming: RoundEvent[], live: boolean) => {
    const known = new Set(eventsRef.current.map((e) => e.seq));
    const merged = mergeEvents(eventsRef.current, incoming);
    if (merged === eventsRef.current) return;
    eventsRef.current = merged;
    setEvents(merged);
    const latestNotes = incoming.filter((e) => e.kind === "notes" && e.text !== "").at(-1);
    if (latestNotes) setNotes({ text: latestNotes.text, by: latestNotes.authorId });
    if (live) for (const e of incoming) if (!known.has(e.seq)) onEventRef.current?.(e);
  }, []);

  const catchUp = useCallback(
    async (socket: AppSocket) => {
      // Ask again while the server says there is more (a client far behind gets it in batches).
      for (let i = 0; i < 100; i++) {
        const since = contiguousUpTo(eventsRef.current);
        const answer = (await socket
          .timeout(10_000)
          .emitWithAck("round:since", { roundId, since })
          .catch(() => null)) as RoundAck<{ events: RoundEvent[]; more: boolean }> | null;
        if (!answer || !answer.ok) return;
        absorb(answer.events, false);
        if (!answer.more) return;
      }
    },
    [roundId, absorb],
  );

  useEffect(() => {
    let active = true;
    let socket: AppSocket | null = null;
    const join = async () => {
      if (!socket) return;
      const since = contiguousUpTo(eventsRef.current);
      const answer = (await socket
        .timeout(10_000)
        .emitWithAck("round:join", { roundId, since })
        .catch(() => null)) as RoundAck<RoundJoined> | null;
      if (!active) return;
      if (!answer) return setConnection("reconnecting");
      if (!answer.ok) {
        setRefusal(answer.error);
        return setConnection("refused");
      }
      setState(answer.state);
      if (since === 0 || answer.notes) setNotes((n) => ({ text: answer.notes, by: n.by }));
      absorb(answer.events, false);
      setConnection("connected");
      if (answer.more) await catchUp(socket);
    };
    const onConnect = () => void join();
    const onDisconnect = () => setConnection((c) => (c === "removed" || c === "refused" ? c : "reconnecting"));
    const onEvent = (p: { roundId: string; event: RoundEvent }) => {
      if (p.roundId !== roundId) return;
      absorb([p.event], true);
      // A gap means something was missed (e.g. during a reconnect): fetch it.
      if (p.event.seq > contiguousUpTo(eventsRef.current) + 1 && socket) void catchUp(socket);
    };
    const onState = (s: RoundLiveState) => s.roundId === roundId && setState(s);
    const onPresence = (p: { roundId: string; people: { id: string; name: string; picture: string | null }[] }) => {
      if (p.roundId !== roundId) return;
      const before = peopleRef.current;
      if (before) {
        const came = p.people.filter((x) => !before.some((y) => y.id === x.id)).map((x) => x.name);
        const left = before.filter((x) => !p.people.some((y) => y.id === x.id)).map((x) => x.name);
        const parts = [
          came.length ? `${came.join(", ")} ${came.length === 1 ? "ist" : "sind"} dazugekommen.` : "",
          left.length ? `${left.join(", ")} ${left.length === 1 ? "hat" : "haben"} den Raum verlassen.` : "",
        ];
        if (came.length || left.length) setPresenceNote(parts.filter(Boolean).join(" "));
      }
      peopleRef.current = p.people;
      setPeople(p.people);
    };
    const onReaction = (p: { roundId: string; name: string; kind: string }) => {
      if (p.roundId !== roundId) return;
      const key = Date.now() + Math.random();
      setReactions((r) => [...r.slice(-4), { key, name: p.name, kind: p.kind }]);
      setTimeout(() => active && setReactions((r) => r.filter((x) => x.key !== key)), 6000);
    };
    const onRemoved = (p: { roundId: string }) => {
      if (p.roundId !== roundId) return;
      setConnection("removed");
    };
    const onError = (p: { roundId: string | null; message: string }) =>
      (p.roundId === roundId || p.roundId === null) && setError(p.message);
    void getSocket().then((s) => {
      if (!active) return;
      socket = s;
      socketRef.current = s;
      s.on("connect", onConnect);
      s.on("disconnect", onDisconnect);
      s.on("round:event", onEvent);
      s.on("round:state", onState);
      s.on("round:presence", onPresence);
      s.on("round:reaction", onReaction);
      s.on("round:removed", onRemoved);
      s.on("round:error", onError);
      if (s.connected) void join();
    });
    return () => {
      active = false;
      if (!socket) return;
      socket.emit("round:leave", { roundId });
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("round:event", onEvent);
      socket.off("round:state", onState);
      socket.off("round:presence", onPresence);
      socket.off("round:reaction", onReaction);
      socket.off("round:removed", onRemoved);
      socket.off("round:error", onError);
    };
  }, [roundId, absorb, catchUp]);

  const call = useCallback(
    async (event: string, payload: Record<string, unknown>): Promise<string | null> => {
      const socket = socketRef.current;
      if (!socket?.connected) return "Keine Verbindung. Wir versuchen es gleich wieder.";
      const answer = (await (
        socket as unknown as { timeout: (ms: number) => { emitWithAck: (e: string, p: unknown) => Promise<RoundAck> } }
      )
        .timeout(10_000)
        .emitWithAck(event, { roundId, ...payload })
        .catch(() => null)) as RoundAck | null;
      if (!answer) return "Keine Antwort vom Server. Bitte versuche es noch einmal.";
      if (!answer.ok) return answer.error;
      setError(null);
      return null;
    },
    [roundId],
  );

  return {
    connection,
    events,
    state,
    people,
    presenceNote,
    notes: notes.text,
    notesBy: notes.by,
    reactions,
    error,
    refusal,
    sendChat: (text, clientId) => call("round:chat", { text, clientId }),
    saveNotes: (text) => call("round:notes", { text, clientId: newClientId() }),
    setHand: (raised) => call("round:hand", { raised }),
    react: (kind) => void call("round:react", { kind }),
    host: (command) => call("round:host", { command }),
  };
}
