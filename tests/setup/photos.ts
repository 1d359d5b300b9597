/**
 * Photos for the profile picture tests, made with sharp: a JPEG as a phone writes it, lying on its side (EXIF
 * orientation 6) with camera make, copyright and GPS position in its EXIF, all carrying a marker the tests look for.
 */
import sharp from "sharp";

export const EXIF_MARKER = "GEHEIMKAMERA";
/** Berlin, as degrees/minutes/seconds rationals in the GPS IFD. */
const GPS = {
  GPSLatitudeRef: "N",
  GPSLatitude: "52/1 31/1 12/1",
  GPSLongitudeRef: "E",
  GPSLongitude: "13/1 24/1 36/1",
};

/** Stored 600 × 400 (left red, right blue), shown upright as 400 × 600 (orientation 6 = turn 90° clockwise). */
export async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 220, g: 30, b: 30 } } })
    .composite([
      {
        input: { create: { width: 300, height: 400, channels: 3, background: { r: 30, g: 30, b: 220 } } },
        left: 300,
        top: 0,
      },
    ])
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: EXIF_MARKER, Copyright: EXIF_MARKER }, IFD3: GPS })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export async function plainPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 60 } } })
    .png()
    .toBuffer();
}
