/**
 * Notification groups: what a member chooses a delivery for. Stored notification types map onto the first five;
 * the last two exist only in digests (nothing is stored per member for a new material or an upcoming round).
 * Pure and browser-safe: the settings page renders from this table.
 */
export const deliveryOptions = ["off", "in_app", "immediate", "daily", "weekly"] as const;
export type DeliveryOption = (typeof deliveryOptions)[number];

export const notificationGroups = [
  "replies",
  "mentions",
  "answers",
  "rounds",
  "cases",
  "bookmarks",
  "materials",
  "upcoming_rounds",
] as const;
export type NotificationGroup = (typeof notificationGroups)[number];

export interface GroupInfo {
  label: string;
  hint: string;
  /** What the member may choose; digest-only sources have nothing to show in the app or to mail at once. */
  options: readonly DeliveryOption[];
  default: DeliveryOption;
}

const all = deliveryOptions;
const digestOnly = ["daily", "weekly", "off"] as const;

export const groupInfo: Record<NotificationGroup, GroupInfo> = {
  replies: {
    label: "Antworten in beobachteten Diskussionen und Themenräumen",
    hint: "Neue Antworten in Diskussionen und Themenräumen, die du beobachtest, und Antworten auf deine Beiträge.",
    options: all,
    default: "daily",
  },
  mentions: {
    label: "Erwähnungen",
    hint: "Jemand erwähnt dich mit @ in einem Beitrag.",
    options: all,
    default: "immediate",
  },
  answers: {
    label: "Antworten auf deine Fragen und als Lösung markiert",
    hint: "Deine Frage hat eine Antwort bekommen, oder deine Antwort wurde als Lösung markiert.",
    options: all,
    default: "immediate",
  },
  rounds: {
    label: "Dialogrunden",
    hint: "Erinnerungen an Runden, für die du angemeldet bist, Nachrücken von der Warteliste und veröffentlichte Ergebnisse.",
    options: all,
    default: "immediate",
  },
  cases: {
    label: "Kollegiale Fallberatung",
    hint: "Einladungen, neue Phasen und Fristen. Die Nachrichten nennen nie Inhalte des Falls.",
    options: all,
    default: "immediate",
  },
  bookmarks: {
    label: "Erinnerungen aus deiner Merkliste",
    hint: "Erinnerungen, die du dir selbst an Einträge deiner Merkliste gesetzt hast.",
    options: all,
    default: "immediate",
  },
  materials: {
    label: "Neue Materialien",
    hint: "Neu veröffentlichte Materialien aus der Bibliothek – nur als Zusammenfassung.",
    options: digestOnly,
    default: "weekly",
  },
  upcoming_rounds: {
    label: "Bevorstehende Dialogrunden",
    hint: "Dialogrunden der nächsten Tage, zu denen du dich noch anmelden kannst – nur als Zusammenfassung.",
    options: digestOnly,
    default: "weekly",
  },
};

export const deliveryLabels: Record<DeliveryOption, string> = {
  off: "Aus",
  in_app: "Nur im Netzwerk",
  immediate: "Sofort per E-Mail",
  daily: "Tägliche Zusammenfassung",
  weekly: "Wöchentliche Zusammenfassung",
};

/** The group a stored notification type belongs to. */
export function groupOfType(type: string): NotificationGroup {
  if (type === "mention") return "mentions";
  if (type === "answer" || type === "accepted") return "answers";
  if (type.startsWith("round_")) return "rounds";
  if (type.startsWith("case_")) return "cases";
  if (type === "bookmark_reminder") return "bookmarks";
  return "replies";
}

export function isNotificationGroup(value: string): value is NotificationGroup {
  return (notificationGroups as readonly string[]).includes(value);
}

/** The member's effective choice per group: stored rows over defaults (a stored value no longer offered counts as unset). */
export function effectiveSettings(
  stored: { group: string; delivery: string }[],
): Record<NotificationGroup, DeliveryOption> {
  const result = Object.fromEntries(notificationGroups.map((g) => [g, groupInfo[g].default])) as Record<
    NotificationGroup,
    DeliveryOption
  >;
  for (const row of stored) {
    if (isNotificationGroup(row.group) && (groupInfo[row.group].options as readonly string[]).includes(row.delivery)) {
      result[row.group] = row.delivery as DeliveryOption;
    }
  }
  return result;
}
