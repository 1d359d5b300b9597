import type { ServerEvent, ServerPayload } from "./events.ts";

/** What models may do with live connections; the socket.io server registers the implementation at start. */
export interface RealtimeHub {
  emit<E extends ServerEvent>(room: string, event: E, payload: ServerPayload<E>): void;
  /** Closes every socket in the room (used when sessions end). */
  disconnect(room: string): void;
  /** Takes every socket in `room` (e.g. a member's own room) out of `target` (e.g. a live round they were removed from). */
  leave(room: string, target: string): void;
}

declare global {
  // Shared between the Express server and the Remix build, which are separate module graphs.
  var __companionHub: RealtimeHub | undefined;
}

export function registerHub(hub: RealtimeHub | undefined): void {
  globalThis.__companionHub = hub;
}

/** Called by model functions after their transaction committed. Without a running socket server it does nothing. */
export function publish<E extends ServerEvent>(room: string, event: E, payload: ServerPayload<E>): void {
  globalThis.__companionHub?.emit(room, event, payload);
}

export function disconnectRoom(room: string): void {
  globalThis.__companionHub?.disconnect(room);
}

export function leaveRoom(room: string, target: string): void {
  globalThis.__companionHub?.leave(room, target);
}
