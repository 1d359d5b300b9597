/**
 * The anonymisation check before a case is submitted (pure; runs as you type in the browser and again on the
 * server). It warns, it does not decide: the case giver reviews each hint and confirms the checklist.
 */
export type FindingKind = "email" | "phone" | "birthDate" | "caseNumber" | "name";

export interface Finding {
  kind: FindingKind;
  /** The text that looks personal, as written. */
  match: string;
}

export const findingLabels: Record<FindingKind, string> = {
  email: "E-Mail-Adresse",
  phone: "Telefonnummer",
  birthDate: "Geburtsdatum",
  caseNumber: "Kunden- oder Fallnummer",
  name: "Vor- und Nachname",
};

// Every pattern here runs over whatever a member pastes, so each must take linear time (tests/unit/regex-linear.test.ts).
// The lookbehind lets an address start only where a run of address characters starts: without it, a long run with no
// "@" was scanned again from each of its characters (quadratic: 60,000 letters took 45 s).
const EMAIL = /(?<![\p{L}\d._%+-])[\p{L}\d._%+-]+@[\p{L}\d.-]+\.[\p{L}]{2,}/gu;
// +49 or a leading 0, then at least six more digits with the usual separators (0911 123456, 0171/1234567).
const PHONE = /(?:\+49|\b0)[\s/()-]*\d(?:[\s/()-]*\d){5,}/g;
const DATE = /\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2}|\d{4})\b/g;
const BIRTH_WORDS = /(geb\.|geboren|geburtsdatum|geburtstag|jahrgang)\s*(am\s*)?$/i;
// BA customer numbers look like 123A456789; BG numbers 12345BG1234567; long digit runs are ids of some kind.
const CUSTOMER_NUMBER = /\b\d{3}[A-Z]\d{6}\b|\b\d{5}BG\d{7}\b|\b\d{6,}\b/g;
// "\s*:?\s*" would split a run of spaces between its two halves in every way (quadratic); "\s*(?::\s*)?" cannot.
const NUMBER_WORDS =
  /\b(kunden-?\s?nr\.?|kundennummer|kd\.-?\s?nr\.?|fallnummer|fall-nr\.?|aktenzeichen|az\.|bg-nummer|bg-nr\.?|personalnummer|vorgangsnummer)\s*(?::\s*)?([A-Z0-9][A-Z0-9/-]{2,})/gi;
// Letters of any script (Yılmaz, Nowak, Çelik); \b does not know them, so word starts are found by lookbehind.
const TITLE_NAME = /(?<!\p{L})(Frau|Herr|Herrn)\s+(?:Dr\.\s+)?(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)/gu;
const WORD_PAIR = /(?<!\p{L})(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\s+(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)(?!\p{L})/gu;

/**
 * German nouns are capitalised, so two capitalised words in a row are usually not a name ("Die Lernende",
 * "Kollegiale Fallberatung"). A pair counts when its first word is a common first name in Germany.
 */
const FIRST_NAMES = new Set(
  (
    "Alexander Alexandra Ali Alina Andrea Andreas Angelika Anja Anke Anna Anne Annette Antje Bastian Benjamin Bernd Birgit Björn Brigitte " +
    "Carina Carsten Christian Christina Christine Claudia Cornelia Dana Daniel Daniela David Denise Dennis Dieter Dirk Doris Elena " +
    "Elif Elke Emine Emma Emre Erik Fabian Fatma Felix Florian Frank Franziska Gabriele Georg Gerhard Heike Helga Hans Harald Heinz Helmut " +
    "Ina Ines Ingrid Jan Jana Janina Jens Jessica Joachim Johanna Johannes Jonas Jörg Julia Julian Jürgen Kai Karin Karl Katharina " +
    "Kathrin Katrin Kerstin Kevin Klaus Kristina Lara Lars Laura Lea Lena Leon Lisa Lukas Manfred Manuela Marcel Marco Marcus Maria " +
    "Marie Marina Mario Markus Martin Martina Matthias Max Maximilian Mehmet Melanie Michael Michaela Mohammed Monika Moritz Mustafa Nadine " +
    "Natalia Nicole Niklas Nina Olaf Oliver Olga Patrick Paul Peter Petra Philipp Ralf Ramona Rainer Regina Renate Robert Sabine Sandra " +
    "Sarah Sascha Sebastian Selin Sergej Silke Simon Simone Sofia Sonja Stefan Stefanie Steffen Stephanie Susanne Sven Swen Tanja Thomas " +
    "Tim Tobias Torsten Ursula Uwe Vanessa Viktoria Werner Wolfgang Yasemin Yusuf Zeynep Ahmet Aylin Ayşe Hakan Murat Olena Oksana Piotr " +
    "Anastasia Dmitri Natascha Irina Tatjana Katarzyna Agnieszka Tomasz Jasmin Nils Tom Ben Finn Paula Mia Hannah Leonie Ole Malte Sevgi " +
    "Gül Hatice Ibrahim Omar Ahmad Fatima Layla Noah Elias Luca Jakob Theo Emil Ida Greta Frieda Marlene Charlotte Sophie Helene"
  ).split(" "),
);

/** More hints than anyone reads; past this the check stops collecting (a pasted phone book must not cost seconds). */
const MAX_FINDINGS = 50;

class Findings {
  readonly list: Finding[] = [];
  private readonly seen = new Set<string>();
  get full() {
    return this.list.length >= MAX_FINDINGS;
  }
  add(kind: FindingKind, match: string) {
    const trimmed = match.trim();
    const key = `${kind}\n${trimmed}`;
    if (this.full || this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ kind, match: trimmed });
  }
}

