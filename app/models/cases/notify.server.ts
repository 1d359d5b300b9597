import { roomName, type CaseChange } from "../../realtime/events.ts";
import { publish } from "../../realtime/hub.server.ts";
import { notify, type CaseNotificationType } from "../discussions/notifications.server.ts";

/** In-app notifications about a consultation. They carry its id and a type, never a word of the case. */
export async function notifyCase(
  userIds: string[],
  type: CaseNotificationType,
  caseId: string,
  actorId: string | null = null,
): Promise<void> {
  await notify(
    [...new Set(userIds)].map((userId) => ({ userId, type, caseId, threadId: null, postId: null, actorId })),
  );
}

/** Tells the open pages of the group to reload; the payload names what changed, not what was said. */
export function broadcastCase(caseId: string, change: CaseChange): void {
  publish(roomName.caseConsultation(caseId), "case:changed", { caseId, change });
}
