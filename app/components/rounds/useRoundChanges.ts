import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { getSocket } from "../../realtime/useSocket.ts";

const announcements = {
  opened: "Der Raum ist geöffnet.",
  edited: "Die Dialogrunde wurde geändert.",
  cancelled: "Die Dialogrunde ist abgesagt.",
} as const;

/**
 * Reloads the round page when the server says the round was opened, edited or cancelled. The event arrives in the
 * member's own socket room (every logged-in tab is in it), so no extra room is joined or authorized. After a
 * reconnect the page reloads too, in case an event was missed. Returns a line for an aria-live region.
 */
export function useRoundChanges(roundId: string): string {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    let active = true;
    let cleanup = () => {};
    void getSocket().then((socket) => {
      if (!active) return;
      const onChanged = (payload: { roundId: string; change: keyof typeof announcements }) => {
        if (payload.roundId !== roundId) return;
        revalidate.current();
        setAnnouncement(announcements[payload.change] ?? "");
      };
      const onReconnect = () => revalidate.current();
      socket.on("round:changed", onChanged);
      socket.io.on("reconnect", onReconnect);
      cleanup = () => {
        socket.off("round:changed", onChanged);
        socket.io.off("reconnect", onReconnect);
      };
    });
    return () => {
      active = false;
      cleanup();
    };
  }, [roundId]);
  return announcement;
}