const NEXT_WORD = /\s+(\p{Lu}\p{Ll}+)/uy;

function plausibleBirthYear(year: string): boolean {
  const y = year.length === 2 ? Number(year) + (Number(year) > 30 ? 1900 : 2000) : Number(year);
  return y >= 1930 && y <= 2012;
}

export function checkAnonymity(text: string): Finding[] {
  const findings = new Findings();
  for (const m of text.matchAll(EMAIL)) findings.add("email", m[0]);
  const withoutMails = text.replace(EMAIL, " ");
  for (const m of withoutMails.matchAll(DATE)) {
    const [, day, month, year] = m;
    if (Number(day) < 1 || Number(day) > 31 || Number(month) < 1 || Number(month) > 12) continue;
    const before = withoutMails.slice(Math.max(0, (m.index ?? 0) - 20), m.index);
    // A date with a year a learner could be born in, or one that the text calls a birthday.
    if (plausibleBirthYear(year) || BIRTH_WORDS.test(before)) findings.add("birthDate", m[0]);
  }
  const withoutDates = withoutMails.replace(DATE, " ");
  const numberWords: string[] = [];
  for (const m of withoutDates.matchAll(NUMBER_WORDS)) {
    if (findings.full) break;
    numberWords.push(m[0]);
    findings.add("caseNumber", m[0]);
  }
  for (const m of withoutDates.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, "");
    if (digits.length >= 7 && digits.length <= 15) findings.add("phone", m[0]);
  }
  const withoutPhones = withoutDates.replace(PHONE, " ");
  for (const m of withoutPhones.matchAll(CUSTOMER_NUMBER)) {
    if (findings.full) break;
    if (!numberWords.some((words) => words.includes(m[0]))) findings.add("caseNumber", m[0]);
  }
  for (const m of text.matchAll(TITLE_NAME)) {
    if (findings.full) break;
    findings.add("name", m[0]);
  }
  for (const m of text.matchAll(WORD_PAIR)) {
    if (findings.full) break;
    // "Anna Schmidt", but also the second half of "Frau Anna Schmidt" (the pair after a title).
    if (FIRST_NAMES.has(m[1].split("-")[0])) findings.add("name", m[0]);
    else if (FIRST_NAMES.has(m[2].split("-")[0])) {
      NEXT_WORD.lastIndex = (m.index ?? 0) + m[0].length;
      const rest = NEXT_WORD.exec(text);
      if (rest) findings.add("name", `${m[2]} ${rest[1]}`);
    }
  }
  return findings.list;
}
