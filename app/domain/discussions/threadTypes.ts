// The same list as db/schema/discussions.ts (browser code may not import db/); a unit test keeps them equal.
export const threadTypes = ["question", "best_practice", "success_story", "impulse", "announcement"] as const;
export type ThreadType = (typeof threadTypes)[number];

export const threadTypeLabels: Record<ThreadType, string> = {
  question: "Frage",
  best_practice: "Best Practice",
  success_story: "Erfolgsgeschichte",
  impulse: "Impuls",
  announcement: "Ankündigung",
};
