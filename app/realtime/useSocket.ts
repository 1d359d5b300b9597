import { useEffect, useState } from "react";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "./events.ts";

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: Promise<AppSocket> | null = null;

/** One socket per tab, opened on demand; socket.io-client is loaded lazily so pages ship without it. */
export function getSocket(): Promise<AppSocket> {
  shared ??= import("socket.io-client").then(({ io }) => io({ withCredentials: true }) as AppSocket);
  return shared;
}

/** Keeps a logged-in tab connected: sends it to the login page when its session ends on another device, and keeps
 * the unread-notifications badge current. Returns the badge count. */
export function useSessionSocket(loggedIn: boolean, initialUnread: number): number {
  const [unread, setUnread] = useState(initialUnread);
  // A navigation brings a fresh count from the server.
  useEffect(() => setUnread(initialUnread), [initialUnread]);
  useEffect(() => {
    if (!loggedIn) return;
    let active = true;
    let socket: AppSocket | null = null;
    // Every tab of a deleted account (the one that deleted it included) ends on the goodbye page.
    const onEnded = (payload: { reason: string }) =>
      window.location.assign(payload.reason === "accountDeleted" ? "/konto-geloescht" : "/anmelden?abgemeldet=1");
    const onUnread = (payload: { count: number }) => setUnread(payload.count);
    // The server closes the socket after this; a reload reconnects and shows the page with the member's new rights.
    const onChanged = () => window.location.reload();
    void getSocket().then((s) => {
      if (!active) return;
      socket = s;
      s.on("session:ended", onEnded);
      s.on("notifications:unread", onUnread);
      s.on("session:changed", onChanged);
    });
    return () => {
      // Logged out (or the layout went away): this tab's socket must not outlive its session.
      active = false;
      socket?.off("session:ended", onEnded);
      socket?.off("notifications:unread", onUnread);
      socket?.off("session:changed", onChanged);
      socket?.disconnect();
      shared = null;
    };
  }, [loggedIn]);
  return unread;
}
