/**
 * The poll fields of the "new discussion" form (and of the moderators' "add a poll" form on a thread page), and the
 * vote form. Closing times are Berlin wall-clock times from a datetime-local field, read by the one time module.
 */
import { z } from "./zod.ts";
import { parseBerlinLocal } from "../domain/time.ts";
import {
  optionLines,
  POLL_OPTION_MAX,
  POLL_OPTIONS_MAX,
  POLL_OPTIONS_MIN,
  POLL_QUESTION_MAX,
} from "../domain/discussions/polls.ts";
import { isUuid } from "./values.ts";

export interface NewPoll {
  question: string;
  options: string[];
  multiple: boolean;
  closesAt: Date | null;
}

/** One text field, sent once (a field sent twice is refused rather than guessed at). */
const single = (message: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .refine((v) => typeof v === "string", "Dieses Feld wurde mehrfach gesendet.")
    .transform((v) => v as string);

const pollFieldsSchema = z.object({
  pollQuestion: single("Bitte gib eine Frage ein.")
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v.length <= POLL_QUESTION_MAX, `Die Frage darf höchstens ${POLL_QUESTION_MAX} Zeichen lang sein.`),
  pollOptions: single("Bitte gib die Antwortmöglichkeiten an.")
    .optional()
    .transform((v) => optionLines(v ?? "")),
  pollMultiple: single("Bitte wähle, ob mehrere Antworten möglich sind.")
    .optional()
    .transform((v) => v === "on"),
  pollClosesAt: single("Bitte gib Datum und Uhrzeit an.")
    .optional()
    .transform((v) => (v ?? "").trim()),
});

/**
 * The poll of a form, or null when its fields are empty (a poll is optional in a new discussion). `now` decides
 * whether a closing time lies in the past. Errors come per field, in German.
 */
export function parsePollFields(
  raw: Record<string, unknown>,
  now: Date,
  required = false,
): { ok: true; poll: NewPoll | null } | { ok: false; errors: Record<string, string> } {
  const parsed = pollFieldsSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "pollQuestion")] ??= issue.message;
    return { ok: false, errors };
  }
  const { pollQuestion: question, pollOptions: options, pollMultiple: multiple, pollClosesAt } = parsed.data;
  if (!required && question === "" && options.length === 0 && pollClosesAt === "") return { ok: true, poll: null };
  const errors: Record<string, string> = {};
  if (question.length < 3) errors.pollQuestion = "Bitte gib eine Frage mit mindestens 3 Zeichen ein.";
  if (options.length < POLL_OPTIONS_MIN)
    errors.pollOptions = `Bitte gib mindestens ${POLL_OPTIONS_MIN} Antwortmöglichkeiten an, eine pro Zeile.`;
  else if (options.length > POLL_OPTIONS_MAX)
    errors.pollOptions = `Höchstens ${POLL_OPTIONS_MAX} Antwortmöglichkeiten, bitte.`;
  else if (options.some((o) => o.length > POLL_OPTION_MAX))
    errors.pollOptions = `Eine Antwortmöglichkeit darf höchstens ${POLL_OPTION_MAX} Zeichen lang sein.`;
  else if (new Set(options.map((o) => o.toLocaleLowerCase("de-DE"))).size !== options.length)
    errors.pollOptions = "Jede Antwortmöglichkeit bitte nur einmal.";
  let closesAt: Date | null = null;
  if (pollClosesAt !== "") {
    const read = parseBerlinLocal(pollClosesAt);
    if (read.ok) closesAt = read.at;
    if (!read.ok)
      errors.pollClosesAt = read.skipped
        ? read.message
        : "Dieses Datum gibt es nicht. Bitte gib Datum und Uhrzeit an (TT.MM.JJJJ, hh:mm).";
    else if (read.at.getTime() <= now.getTime())
      errors.pollClosesAt = "Das Ende der Umfrage muss in der Zukunft liegen.";
    else if (read.at.getTime() - now.getTime() > 366 * 24 * 3600_000)
      errors.pollClosesAt = "Eine Umfrage läuft höchstens ein Jahr.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, poll: { question, options, multiple, closesAt } };
}

/** The fields of a form as strings, or arrays where a name was sent more than once. */
export function rawFields(formData: FormData): Record<string, string | string[]> {
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    raw[key] = all.length > 1 ? all : (all[0] ?? "");
  }
  return raw;
}

/** A vote as the poll's form sends it: the poll once, one or more options (ids), each at most once. */
export function parseVoteFields(
  formData: FormData,
): { ok: true; pollId: string; optionIds: string[] } | { ok: false; message: string } {
  const pollIds = formData.getAll("pollId");
  if (pollIds.length !== 1 || !isUuid(pollIds[0])) return { ok: false, message: "Diese Umfrage gibt es nicht." };
  const optionIds = formData.getAll("option");
  if (optionIds.length === 0) return { ok: false, message: "Bitte wähle eine Antwort aus." };
  if (optionIds.length > POLL_OPTIONS_MAX || !optionIds.every(isUuid))
    return { ok: false, message: "Diese Antwort gibt es in der Umfrage nicht." };
  if (new Set(optionIds).size !== optionIds.length)
    return { ok: false, message: "Jede Antwort kann nur einmal gewählt werden." };
  return { ok: true, pollId: pollIds[0] as string, optionIds: optionIds as string[] };
}
