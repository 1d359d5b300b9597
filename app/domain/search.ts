/** Search vocabulary shared by the page, the header combobox and the API (browser-safe). */
export const searchKinds = ["thread", "reply", "material", "round", "member"] as const;
export type SearchKind = (typeof searchKinds)[number];

export const searchKindLabels: Record<SearchKind, string> = {
  thread: "Diskussionen",
  reply: "Antworten",
  material: "Materialien",
  round: "Ergebnisse aus Dialogrunden",
  member: "Mitglieder",
};

/** One item of a kind, for a hit's badge. */
export const searchKindSingular: Record<SearchKind, string> = {
  thread: "Diskussion",
  reply: "Antwort",
  material: "Material",
  round: "Dialogrunden-Ergebnis",
  member: "Mitglied",
};

export const timeRanges = ["7t", "30t", "12m"] as const;
export type TimeRange = (typeof timeRanges)[number];
export const timeRangeLabels: Record<TimeRange, string> = {
  "7t": "Letzte 7 Tage",
  "30t": "Letzte 30 Tage",
  "12m": "Letzte 12 Monate",
};

export const searchSorts = { relevanz: "Relevanz", datum: "Neueste zuerst" } as const;
export type SearchSort = keyof typeof searchSorts;

export const SEARCH_PAGE_SIZE = 20;
/** Pages beyond this are not offered: refining the query helps more than page 51. */
export const SEARCH_MAX_PAGE = 50;
