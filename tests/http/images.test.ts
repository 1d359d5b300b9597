/**
 * Pictures in posts over real HTTP (issue 19): upload through POST /api/v1/bilder (sniffed from the bytes, metadata
 * stripped, upright, renditions at fixed widths), refusals of non-pictures and decompression bombs with German
 * messages, the daily limit, members-only serving with cache headers, the thread page's <img srcset>, and removal
 * with the post.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { images, users } from "../../db/schema/index.ts";
import { GPS_MARK, photoWithGps, pngBomb } from "../setup/images.ts";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, errorMessages, get, postForm } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
interface Stored {
  id: string;
  src: string;
  width: number;
  height: number;
  error?: string;
}

let server: Server;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

function upload(bytes: Buffer, filename: string, who: string): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), filename);
  return fetch(`${server.url}/api/v1/bilder`, {
    method: "POST",
    headers: { Origin: server.url, Cookie: cookies[who] },
    body: form,
  });
}

async function uploaded(bytes: Buffer, who: string): Promise<Stored> {
  const response = await upload(bytes, "flipchart.jpg", who);
  const body = (await response.json()) as Stored;
  expect(response.status, body.error).toBe(201);
  return body;
}

const docWith = (text: string, picture: { src: string; width: number; height: number }, alt: string) =>
  JSON.stringify({
    type: "doc",
    content: [
      { type: "paragraph", content: [{ type: "text", text }] },
      { type: "image", attrs: { src: picture.src, alt, width: picture.width, height: picture.height } },
    ],
  });

async function newThread(who: string, title: string, bodyJson: string): Promise<Response> {
  return postForm(
    server.url,
    "/diskussionen/neu",
    { type: "question", category: "methoden", title, body: "", bodyJson },
    { cookie: cookies[who] },
  );
}

const renditionFiles = (id: string) =>
  fs.readdirSync(path.join(server.dataDir, "uploads", "bilder")).filter((name) => name.startsWith(id));

beforeAll(async () => {
  server = await startTestServer({ UPLOAD_DAILY_IMAGES: "8", UPLOAD_IMAGE_MAX_MEGAPIXELS: "30" });
  for (const [name, email] of [
    ["member", "mitglied@example.org"],
    ["member2", "mitglied2@example.org"],
    ["member3", "mitglied3@example.org"],
  ] as const) {
    cookies[name] = await loginCookie(server.url, email);
    const [user] = await server.database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    ids[name] = user.id;
  }
}, 180_000);
afterAll(async () => {
  await server?.close();
});

describe("upload and processing", () => {
  test("a phone photo with EXIF and GPS: stored upright in three widths, without any metadata", async () => {
    const photo = await photoWithGps(2400, 1800);
    expect(photo.includes(Buffer.from(GPS_MARK))).toBe(true);
    const stored = await uploaded(photo, "member");
    // Orientation 6: the 2400×1800 pixels are shown turned, 1800 wide; the largest rendition is 1600 wide.
    expect(stored).toMatchObject({
      src: `/bilder/${stored.id}`,
      width: 1600,
      height: Math.round((2400 * 1600) / 1800),
    });
    for (const width of [480, 960, 1600]) {
      const response = await get(server.url, `/bilder/${stored.id}/${width}.jpg`, cookies.member);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/jpeg");
      expect(response.headers.get("cache-control")).toBe("private, max-age=3600");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const bytes = Buffer.from(await response.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect(meta.width).toBe(width);
      expect(meta.height).toBeGreaterThan(meta.width!);
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(bytes.includes(Buffer.from(GPS_MARK))).toBe(false);
      expect(bytes.includes(Buffer.from("Testkamera"))).toBe(false);
    }
    expect((await get(server.url, `/bilder/${stored.id}/700.jpg`, cookies.member)).status).toBe(404);
  });

  test("a small picture keeps its own width as the largest rendition", async () => {
    const stored = await uploaded(
      await sharp({ create: { width: 300, height: 200, channels: 3, background: "#c33" } })
        .png()
        .toBuffer(),
      "member",
    );
    expect(stored).toMatchObject({ width: 300, height: 200 });
    expect(renditionFiles(stored.id)).toEqual([`${stored.id}-300.jpg`]);
  });

  test("not a picture, a broken picture and a decompression bomb are refused in German, nothing stored", async () => {
    const before = (await server.database.db.select().from(images)).length;
    const pdf = await upload(
      Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"),
      "bild.jpg",
      "member",
    );
    expect(pdf.status).toBe(400);
    expect(((await pdf.json()) as Stored).error).toBe("Bitte wähle ein Bild aus (JPEG, PNG, GIF oder WebP).");
    const svg = await upload(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      "bild.svg",
      "member",
    );
    expect(svg.status).toBe(400);

    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#333" } })
      .png()
      .toBuffer();
    const broken = await upload(Buffer.concat([png.subarray(0, 60), Buffer.alloc(3000, 7)]), "kaputt.png", "member");
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as Stored).error).toMatch(/^Das Bild konnte nicht gelesen werden\./);

    const bomb = pngBomb(20_000, 20_000);
    expect(bomb.length).toBeLessThan(30_000);
    const refused = await upload(bomb, "bombe.png", "member");
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as Stored).error).toBe(
      "Das Bild hat zu viele Bildpunkte (höchstens 30 Megapixel). Bitte verkleinere es und lade es erneut hoch.",
    );
    expect((await server.database.db.select().from(images)).length).toBe(before);
    expect(fs.readdirSync(path.join(server.dataDir, "uploads", "tmp"))).toEqual([]);
  });

  test("uploading needs a login", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await photoWithGps(60, 40))]), "x.jpg");
    const response = await fetch(`${server.url}/api/v1/bilder`, {
      method: "POST",
      headers: { Origin: server.url },
      body: form,
    });
    expect(response.status).toBe(401);
  });
});

describe("pictures in posts", () => {
  test("a post shows its picture with srcset, sizes, width, height and lazy loading; members see it, visitors do not", async () => {
    const stored = await uploaded(await photoWithGps(1200, 900), "member");
    // Before it belongs to a post, only its uploader sees it.
    expect((await get(server.url, `/bilder/${stored.id}/480.jpg`, cookies.member2)).status).toBe(403);

    const response = await newThread(
      "member",
      "Unser Flipchart vom Fachtag",
      docWith("So sah es aus:", stored, "Flipchart mit drei Zielen"),
    );
    expect(response.status).toBe(302);
    const threadPath = response.headers.get("location")!;
    const page = decodeHtml(await (await get(server.url, threadPath, cookies.member2)).text());
    const img = page.match(/<img class="beitragsbild"[^>]*>/)?.[0] ?? "";
    expect(img).toContain('alt="Flipchart mit drei Zielen"');
    expect(img).toContain(`srcset="/bilder/${stored.id}/480.jpg 480w, /bilder/${stored.id}/900.jpg 900w"`);
    expect(img).toContain(`width="900" height="1200"`);
    expect(img).toContain('loading="lazy"');
    expect(img).toContain('sizes="');

    expect((await get(server.url, `/bilder/${stored.id}/900.jpg`, cookies.member2)).status).toBe(200);
    expect((await get(server.url, `/bilder/${stored.id}/900.jpg`)).status).toBe(401);
    const [row] = await server.database.db.select().from(images).where(eq(images.id, stored.id));
    expect(row.postId).not.toBeNull();
  });

  test("a picture without description, from another host or of someone else is refused; the text is kept", async () => {
    const stored = await uploaded(await photoWithGps(500, 400), "member");
    const noAlt = await newThread("member", "Ohne Beschreibung", docWith("Text bleibt", stored, "  "));
    expect(noAlt.status).toBe(400);
    const html = await noAlt.text();
    expect(errorMessages(html)).toContain(
      "Bitte beschreibe jedes Bild in einem Alternativtext (was darauf zu sehen ist), damit auch Menschen, die es nicht sehen, wissen, worum es geht.",
    );
    expect(decodeHtml(html)).toContain("Text bleibt");

    const foreign = await newThread(
      "member",
      "Fremdes Bild",
      docWith("Hallo", { src: "https://example.com/x.jpg", width: 10, height: 10 }, "Ein Bild"),
    );
    expect(foreign.status).toBe(400);
    expect(errorMessages(await foreign.text())).toContain(
      "Bilder können nur von dieser Website stammen: Bitte füge das Bild über „Bild einfügen“ ein.",
    );

    const othersPicture = await newThread("member2", "Geliehenes Bild", docWith("Hallo", stored, "Ein Bild"));
    expect(othersPicture.status).toBe(400);
    expect(errorMessages(await othersPicture.text())).toContain(
      "Ein Bild in deinem Text gibt es nicht mehr oder es gehört zu einem anderen Beitrag. Bitte entferne es und füge es noch einmal ein.",
    );
    const [row] = await server.database.db.select().from(images).where(eq(images.id, stored.id));
    expect(row.postId).toBeNull();
  });

  test("deleting the post removes its pictures from disk and database", async () => {
    const stored = await uploaded(await photoWithGps(700, 500), "member3");
    const created = await newThread("member3", "Bald gelöscht", docWith("Kurz da", stored, "Ein Foto vom Raum"));
    expect(created.status).toBe(302);
    const threadPath = created.headers.get("location")!;
    expect(renditionFiles(stored.id).length).toBe(2);
    const html = await (await get(server.url, threadPath, cookies.member3)).text();
    const postId = html.match(/id="beitrag-([0-9a-f-]{36})"/)?.[1];
    expect(postId).toBeTruthy();
    const deleted = await postForm(
      server.url,
      `${threadPath}/beitrag/${postId}/loeschen`,
      {},
      { cookie: cookies.member3 },
    );
    expect(deleted.status).toBe(302);
    expect(renditionFiles(stored.id)).toEqual([]);
    expect(await server.database.db.select().from(images).where(eq(images.id, stored.id))).toEqual([]);
    expect((await get(server.url, `/bilder/${stored.id}/500.jpg`, cookies.member3)).status).toBe(404);
  });
});

describe("daily limit", () => {
  test("a member's ninth picture within 24 hours: 429 with a German message", async () => {
    const small = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#06c" } })
      .png()
      .toBuffer();
    const existing = (await server.database.db.select().from(images).where(eq(images.uploadedBy, ids.member2))).length;
    for (let i = existing; i < 8; i++) await uploaded(small, "member2");
    const refused = await upload(small, "neun.png", "member2");
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as Stored).error).toBe(
      "Du hast in den letzten 24 Stunden 8 Bilder hochgeladen, mehr geht an einem Tag nicht. Bitte versuche es in 24 Stunden wieder.",
    );
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(23 * 3600);
  });
});
