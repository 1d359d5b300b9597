/**
 * Uploads that break off or arrive garbled, sent byte by byte over raw TCP sockets (node:net) to the real server
 * process (`server/index.ts` under tsx with the production build, as `npm start` runs it) on PostgreSQL: headers only,
 * part of the part headers, the file just begun, a file half-written to disk, a body cut short, a client that leaves
 * while the PDF text is read. Each time the process stays up and answers the next request, the upload directory holds
 * no file (temp files included) and the database no row; malformed forms get a 400, other content types a 415, with a
 * German message. The text of a PDF that did arrive is read by the worker thread in this very process.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build as viteBuild } from "vite";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { openPostgres, type DatabaseHandle } from "../../db/client.ts";
import { runMigrations } from "../../db/migrate.ts";
import { setDatabase } from "../../app/models/db.server.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { createPostgresDatabase } from "../setup/db.ts";
import { loginCookie, root, spawnServer, tempDataDir, type ChildServer } from "../setup/server.ts";
import { pdfWithPages } from "./uploads-pdf.ts";

const PASSWORD = "upload-abbruch-2026";
let server: ChildServer;
let handle: DatabaseHandle;
let dataDir: string;
let cookie: string;
let port: number;

const list = (dir: string) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
    : [];
const uploadsDir = () => path.join(dataDir, "uploads");
const storedFiles = () => list(uploadsDir());
const tmpFiles = () => list(path.join(uploadsDir(), "tmp"));

async function rowCount(): Promise<number> {
  const rows = await handle.rows<{ n: number }>(`select count(*)::int as n from material_files`);
  return rows[0].n;
}

beforeAll(async () => {
  const databaseUrl = await createPostgresDatabase();
  handle = await openPostgres(databaseUrl, { max: 2 });
  await runMigrations(handle, databaseUrl);
  setDatabase(handle);
  await createUser({
    email: "abbruch@example.org",
    displayName: "Abbruch Test",
    handle: "abbruch",
    password: PASSWORD,
    role: "member",
  });
  dataDir = tempDataDir();
  // A short time budget for the PDF text, so that the test with a client leaving during the extraction stays short.
  server = await spawnServer({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir, UPLOAD_PDF_TEXT_MAX_SECONDS: "3" });
  port = Number(new URL(server.url).port);
  cookie = await loginCookie(server.url, "abbruch@example.org", PASSWORD);
});

afterAll(async () => {
  await server?.stop();
  setDatabase(undefined);
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const BOUNDARY = "----abbruch7MA4YWxkTrZu0gW";

function partHead(filename = "handout.pdf"): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`;
}

function multipart(file: Buffer, filename?: string): Buffer {
  return Buffer.concat([Buffer.from(partHead(filename)), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

function requestHead(contentLength: number, contentType = `multipart/form-data; boundary=${BOUNDARY}`): string {
  return [
    "POST /api/v1/uploads HTTP/1.1",
    `Host: localhost:${port}`,
    `Origin: ${server.url}`,
    `Cookie: ${cookie}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${contentLength}`,
    "",
    "",
  ].join("\r\n");
}

interface Raw {
  socket: net.Socket;
  /** Resolves when the server closed the connection (or it broke), with everything it sent. */
  closed: Promise<string>;
}

async function open(): Promise<Raw> {
  const socket = net.connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (d) => (received += d.toString("latin1")));
  const closed = new Promise<string>((resolve) => socket.once("close", () => resolve(received)));
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return { socket, closed };
}

const write = (socket: net.Socket, data: string | Buffer) =>
  new Promise<void>((resolve) => socket.write(data, () => resolve()));

/** The first complete answer on a raw connection (headers and as many bytes as its Content-Length says). */
function readAnswer(
  socket: net.Socket,
): Promise<{ status: number; body: { error?: string; id?: string }; raw: string }> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    socket.on("data", (d: Buffer) => {
      data = Buffer.concat([data, d]);
      const end = data.indexOf("\r\n\r\n");
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(data.toString("latin1"))?.[1]);
      if (end >= 0 && data.length - end - 4 >= length)
        resolve({ ...parseAnswer(data.toString("utf8")), raw: data.toString("utf8") });
    });
    socket.once("close", () =>
      reject(new Error(`connection closed before an answer: ${JSON.stringify(data.toString())}`)),
    );
  });
}

/** Status and JSON body of the (single) answer on a raw connection. */
function parseAnswer(raw: string): { status: number; body: { error?: string; id?: string } } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
  const json = raw.slice(raw.indexOf("\r\n\r\n") + 4);
  return { status, body: JSON.parse(json.trim() || "{}") };
}

