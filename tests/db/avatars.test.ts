import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { readZip } from "../setup/zip.ts";
import { EXIF_MARKER, phonePhoto, plainPng } from "../setup/photos.ts";
import { parseEnv } from "../../app/env.server.ts";
import { profilePictures, users } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { memberNames } from "../../app/models/accounts/names.server.ts";
import {
  changeCrop,
  ownPicture,
  pictureFile,
  removeProfilePicture,
  setProfilePicture,
} from "../../app/models/avatars/pictures.server.ts";
import { getExportDownload, latestExport, requestExport } from "../../app/models/privacy/export.server.ts";
import { deleteAccount } from "../../app/models/privacy/deletion.server.ts";
import { ForbiddenError, InputError } from "../../app/models/errors.server.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let dataDir = "";

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-avatars-"));
  globalThis.__companionEnv = parseEnv({ DATA_DIR: dataDir, UPLOAD_MAX_IMAGE_MB: "1" });
});
afterAll(() => {
  globalThis.__companionEnv = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function member(name: string) {
  const slug = name.toLowerCase().replace(/\W+/g, "-");
  const { id } = await createUser({
    email: `${slug}@example.org`,
    displayName: name,
    handle: slug,
    password: "ein-gutes-passwort",
  });
  return { id, role: "member" as const };
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A tiny PNG whose header claims width × height (its pixel data stays that of 1 × 1). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await plainPng(1, 1));
  // Signature (8), IHDR length (4), "IHDR" (4), width, height, …; the chunk's CRC covers type and data (17 bytes).
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** Mean colour of a picture: to see which half of the test photo a square shows. */
async function meanColour(bytes: Buffer) {
  const { channels } = await sharp(bytes).stats();
  return { r: Math.round(channels[0].mean), b: Math.round(channels[2].mean) };
}

describe(`profile pictures on ${engine}`, () => {
  it("stores the picture upright, without EXIF or GPS, in three square sizes; the square follows the choice", async () => {
    const a = await member("Sevgi Schneider");
    const photo = await phonePhoto();
    expect(photo.includes(Buffer.from(EXIF_MARKER))).toBe(true);
    // Shown upright the photo is 400 × 600: red on top, blue below. Focus at the bottom: a blue square.
    const stamp = await setProfilePicture(a, { bytes: photo, crop: { x: 0.5, y: 1, zoom: 1 } });
    const [row] = await db().select().from(profilePictures).where(eq(profilePictures.userId, a.id));
    expect(row.stamp).toBe(stamp);
    expect({ w: row.sourceWidth, h: row.sourceHeight }).toEqual({ w: 400, h: 600 });
    for (const [bytes, px] of [
      [row.small, 48],
      [row.medium, 96],
      [row.large, 192],
      [row.source, null],
    ] as const) {
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe("webp");
      if (px) expect({ w: meta.width, h: meta.height }).toEqual({ w: px, h: px });
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(bytes.includes(Buffer.from(EXIF_MARKER))).toBe(false);
      expect(bytes.includes(Buffer.from("GPS"))).toBe(false);
    }
    const bottom = await meanColour(row.large);
    expect(bottom.b).toBeGreaterThan(150);
    expect(bottom.r).toBeLessThan(80);

    // Another square of the same picture: the top, red. A new stamp, so browsers load it anew.
    const again = await changeCrop(a, { x: 0.5, y: 0, zoom: 1.5 });
    expect(again).not.toBe(stamp);
    const top = await meanColour((await pictureFile(a, a.id, 192))!.bytes);
    expect(top.r).toBeGreaterThan(150);
    expect(await ownPicture(a)).toMatchObject({
      stamp: again,
      crop: { x: 0.5, y: 0, zoom: 1.5 },
      width: 400,
      height: 600,
    });
    // Names everywhere carry the new stamp at once (the name cache forgets the member).
    expect((await memberNames([a.id])).get(a.id)).toMatchObject({ id: a.id, name: "Sevgi Schneider", picture: again });
  });

  it("only logged-in members see pictures, and only their own member the uploaded original", async () => {
    const a = await member("Aylin Demir");
    const b = await member("Thomas Becker");
    await setProfilePicture(a, { bytes: await plainPng(300, 200), crop: {} });
    await expect(pictureFile(null, a.id, 96)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await pictureFile(b, a.id, 96)).not.toBeNull();
    expect(await pictureFile(b, a.id, "source")).toBeNull();
    expect(await pictureFile(a, a.id, "source")).not.toBeNull();
    expect(await pictureFile(b, b.id, 96)).toBeNull();
    expect(await pictureFile(b, "not-a-uuid", 96)).toBeNull();
  });

  it("refuses what is no usable picture, with a German message, and keeps the old picture", async () => {
    const a = await member("Miriam Koch");
    const stamp = await setProfilePicture(a, { bytes: await plainPng(200, 200), crop: {} });
    const refused = async (bytes: Uint8Array, pattern: RegExp) => {
      const error = await setProfilePicture(a, { bytes, crop: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).field).toBe("picture");
      expect((error as Error).message).toMatch(pattern);
    };
    await refused(Buffer.from("%PDF-1.7 kein Bild"), /kein Bild.*JPEG, PNG, WebP oder GIF/);
    await refused(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), /kein Bild/);
    await refused(new Uint8Array(0), /Bitte wähle ein Bild/);
    await refused(await plainPng(40, 40), /zu klein/);
    // A PNG head with garbage behind it: sniffed as PNG, but sharp cannot decode it.
    const broken = Buffer.concat([(await plainPng(100, 100)).subarray(0, 40), Buffer.alloc(200, 7)]);
    await refused(broken, /nicht gelesen/);
    // Over the size limit (1 MB in this test): refused before any decoding.
    await refused(Buffer.concat([await plainPng(100, 100), Buffer.alloc(1024 * 1024)]), /zu groß \(höchstens 1 MB\)/);
    // A small file that claims 200 million pixels (a decompression bomb): refused by the pixel limit.
    const bomb = await pngClaiming(20_000, 10_000);
    await refused(bomb, /zu viele Bildpunkte/);
    expect((await ownPicture(a))?.stamp).toBe(stamp);
  });

  it("removing the picture brings the initials back", async () => {
    const a = await member("Jonas Weber");
    await setProfilePicture(a, { bytes: await plainPng(120, 120), crop: {} });
    expect(await removeProfilePicture(a)).toBe(true);
    expect(await ownPicture(a)).toBeNull();
    expect((await memberNames([a.id])).get(a.id)?.picture).toBeNull();
    expect(await removeProfilePicture(a)).toBe(false);
    await expect(changeCrop(a, { x: 0.2 })).rejects.toMatchObject({ field: "picture" });
  });

  it("is in the member's data export and goes with the account", async () => {
    const a = await member("Lena Vogel");
    const b = await member("Paul Richter");
    await setProfilePicture(a, { bytes: await phonePhoto(), crop: { x: 0.5, y: 0.25, zoom: 2 } });
    await setProfilePicture(b, { bytes: await plainPng(100, 100), crop: {} });

    const { id } = await requestExport(a);
    const deadline = Date.now() + 30_000;
    while ((await latestExport(a))?.state !== "ready") {
      if (Date.now() > deadline) throw new Error("export not ready");
      await new Promise((r) => setTimeout(r, 50));
    }
    const zip = await readZip((await getExportDownload(a, id))!.path);
    const [source, square] = [zip.get("profilbild/hochgeladen.webp")!, zip.get("profilbild/profilbild-192.webp")!];
    expect((await sharp(source).metadata()).height).toBe(600);
    expect((await sharp(square).metadata()).width).toBe(192);
    expect(source.includes(Buffer.from(EXIF_MARKER))).toBe(false);
    const { data } = JSON.parse(zip.get("daten.json")!.toString("utf8")) as { data: Record<string, any> };
    expect(data.profile_pictures).toMatchObject({
      file: "profilbild/",
      sourceWidth: 400,
      sourceHeight: 600,
      square: { focusX: 0.5, focusY: 0.25, zoom: 2 },
    });

    await deleteAccount(a, { password: "ein-gutes-passwort", posts: "keep" });
    expect(await db().select().from(users).where(eq(users.id, a.id))).toEqual([]);
    expect(
      await db().select({ id: profilePictures.userId }).from(profilePictures).where(eq(profilePictures.userId, a.id)),
    ).toEqual([]);
    expect(await pictureFile(b, a.id, 96)).toBeNull();
    // The other member's picture stays.
    expect(await pictureFile(b, b.id, 96)).not.toBeNull();
  });
});
