import { can, type Actor } from "../../auth/permissions.ts";
import { database } from "../db.server.ts";
import { ForbiddenError } from "../errors.server.ts";
import type { SQL } from "drizzle-orm";

/** Insights are for the moderators' desk. */
export function requireModerator(actor: Actor): void {
  if (!can(actor, "moderate")) throw new ForbiddenError();
}

/** Rows of one raw query; int8 and numeric come back as strings on postgres.js, so callers convert with Number(). */
export function rows<T>(query: SQL): Promise<T[]> {
  return database().rows<T>(query);
}

/** The window most insights look at. */
export const WINDOW_DAYS = 30;
