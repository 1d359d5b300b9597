import { eq } from "drizzle-orm";
import { siteSettings } from "../../db/schema/index.ts";
import { can, type Actor } from "../auth/permissions.ts";
import { env } from "../env.server.ts";
import { t } from "../i18n/de.ts";
import type { SiteSettingsInput } from "../schemas/moderation.ts";
import { writeAudit } from "./audit.server.ts";
import { db } from "./db.server.ts";
import { ForbiddenError } from "./errors.server.ts";

export interface SiteSettings {
  siteName: string;
  welcomeText: string;
  openRegistration: boolean;
  /** The editors' address for the podcast feed's owner; empty: the mail sender's address. */
  contactEmail: string;
}

/**
 * The site's settings. Until an admin saves them for the first time there is no row, and the defaults apply: the
 * built-in name, no welcome text, and registration as OPEN_REGISTRATION says (the setting before there was a page).
 * Every page needs them, so they are kept in memory per database for up to ten seconds and dropped at once when this
 * process saves them; another server process on the same PostgreSQL sees a change within those ten seconds.
 */
export async function getSiteSettings(): Promise<SiteSettings> {
  const key = db();
  const hit = cached.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.settings;
  const settings = readSiteSettings();
  cached.set(key, { at: Date.now(), settings });
  settings.catch(() => cached.delete(key));
  return settings;
}

const CACHE_MS = 10_000;
const cached = new WeakMap<object, { at: number; settings: Promise<SiteSettings> }>();

async function readSiteSettings(): Promise<SiteSettings> {
  const [row] = await db()
    .select({
      siteName: siteSettings.siteName,
      welcomeText: siteSettings.welcomeText,
      openRegistration: siteSettings.openRegistration,
      contactEmail: siteSettings.contactEmail,
    })
    .from(siteSettings)
    .where(eq(siteSettings.id, 1));
  return (
    row ?? { siteName: t("site.name"), welcomeText: "", openRegistration: env().OPEN_REGISTRATION, contactEmail: "" }
  );
}

export async function saveSiteSettings(actor: Actor, input: SiteSettingsInput): Promise<void> {
  if (!can(actor, "manageSettings")) throw new ForbiddenError();
  const before = await readSiteSettings();
  const changed = (Object.keys(input) as (keyof SiteSettingsInput)[]).filter((k) => input[k] !== before[k]);
  await db().transaction(async (tx) => {
    await tx
      .insert(siteSettings)
      .values({ id: 1, ...input })
      .onConflictDoUpdate({ target: siteSettings.id, set: input });
    await writeAudit(tx, {
      actorId: actor.id,
      action: "settings.update",
      subjectType: "site",
      subjectId: "site",
      details: {
        changed,
        ...(changed.includes("openRegistration") ? { openRegistration: input.openRegistration } : {}),
      },
    });
  });
  cached.delete(db());
}
