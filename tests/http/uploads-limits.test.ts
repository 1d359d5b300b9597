/**
 * What an upload may cost the server, over real HTTP: the daily quota per member (files and bytes within 24 hours,
 * more for moderators, atomic under parallel uploads) with German 429/413 answers, and the text of PDFs read in a
 * worker thread within a page and time budget while the event loop keeps answering other requests.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { materialFiles, users } from "../../db/schema/index.ts";
import { pdfText } from "../../app/models/library/pdfText.server.ts";
import { loginCookie, root, startTestServer } from "../setup/server.ts";
import { pageWords, pdfWithPages } from "./uploads-pdf.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const KB = 1024;

const png = fs.readFileSync(path.join(root, "db/seed/samples/vorschau.png"));
/** A PNG head with random filler: accepted as an image of exactly `size` bytes. */
const image = (size: number) => Buffer.concat([png.subarray(0, 64), crypto.randomBytes(size - 64)]);

function upload(bytes: Buffer, filename: string, who: string): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), filename);
  return fetch(`${server.url}/api/v1/uploads`, {
    method: "POST",
    headers: { Origin: server.url, Cookie: cookies[who] },
    body: form,
  });
}

async function status(response: Response): Promise<{ status: number; error?: string; retryAfter: string | null }> {
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error, retryAfter: response.headers.get("retry-after") };
}

async function uploadsOf(who: string) {
  return server.database.db.select().from(materialFiles).where(eq(materialFiles.uploadedBy, ids[who]));
}

const storedFiles = () =>
  fs.readdirSync(path.join(server.dataDir, "uploads")).filter((name) => /^[0-9a-f]{32}$/.test(name));

beforeAll(async () => {
  server = await startTestServer({
    UPLOAD_DAILY_FILES: "3",
    UPLOAD_DAILY_MB: "1",
    UPLOAD_DAILY_FILES_MODERATION: "20",
    UPLOAD_DAILY_MB_MODERATION: "10",
    UPLOAD_PDF_TEXT_MAX_PAGES: "5000",
    UPLOAD_PDF_TEXT_MAX_SECONDS: "2",
  });
  for (const [name, email] of [
    ["member", "mitglied@example.org"],
    ["member2", "mitglied2@example.org"],
    ["member3", "mitglied3@example.org"],
    ["moderator", "moderation@example.org"],
    ["admin", "admin@example.org"],
  ] as const) {
    cookies[name] = await loginCookie(server.url, email);
    const [user] = await server.database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    ids[name] = user.id;
  }
  // A seeded server and five logins: on a busy machine this outlasts the default hook timeout.
}, 180_000);
afterAll(async () => {
  await server?.close();
});

describe("daily upload quota", () => {
  test("a member's fourth file within 24 hours: 429 with a German message and Retry-After, nothing stored", async () => {
    for (let i = 0; i < 3; i++) expect((await upload(image(2 * KB), `bild${i}.png`, "member")).status).toBe(201);
    const before = storedFiles();
    const refused = await status(await upload(image(2 * KB), "bild3.png", "member"));
    expect(refused.status).toBe(429);
    expect(refused.error).toBe(
      "Du hast in den letzten 24 Stunden 3 Dateien hochgeladen, mehr geht an einem Tag nicht. Bitte versuche es in 24 Stunden wieder.",
    );
    // The oldest of the three leaves the window in a little under 24 hours.
    expect(Number(refused.retryAfter)).toBeGreaterThan(23 * 3600);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(24 * 3600);
    expect(await uploadsOf("member")).toHaveLength(3);
    expect(storedFiles()).toEqual(before);
  });

  test("uploads older than 24 hours no longer count", async () => {
    await server.database.db
      .update(materialFiles)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(materialFiles.uploadedBy, ids.member));
    expect((await upload(image(2 * KB), "neu.png", "member")).status).toBe(201);
  });

  test("bytes: a file larger than what is left gets 413 while it arrives; once all is used, 429", async () => {
    expect((await upload(image(600 * KB), "gross1.png", "member2")).status).toBe(201);
    const before = storedFiles();
    const over = await status(await upload(image(600 * KB), "gross2.png", "member2"));
    expect(over.status).toBe(413);
    expect(over.error).toBe(
      "Die Datei ist größer als dein restliches Upload-Kontingent: In den letzten 24 Stunden sind noch 0,4 MB von 1 MB frei.",
    );
    expect(storedFiles()).toEqual(before);
    expect(await uploadsOf("member2")).toHaveLength(1);

    // Exactly what is left still fits; after that the day's bytes are used up.
    expect((await upload(image(1024 * KB - 600 * KB), "rest.png", "member2")).status).toBe(201);
    const used = await status(await upload(image(2 * KB), "noch.png", "member2"));
    expect(used.status).toBe(429);
    expect(used.error).toMatch(
      /^Du hast in den letzten 24 Stunden 1 MB hochgeladen, mehr geht an einem Tag nicht\. Bitte versuche es in (24|23) Stunden wieder\.$/,
    );
    expect(Number(used.retryAfter)).toBeGreaterThan(0);
  });

  test("moderators, who build the library, have the larger quota", async () => {
    // The demo content's files count for the moderator too (seeded moments ago).
    const before = (await uploadsOf("moderator")).length;
    for (let i = 0; i < 5; i++) expect((await upload(image(300 * KB), `folie${i}.png`, "moderator")).status).toBe(201);
    expect(await uploadsOf("moderator")).toHaveLength(before + 5);
  });

  test("parallel uploads cannot overrun the quota: of six at once exactly three are stored", async () => {
    const before = storedFiles().length;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => upload(image(20 * KB), `parallel${i}.png`, "member3").then(status)),
    );
    const codes = results.map((r) => r.status).sort();
    expect(codes).toEqual([201, 201, 201, 429, 429, 429]);
    expect(await uploadsOf("member3")).toHaveLength(3);
    expect(storedFiles()).toHaveLength(before + 3);
  });
});

