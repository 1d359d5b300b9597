/** The network's tagging model (DOMAIN.md). Keys are stored; labels are shown. */
export const ilbSteps = {
  lernbedarf: "Lernbedarf klären",
  lernweg: "Lernweg finden",
  lernarrangement: "Lernarrangement gestalten",
  selbstvereinbarung: "Selbstvereinbarung",
  lernen_in_der_arbeit: "Lernen in der Arbeit",
  auswertung: "Auswertung und Transfer",
} as const;

export const competenceAreas = {
  lerngespraeche: "Lerngespräche führen",
  etablieren: "iLB etablieren und weiterentwickeln",
} as const;

export const audiences = {
  neue: "neue Lernbegleiterinnen und Lernbegleiter",
  erfahrene: "erfahrene Lernbegleiterinnen und Lernbegleiter",
  // A soft hyphen: at 360 px the word is wider than a chip, and browsers without German hyphenation dictionaries
  // (Chromium on Linux) would otherwise break it anywhere, without a hyphen.
  qv: "Qualifizierungs\u00ADverantwortliche",
  fk: "Führungskräfte",
  trainer: "Trainerinnen und Trainer",
} as const;

export const legalDomainTags = {
  sgb2: "SGB II",
  sgb3: "SGB III",
  cross: "rechtskreis\u00ADübergreifend",
} as const;

export type IlbStep = keyof typeof ilbSteps;
export type CompetenceArea = keyof typeof competenceAreas;
export type Audience = keyof typeof audiences;

export function options(map: Record<string, string>, empty = "Keine Angabe") {
  return [{ value: "", label: empty }, ...Object.entries(map).map(([value, label]) => ({ value, label }))];
}
