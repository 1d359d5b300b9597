/** The web app manifest as Chromium reads it: linked from the page, parsed without errors, its icons loadable. */
import { expect, test } from "vitest";
import { expectAccessible, login, newPage, useBrowser, visit } from "../setup/browser.ts";

useBrowser();

test("the start page links a manifest that Chromium parses without errors, with the theme colour and icons", async () => {
  const page = await newPage();
  await login(page, "mitglied@example.org");
  await visit(page, "/");
  await expectAccessible(page);
  // Chromium's own manifest parser, through the DevTools protocol (as the Application panel and Lighthouse use it).
  const cdp = await page.context().newCDPSession(page);
  const manifest = (await cdp.send("Page.getAppManifest", {})) as {
    url: string;
    errors: { message: string }[];
    data?: string;
  };
  expect(manifest.url).toBe(new URL("/manifest.webmanifest", page.url()).href);
  expect(manifest.errors).toEqual([]);
  const data = JSON.parse(manifest.data ?? "");
  expect(data).toMatchObject({ lang: "de", display: "standalone", start_url: "/", theme_color: "#0b5a7a" });
  expect(await page.locator('meta[name="theme-color"]').getAttribute("content")).toBe(data.theme_color);
  expect(await page.locator('meta[name="description"]').count()).toBe(1);
  // Every icon loads as an image of the size the manifest says (the page's CSP allows only its own host).
  const sizes = await page.evaluate(
    (icons: { src: string }[]) =>
      Promise.all(
        icons.map(
          (icon) =>
            new Promise<string>((resolve, reject) => {
              const image = new Image();
              image.onload = () => resolve(`${image.naturalWidth}x${image.naturalHeight}`);
              image.onerror = () => reject(new Error(`icon ${icon.src} did not load`));
              image.src = icon.src;
            }),
        ),
      ),
    data.icons,
  );
  expect(sizes).toEqual((data.icons as { sizes: string }[]).map((i) => i.sizes));
  await cdp.detach();
});
