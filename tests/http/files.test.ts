/**
 * The library's files over real HTTP: uploads of every accepted kind, the attacks an upload form sees (refused with a
 * German message and nothing stored, neither on disk nor in the database), broken-off uploads, and downloads with
 * Range requests, the right headers, access rules, podcast feed tokens and the aggregate download count.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { feedTokens, materialFiles, materials, users } from "../../db/schema/index.ts";
import { hashToken } from "../../app/models/accounts/tokens.server.ts";
import { attachFiles, deleteUnattachedUploads, removeMaterialFiles } from "../../app/models/library/files.server.ts";
import { InputError } from "../../app/models/errors.server.ts";
import { loginCookie, root, startTestServer } from "../setup/server.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

const sample = (name: string) => fs.readFileSync(path.join(root, "db/seed/samples", name));
const hex = (s: string) => Buffer.from(s, "hex");
/** A recognisable head followed by filler: the server decides from the first bytes only. */
const withFiller = (head: Buffer, size = 6000) =>
  Buffer.concat([head, crypto.randomBytes(Math.max(0, size - head.length))]);
const sha = (bytes: Buffer | Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");

const UNSUPPORTED =
  "Dieser Dateityp wird nicht unterstützt. Erlaubt sind PDF, MP4, WebM, MP3, M4A, OGG, Bilder (PNG, JPEG, GIF, WebP) und WebVTT-Untertitel.";

const uploadsDir = () => path.join(server.dataDir, "uploads");
const list = (dir: string) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort()
    : [];
const storedFiles = () => list(uploadsDir());
const tmpFiles = () => list(path.join(uploadsDir(), "tmp"));

async function rowCount(): Promise<number> {
  const [row] = await server.database.rows<{ n: number }>(sql`select count(*)::int as n from material_files`);
  return row.n;
}

/** What is stored now, to prove that a refused upload left nothing behind. */
async function storage() {
  return { files: storedFiles(), tmp: tmpFiles(), rows: await rowCount() };
}

function upload(
  bytes: Buffer,
  filename: string,
  options: { cookie?: string | null; origin?: string; type?: string } = {},
): Promise<Response> {
  const form = new FormData();
  form.append(
    "file",
    new Blob([new Uint8Array(bytes)], { type: options.type ?? "application/octet-stream" }),
    filename,
  );
  const headers: Record<string, string> = { Origin: options.origin ?? url };
  const cookie = options.cookie === undefined ? cookies.member : options.cookie;
  if (cookie) headers.Cookie = cookie;
  return fetch(`${url}/api/v1/uploads`, { method: "POST", headers, body: form });
}

async function uploadOk(bytes: Buffer, filename: string, cookie = cookies.member) {
  const response = await upload(bytes, filename, { cookie });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body as { id: string; kind: string; mime: string; size: number; originalName: string };
}

async function expectRefused(response: Response, message: string | RegExp, status = 400) {
  const body = (await response.json()) as { error: string };
  expect(response.status).toBe(status);
  if (typeof message === "string") expect(body.error).toBe(message);
  else expect(body.error).toMatch(message);
}

async function newMaterial(values: {
  status: "draft" | "review" | "published" | "archived";
  type?: "one_pager" | "podcast" | "short_video";
  createdBy?: string;
  suggestedBy?: string;
}) {
  const [row] = await server.database.db
    .insert(materials)
    .values({
      type: values.type ?? "one_pager",
      status: values.status,
      title: `Testmaterial ${values.status}`,
      createdBy: values.createdBy ?? ids.moderator,
      suggestedBy: values.suggestedBy,
    })
    .returning({ id: materials.id });
  return row.id;
}

async function attach(fileId: string, materialId: string) {
  await server.database.db.update(materialFiles).set({ materialId }).where(eq(materialFiles.id, fileId));
}

async function downloadCount(materialId: string): Promise<number> {
  const [row] = await server.database.db
    .select({ n: materials.downloadCount })
    .from(materials)
    .where(eq(materials.id, materialId));
  return row.n;
}

function getFile(
  pathname: string,
  options: { cookie?: string | null; range?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const cookie = options.cookie === undefined ? cookies.member : options.cookie;
  if (cookie) headers.Cookie = cookie;
  if (options.range) headers.Range = options.range;
  return fetch(`${url}${pathname}`, { headers, redirect: "manual" });
}

beforeAll(async () => {
  // A small document limit, so the size test needs only a little more than 1 MB.
  server = await startTestServer({ UPLOAD_MAX_DOCUMENT_MB: "1" });
  url = server.url;
  for (const [name, email] of [
    ["member", "mitglied@example.org"],
    ["member2", "mitglied2@example.org"],
    ["moderator", "moderation@example.org"],
  ] as const) {
    cookies[name] = await loginCookie(url, email);
    const [user] = await server.database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    ids[name] = user.id;
  }
  // A seeded server and three logins: on a busy machine this outlasts the default hook timeout.
}, 180_000);
afterAll(async () => {
  await server?.close();
});

describe("uploads", () => {
  test.each([
    ["onepager.pdf", "onepager.pdf", "document", "application/pdf"],
    ["kurzvideo.mp4", "kurzvideo.mp4", "video", "video/mp4"],
    ["kurzvideo.webm", "kurzvideo.webm", "video", "video/webm"],
    ["podcast.ogg", "podcast.ogg", "audio", "audio/ogg"],
    ["podcast.mp3", "podcast.mp3", "audio", "audio/mpeg"],
    ["kurzvideo.vtt", "kurzvideo.vtt", "captions", "text/vtt"],
    ["vorschau.png", "vorschau.png", "image", "image/png"],
  ])("the sample %s is stored as %s", async (file, name, kind, mime) => {
    const bytes = sample(file);
    const before = storedFiles();
    const body = await uploadOk(bytes, name);
    // Ogg audio comes with the hint that common podcast apps do not play it (ADR 033).
    const hint = mime === "audio/ogg" ? { hint: expect.stringContaining("spielen viele Podcast-Apps nicht ab") } : {};
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind,
      mime,
      size: bytes.length,
      originalName: name,
      ...hint,
    });

    const [row] = await server.database.db.select().from(materialFiles).where(eq(materialFiles.id, body.id));
    expect(row).toMatchObject({
      kind,
      mime,
      size: bytes.length,
      originalName: name,
      uploadedBy: ids.member,
      materialId: null,
    });
    expect(row.storageName).toMatch(/^[0-9a-f]{32}$/);
    expect(storedFiles()).toEqual([...before, row.storageName].sort());
    expect(sha(fs.readFileSync(path.join(uploadsDir(), row.storageName)))).toBe(sha(bytes));
    expect(tmpFiles()).toEqual([]);
  });

  test.each([
    [
      "WebM",
      "1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701000000000035e8114d9b74ba4dbb8b53ab841549a96653",
      "clip.webm",
      "video",
      "video/webm",
    ],
    [
      "Ogg Opus",
      "4f6767530002000000000000000000000000000000000228b57201134f707573486561640101380180bb00000000004f67675300000000000000000000000000",
      "folge.opus",
      "audio",
      "audio/ogg",
    ],
    [
      "Ogg Vorbis",
      "4f6767530002000000000000000000000000000000006344b36b011e01766f72626973000000000144ac0000000000008038010000000000b8014f6767530000",
      "folge.ogg",
      "audio",
      "audio/ogg",
    ],
    [
      "M4A",
      "0000001c667479704d344120000002004d34412069736f6d69736f32000000086672656500001d9b6d646174de02004c61766335392e33372e31303000023040",
      "folge.m4a",
      "audio",
      "audio/mp4",
    ],
    [
      "JPEG",
      "ffd8ffe000104a46494600010200000100010000fffe00104c61766335392e33372e31303000ffdb0043000806060706070808080808080909090a0a0a090909",
      "foto.jpg",
      "image",
      "image/jpeg",
    ],
    [
      "GIF",
      "474946383961a0005a00f71f310000002400004800006c0000900000b40000d80000fc00000024002424004824006c2400902400b42400d82400fc2400004800",
      "bild.gif",
      "image",
      "image/gif",
    ],
    [
      "WebP",
      "524946465a04000057454250565038204e0400003017009d012aa0005a003e9148a04a25a4a3a1a8980830b01209670a1e9809aaf09ae26b691dd2df577de88f",
      "bild.webp",
      "image",
      "image/webp",
    ],
  ])("%s is accepted from its first bytes", async (_format, head, name, kind, mime) => {
    const body = await uploadOk(withFiller(hex(head)), name);
    expect(body).toMatchObject({ kind, mime, originalName: name });
  });

  test("the name never decides the type, and a wrong extension is corrected", async () => {
    const body = await uploadOk(sample("onepager.pdf"), "handout.mp4");
    expect(body).toMatchObject({ kind: "document", mime: "application/pdf", originalName: "handout.mp4.pdf" });
  });

  test.each([
    [
      "a renamed Linux executable as .pdf",
      withFiller(
        hex("7f454c4602010100000000000000000003003e0001000000401000000000000040000000000000000821000000000000"),
        20_000,
      ),
      "handout.pdf",
    ],
    [
      "a renamed Windows executable as .pdf",
      withFiller(
        Buffer.concat([
          Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"),
          Buffer.from("This program cannot be run in DOS mode."),
        ]),
      ),
      "handout.pdf",
    ],
    [
      "an HTML page as .mp4",
      Buffer.from(
        `<!DOCTYPE html><html><body><script>fetch("/api/v1/uploads")</script>${"<p>Hallo</p>".repeat(800)}</body></html>`,
      ),
      "video.mp4",
    ],
    [
      "an SVG with a script as .png",
      Buffer.from(
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
      ),
      "bild.png",
    ],
    [
      "a text file as .vtt, without the WEBVTT header",
      Buffer.from("1\n00:00:00,000 --> 00:00:02,000\nHallo\n"),
      "untertitel.vtt",
    ],
    [
      "a zip archive as .pdf",
      withFiller(
        hex("504b0304140000000800000021000000000000000000000000000b0000005b436f6e74656e745f54797065735d2e786d6c"),
      ),
      "folien.pdf",
    ],
  ])("%s is refused and nothing is stored", async (_name, bytes, filename) => {
    const before = await storage();
    await expectRefused(await upload(bytes, filename), UNSUPPORTED);
    expect(await storage()).toEqual(before);
  });

  test("a file over the size limit of its kind is refused while it arrives", async () => {
    const before = await storage();
    const big = withFiller(Buffer.from("%PDF-1.4\n"), 1024 * 1024 + 200_000);
    await expectRefused(await upload(big, "gross.pdf"), "Die Datei ist zu groß (höchstens 1 MB für Dokumente).", 413);
    expect(await storage()).toEqual(before);
    // The other kinds keep their own limits: the same size as an image is fine.
    const image = await uploadOk(withFiller(sample("vorschau.png"), 1024 * 1024 + 200_000), "gross.png");
    expect(image.kind).toBe("image");
  });

  test("a request announcing more than any limit is refused before it is read", async () => {
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${url}/api/v1/uploads`, {
        method: "POST",
        headers: {
          "Content-Type": "multipart/form-data; boundary=x",
          "Content-Length": String(600 * 1024 * 1024),
          Origin: url,
          Cookie: cookies.member,
        },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.write("--x\r\n");
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error).toBe("Die Datei ist zu groß (höchstens 500 MB).");
  });

  test("captions that stop being UTF-8 text after the first bytes are refused", async () => {
    const before = await storage();
    const vtt = Buffer.concat([
      Buffer.from(`WEBVTT\n\n${"00:00.000 --> 00:01.000\nHallo\n\n".repeat(300)}`),
      Buffer.from([0xff, 0xfe, 0x00]),
    ]);
    await expectRefused(await upload(vtt, "untertitel.vtt"), /UTF-8/);
    expect(await storage()).toEqual(before);
  });

  test("a path in the file name never reaches the disk; control and bidi characters are removed", async () => {
    const before = storedFiles();
    const body = await uploadOk(sample("onepager.pdf"), "../../etc/passwd.pdf");
    expect(body.originalName).toBe("passwd.pdf");
    const added = storedFiles().filter((name) => !before.includes(name));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(fs.existsSync(path.join(server.dataDir, "etc"))).toBe(false);

    const disguised = await uploadOk(sample("onepager.pdf"), "rechnung\u202Efdp.exe");
    expect(disguised.originalName).toBe("rechnungfdp.exe.pdf");
  });

  test("an empty file and a form without a file get their own messages", async () => {
    const before = await storage();
    await expectRefused(await upload(Buffer.alloc(0), "leer.pdf"), "Die Datei ist leer.");
    const form = new FormData();
    form.append("titel", "kein Anhang");
    const response = await fetch(`${url}/api/v1/uploads`, {
      method: "POST",
      headers: { Origin: url, Cookie: cookies.member },
      body: form,
    });
    await expectRefused(response, "Bitte wähle eine Datei aus.");
    expect(await storage()).toEqual(before);
  });

  test("a broken-off upload (the client disconnects mid-body) leaves no file and no row", async () => {
    const before = await storage();
    const boundary = "----abbruch";
    const partHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="abbruch.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const sent = Buffer.concat([Buffer.from(partHead), withFiller(Buffer.from("%PDF-1.4\n"), 256 * 1024)]);
    const req = http.request(`${url}/api/v1/uploads`, {
      method: "POST",
      headers: {
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        "Content-Length": String(sent.length + 500_000),
        Origin: url,
        Cookie: cookies.member,
      },
    });
    req.on("error", () => {});
    req.write(sent);
    // The server has accepted the type and is writing the temp file…
    await vi.waitFor(() => expect(tmpFiles()).toHaveLength(1), { timeout: 5_000, interval: 20 });
    // …when the client goes away.
    req.destroy();
    await vi.waitFor(() => expect(tmpFiles()).toEqual([]), { timeout: 5_000, interval: 20 });
    // The same member's next upload goes through the same route to the end after it: exactly one file and one row
    // more, so the broken-off one has added nothing by then.
    const next = await uploadOk(sample("onepager.pdf"), "danach.pdf");
    const after = await storage();
    expect(after.rows).toBe(before.rows + 1);
    expect(after.files.length).toBe(before.files.length + 1);
    expect(after.tmp).toEqual([]);
    expect(next.originalName).toBe("danach.pdf");
  });

  test("after a refused upload, the same kept-alive connection answers the next request", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const boundary = "----weiter";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="seite.pdf"\r\n\r\n`),
      Buffer.from(`<html>${"<p>kein PDF</p>".repeat(40_000)}</html>`),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const send = (method: string, pathname: string, payload?: Buffer) =>
      new Promise<{ status: number; body: string; socket: unknown }>((resolve, reject) => {
        const headers: Record<string, string> = { Origin: url, Cookie: cookies.member };
        if (payload) {
          headers["Content-Type"] = `multipart/form-data; boundary=${boundary}`;
          headers["Content-Length"] = String(payload.length);
        }
        const req = http.request(`${url}${pathname}`, { method, agent, headers }, (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, socket: req.socket }));
        });
        req.on("error", reject);
        req.end(payload);
      });
    const refused = await send("POST", "/api/v1/uploads", body);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error).toBe(UNSUPPORTED);
    const next = await Promise.race([
      send("GET", "/healthz"),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the connection hangs")), 5_000)),
    ]);
    expect(next.status).toBe(200);
    expect(next.socket).toBe(refused.socket);
    agent.destroy();
  });

  test("without a session: 401; from a foreign page: 403 (Origin check)", async () => {
    const before = await storage();
    await expectRefused(
      await upload(sample("onepager.pdf"), "a.pdf", { cookie: null }),
      "Bitte melde dich an, um Dateien hochzuladen.",
      401,
    );
    const foreign = await upload(sample("onepager.pdf"), "a.pdf", { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
    expect(await storage()).toEqual(before);
  });
});

