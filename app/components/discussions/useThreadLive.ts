import { useState } from "react";
import { roomName } from "../../realtime/events.ts";
import { useRoom } from "../../realtime/useRoom.ts";
import { formatTime } from "../../domain/time.ts";

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
  const [announcement, setAnnouncement] = useState("");
  useRoom(roomName.thread(threadId), (socket, revalidate) => {
    const onChange = (payload: { threadId: string; change: string }) => {
      if (payload.threadId !== threadId) return;
      revalidate();
      if (payload.change === "reply" && Date.now() - ownReplyAt > 10_000)
        setAnnouncement(`Neue Antwort eingegangen (${formatTime(Date.now())}).`);
    };
    socket.on("thread:changed", onChange);
    return () => socket.off("thread:changed", onChange);
  });
  return announcement;
}
