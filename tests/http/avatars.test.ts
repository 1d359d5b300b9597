/**
 * Profile pictures over real HTTP against the built app: the upload form of /einstellungen/profilbild (multipart, as a
 * browser without JavaScript sends it), metadata gone from what is served, refusals with German messages that change
 * nothing, who may fetch which picture, and the face beside the member's posts and on the profile.
 */
import sharp from "sharp";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { EXIF_MARKER, phonePhoto, plainPng } from "../setup/photos.ts";
import { get } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let url: string;
let sevgi: string;
let other: string;

beforeAll(async () => {
  server = await startTestServer({ UPLOAD_MAX_IMAGE_MB: "1" });
  url = server.url;
  sevgi = await loginCookie(url, "mitglied@example.org");
  other = await loginCookie(url, "mitglied2@example.org");
});
afterAll(async () => {
  await server?.close();
});

function postPicture(
  cookie: string,
  fields: Record<string, string>,
  file?: { bytes: Uint8Array; name: string; type: string },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set("picture", new Blob([Buffer.from(file.bytes)], { type: file.type }), file.name);
  return fetch(`${url}/einstellungen/profilbild`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: url },
    body: form,
  });
}

/** The member's picture address as the settings page shows it: id and stamp (null: initials). */
async function shownPicture(cookie: string): Promise<{ id: string; stamp: string } | null> {
  const html = await (await get(url, "/einstellungen/profilbild", cookie)).text();
  const match = /src="\/profilbilder\/([0-9a-f-]{36})\/96\.webp\?v=([0-9a-f]+)"/.exec(html);
  return match ? { id: match[1], stamp: match[2] } : null;
}