describe("downloads", () => {
  let video: { id: string; size: number };
  let publishedId: string;
  const bytes = sample("kurzvideo.mp4");

  beforeAll(async () => {
    video = await uploadOk(bytes, "Kurzvideo: Lerngespräch – Teil 1.mp4", cookies.moderator);
    publishedId = await newMaterial({ status: "published", type: "short_video" });
    await attach(video.id, publishedId);
  });

  test("the whole file: 200 with its type, inline disposition with a UTF-8 name, nosniff, private caching", async () => {
    const before = await downloadCount(publishedId);
    const response = await getFile(`/dateien/${video.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toMatch(/private/);
    expect(response.headers.get("last-modified")).toBeTruthy();
    // ":" is no part of a file name on Windows; the ASCII fallback drops the accents.
    expect(response.headers.get("content-disposition")).toBe(
      `inline; filename="Kurzvideo_ Lerngesprach _ Teil 1.mp4"; filename*=UTF-8''Kurzvideo_%20Lerngespr%C3%A4ch%20%E2%80%93%20Teil%201.mp4`,
    );
    expect(sha(new Uint8Array(await response.arrayBuffer()))).toBe(sha(bytes));
    await vi.waitFor(async () => expect(await downloadCount(publishedId)).toBe(before + 1));
  });

  test("a Range request: 206 with exactly the requested bytes and Content-Range; continuations are not counted", async () => {
    const before = await downloadCount(publishedId);
    const response = await getFile(`/dateien/${video.id}`, { range: "bytes=100-1123" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 100-1123/${bytes.length}`);
    expect(response.headers.get("content-length")).toBe("1024");
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(100, 1124))).toBe(true);

    const tail = await getFile(`/dateien/${video.id}/kurzvideo.mp4`, { range: `bytes=${bytes.length - 10}-` });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);

    const outside = await getFile(`/dateien/${video.id}`, { range: `bytes=${bytes.length + 10}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
    await outside.body?.cancel();

    // A player's first request (from byte 0) is one download (another member: the whole file above was the first's).
    // Counts are written in the order of the requests: once this one is in, the parts above would be too, had they
    // counted.
    const first = await getFile(`/dateien/${video.id}`, { range: "bytes=0-", cookie: cookies.member2 });
    expect(first.status).toBe(206);
    await first.arrayBuffer();
    await vi.waitFor(async () => expect(await downloadCount(publishedId)).toBeGreaterThanOrEqual(before + 1));
    expect(await downloadCount(publishedId)).toBe(before + 1);
  });

  test("If-Range: a part only for the strong ETag or the exact Last-Modified date, the whole file otherwise (RFC 9110)", async () => {
    const whole = await getFile(`/dateien/${video.id}`);
    const etag = whole.headers.get("etag") ?? "";
    const lastModified = whole.headers.get("last-modified") ?? "";
    await whole.body?.cancel();
    // Stored files never change: their ETag is a strong one.
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const modified = Date.parse(lastModified);
    const cases: [string, string, number][] = [
      ["the ETag", etag, 206],
      ["the Last-Modified date", lastModified, 206],
      ["the ETag made weak", `W/${etag}`, 200],
      ["another ETag", '"0-0"', 200],
      ["a list that contains the ETag", `"0-0", ${etag}`, 200],
      ["a later date", new Date(modified + 60_000).toUTCString(), 200],
      ["an earlier date", new Date(modified - 60_000).toUTCString(), 200],
      ["no validator at all", "morgen", 200],
    ];
    for (const [name, ifRange, status] of cases) {
      const response = await getFile(`/dateien/${video.id}`, { range: "bytes=0-99", headers: { "If-Range": ifRange } });
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.status, name).toBe(status);
      expect(body.length, name).toBe(status === 206 ? 100 : bytes.length);
      if (status === 206) expect(response.headers.get("content-range"), name).toBe(`bytes 0-99/${bytes.length}`);
    }
    // The strong ETag also serves revalidation (node:http: fetch would add "Cache-Control: no-cache" to this request).
    const revalidated = await new Promise<number>((resolve, reject) => {
      http
        .get(`${url}/dateien/${video.id}`, { headers: { Cookie: cookies.member, "If-None-Match": etag } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on("error", reject);
    });
    expect(revalidated).toBe(304);
  });

  test("clients that break off downloads mid-file leave the server serving", async () => {
    // Larger than the socket buffers, so that the server is still sending when the clients leave.
    const large = await uploadOk(withFiller(sample("vorschau.png"), 6 * 1024 * 1024), "gross.png", cookies.moderator);
    const aborted = await Promise.all(
      Array.from(
        { length: 8 },
        (_, i) =>
          new Promise<number>((resolve, reject) => {
            const req = http.get(
              `${url}/dateien/${large.id}`,
              { headers: { Cookie: cookies.moderator, ...(i % 2 ? { Range: "bytes=1000-" } : {}) } },
              (res) => {
                res.once("data", () => {
                  req.destroy();
                  resolve(res.statusCode ?? 0);
                });
              },
            );
            req.on("error", () => {});
            req.on("timeout", () => reject(new Error("no answer")));
          }),
      ),
    );
    expect(aborted).toEqual([200, 206, 200, 206, 200, 206, 200, 206]);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // And the same file still downloads whole.
    const whole = await getFile(`/dateien/${large.id}`, { cookie: cookies.moderator });
    expect((await whole.arrayBuffer()).byteLength).toBe(6 * 1024 * 1024);
  });

  test("a member's downloads of one material count once a day: the player asking again, a reload, the whole file", async () => {
    const before = await downloadCount(publishedId);
    for (const options of [{ range: "bytes=0-" }, { range: "bytes=0-" }, {}]) {
      const response = await getFile(`/dateien/${video.id}`, { ...options, cookie: cookies.moderator });
      await response.arrayBuffer();
    }
    await vi.waitFor(async () => expect(await downloadCount(publishedId)).toBe(before + 1));
    // Someone else's download afterwards counts (the positive signal: the counts are written in order), and the
    // total shows the moderator's repeated requests added nothing.
    const aylin = await loginCookie(url, "mitglied3@example.org");
    await (await getFile(`/dateien/${video.id}`, { range: "bytes=0-", cookie: aylin })).arrayBuffer();
    await vi.waitFor(async () => expect(await downloadCount(publishedId)).toBeGreaterThanOrEqual(before + 2));
    expect(await downloadCount(publishedId)).toBe(before + 2);
    // The day's marks are keyed hashes: no account id in them.
    const marks = await server.database.rows<{ mark: string }>(sql`select mark from download_marks`);
    expect(marks.length).toBeGreaterThanOrEqual(3);
    for (const m of marks) for (const id of Object.values(ids)) expect(m.mark).not.toContain(id);
  });

  test("captions are served as UTF-8 WebVTT (uncompressed) and, loading with the video, count no download", async () => {
    const captions = await uploadOk(sample("kurzvideo.vtt"), "kurzvideo.vtt", cookies.moderator);
    await attach(captions.id, publishedId);
    const before = await downloadCount(publishedId);
    const response = await getFile(`/dateien/${captions.id}/kurzvideo.vtt`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.text()).toContain("Heute: das erste Lerngespräch.");
    // The positive signal: a counted download afterwards (by someone who has not downloaded it today) is the only one.
    const thomas = await loginCookie(url, "mitglied4@example.org");
    await (await getFile(`/dateien/${video.id}`, { range: "bytes=0-", cookie: thomas })).arrayBuffer();
    await vi.waitFor(async () => expect(await downloadCount(publishedId)).toBeGreaterThanOrEqual(before + 1));
    expect(await downloadCount(publishedId)).toBe(before + 1);
  });

  test("unknown ids: 404; without a session: to the login page", async () => {
    for (const id of [crypto.randomUUID(), "nicht-da", "..%2F..%2Fdb"]) {
      const response = await getFile(`/dateien/${id}`);
      expect(response.status, id).toBe(404);
      await response.body?.cancel();
    }
    const anonymous = await getFile(`/dateien/${video.id}`, { cookie: null });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/anmelden?weiter=${encodeURIComponent(`/dateien/${video.id}`)}`);
  });

  test("drafts: 403 for other members, 200 for moderators and the member who suggested it; published: 200 for all", async () => {
    const file = await uploadOk(sample("onepager.pdf"), "entwurf.pdf", cookies.member);
    const draftId = await newMaterial({ status: "draft", suggestedBy: ids.member });
    await attach(file.id, draftId);

    const status = async (cookie: string) => {
      const response = await getFile(`/dateien/${file.id}`, { cookie });
      await response.body?.cancel();
      return response.status;
    };
    expect(await status(cookies.member2)).toBe(403);
    expect(await status(cookies.moderator)).toBe(200);
    expect(await status(cookies.member)).toBe(200);

    await server.database.db.update(materials).set({ status: "review" }).where(eq(materials.id, draftId));
    expect(await status(cookies.member2)).toBe(403);
    await server.database.db.update(materials).set({ status: "published" }).where(eq(materials.id, draftId));
    expect(await status(cookies.member2)).toBe(200);
    await server.database.db.update(materials).set({ status: "archived" }).where(eq(materials.id, draftId));
    expect(await status(cookies.member2)).toBe(200);
  });

  test("an unattached upload: only its uploader and moderators", async () => {
    const file = await uploadOk(sample("vorschau.png"), "vorschau.png", cookies.member);
    for (const [cookie, expected] of [
      [cookies.member, 200],
      [cookies.moderator, 200],
      [cookies.member2, 403],
    ] as const) {
      const response = await getFile(`/dateien/${file.id}`, { cookie });
      expect(response.status).toBe(expected);
      await response.body?.cancel();
    }
  });

  test("a podcast feed token opens published podcasts' files without a session, nothing else", async () => {
    const token = "feedtoken-fuer-den-test-1234567890";
    await server.database.db.insert(feedTokens).values({ userId: ids.member2, tokenHash: hashToken(token) });
    const audio = await uploadOk(sample("podcast.mp3"), "folge-1.mp3", cookies.moderator);
    const podcastId = await newMaterial({ status: "published", type: "podcast" });
    await attach(audio.id, podcastId);

    const withToken = await getFile(`/dateien/${audio.id}/folge-1.mp3?token=${token}`, {
      cookie: null,
      range: "bytes=0-",
    });
    expect(withToken.status).toBe(206);
    expect(withToken.headers.get("content-type")).toBe("audio/mpeg");
    await withToken.arrayBuffer();

    const wrong = await getFile(`/dateien/${audio.id}?token=falsch`, { cookie: null });
    expect(wrong.status).toBe(403);
    await wrong.body?.cancel();
    // Not a podcast: the token does not open it.
    const notPodcast = await getFile(`/dateien/${video.id}?token=${token}`, { cookie: null });
    expect(notPodcast.status).toBe(403);
    await notPodcast.body?.cancel();
    // A podcast that is not published (any more).
    await server.database.db.update(materials).set({ status: "draft" }).where(eq(materials.id, podcastId));
    const draft = await getFile(`/dateien/${audio.id}?token=${token}`, { cookie: null });
    expect(draft.status).toBe(403);
    await draft.body?.cancel();
  });
});

