/** Room names are "<kind>:<id>"; permissions.ts decides who may join which. */
export const roomName = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  moderation: () => "moderation",
  thread: (threadId: string) => `thread:${threadId}`,
  caseConsultation: (caseId: string) => `case:${caseId}`,
};

/** What changed in a case consultation; the event never carries case text (clients reload through the loader). */
export type CaseChange = "phase" | "contribution" | "group" | "method" | "closed";

export type ThreadChange = "reply" | "edit" | "delete" | "reaction" | "answer" | "moderation";

export type Ack = { ok: true } | { ok: false; error: string };

export interface ServerToClientEvents {
  /** The session behind this socket ended (logout on all devices, deactivation); the client leaves the page. */
  "session:ended": (payload: { reason: "logout" | "logoutAll" | "deactivated" }) => void;
  /** Something in a thread changed; clients reload it through the page's loader, which applies permissions. */
  "thread:changed": (payload: { threadId: string; postId: string | null; change: ThreadChange }) => void;
  /** The member's number of unread notifications (header badge). */
  "notifications:unread": (payload: { count: number }) => void;
  /** Something in a case consultation changed; only its participants are in the room. */
  "case:changed": (payload: { caseId: string; change: CaseChange }) => void;
  /** Who of the group has the consultation open right now (user ids; the page knows the names). */
  "case:presence": (payload: { caseId: string; present: string[] }) => void;
}

export interface ClientToServerEvents {
  "room:join": (payload: { room: string }, ack: (result: Ack) => void) => void;
  "room:leave": (payload: { room: string }, ack: (result: Ack) => void) => void;
}

export type ServerEvent = keyof ServerToClientEvents;
export type ServerPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
