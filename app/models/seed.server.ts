import path from "node:path";
import { env } from "../env.server.ts";
import { hashPassword } from "./accounts/password.server.ts";
import { renderMarkdown } from "./discussions/body.server.ts";

/** What db/seed needs from the app (db/ imports nothing outside db/). */
export function seedDeps() {
  return { hashPassword, renderMarkdown, uploadsDir: path.join(path.resolve(env().DATA_DIR), "uploads") };
}
