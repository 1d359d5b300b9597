// The same lists as db/schema/library.ts (browser code may not import db/); a unit test keeps them equal.
export const materialTypes = [
  "one_pager",
  "short_video",
  "podcast",
  "background",
  "guide",
  "checklist",
  "method_card",
  "fact_sheet",
  "template",
  "practice_example",
  "round_outcome",
] as const;
export type MaterialType = (typeof materialTypes)[number];

export const materialTypeLabels: Record<MaterialType, string> = {
  one_pager: "OnePager",
  short_video: "Kurzvideo",
  podcast: "Podcast",
  background: "Hintergrund",
  guide: "Leitfaden",
  checklist: "Checkliste",
  method_card: "Methodenkarte",
  fact_sheet: "Steckbrief",
  template: "Vorlage",
  practice_example: "Praxisbeispiel",
  round_outcome: "Ergebnis einer Dialogrunde",
};

export const materialStatuses = ["draft", "review", "published", "archived"] as const;
export type MaterialStatus = (typeof materialStatuses)[number];

export const materialStatusLabels: Record<MaterialStatus, string> = {
  draft: "Entwurf",
  review: "In Prüfung",
  published: "Veröffentlicht",
  archived: "Archiviert",
};

/** Video and podcast need captions or a transcript before they can be published (BITV 2.0 / WCAG 2.1 AA). */
export function needsTextAlternative(type: MaterialType): boolean {
  return type === "short_video" || type === "podcast";
}

export const librarySorts = { neu: "Neueste", titel: "Titel A–Z" } as const;
export type LibrarySort = keyof typeof librarySorts;
export const LIBRARY_PAGE_SIZE = 24;
export const SUMMARY_MAX = 600;
export const TRANSCRIPT_MAX = 100_000;
