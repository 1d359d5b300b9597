/** Room names are "<kind>:<id>"; permissions.ts decides who may join which. */
export const roomName = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  moderation: () => "moderation",
  thread: (threadId: string) => `thread:${threadId}`,
  caseConsultation: (caseId: string) => `case:${caseId}`,
  round: (roundId: string) => `round:${roundId}`,
};

/** What changed in a case consultation; the event never carries case text (clients reload through the loader). */
export type CaseChange = "phase" | "contribution" | "group" | "method" | "closed";

/** One numbered event of a live dialogue round (chat, notes, floor, agenda, pin, question, status). */
export interface RoundEvent {
  seq: number;
  kind: "chat" | "notes" | "floor" | "agenda" | "pin" | "question" | "status";
  authorId: string | null;
  authorName: string | null;
  /** The author's profile picture stamp (null: initials, or no author). */
  authorPicture: string | null;
  text: string;
  ref: string | null;
  createdAt: string;
}

/** What everyone in the live room sees besides the events: the queue, the speaker, the agenda position. */
export interface RoundLiveState {
  roundId: string;
  status: "scheduled" | "live" | "closed" | "published" | "cancelled";
  seq: number;
  agendaIndex: number;
  speakerId: string | null;
  pinnedSeq: number | null;
  queue: { userId: string; name: string; picture: string | null; raisedAt: string }[];
  muted: string[];
  scribes: string[];
}

export interface RoundJoined {
  state: RoundLiveState;
  /** Events after the client's `since`, in order (at most REPLAY_BATCH; `more` says whether to ask again). */
  events: RoundEvent[];
  more: boolean;
  notes: string;
}

export type RoundHostCommand =
  | { action: "floor"; userId?: string | null }
  | { action: "endFloor" }
  | { action: "mute" | "unmute" | "remove" | "scribe" | "unscribe"; userId: string }
  | { action: "pin"; seq: number | null }
  | { action: "agenda"; to: "next" | "previous" | number }
  | { action: "takeQuestion"; questionId: string };

export type RoundAck<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: string };

export type ThreadChange = "reply" | "edit" | "delete" | "reaction" | "answer" | "moderation" | "poll";

export type Ack = { ok: true } | { ok: false; error: string };

export interface ServerToClientEvents {
  /** The session behind this socket ended (logout on all devices, deactivation); the client leaves the page. */
  "session:ended": (payload: {
    reason: "logout" | "logoutAll" | "passwordChanged" | "deactivated" | "accountDeleted";
  }) => void;
  /** The member's rights changed (e.g. a new role): the server closes the socket, the page reloads with the new rights. */
  "session:changed": (payload: { reason: "roleChanged" }) => void;
  /** This server process is stopping (a restart or deploy): the connection closes next, and socket.io reconnects on its
   * own (to the next process, or to another worker of the service). Rooms are joined again by the pages. */
  "server:restarting": (payload: { reconnect: true }) => void;
  /** Something in a thread changed; clients reload it through the page's loader, which applies permissions. */
  "thread:changed": (payload: { threadId: string; postId: string | null; change: ThreadChange }) => void;
  /** New totals of a thread's poll: counts only, never who voted (the same for every reader of the thread). */
  "poll:totals": (payload: {
    threadId: string;
    pollId: string;
    voters: number;
    options: { id: string; votes: number }[];
  }) => void;
  /** The member's number of unread notifications (header badge). */
  "notifications:unread": (payload: { count: number }) => void;
  /** Something in a case consultation changed; only its participants are in the room. */
  "case:changed": (payload: { caseId: string; change: CaseChange }) => void;
  /** Who of the group has the consultation open right now (user ids; the page knows the names). */
  "case:presence": (payload: { caseId: string; present: string[] }) => void;
  /** A new event in a live round, already stored; `seq` orders it. */
  "round:event": (payload: { roundId: string; event: RoundEvent }) => void;
  "round:state": (payload: RoundLiveState) => void;
  /** Who is in the live room right now. */
  /** `picture`: the stamp of the person's profile picture (null: initials). */
  "round:presence": (payload: {
    roundId: string;
    people: { id: string; name: string; picture: string | null }[];
  }) => void;
  "round:reaction": (payload: { roundId: string; userId: string; name: string; kind: string }) => void;
  /** A round this member signed up for or hosts was opened, edited or cancelled (sent to their own user room). */
  "round:changed": (payload: { roundId: string; change: "opened" | "edited" | "cancelled" }) => void;
  /** A host removed this member from the room. */
  "round:removed": (payload: { roundId: string }) => void;
  /** A refused round event (malformed, too large, not allowed, too many); nothing changed. */
  "round:error": (payload: { roundId: string | null; event: string; message: string }) => void;
}

export interface ClientToServerEvents {
  "room:join": (payload: { room: string }, ack: (result: Ack) => void) => void;
  "room:leave": (payload: { room: string }, ack: (result: Ack) => void) => void;
  /** Enter a live round; the answer carries the state and every event after `since`. */
  "round:join": (payload: { roundId: string; since: number }, ack: (result: RoundAck<RoundJoined>) => void) => void;
  "round:leave": (payload: { roundId: string }, ack?: (result: RoundAck) => void) => void;
  /** Events after `since` (a client that noticed a gap). */
  "round:since": (
    payload: { roundId: string; since: number },
    ack: (result: RoundAck<{ events: RoundEvent[]; more: boolean }>) => void,
  ) => void;
  "round:chat": (
    payload: { roundId: string; text: string; clientId: string },
    ack?: (result: RoundAck<{ seq: number }>) => void,
  ) => void;
  "round:notes": (
    payload: { roundId: string; text: string; clientId: string },
    ack?: (result: RoundAck<{ seq: number }>) => void,
  ) => void;
  "round:hand": (payload: { roundId: string; raised: boolean }, ack?: (result: RoundAck) => void) => void;
  "round:react": (payload: { roundId: string; kind: string }, ack?: (result: RoundAck) => void) => void;
  "round:host": (payload: { roundId: string; command: RoundHostCommand }, ack?: (result: RoundAck) => void) => void;
}

export type ServerEvent = keyof ServerToClientEvents;
export type ServerPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
