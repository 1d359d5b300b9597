/**
 * Lighthouse on the main pages, logged in as a member of the demo data (ADR 038): home, discussions, a thread,
 * library, a material, rounds and a search. The production build runs as its own process on a fresh embedded
 * database. Target: at least 95 in each of the four categories on every page. Prints JSON; progress on stderr.
 *
 * BENCH_LIGHTHOUSE_PAGES=/,/suche?q=x limits the pages.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { auditPages, CATEGORIES } from "./lib/lighthouse.ts";
import { cleanups, log, runBenchmark } from "./lib/run.ts";
import { assertBuilt, login, spawnServer } from "./lib/server.ts";

export const TARGET = 95;

/** The main pages; a thread and a material are the first ones linked from their lists. */
export async function mainPages(url: string, cookie: string): Promise<string[]> {
  const firstLink = async (list: string, pattern: RegExp) => {
    const html = await (await fetch(new URL(list, url), { headers: { Cookie: cookie } })).text();
    const found = pattern.exec(html)?.[0];
    if (!found) throw new Error(`Kein Link auf ${list}`);
    return found;
  };
  const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  return [
    "/",
    "/diskussionen",
    await firstLink("/diskussionen", new RegExp(`/diskussionen/${uuid}`)),
    "/materialien",
    await firstLink("/materialien", new RegExp(`/materialien/${uuid}`)),
    "/dialogrunden",
    "/suche?q=Lernbegleitung",
  ];
}

await runBenchmark(async () => {
  assertBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-lighthouse-"));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  // A fresh embedded database is initialised and seeded first: slow on a busy machine.
  const server = await spawnServer({ DATA_DIR: dataDir }, 180_000);
  cleanups.push(() => server.stop());
  const cookie = await login(server.url, "demo-passwort-2026", "mitglied@example.org");
  const only = process.env.BENCH_LIGHTHOUSE_PAGES?.split(",").filter(Boolean);
  const paths = only ?? (await mainPages(server.url, cookie));
  log(`Lighthouse auf ${paths.length} Seiten …`);
  const started = performance.now();
  const pages = await auditPages(server.url, cookie, paths);
  const below = pages.flatMap((p) =>
    CATEGORIES.filter((c) => p.scores[c] < TARGET).map((c) => `${p.path} ${c} ${p.scores[c]}`),
  );
  log(
    pages
      .map(
        (p) =>
          `${p.path}: ${CATEGORIES.map((c) => `${c} ${p.scores[c]}`).join(", ")} (SEO ohne is-crawlable ${p.seoWithoutCrawlable})`,
      )
      .join("\n"),
  );
  console.log(
    JSON.stringify(
      {
        target: TARGET,
        seconds: Math.round((performance.now() - started) / 1000),
        pages,
        below,
        machine: { cpus: os.cpus().length, load: os.loadavg()[0] },
      },
      null,
      2,
    ),
  );
  if (below.length > 0) process.exitCode = 1;
});