describe("model: attaching and sweeping", () => {
  test("attachFiles claims the actor's own unattached uploads; moderators any; others' uploads roll back", async () => {
    const own = await uploadOk(sample("vorschau.png"), "eigenes.png", cookies.member);
    const foreign = await uploadOk(sample("vorschau.png"), "fremdes.png", cookies.member2);
    const materialId = await newMaterial({ status: "draft", suggestedBy: ids.member });
    const member = { id: ids.member, role: "member" as const };

    await expect(
      server.database.db.transaction((tx) => attachFiles(tx, materialId, [own.id, foreign.id], member)),
    ).rejects.toBeInstanceOf(InputError);
    const [ownRow] = await server.database.db.select().from(materialFiles).where(eq(materialFiles.id, own.id));
    expect(ownRow.materialId).toBeNull(); // rolled back with the transaction

    const attached = await server.database.db.transaction((tx) =>
      attachFiles(tx, materialId, [own.id, own.id], member),
    );
    expect(attached.map((f) => f.id)).toEqual([own.id]);
    // Attaching again (an edit that keeps the file) is fine.
    await server.database.db.transaction((tx) => attachFiles(tx, materialId, [own.id], member));
    const moderator = { id: ids.moderator, role: "moderator" as const };
    await server.database.db.transaction((tx) => attachFiles(tx, materialId, [foreign.id], moderator));
    const rows = await server.database.db.select().from(materialFiles).where(eq(materialFiles.materialId, materialId));
    expect(rows).toHaveLength(2);
    await expect(
      server.database.db.transaction((tx) => attachFiles(tx, materialId, ["kein-uuid"], member)),
    ).rejects.toBeInstanceOf(InputError);
  });

  test("deleteUnattachedUploads removes old unattached uploads and stale temp files (orphaned bytes on request), nothing else", async () => {
    const old = await uploadOk(sample("vorschau.png"), "alt.png", cookies.member);
    const fresh = await uploadOk(sample("vorschau.png"), "neu.png", cookies.member);
    const kept = await uploadOk(sample("vorschau.png"), "behalten.png", cookies.member);
    const materialId = await newMaterial({ status: "published" });
    await attach(kept.id, materialId);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await server.database.db
      .update(materialFiles)
      .set({ createdAt: twoDaysAgo })
      .where(sql`${materialFiles.id} in (${old.id}, ${kept.id})`);
    const storageOf = async (id: string) =>
      (
        await server.database.db
          .select({ s: materialFiles.storageName })
          .from(materialFiles)
          .where(eq(materialFiles.id, id))
      )[0]?.s;
    const oldName = await storageOf(old.id);

    const orphan = path.join(uploadsDir(), crypto.randomBytes(16).toString("hex"));
    const staleTmp = path.join(uploadsDir(), "tmp", crypto.randomBytes(16).toString("hex"));
    fs.writeFileSync(orphan, "weg");
    fs.writeFileSync(staleTmp, "weg");
    fs.utimesSync(orphan, twoDaysAgo, twoDaysAgo);
    fs.utimesSync(staleTmp, twoDaysAgo, twoDaysAgo);

    const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
    const result = await deleteUnattachedUploads(dayAgo);
    expect(result.files).toBe(2);
    expect(await storageOf(old.id)).toBeUndefined();
    expect(fs.existsSync(path.join(uploadsDir(), oldName))).toBe(false);
    expect(fs.existsSync(staleTmp)).toBe(false);
    // Bytes without a row only on request (a DATA_DIR opened with another database must not lose its files).
    expect(fs.existsSync(orphan)).toBe(true);
    expect((await deleteUnattachedUploads(dayAgo, { orphans: true })).files).toBe(1);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(await storageOf(fresh.id)).toBeTruthy();
    const keptName = await storageOf(kept.id);
    expect(fs.existsSync(path.join(uploadsDir(), keptName))).toBe(true);
  });

  test("removeMaterialFiles deletes a material's rows and bytes, except the ones to keep", async () => {
    const a = await uploadOk(sample("vorschau.png"), "a.png", cookies.moderator);
    const b = await uploadOk(sample("vorschau.png"), "b.png", cookies.moderator);
    const materialId = await newMaterial({ status: "published" });
    await attach(a.id, materialId);
    await attach(b.id, materialId);
    const names = await server.database.db
      .select({ id: materialFiles.id, s: materialFiles.storageName })
      .from(materialFiles)
      .where(eq(materialFiles.materialId, materialId));
    const nameOf = (id: string) => names.find((n) => n.id === id)!.s;

    expect(await removeMaterialFiles(materialId, [b.id])).toBe(1);
    expect(fs.existsSync(path.join(uploadsDir(), nameOf(a.id)))).toBe(false);
    expect(fs.existsSync(path.join(uploadsDir(), nameOf(b.id)))).toBe(true);
    expect(await removeMaterialFiles(materialId)).toBe(1);
    expect(fs.existsSync(path.join(uploadsDir(), nameOf(b.id)))).toBe(false);
    const left = await server.database.db.select().from(materialFiles).where(eq(materialFiles.materialId, materialId));
    expect(left).toEqual([]);
  });
});
