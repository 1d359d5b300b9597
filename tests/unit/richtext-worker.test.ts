/**
 * Posts are parsed and rendered in a worker thread (app/models/richtext/pool.server.ts). A Markdown list of the
 * allowed length costs the parser hundreds of milliseconds: the server's event loop must keep answering meanwhile, and a
 * text built to be slower than the budget is refused with a German message without holding up the next post.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { expect, test } from "vitest";
import { renderOffThread, startRichTextWorker } from "../../app/models/richtext/pool.server.ts";

// 2,000 list items: within the allowed size, and ~0.2–1 s of parsing and rendering.
const longList = "- Punkt\n".repeat(2_000);

test(
  "an ordinary post comes back checked and rendered, mentions resolved from the names passed in",
  { timeout: 60_000 },
  async () => {
    startRichTextWorker();
    const result = await renderOffThread({
      kind: "markdown",
      text: "Hallo @sevgi, **fett** und <script>alert(1)</script>",
      names: { sevgi: "Sevgi Schneider" },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.html).toContain("<strong>fett</strong>");
    expect(result.body.html).toContain("&lt;script&gt;");
    expect(result.body.mentions).toEqual(["sevgi"]);
    const json = await renderOffThread({
      kind: "json",
      json: JSON.stringify({
        type: "doc",
        content: [{ type: "paragraph", content: [{ type: "text", text: "Aus dem Editor" }] }],
      }),
    });
    expect(json.ok && json.body.text).toBe("Aus dem Editor");
    const broken = await renderOffThread({ kind: "json", json: "{kein json" });
    expect(broken).toEqual({
      ok: false,
      message: "Der Text konnte nicht gelesen werden. Bitte versuche es noch einmal.",
    });
  },
);

test("a long list is worked out while the event loop stays free", { timeout: 60_000 }, async () => {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 5);
  delay.enable();
  const started = performance.now();
  const result = await renderOffThread({ kind: "markdown", text: longList, names: {} }, 60_000);
  const took = performance.now() - started;
  delay.disable();
  clearInterval(ticker);
  // The worker really did the work (it took a while), and the main thread ran its timer all along.
  expect(result.ok && result.body.html.match(/<li>/g)?.length).toBe(2_000);
  expect(took).toBeGreaterThan(50);
  expect(ticks).toBeGreaterThan(took / 5 / 4);
  expect(delay.max / 1e6).toBeLessThan(50);
});

test(
  "a text slower than the budget is refused, and the next post is served by a fresh worker",
  { timeout: 60_000 },
  async () => {
    const slow = renderOffThread({ kind: "markdown", text: longList, names: {} }, 20);
    const next = renderOffThread({ kind: "markdown", text: "Danach ganz normal.", names: {} });
    expect(await slow).toEqual({ ok: false, message: expect.stringContaining("zu aufwendig") });
    const after = await next;
    expect(after.ok && after.body.text).toBe("Danach ganz normal.");
  },
);
