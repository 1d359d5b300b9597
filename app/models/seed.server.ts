import { hashPassword } from "./accounts/password.server.ts";
import { renderMarkdown } from "./discussions/body.server.ts";

/** What db/seed needs from the app (db/ imports nothing outside db/). */
export const seedDeps = { hashPassword, renderMarkdown };
