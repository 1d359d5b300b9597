import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { roomName } from "../../realtime/events.ts";
import { getSocket } from "../../realtime/useSocket.ts";

/**
 * Joins the thread's live room. On a change the page reloads its data through the loader (which applies this
 * member's permissions, so nothing hidden or anonymous travels over the socket), and new replies are announced
 * politely to screen readers. Returns the text for an aria-live region.
 */
let ownReplyAt = 0;

/** The reply form calls this on submit, so the page does not announce the member's own reply to them. */
export function markOwnReply(): void {
  ownReplyAt = Date.now();
}

export function useThreadLive(threadId: string): string {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    let active = true;
    let cleanup = () => {};
    void getSocket().then((socket) => {
      if (!active) return;
      const room = roomName.thread(threadId);
      const join = () => socket.emit("room:join", { room }, () => {});
      const onChange = (payload: { threadId: string; change: string }) => {
        if (payload.threadId !== threadId) return;
        revalidate.current();
        if (payload.change === "reply" && Date.now() - ownReplyAt > 10_000) setAnnouncement(`Neue Antwort eingegangen (${new Date().toLocaleTimeString("de-DE", { hour: "2-digit", minute: "2-digit" })}).`);
      };
      socket.on("thread:changed", onChange);
      // Rejoin after a reconnect and catch up on anything missed meanwhile.
      const onReconnect = () => {
        join();
        revalidate.current();
      };
      socket.io.on("reconnect", onReconnect);
      join();
      cleanup = () => {
        socket.off("thread:changed", onChange);
        socket.io.off("reconnect", onReconnect);
        socket.emit("room:leave", { room }, () => {});
      };
    });
    return () => {
      active = false;
      cleanup();
    };
  }, [threadId]);
  return announcement;
}
