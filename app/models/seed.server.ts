import path from "node:path";
import { env } from "../env.server.ts";
import { hashPassword } from "./accounts/password.server.ts";
import { renderMarkdown } from "./discussions/body.server.ts";
import { pdfText } from "./library/pdfText.server.ts";

/** What db/seed needs from the app (db/ imports nothing outside db/). */
export function seedDeps() {
  return { hashPassword, renderMarkdown, pdfText, uploadsDir: path.join(path.resolve(env().DATA_DIR), "uploads") };
}