/** The process is alive and serves the next request; nothing of the upload is on disk or in the database. */
async function expectUnharmed() {
  const response = await fetch(`${server.url}/healthz`);
  expect(response.status).toBe(200);
  await response.body?.cancel();
  expect(server.process.exitCode, server.output()).toBeNull();
  await vi.waitFor(() => expect(tmpFiles()).toEqual([]), { timeout: 5_000, interval: 20 });
  expect(storedFiles()).toEqual([]);
  expect(await rowCount()).toBe(0);
}

/** Half-closes after `data`: the server sees the body end early, answers (or not) and closes its side. */
async function sendAndHalfClose(data: Buffer | string): Promise<string> {
  const raw = await open();
  await write(raw.socket, data);
  raw.socket.end();
  return raw.closed;
}

const pdf = pdfWithPages(40);

describe("aborted uploads", () => {
  test.each([
    ["right after the request headers", () => Buffer.alloc(0)],
    ["in the middle of the part headers", () => Buffer.from(partHead().slice(0, 50))],
    ["right after the part headers", () => Buffer.from(partHead())],
    ["after the first bytes of the file", () => Buffer.concat([Buffer.from(partHead()), pdf.subarray(0, 5)])],
    ["in the middle of the file", () => Buffer.concat([Buffer.from(partHead()), pdf.subarray(0, pdf.length / 2)])],
  ])("the client destroys the connection %s: the server stays up, nothing stored", async (_when, body) => {
    const raw = await open();
    // Headers and body in one write, the reset right behind them: busboy sees the part begin and break off at once
    // (this is where an 'error' of the part's stream used to end the process).
    raw.socket.write(Buffer.concat([Buffer.from(requestHead(multipart(pdf).length)), body()]));
    raw.socket.destroy();
    await raw.closed;
    await expectUnharmed();
  });

  test.each([
    ["right after the request headers", () => Buffer.alloc(0)],
    ["right after the part headers", () => Buffer.from(partHead())],
    ["in the middle of the file", () => Buffer.concat([Buffer.from(partHead()), pdf.subarray(0, pdf.length / 2)])],
  ])(
    "the body ends %s (Content-Length promised more): the connection is closed, nothing stored",
    async (_when, body) => {
      const answer = await sendAndHalfClose(Buffer.concat([Buffer.from(requestHead(multipart(pdf).length)), body()]));
      // Nobody is left to read an answer to a request that never completed; if one was sent, it is not a 2xx.
      if (answer) expect(parseAnswer(answer).status).toBeGreaterThanOrEqual(400);
      await expectUnharmed();
    },
  );

  test("a client that leaves while its file is being written: the temp file is removed", async () => {
    const raw = await open();
    const body = multipart(Buffer.concat([pdf, Buffer.alloc(400_000, 0x20)]));
    await write(raw.socket, requestHead(body.length));
    await write(raw.socket, body.subarray(0, 200_000));
    await vi.waitFor(() => expect(tmpFiles()).toHaveLength(1), { timeout: 5_000, interval: 10 });
    raw.socket.destroy();
    await raw.closed;
    await expectUnharmed();
  });

  test("a client that leaves after the whole body, while the PDF text is read: file and row are removed again", async () => {
    // Many pages: reading their text takes a while (up to the budget of 3 s), long enough to leave in the middle.
    const body = multipart(pdfWithPages(3000));
    const raw = await open();
    await write(raw.socket, Buffer.concat([Buffer.from(requestHead(body.length)), body]));
    // The file is complete and moved to its storage name (the text extraction runs)…
    await vi.waitFor(() => expect(storedFiles()).toHaveLength(1), { timeout: 10_000, interval: 10 });
    // …when the client goes away without waiting for the answer.
    raw.socket.destroy();
    await raw.closed;
    await vi.waitFor(() => expect(storedFiles()).toEqual([]), { timeout: 10_000, interval: 20 });
    await expectUnharmed();
  });

  test("many aborted uploads at once leave the process serving", async () => {
    const raws = await Promise.all(Array.from({ length: 20 }, () => open()));
    raws.forEach((raw, i) =>
      raw.socket.write(Buffer.concat([Buffer.from(requestHead(multipart(pdf).length)), pdf.subarray(0, 100 * i)])),
    );
    for (const raw of raws) raw.socket.destroy();
    await Promise.all(raws.map((raw) => raw.closed));
    await expectUnharmed();
  });
});

