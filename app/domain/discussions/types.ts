export { threadTypeLabels, threadTypes, type ThreadType } from "./threadTypes.ts";

export const sortOrders = {
  aktiv: "Letzte Aktivität",
  neu: "Neueste",
  offen: "Offene Fragen",
} as const;
export type SortOrder = keyof typeof sortOrders;

export const PAGE_SIZE = 25;
export const TITLE_MAX = 160;
export const TAGS_MAX = 8;
/** Replies deeper than this are shown at this depth and name whom they answer. */
export const MAX_VISIBLE_DEPTH = 6;
