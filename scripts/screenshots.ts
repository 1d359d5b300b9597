/**
 * `npx tsx scripts/screenshots.ts OUTDIR`: full-page screenshots of every page at 360, 768 and 1280 px, as a visitor,
 * a member, a moderator and an admin, for a person to look through (OUTDIR/<role>/<width>/<page>.png).
 *
 * Starts the production build (run `npm run build` first) on a random port with a fresh demo database in a temporary
 * directory, and Chromium (/usr/bin/chromium, or CHROMIUM_PATH). The moderator opens the demo's next dialogue round
 * first, so its live room is on the pictures. Nothing of an existing DATA_DIR is touched.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { parseEnv } from "../app/env.server.ts";
import { startServer } from "../server/index.ts";
import {
  ACCOUNTS,
  WIDTHS,
  findAddresses,
  logIn,
  openLiveRound,
  pagesFor,
  type Role,
} from "../tests/e2e/layout-pages.ts";

const outDir = process.argv[2];
if (!outDir) {
  console.error("Aufruf: npx tsx scripts/screenshots.ts AUSGABEORDNER");
  process.exit(2);
}
if (!fs.existsSync(path.resolve(import.meta.dirname, "../build/server/index.js"))) {
  console.error("Es gibt noch keinen Produktions-Build: bitte zuerst `npm run build`.");
  process.exit(1);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-screenshots-"));
const server = await startServer({
  quiet: true,
  config: parseEnv({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir }),
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});

let count = 0;
try {
  const contextFor = async (role: Role) => {
    const context = await browser.newContext({
      baseURL: server.url,
      locale: "de-DE",
      viewport: { width: 1280, height: 800 },
    });
    if (role !== "anonymous") await logIn(context, server.url, ACCOUNTS[role]);
    return context;
  };
  const member = await contextFor("member");
  const addresses = await findAddresses(await member.newPage());
  const moderator = await contextFor("moderator");
  await openLiveRound(await moderator.newPage(), addresses.round);

  const contexts: Record<Role, Awaited<ReturnType<typeof contextFor>>> = {
    anonymous: await contextFor("anonymous"),
    member,
    moderator,
    admin: await contextFor("admin"),
  };
  for (const role of ["anonymous", "member", "moderator", "admin"] as const) {
    const page = await contexts[role].newPage();
    for (const target of pagesFor(role, addresses, true)) {
      await page.goto(target.path);
      // Hydrated (Remix's ScrollRestoration sets this in an effect), so client-side parts such as the live room show.
      await page.waitForFunction(() => window.history.scrollRestoration === "manual");
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        const file = path.join(outDir, role, String(width), `${target.name}.png`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await page.screenshot({ path: file, fullPage: true });
        count++;
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(`${count} Bildschirmfotos in ${path.resolve(outDir)}`);
