import { z } from "./zod.ts";

/** "Konto löschen": the password once more, and what becomes of the member's posts. */
export const accountDeletionSchema = z.object({
  password: z
    .string({ error: "Bitte gib dein Passwort ein." })
    .min(1, "Bitte gib dein Passwort ein.")
    .max(200, "Das Passwort stimmt nicht."),
  posts: z.enum(["keep", "delete"], { error: "Bitte wähle, was mit deinen Beiträgen geschehen soll." }),
});
