import { useEffect } from "react";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "./events.ts";

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: Promise<AppSocket> | null = null;

/** One socket per tab, opened on demand; socket.io-client is loaded lazily so pages ship without it. */
export function getSocket(): Promise<AppSocket> {
  shared ??= import("socket.io-client").then(({ io }) => io({ withCredentials: true }) as AppSocket);
  return shared;
}

/** Keeps a logged-in tab connected and sends it to the login page when its session ends on another device. */
export function useSessionSocket(loggedIn: boolean): void {
  useEffect(() => {
    if (!loggedIn) return;
    let active = true;
    let socket: AppSocket | null = null;
    const onEnded = () => window.location.assign("/anmelden?abgemeldet=1");
    void getSocket().then((s) => {
      if (!active) return;
      socket = s;
      s.on("session:ended", onEnded);
    });
    return () => {
      // Logged out (or the layout went away): this tab's socket must not outlive its session.
      active = false;
      socket?.off("session:ended", onEnded);
      socket?.disconnect();
      shared = null;
    };
  }, [loggedIn]);
}
