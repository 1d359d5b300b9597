/**
 * Keeps the HTML of the pages the browser tests visit for the Nu Html Checker (scripts/check-html.ts, run by
 * `npm test` after the suites; ADR 037): each page's document as the server sent it and its DOM after hydration.
 *
 * Pages are kept once per route and role (the first visit wins): the thread page of a member is checked once, not
 * for every thread a test opens, so the checker's work stays small whatever the tests do.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";

export const PAGES_DIR = path.resolve(import.meta.dirname, "../../.cache/html-pages");

export interface PageRecord {
  /** The address the page was recorded at (path and query). */
  url: string;
  role: string;
  route: string;
}

interface Seen {
  role: string;
  route: string;
  failed: boolean;
}

/** Records the page as it is now (and `served`, the bytes of its document response), unless its key was recorded. */
export async function recordPage(page: Page, served: Promise<Buffer | null> | undefined): Promise<void> {
  const seen = await page.evaluate((): Seen | null => {
    type Router = {
      state: { matches: { route: { id: string } }[]; errors: unknown; loaderData: Record<string, unknown> };
    };
    const router = (window as unknown as { __remixRouter?: Router }).__remixRouter;
    if (!router) return null;
    const root = router.state.loaderData.root as { user?: { role?: string } | null } | undefined;
    return {
      role: root?.user?.role ?? "anonymous",
      route: router.state.matches.at(-1)?.route.id ?? "none",
      failed: router.state.errors != null,
    };
  });
  if (!seen) return;
  const url = new URL(page.url());
  const key = `${seen.role}__${seen.route}${seen.failed ? "__error" : ""}`.replace(/[^\w.-]+/g, "_");
  fs.mkdirSync(PAGES_DIR, { recursive: true });
  const record: PageRecord = { url: url.pathname + url.search, role: seen.role, route: seen.route };
  // Claimed before the DOM is read, so a route visited again costs one file system call.
  if (claim(`${key}.hydrated`, record)) {
    const html = await page.evaluate(() => {
      const doctype = document.doctype ? new XMLSerializer().serializeToString(document.doctype) : "";
      return `${doctype}\n${document.documentElement.outerHTML}\n`;
    });
    fs.writeFileSync(path.join(PAGES_DIR, `${key}.hydrated.html`), html);
  }
  // A page reached by a client-side navigation has no document of its own; a later full load of the route brings it.
  const body = await served;
  if (body && claim(`${key}.served`, record)) fs.writeFileSync(path.join(PAGES_DIR, `${key}.served.html`), body);
}

/** Two test files run at once: the first to create a name's record keeps the name ("wx" fails if it exists). */
function claim(name: string, record: PageRecord): boolean {
  try {
    fs.writeFileSync(path.join(PAGES_DIR, `${name}.json`), JSON.stringify(record), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}
