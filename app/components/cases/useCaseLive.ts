import { useState } from "react";
import { roomName, type CaseChange } from "../../realtime/events.ts";
import { useRoom } from "../../realtime/useRoom.ts";

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
  const [present, setPresent] = useState<string[]>([]);
  const [announcement, setAnnouncement] = useState("");
  useRoom(roomName.caseConsultation(caseId), (socket, revalidate) => {
    const onChange = (payload: { caseId: string; change: CaseChange }) => {
      if (payload.caseId !== caseId) return;
      revalidate();
      setAnnouncement(announcements[payload.change]);
    };
    const onPresence = (payload: { caseId: string; present: string[] }) => {
      if (payload.caseId === caseId) setPresent(payload.present);
    };
    socket.on("case:changed", onChange);
    socket.on("case:presence", onPresence);
    return () => {
      socket.off("case:changed", onChange);
      socket.off("case:presence", onPresence);
    };
  });
  return { present, announcement };
}
