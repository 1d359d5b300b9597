/** What the service worker keeps and never keeps (shared by the worker, the page and the server; ADR 038). */

export const OFFLINE_PATHS = {
  /** The member's bookmarked materials with their files, as JSON for the worker (never kept itself). */
  merkliste: "/offline/merkliste",
  worker: "/sw.js",
} as const;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** A thread's or a material's page (not its edit, report or other sub-pages). */
const KEPT_PAGE = new RegExp(`^/(diskussionen|materialien)/${UUID}$`);

/**
 * Never kept, not even passed through the worker: case consultations (readable by their participants only, ADR 008),
 * notifications, settings, moderation, the APIs, sign-in and sign-out, live connections and feeds.
 */
const NEVER_KEPT =
  /^\/(fallberatung|benachrichtigungen|einstellungen|moderation|api|offline|anmelden|abmelden|registrieren|einladung|socket\.io|feeds|sw\.js)(\/|$|\.)/;

export function isKeptPage(pathname: string): boolean {
  return KEPT_PAGE.test(pathname);
}

export function isNeverKept(pathname: string): boolean {
  return NEVER_KEPT.test(pathname) || pathname.endsWith(".data");
}

export interface OfflineMaterial {
  url: string;
  title: string;
  files: { url: string; bytes: number }[];
}
