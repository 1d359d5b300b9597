import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { roomName, type CaseChange } from "../../realtime/events.ts";
import { getSocket } from "../../realtime/useSocket.ts";

const announcements: Record<CaseChange, string> = {
  phase: "Die nächste Phase hat begonnen.",
  contribution: "Neuer Beitrag.",
  group: "Die Gruppe hat sich geändert.",
  method: "Die Methode wurde gewählt.",
  closed: "Die Fallberatung ist abgeschlossen.",
};

/**
 * The consultation's live room: on every change the page reloads through its loader (which checks the
 * participant again), so no case text travels over the socket. Returns who is present and a line for an
 * aria-live region.
 */
export function useCaseLive(caseId: string): { present: string[]; announcement: string } {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const [present, setPresent] = useState<string[]>([]);
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    let active = true;
    let cleanup = () => {};
    void getSocket().then((socket) => {
      if (!active) return;
      const room = roomName.caseConsultation(caseId);
      const join = () => socket.emit("room:join", { room }, () => {});
      const onChange = (payload: { caseId: string; change: CaseChange }) => {
        if (payload.caseId !== caseId) return;
        revalidate.current();
        setAnnouncement(announcements[payload.change]);
      };
      const onPresence = (payload: { caseId: string; present: string[] }) => {
        if (payload.caseId === caseId) setPresent(payload.present);
      };
      const onReconnect = () => {
        join();
        revalidate.current();
      };
      socket.on("case:changed", onChange);
      socket.on("case:presence", onPresence);
      socket.io.on("reconnect", onReconnect);
      join();
      cleanup = () => {
        socket.off("case:changed", onChange);
        socket.off("case:presence", onPresence);
        socket.io.off("reconnect", onReconnect);
        socket.emit("room:leave", { room }, () => {});
      };
    });
    return () => {
      active = false;
      cleanup();
    };
  }, [caseId]);
  return { present, announcement };
}
