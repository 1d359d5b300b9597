/** Pictures for tests and the images benchmark, made with sharp: photos with EXIF and GPS, and decompression bombs. */
import zlib from "node:zlib";
import sharp from "sharp";

/**
 * A photo-like JPEG (smooth colour waves with grain) of `width`×`height`, stored rotated with EXIF orientation 6 and
 * carrying camera and GPS tags, as a phone writes it. Grain 0–60 sets how well it compresses (the file size).
 */
export async function photoWithGps(
  width: number,
  height: number,
  options: { grain?: number; quality?: number } = {},
): Promise<Buffer> {
  const grain = options.grain ?? 30;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = (seed / 0x7fffffff - 0.5) * grain;
      const i = (y * width + x) * 3;
      pixels[i] = 120 + 80 * Math.sin(x / 150) + n;
      pixels[i + 1] = 110 + 70 * Math.cos(y / 110) + n;
      pixels[i + 2] = 100 + 60 * Math.sin((x + y) / 90) + n;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: options.quality ?? 88 })
    .withExif({
      IFD0: { Make: "Testkamera", Model: "Flipchart 3000" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "52/1 31/1 1234/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "13/1 24/1 567/100",
        GPSMapDatum: GPS_MARK,
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** An ASCII GPS tag of photoWithGps: its bytes in a file prove the GPS block is there. */
export const GPS_MARK = "WGS-84-TESTPUNKT";

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A PNG of a few hundred bytes whose header declares `width`×`height` pixels: a decompression bomb. */
export function pngBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  // One compressed row of zeros stands in for the (never decoded) image data.
  const data = zlib.deflateSync(Buffer.alloc(width + 1));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", data),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
