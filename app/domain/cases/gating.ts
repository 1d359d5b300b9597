/**
 * Who may say what in which phase (pure). The server decides every write with these rules; the page uses the
 * same rules only to show the right form.
 */
import { methodLibrary, START_MIN, type CaseMethod, type CasePhase, type CaseRole } from "./phases.ts";

export const contributionKinds = ["report", "key_question", "question", "answer", "contribution", "notes", "closing"] as const;
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
export function checkContribution(role: CaseRole, state: GatingState, kind: ContributionKind, prompt?: string | null): GateResult {
  if (state.closed) return { ok: false, message: "Die Fallberatung ist abgeschlossen." };
  if (!allowedKinds(role, state).includes(kind)) {
    if (state.phase === "beratung" && role === "case_giver") {
      return { ok: false, message: "In der Beratung hörst du als fallgebende Person zu und schreibst nicht." };
    }
    if (state.phase === "beratung" && !state.method) return { ok: false, message: "Zuerst wählt die Moderation eine Methode." };
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

/** Only the moderation moves the group on (and closes after Abschluss). */
export function canAdvance(role: CaseRole, state: GatingState): boolean {
  return role === "moderation" && !state.closed;
}

/** Live, the timekeeper (or the moderation) may give the current phase five more minutes. */
export const EXTEND_MINUTES = 5;

export function canExtend(role: CaseRole, state: GatingState, mode: "live" | "async"): boolean {
  return (role === "timekeeper" || role === "moderation") && mode === "live" && !state.closed && state.phase !== "casting";
}

export function canChooseMethod(role: CaseRole, state: GatingState): boolean {
  return role === "moderation" && !state.closed && state.phase === "methodenwahl";
}

/** Why the moderation cannot move on yet, or null. */
export function advanceBlocker(state: GatingState, group: { agreed: number; hasModeration: boolean }): string | null {
  if (state.phase === "casting") {
    if (!group.hasModeration) return "Es braucht eine Moderation.";
    if (group.agreed < START_MIN) return "Es braucht mindestens drei Teilnehmende, die der Vertraulichkeit zugestimmt haben.";
  }
  if (state.phase === "methodenwahl" && !state.method) return "Bitte wähle zuerst eine Methode.";
  return null;
}