describe("PDF text in a worker thread", () => {
  test("while a 3000-page PDF is read, the server keeps answering; the file is stored with the text read in time", async () => {
    const pdf = pdfWithPages(3000);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const started = performance.now();
    loop.enable();
    let done = false;
    const uploaded = upload(pdf, "handbuch.pdf", "admin").finally(() => (done = true));
    const latencies: number[] = [];
    while (!done) {
      const t = performance.now();
      const health = await fetch(`${server.url}/healthz`);
      await health.body?.cancel();
      if (!done) latencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    loop.disable();
    const response = await uploaded;
    const elapsed = performance.now() - started;
    const body = (await response.json()) as { id: string };
    expect(response.status).toBe(201);

    // The extraction took its time budget (2 s) and the server answered all along: many quick /healthz answers,
    // no long stall of the event loop (pdf.js on the main thread stalled it for the whole extraction).
    expect(elapsed).toBeGreaterThan(2000);
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(750);
    expect(loop.max / 1e6).toBeLessThan(500);

    const [row] = await server.database.db
      .select({ text: materialFiles.textContent })
      .from(materialFiles)
      .where(eq(materialFiles.id, body.id));
    // Whatever was read in 2 s (possibly nothing on a busy machine), never all 3000 pages.
    if (row.text !== null) expect(row.text.startsWith(pageWords(1))).toBe(true);
    expect(row.text ?? "").not.toContain(pageWords(3000));
    console.info(
      `3000-page PDF: answered after ${Math.round(elapsed)} ms, ${latencies.length} /healthz answers meanwhile, slowest ${Math.round(Math.max(...latencies))} ms, event loop delay max ${Math.round(loop.max / 1e6)} ms, p99 ${Math.round(loop.percentile(99) / 1e6)} ms, text ${row.text?.length ?? 0} characters`,
    );
  });

  test("a PDF that pdf.js cannot read is stored all the same, without text", async () => {
    const broken = Buffer.concat([Buffer.from("%PDF-1.7\n"), crypto.randomBytes(20 * KB)]);
    const response = await upload(broken, "kaputt.pdf", "admin");
    const body = (await response.json()) as { id: string; kind: string };
    expect(response.status).toBe(201);
    expect(body.kind).toBe("document");
    const [row] = await server.database.db
      .select({ text: materialFiles.textContent })
      .from(materialFiles)
      .where(eq(materialFiles.id, body.id));
    expect(row.text).toBeNull();
  });

  test("the page budget: only the first pages are read", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lbn-pdf-")), "seiten.pdf");
    fs.writeFileSync(file, pdfWithPages(30));
    const text = await pdfText(file, { maxPages: 10, maxMs: 30_000 });
    expect(text).toContain(`${pageWords(1)},`);
    expect(text).toContain(`${pageWords(10)},`);
    expect(text).not.toContain(pageWords(11));
    expect(await pdfText(file, { maxPages: 100, maxMs: 30_000 })).toContain(pageWords(30));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
