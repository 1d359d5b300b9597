/**
 * The six phases of a Kollegiale Fallberatung, the roles and the method library (pure, shared with the browser).
 * The lists repeat db/schema/cases.ts on purpose (browser code never imports db/); a unit test keeps them equal.
 */
export const casePhases = [
  "casting",
  "spontanbericht",
  "schluesselfrage",
  "methodenwahl",
  "beratung",
  "abschluss",
] as const;
export type CasePhase = (typeof casePhases)[number];

export const caseModes = ["live", "async"] as const;
export type CaseMode = (typeof caseModes)[number];

export const caseRoles = ["case_giver", "moderation", "consultant", "notes", "timekeeper"] as const;
export type CaseRole = (typeof caseRoles)[number];

export const caseMethods = ["hypothesen", "loesungsideen", "reflecting_team", "kopfstand", "gute_ratschlaege"] as const;
export type CaseMethod = (typeof caseMethods)[number];

export const GROUP_MIN = 4;
export const GROUP_MAX = 6;
/** The fewest people who can consult: case giver, moderation and at least one consultant. */
export const START_MIN = 3;
export const ASYNC_DAYS_MIN = 2;
export const ASYNC_DAYS_MAX = 14;
export const RETENTION_DAYS_DEFAULT = 30;

export const phaseLabels: Record<CasePhase, string> = {
  casting: "Casting",
  spontanbericht: "Spontanbericht",
  schluesselfrage: "Schlüsselfrage",
  methodenwahl: "Methodenwahl",
  beratung: "Beratung",
  abschluss: "Abschluss",
};

export const phaseInstructions: Record<CasePhase, string> = {
  casting:
    "Die Gruppe findet sich: Die Fallgeberin oder der Fallgeber lädt ein, die Rollen werden verteilt. Alle bestätigen die Vertraulichkeit.",
  spontanbericht:
    "Die Fallgeberin oder der Fallgeber schildert die Situation. Alle anderen hören zu und schreiben nichts.",
  schluesselfrage:
    "Die Fallgeberin oder der Fallgeber formuliert die Schlüsselfrage. Die Beratenden dürfen Verständnisfragen stellen – noch keine Ratschläge.",
  methodenwahl: "Die Moderation wählt mit der Gruppe eine Methode, die zur Schlüsselfrage passt.",
  beratung:
    "Die Beratenden tragen nach der gewählten Methode bei. Die Fallgeberin oder der Fallgeber hört zu und antwortet nicht.",
  abschluss:
    "Die Fallgeberin oder der Fallgeber sagt, was sie oder er mitnimmt. Auf Wunsch entsteht eine verallgemeinerte Erkenntnis für das Netzwerk.",
};

export const roleLabels: Record<CaseRole, string> = {
  case_giver: "Fallgebende Person",
  moderation: "Moderation",
  consultant: "Beratende Person",
  notes: "Protokoll",
  timekeeper: "Zeitwache",
};

export const modeLabels: Record<CaseMode, string> = { live: "Live", async: "Asynchron über mehrere Tage" };

export interface MethodInfo {
  label: string;
  instructions: string;
  /** The prompts a contribution in Beratung answers; the first is the default. */
  prompts: string[];
}

export const methodLibrary: Record<CaseMethod, MethodInfo> = {
  hypothesen: {
    label: "Hypothesen",
    instructions:
      "Jede und jeder Beratende bietet Vermutungen an, was hinter der Situation stecken könnte („Ich vermute, dass …“). Keine Wahrheiten, sondern Angebote.",
    prompts: ["Hypothese"],
  },
  loesungsideen: {
    label: "Lösungsideen",
    instructions:
      "Die Beratenden sammeln konkrete Ideen, was die Fallgeberin oder der Fallgeber als Nächstes tun könnte. Menge vor Bewertung.",
    prompts: ["Lösungsidee"],
  },
  reflecting_team: {
    label: "Reflecting Team",
    instructions:
      "Die Beratenden sprechen untereinander über den Fall, als wäre die Fallgeberin oder der Fallgeber nicht da: Was fällt auf, was berührt, was wäre möglich?",
    prompts: ["Beobachtung", "Gefühl", "Möglichkeit"],
  },
  kopfstand: {
    label: "Kopfstand",
    instructions:
      "Zuerst: Was müsste man tun, damit es garantiert schiefgeht? Danach wird jede Verschlimmerung ins Gegenteil gedreht.",
    prompts: ["Verschlimmerung", "Umkehrung"],
  },
  gute_ratschlaege: {
    label: "Gute Ratschläge",
    instructions:
      "Jede und jeder Beratende gibt einen Rat aus eigener Erfahrung („Wenn ich du wäre, würde ich …“). Die Fallgeberin oder der Fallgeber entscheidet später, was passt.",
    prompts: ["Ratschlag"],
  },
};