describe("malformed and foreign bodies", () => {
  async function answerTo(head: string, body: Buffer | string) {
    const raw = await open();
    const answer = readAnswer(raw.socket);
    await write(raw.socket, Buffer.concat([Buffer.from(head), Buffer.from(body)]));
    const result = await answer;
    raw.socket.destroy();
    return result;
  }

  test.each([
    [
      "garbage instead of parts",
      `multipart/form-data; boundary=${BOUNDARY}`,
      "Das ist kein Formular, nur Text ohne Grenzen.\r\n",
    ],
    [
      "a boundary the body does not use",
      "multipart/form-data; boundary=ganz-anders",
      multipart(pdf).toString("latin1"),
    ],
    ["no boundary at all", "multipart/form-data", multipart(pdf).toString("latin1")],
    [
      "a part header that never ends",
      `multipart/form-data; boundary=${BOUNDARY}`,
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n${"X-Lang: y\r\n".repeat(50)}`,
    ],
    [
      "a file without the closing boundary",
      `multipart/form-data; boundary=${BOUNDARY}`,
      `${partHead()}%PDF-1.4\n${"x".repeat(2000)}`,
    ],
  ])("%s: 400 with a German message, nothing stored", async (_name, contentType, body) => {
    const { status, body: json } = await answerTo(
      requestHead(Buffer.byteLength(body, "latin1"), contentType),
      Buffer.from(body, "latin1"),
    );
    expect(status).toBe(400);
    expect(json.error).toMatch(
      /^(Das Formular konnte nicht gelesen werden|Bitte wähle eine Datei aus|Der Upload wurde unterbrochen)/,
    );
    await expectUnharmed();
  });

  // What is no form at all is refused at the boundary (ADR 019); a form that is not multipart by the upload route.
  const notAForm =
    "Diese Adresse nimmt nur Formulardaten an (application/x-www-form-urlencoded oder multipart/form-data).";
  test.each([
    ["text/plain", "%PDF-1.4 als Text", notAForm],
    ["application/json", '{"file":"%PDF-1.4"}', notAForm],
    [
      "application/x-www-form-urlencoded",
      "file=%25PDF-1.4",
      "Bitte sende die Datei als Formular (multipart/form-data) im Feld „file“.",
    ],
    ["multipart/mixed; boundary=x", "--x\r\n\r\nhallo\r\n--x--\r\n", notAForm],
  ])("Content-Type %s: 415 with a German message, nothing stored", async (contentType, body, message) => {
    const { status, body: json } = await answerTo(requestHead(Buffer.byteLength(body), contentType), body);
    expect(status).toBe(415);
    expect(json.error).toBe(message);
    await expectUnharmed();
  });
});

describe("a complete upload in the production process", () => {
  test("a PDF is stored with its text, read by the worker thread", async () => {
    const body = multipart(pdfWithPages(3));
    const raw = await open();
    const answer = readAnswer(raw.socket);
    await write(raw.socket, Buffer.concat([Buffer.from(requestHead(body.length)), body]));
    const { status, body: json, raw: text } = await answer;
    raw.socket.destroy();
    expect(status, text).toBe(201);
    const rows = await handle.rows<{ id: string; text_content: string | null }>(
      `select id, text_content from material_files`,
    );
    expect(rows).toEqual([{ id: json.id, text_content: expect.stringContaining("seite3 Textinhalt der Seite 3") }]);
    expect(rows[0].text_content).toContain("seite1 ");
    expect(storedFiles()).toHaveLength(1);
    await handle.rows(`delete from material_files`);
    for (const name of storedFiles()) fs.rmSync(path.join(uploadsDir(), name));
  });

  test("the worker is also found from the Remix server bundle's folder (build/server/assets), should the bundle include it", async () => {
    // Today the bundle leaves pdfText out (no route stores uploads); vite bundles it there (an SSR build, packages
    // external as in the Remix build), and the bundle runs.
    const outDir = path.join(root, "build/server/assets", `pdftext-check-${process.pid}`);
    const outfile = path.join(outDir, "pdftext.js");
    await viteBuild({
      configFile: false,
      logLevel: "silent",
      build: {
        ssr: path.join(root, "app/models/library/pdfText.server.ts"),
        outDir,
        emptyOutDir: true,
        rollupOptions: { output: { entryFileNames: "pdftext.js" } },
      },
    });
    try {
      const bundled = (await import(
        pathToFileURL(outfile).href
      )) as typeof import("../../app/models/library/pdfText.server.ts");
      const file = path.join(dataDir, "bundle-check.pdf");
      fs.writeFileSync(file, pdfWithPages(2));
      expect(await bundled.pdfText(file, { maxPages: 5, maxMs: 20_000 })).toContain("seite2 Textinhalt der Seite 2");
      fs.rmSync(file);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  test("after all of the above the process has neither exited nor logged an unexpected error", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(server.process.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/Unerwarteter Fehler|Upload fehlgeschlagen|nicht entfernt|Error|\n\s+at /);
  });
});