describe("profile pictures over HTTP", () => {
  let picture: { id: string; stamp: string };

  it("uploads a phone photo; what is served is square, upright in its data and without EXIF or GPS", async () => {
    expect(await shownPicture(sevgi)).toBeNull();
    const photo = await phonePhoto();
    const response = await postPicture(
      sevgi,
      { intent: "upload" },
      { bytes: photo, name: "IMG_2041.jpg", type: "image/jpeg" },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Dein Profilbild ist gespeichert.");
    picture = (await shownPicture(sevgi))!;
    expect(picture).not.toBeNull();

    for (const size of [48, 96, 192]) {
      const file = await get(url, `/profilbilder/${picture.id}/${size}.webp?v=${picture.stamp}`, other);
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("image/webp");
      expect(file.headers.get("cache-control")).toBe("private, max-age=604800, immutable");
      const bytes = Buffer.from(await file.arrayBuffer());
      expect(bytes.includes(Buffer.from(EXIF_MARKER))).toBe(false);
      const meta = await sharp(bytes).metadata();
      expect({ w: meta.width, h: meta.height, exif: meta.exif, orientation: meta.orientation }).toEqual({
        w: size,
        h: size,
        exif: undefined,
        orientation: undefined,
      });
    }
    // The uploaded picture (to choose another square) only for its member: upright 400 × 600, no metadata.
    const original = await get(url, `/profilbilder/${picture.id}/original.webp`, sevgi);
    expect(original.status).toBe(200);
    const meta = await sharp(Buffer.from(await original.arrayBuffer())).metadata();
    expect({ w: meta.width, h: meta.height, exif: meta.exif }).toEqual({ w: 400, h: 600, exif: undefined });
    expect((await get(url, `/profilbilder/${picture.id}/original.webp`, other)).status).toBe(404);
    // Revalidation by ETag; an old stamp is not kept by the browser.
    const etag = (await get(url, `/profilbilder/${picture.id}/96.webp?v=${picture.stamp}`, other)).headers.get("etag")!;
    const again = await fetch(`${url}/profilbilder/${picture.id}/96.webp`, {
      headers: { Cookie: other, "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe("private, no-cache");
  });

  it("shows nothing to visitors who are not logged in", async () => {
    const response = await get(url, `/profilbilder/${picture.id}/96.webp?v=${picture.stamp}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toContain("nur angemeldete Mitglieder");
    expect((await get(url, "/einstellungen/profilbild")).status).toBe(302);
    expect((await get(url, `/profilbilder/${picture.id}/original.webp`)).status).toBe(401);
  });

  it("shows the face beside the member's posts and on the profile, decorative and with a fixed size", async () => {
    const [post] = await server.database.rows<{ thread_id: string }>(
      sql`select thread_id from posts where author_id = ${picture.id} and not anonymous and deleted_at is null and hidden_at is null limit 1`,
    );
    const thread = await (await get(url, `/diskussionen/${post.thread_id}`, other)).text();
    expect(thread).toContain(
      `<img class="avatar avatar--m" src="/profilbilder/${picture.id}/48.webp?v=${picture.stamp}" srcset="/profilbilder/${picture.id}/96.webp?v=${picture.stamp} 2x" width="40" height="40" alt="" loading="lazy" decoding="async">`,
    );
    // Others without a picture: their initials.
    expect(thread).toMatch(
      /<span class="avatar avatar--m avatar--c\d" data-initials="[A-ZÄÖÜ]{1,2}" aria-hidden="true"><\/span>/,
    );
    const [{ handle }] = await server.database.rows<{ handle: string }>(
      sql`select handle from users where id = ${picture.id}`,
    );
    const profile = await (await get(url, `/mitglieder/${handle}`, other)).text();
    expect(profile).toContain(`src="/profilbilder/${picture.id}/96.webp?v=${picture.stamp}"`);
  });

  it("refuses what is no usable picture with a German message and keeps the picture", async () => {
    const refusals: [Parameters<typeof postPicture>[2], Record<string, string>, RegExp][] = [
      [
        { bytes: Buffer.from("%PDF-1.7\nkein Bild"), name: "foto.jpg", type: "image/jpeg" },
        {},
        /Diese Datei ist kein Bild, das wir verwenden können/,
      ],
      [
        {
          bytes: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
          name: "bild.svg",
          type: "image/svg+xml",
        },
        {},
        /kein Bild/,
      ],
      [
        {
          bytes: Buffer.concat([await plainPng(100, 100), Buffer.alloc(1024 * 1024)]),
          name: "gross.png",
          type: "image/png",
        },
        {},
        /Das Bild ist zu groß \(höchstens 1 MB\)/,
      ],
      [{ bytes: await plainPng(30, 30), name: "klein.png", type: "image/png" }, {}, /Das Bild ist zu klein/],
      [
        { bytes: await plainPng(300, 300), name: "ok.png", type: "image/png" },
        { x: "links" },
        /Der gewählte Ausschnitt ist ungültig/,
      ],
      [undefined, {}, /Bitte wähle ein Bild aus/],
    ];
    for (const [file, fields, message] of refusals) {
      const response = await postPicture(sevgi, { intent: "upload", ...fields }, file);
      expect(response.status, String(message)).toBe(400);
      const html = await response.text();
      expect(html).toMatch(message);
      expect(html).toContain('aria-invalid="true"');
    }
    expect(await shownPicture(sevgi)).toEqual(picture);
  });

  it("chooses another square without a new upload, then removes the picture", async () => {
    const crop = await postPicture(sevgi, { intent: "crop", x: "50", y: "0", zoom: "2" });
    expect(crop.status).toBe(200);
    expect(await crop.text()).toContain("Der neue Ausschnitt ist gespeichert.");
    const changed = (await shownPicture(sevgi))!;
    expect(changed.stamp).not.toBe(picture.stamp);
    // The top of the upright photo is red.
    const bytes = Buffer.from(
      await (await get(url, `/profilbilder/${changed.id}/192.webp?v=${changed.stamp}`, sevgi)).arrayBuffer(),
    );
    const { channels } = await sharp(bytes).stats();
    expect(channels[0].mean).toBeGreaterThan(150);

    const removed = await postPicture(sevgi, { intent: "remove" });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain("Dein Profilbild ist entfernt.");
    expect(await shownPicture(sevgi)).toBeNull();
    expect((await get(url, `/profilbilder/${changed.id}/96.webp?v=${changed.stamp}`, other)).status).toBe(404);
  });
});
