/**
 * Lighthouse (the npm package, pinned to 12.2.3: 13 needs Node 22) on pages of a running server, logged in by the
 * session cookie, in the Debian Chromium started by chrome-launcher. One Chromium for all pages; Lighthouse's default
 * settings (mobile, simulated slow 4G and 4x CPU slowdown), as Chrome's DevTools run it. Used by `npm run bench --
 * lighthouse` and tests/e2e/lighthouse.test.ts.
 */
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

export const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type Category = (typeof CATEGORIES)[number];

export interface PageAudit {
  path: string;
  /** 0–100 per category. */
  scores: Record<Category, number>;
  /** Audits that cost points: id, title and score (0–1), for the failing categories' report. */
  failing: { id: string; title: string; score: number; displayValue?: string }[];
  seconds: number;
}

export async function auditPages(baseUrl: string, cookie: string, paths: string[]): Promise<PageAudit[]> {
  const chrome = await chromeLauncher.launch({
    chromePath: "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    logLevel: "silent",
  });
  try {
    const audits: PageAudit[] = [];
    for (const path of paths) {
      const started = performance.now();
      const result = await lighthouse(new URL(path, baseUrl).href, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: [...CATEGORIES],
        extraHeaders: { Cookie: cookie },
      });
      if (!result) throw new Error(`Lighthouse lieferte kein Ergebnis für ${path}`);
      const { categories, audits: all } = result.lhr;
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((categories[c]?.score ?? 0) * 100)])) as Record<Category, number>;
      const weighted = new Set(CATEGORIES.flatMap((c) => (categories[c]?.auditRefs ?? []).filter((r) => r.weight > 0).map((r) => r.id)));
      const failing = Object.values(all)
        .filter((a) => weighted.has(a.id) && a.score !== null && a.score < 1)
        .map((a) => ({ id: a.id, title: a.title, score: a.score ?? 0, displayValue: a.displayValue }));
      audits.push({ path, scores, failing, seconds: Math.round((performance.now() - started) / 100) / 10 });
    }
    return audits;
  } finally {
    await chrome.kill();
  }
}
