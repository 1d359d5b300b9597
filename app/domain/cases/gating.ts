/**
 * Who may say what in which phase (pure). The server decides every write with these rules; the page uses the
 * same rules only to show the right form.
 */
import { methodLibrary, START_MIN, type CaseMethod, type CasePhase, type CaseRole } from "./phases.ts";

export const contributionKinds = [
  "report",
  "key_question",
  "question",
  "answer",
  "contribution",
  "notes",
  "closing",
] as const;
export type ContributionKind = (typeof contributionKinds)[number];

export const kindLabels: Record<ContributionKind, string> = {
  report: "Spontanbericht",
  key_question: "Schlüsselfrage",
  question: "Verständnisfrage",
  answer: "Antwort",
  contribution: "Beitrag",
  notes: "Protokoll",
  closing: "Abschluss",
};

export interface GatingState {
  phase: CasePhase;
  closed: boolean;
  method: CaseMethod | null;
}

/** The kinds of contribution a role may write now. Empty: this participant listens. */
export function allowedKinds(role: CaseRole, state: GatingState): ContributionKind[] {
  if (state.closed) return [];
  const giver = role === "case_giver";
  // The Protokoll keeps notes in every phase after casting, besides their part as a consultant.
  const notes: ContributionKind[] = role === "notes" && state.phase !== "casting" ? ["notes"] : [];
  switch (state.phase) {
    case "casting":
    case "methodenwahl":
      return notes;
    case "spontanbericht":
      return giver ? ["report"] : notes;
    case "schluesselfrage":
      return giver ? ["key_question", "answer"] : ["question", ...notes];
    case "beratung":
      // The case giver listens; consultants contribute only once a method structures their contributions.
      return giver || !state.method ? notes : ["contribution", ...notes];
    case "abschluss":
      return giver ? ["closing"] : notes;
  }
}

export type GateResult = { ok: true; prompt: string | null } | { ok: false; message: string };

/** Checks one contribution against the phase, the role and the chosen method. */
export function checkContribution(
  role: CaseRole,
  state: GatingState,
  kind: ContributionKind,
  prompt?: string | null,
): GateResult {
  if (state.closed) return { ok: false, message: "Die Fallberatung ist abgeschlossen." };
  if (!allowedKinds(role, state).includes(kind)) {
    if (state.phase === "beratung" && role === "case_giver") {
      return { ok: false, message: "In der Beratung hörst du als fallgebende Person zu und schreibst nicht." };
    }
    if (state.phase === "beratung" && !state.method)
      return { ok: false, message: "Zuerst wählt die Moderation eine Methode." };
    if (kind === "question") {
      return state.phase === "schluesselfrage"
        ? { ok: false, message: "Verständnisfragen stellen die Beratenden; du beantwortest sie." }
        : { ok: false, message: "Verständnisfragen sind nur in der Phase Schlüsselfrage möglich." };
    }
    return { ok: false, message: "In dieser Phase kannst du so nichts beitragen." };
  }
  if (kind !== "contribution") return { ok: true, prompt: null };
  const prompts = methodLibrary[state.method as CaseMethod].prompts;
  const chosen = prompt && prompts.includes(prompt) ? prompt : prompt ? null : prompts[0];
  if (!chosen) return { ok: false, message: "Bitte wähle einen Schritt der Methode aus der Liste." };
  return { ok: true, prompt: chosen };
}

/**
 * The moderation moves the group on (and closes after Abschluss). The group's start (leaving Casting) may also come
 * from the case giver, who cast the roles: otherwise a request whose moderation is not on the page would stall.
 */
export function canAdvance(role: CaseRole, state: GatingState): boolean {
  if (state.closed) return false;
  return role === "moderation" || (role === "case_giver" && state.phase === "casting");
}

/** Live, the timekeeper (or the moderation) may give the current phase five more minutes. */
export const EXTEND_MINUTES = 5;

export function canExtend(role: CaseRole, state: GatingState, mode: "live" | "async"): boolean {
  return (
    (role === "timekeeper" || role === "moderation") && mode === "live" && !state.closed && state.phase !== "casting"
  );
}

export function canChooseMethod(role: CaseRole, state: GatingState): boolean {
  return role === "moderation" && !state.closed && state.phase === "methodenwahl";
}

/** Why the group cannot move on yet, or null. */
export function advanceBlocker(state: GatingState, group: { agreed: number; hasModeration: boolean }): string | null {
  if (state.phase === "casting") {
    if (!group.hasModeration) return "Es braucht eine Moderation, die der Vertraulichkeit zugestimmt hat.";
    if (group.agreed < START_MIN)
      return "Es braucht mindestens drei Teilnehmende, die der Vertraulichkeit zugestimmt haben.";
  }
  if (state.phase === "methodenwahl" && !state.method) return "Bitte wähle zuerst eine Methode.";
  return null;
}

export interface CastingMember {
  userId: string;
  name: string;
  role: CaseRole;
  agreed: boolean;
}

/**
 * What the forming group still needs before it can start, each with who can do it, worded for the person reading
 * (`viewerId`; pending invitees never read it, they see only the agreement). Empty when the group can start.
 */
export function castingNeeds(group: CastingMember[], viewerId: string, groupSize: number): string[] {
  const giver = group.find((m) => m.role === "case_giver");
  const giverIsYou = giver?.userId === viewerId;
  const giverName = giver?.name ?? "Die Fallgeberin oder der Fallgeber";
  const needs: string[] = [];
  const moderation = group.find((m) => m.role === "moderation");
  if (!moderation) {
    needs.push(
      `Es braucht eine Moderation. ${giverIsYou ? "Du vergibst" : `${giverName} vergibt`} die Rolle unten in der Gruppe.`,
    );
  } else if (!moderation.agreed) {
    needs.push(
      `Die Moderation (${moderation.name}) hat der Vertraulichkeit noch nicht zugestimmt. Das geschieht in der Einladung; ` +
        `sonst ${giverIsYou ? "vergibst du" : `vergibt ${giverName}`} die Rolle an jemand anderen.`,
    );
  }
  const agreed = group.filter((m) => m.agreed).length;
  if (agreed < START_MIN) {
    const pending = group.filter((m) => !m.agreed).map((m) => m.name);
    const free = groupSize - group.length;
    let need = `Es braucht mindestens ${START_MIN} Teilnehmende, die der Vertraulichkeit zugestimmt haben; bisher ${agreed}.`;
    if (pending.length > 0) need += ` Noch nicht zugestimmt: ${pending.join(", ")}.`;
    if (free > 0)
      need += ` ${giverIsYou ? "Du kannst" : `${giverName} kann`} weitere Mitglieder einladen oder freie Plätze anbieten.`;
    needs.push(need);
  }
  return needs;
}

/** Who may start a ready group, worded for the reader: the case giver and the moderation. */
export function castingStarters(group: CastingMember[], viewerId: string): string {
  const starters = group.filter((m) => m.role === "case_giver" || m.role === "moderation");
  if (starters.some((m) => m.userId === viewerId)) return "Du kannst die Beratung jetzt beginnen.";
  return `${starters.map((m) => m.name).join(" oder ")} ${starters.length > 1 ? "können" : "kann"} die Beratung jetzt beginnen.`;
}
