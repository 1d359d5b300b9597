import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { getSocket, type AppSocket } from "./useSocket.ts";

/**
 * Joins a live room for as long as the page shows it: rejoins after a reconnect and reloads the page's data then
 * (anything missed meanwhile comes through the loader, which applies permissions), leaves on unmount. `listen`
 * subscribes to the room's events and returns how to unsubscribe; it gets `revalidate` to reload the page's data.
 */
export function useRoom(room: string, listen: (socket: AppSocket, revalidate: () => void) => () => void): void {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const listener = useRef(listen);
  listener.current = listen;
  useEffect(() => {
    let active = true;
    let cleanup = () => {};
    void getSocket().then((socket) => {
      if (!active) return;
      const join = () => socket.emit("room:join", { room }, () => {});
      const onReconnect = () => {
        join();
        revalidate.current();
      };
      const unlisten = listener.current(socket, () => revalidate.current());
      socket.io.on("reconnect", onReconnect);
      join();
      cleanup = () => {
        unlisten();
        socket.io.off("reconnect", onReconnect);
        socket.emit("room:leave", { room }, () => {});
      };
    });
    return () => {
      active = false;
      cleanup();
    };
  }, [room]);
}
