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
  /**
   * SEO without the audit "is-crawlable": robots.txt keeps crawlers out of the members-only pages on purpose (ADR 033),
   * which that audit counts as a failure. Every other SEO audit is in this figure.
   */
  seoWithoutCrawlable: number;
  /** Whether "is-crawlable" failed, and then only because of robots.txt (no noindex in headers or meta tags). */
  blockedByRobotsTxtOnly: boolean | null;
  /** Audits that cost points: id, title and score (0–1), for the failing categories' report. */
  failing: { id: string; title: string; score: number; displayValue?: string }[];
  seconds: number;
}

export async function auditPages(baseUrl: string, cookie: string, paths: string[]): Promise<PageAudit[]> {
  const chrome = await chromeLauncher.launch({
    chromePath: "/usr/bin/chromium",
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    logLevel: "silent",
  });
  try {
    const audits: PageAudit[] = [];
    for (const path of paths) {
      const started = performance.now();
      const run = () =>
        lighthouse(new URL(path, baseUrl).href, {
          port: chrome.port,
          output: "json",
          logLevel: "error",
          onlyCategories: [...CATEGORIES],
          extraHeaders: { Cookie: cookie },
        });
      // The first load of a fresh Chromium now and then ends in an interstitial (CHROME_INTERSTITIAL_ERROR): once more.
      let result = await run();
      if (result?.lhr.runtimeError) result = await run();
      if (!result || result.lhr.runtimeError)
        throw new Error(`Lighthouse: kein Ergebnis für ${path}: ${result?.lhr.runtimeError?.message}`);
      const { categories, audits: all } = result.lhr;
      const seoRefs = (categories.seo?.auditRefs ?? []).filter(
        (r) => r.weight > 0 && r.id !== "is-crawlable" && all[r.id]?.score !== null,
      );
      const seoWeight = seoRefs.reduce((sum, r) => sum + r.weight, 0);
      const seoWithoutCrawlable = Math.round(
        (seoRefs.reduce((sum, r) => sum + r.weight * (all[r.id]?.score ?? 0), 0) / seoWeight) * 100,
      );
      const crawl = all["is-crawlable"];
      const sources = ((crawl?.details as { items?: { source: unknown }[] } | undefined)?.items ?? []).map(
        (i) => i.source,
      );
      const blockedByRobotsTxtOnly =
        crawl?.score === 0
          ? sources.length > 0 &&
            sources.every((s) => typeof s === "object" && String((s as { url?: string }).url).endsWith("/robots.txt"))
          : null;
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, Math.round((categories[c]?.score ?? 0) * 100)]),
      ) as Record<Category, number>;
      const weighted = new Set(
        CATEGORIES.flatMap((c) => (categories[c]?.auditRefs ?? []).filter((r) => r.weight > 0).map((r) => r.id)),
      );
      const failing = Object.values(all)
        .filter((a) => weighted.has(a.id) && a.score !== null && a.score < 1)
        .map((a) => ({ id: a.id, title: a.title, score: a.score ?? 0, displayValue: a.displayValue }));
      audits.push({
        path,
        scores,
        seoWithoutCrawlable,
        blockedByRobotsTxtOnly,
        failing,
        seconds: Math.round((performance.now() - started) / 100) / 10,
      });
    }
    return audits;
  } finally {
    await chrome.kill();
  }
}