export function nextPhase(phase: CasePhase): CasePhase | null {
  const i = casePhases.indexOf(phase);
  return i >= 0 && i < casePhases.length - 1 ? casePhases[i + 1] : null;
}

export function phaseNumber(phase: CasePhase): number {
  return casePhases.indexOf(phase) + 1;
}

/** Minutes per phase when the group meets live (together about 45 minutes, as the method suggests). */
export const liveMinutes: Record<CasePhase, number> = {
  casting: 5,
  spontanbericht: 7,
  schluesselfrage: 8,
  methodenwahl: 3,
  beratung: 15,
  abschluss: 7,
};

/** Asynchronously the phases after casting share the chosen number of days by these weights. */
const asyncWeights: Record<Exclude<CasePhase, "casting">, number> = {
  spontanbericht: 1,
  schluesselfrage: 2,
  methodenwahl: 1,
  beratung: 3,
  abschluss: 1,
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long a phase lasts. Casting has no clock: it ends when the moderation starts the consultation. */
export function phaseDurationMs(mode: CaseMode, phase: CasePhase, asyncDays: number | null): number | null {
  if (phase === "casting") return null;
  if (mode === "live") return liveMinutes[phase] * MINUTE;
  const days = Math.min(ASYNC_DAYS_MAX, Math.max(ASYNC_DAYS_MIN, asyncDays ?? ASYNC_DAYS_MIN));
  const total = Object.values(asyncWeights).reduce((a, b) => a + b, 0);
  // Whole hours, so deadlines read well ("endet Mittwoch, 14:00").
  return Math.round((days * DAY * asyncWeights[phase]) / total / HOUR) * HOUR;
}

/** When a phase that starts now ends (null: no clock). */
export function phaseDeadline(
  mode: CaseMode,
  phase: CasePhase,
  asyncDays: number | null,
  startedAt: Date,
): Date | null {
  const duration = phaseDurationMs(mode, phase, asyncDays);
  return duration === null ? null : new Date(startedAt.getTime() + duration);
}

/**
 * When the reminder before an asynchronous phase closes is due: a quarter of the phase before its end, but at
 * most 12 hours before.
 */
export function reminderDueAt(startedAt: Date, endsAt: Date): Date {
  const length = endsAt.getTime() - startedAt.getTime();
  return new Date(endsAt.getTime() - Math.min(12 * HOUR, Math.floor(length / 4)));
}

/**
 * Time left on the server's clock, as a browser sees it: the page brought the server's time (`serverNow`) and the
 * browser noted its own time on arrival (`clientAtLoad`), so a wrong client clock does not change the countdown
 * and a reload shows the same value as every other client.
 */
export function remainingMs(
  endsAt: Date | string | null,
  serverNow: Date | string,
  clientAtLoad: number,
  clientNow: number,
): number | null {
  if (endsAt === null) return null;
  const serverTime = new Date(serverNow).getTime() + (clientNow - clientAtLoad);
  return Math.max(0, new Date(endsAt).getTime() - serverTime);
}

/** "12:05" below an hour, "3 Std. 20 Min." below a day, "2 Tage 4 Std." beyond. */
export function formatRemaining(ms: number): string {
  const totalSeconds = Math.ceil(ms / 1000);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    const s = totalSeconds % 60;
    return `${m}:${String(s).padStart(2, "0")}`;
  }
  const hours = Math.floor(totalSeconds / 3600);
  if (hours < 24) return `${hours} Std. ${Math.floor((totalSeconds % 3600) / 60)} Min.`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? "Tag" : "Tage"} ${hours % 24} Std.`;
}

/** When the content of a closed consultation is deleted. */
export function purgeDueAt(closedAt: Date, retentionDays: number): Date {
  return new Date(closedAt.getTime() + retentionDays * DAY);
}
