/**
 * What an uploaded file really is, decided from its first bytes and never from its name or the browser's claim:
 * a renamed executable, an HTML page or an SVG with script must not be stored and served as a "PDF" or "image".
 * Only formats that browsers show or play themselves are accepted. Pure: no I/O.
 */

export type SniffedKind = "document" | "video" | "audio" | "image" | "captions";

export interface Sniffed {
  kind: SniffedKind;
  mime: string;
  ext: string;
}

/** How many leading bytes `sniff` wants to see (fewer only when the file is shorter). */
export const SNIFF_BYTES = 4096;

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  start + length > bytes.length ? "" : String.fromCharCode(...bytes.subarray(start, start + length));

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

const u32 = (bytes: Uint8Array, at: number): number =>
  ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;

// ISO base media ("ftyp") brands: which ones Chromium's <video>/<audio> plays as MP4.
const mp4VideoBrands = new Set([
  "isom",
  "iso2",
  "iso3",
  "iso4",
  "iso5",
  "iso6",
  "mp41",
  "mp42",
  "avc1",
  "M4V ",
  "M4VH",
  "M4VP",
  "dash",
  "mmp4",
  "MSNV",
]);
const mp4AudioBrands = new Set(["M4A ", "M4B "]);

function sniffMp4(head: Uint8Array): Sniffed | null {
  if (ascii(head, 4, 4) !== "ftyp") return null;
  const boxSize = u32(head, 0);
  if (boxSize < 16 || boxSize > 4096) return null;
  const major = ascii(head, 8, 4);
  if (mp4AudioBrands.has(major)) return { kind: "audio", mime: "audio/mp4", ext: "m4a" };
  if (mp4VideoBrands.has(major)) return { kind: "video", mime: "video/mp4", ext: "mp4" };
  // An unusual major brand that declares compatibility with a plain MP4 brand (QuickTime "qt  " does not).
  const end = Math.min(boxSize, head.length);
  for (let at = 16; at + 4 <= end; at += 4) {
    const brand = ascii(head, at, 4);
    if (mp4AudioBrands.has(brand)) return { kind: "audio", mime: "audio/mp4", ext: "m4a" };
    if (brand === "isom" || brand === "mp41" || brand === "mp42")
      return { kind: "video", mime: "video/mp4", ext: "mp4" };
  }
  return null;
}

/** EBML (Matroska/WebM): the header's DocType must say "webm" or "matroska". */
function sniffEbml(head: Uint8Array): Sniffed | null {
  if (!startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return null;
  const limit = Math.min(head.length, 64);
  for (let at = 4; at + 3 < limit; at++) {
    if (head[at] !== 0x42 || head[at + 1] !== 0x82) continue; // DocType element id
    const sizeByte = head[at + 2];
    if (sizeByte < 0x81 || sizeByte > 0x90) continue; // one-byte vint length, 1..16
    const docType = ascii(head, at + 3, sizeByte & 0x7f).replace(/\0+$/, "");
    if (docType === "webm" || docType === "matroska") return { kind: "video", mime: "video/webm", ext: "webm" };
    return null;
  }
  return null;
}

// MPEG audio frame header tables (version index: 3 = MPEG 1, 2 = MPEG 2, 0 = MPEG 2.5; layer index: 3 = I, 2 = II, 1 = III).
const bitrates: Record<string, number[]> = {
  "1-1": [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  "1-2": [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  "1-3": [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2-1": [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  "2-2": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  "2-3": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const sampleRates: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

/** Length in bytes of the MPEG audio frame whose header starts at `at`, or 0 when there is no sane header. */
function mpegFrameLength(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) return 0;
  const [b0, b1, b2, b3] = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return 0;
  const version = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return 0;
  if ((b3 & 3) === 2) return 0; // reserved emphasis
  const layer = 4 - layerBits; // 1, 2 or 3
  const bitrate = bitrates[`${version === 3 ? 1 : 2}-${layer}`][bitrateIndex] * 1000;
  const rate = sampleRates[version][rateIndex];
  const padding = (b2 >> 1) & 1;
  if (layer === 1) return (Math.floor((12 * bitrate) / rate) + padding) * 4;
  const factor = layer === 3 && version !== 3 ? 72 : 144;
  return Math.floor((factor * bitrate) / rate) + padding;
}

/** Frame sync at `at`, confirmed by a second frame right after it when the head reaches that far. */
function isMpegAudioAt(bytes: Uint8Array, at: number): boolean {
  const length = mpegFrameLength(bytes, at);
  if (length < 24) return false;
  if (at + length + 4 > bytes.length) return true;
  return mpegFrameLength(bytes, at + length) > 0;
}

function sniffMp3(head: Uint8Array): Sniffed | null {
  const mp3: Sniffed = { kind: "audio", mime: "audio/mpeg", ext: "mp3" };
  if (ascii(head, 0, 3) === "ID3") {
    const [major, , flags, s0, s1, s2, s3] = head.subarray(3, 10);
    if (head.length < 10 || major < 2 || major > 4 || (flags & 0x0f) !== 0) return null;
    if ((s0 | s1 | s2 | s3) & 0x80) return null; // sizes are "syncsafe": 7 bits per byte
    let end = 10 + ((s0 << 21) | (s1 << 14) | (s2 << 7) | s3) + (flags & 0x10 ? 10 : 0);
    // A tag longer than the head (cover art) hides the first frame; the tag itself is evidence enough.
    if (end + 4 > head.length) return mp3;
    while (end < head.length && head[end] === 0) end++; // padding some encoders write after the tag
    if (end + 4 > head.length) return mp3;
    return isMpegAudioAt(head, end) ? mp3 : null;
  }
  return isMpegAudioAt(head, 0) ? mp3 : null;
}

/** Ogg: only Opus or Vorbis audio (Chromium no longer plays Theora video). */
function sniffOgg(head: Uint8Array): Sniffed | null {
  if (ascii(head, 0, 4) !== "OggS" || head[4] !== 0 || head.length < 28) return null;
  const packet = 27 + head[26];
  if (ascii(head, packet, 8) === "OpusHead") return { kind: "audio", mime: "audio/ogg", ext: "opus" };
  if (head[packet] === 1 && ascii(head, packet + 1, 6) === "vorbis")
    return { kind: "audio", mime: "audio/ogg", ext: "ogg" };
  return null;
}

function sniffImage(head: Uint8Array): Sniffed | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { kind: "image", mime: "image/png", ext: "png" };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: "image", mime: "image/jpeg", ext: "jpg" };
  const gif = ascii(head, 0, 6);
  if (gif === "GIF87a" || gif === "GIF89a") return { kind: "image", mime: "image/gif", ext: "gif" };
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "WEBP" && /^VP8[ LX]$/.test(ascii(head, 12, 4))) {
    return { kind: "image", mime: "image/webp", ext: "webp" };
  }
  return null;
}

/**
 * A validator for UTF-8 text that is fed chunk by chunk (a character may be split between chunks): `push` and
 * `end` return false as soon as the bytes are not UTF-8 or contain NUL or other control characters text has no use for.
 */
export function utf8TextValidator(): { push: (chunk: Uint8Array) => boolean; end: () => boolean } {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const check = (text: string) => !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
  return {
    push(chunk) {
      try {
        return check(decoder.decode(chunk, { stream: true }));
      } catch {
        return false;
      }
    },
    end() {
      try {
        return check(decoder.decode());
      } catch {
        return false;
      }
    },
  };
}

/** WebVTT: optional BOM, "WEBVTT", then space, tab, line break or the end; the head must be UTF-8 text. */
function sniffVtt(head: Uint8Array): Sniffed | null {
  const start = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  if (ascii(head, start, 6) !== "WEBVTT") return null;
  const next = head[start + 6];
  if (next !== undefined && next !== 0x20 && next !== 0x09 && next !== 0x0a && next !== 0x0d) return null;
  const text = utf8TextValidator();
  // In stream mode a character cut off at the end of the head is no error: the rest follows.
  if (!text.push(head)) return null;
  return { kind: "captions", mime: "text/vtt", ext: "vtt" };
}

/**
 * The kind, MIME type and file extension of a file from its first bytes (ideally `SNIFF_BYTES` of them), or null
 * when it is no format we accept. The original name is deliberately not consulted: names lie.
 */
export function sniff(head: Uint8Array, _originalName?: string): Sniffed | null {
  if (head.length === 0) return null;
  if (ascii(head, 0, 5) === "%PDF-") return { kind: "document", mime: "application/pdf", ext: "pdf" };
  return sniffMp4(head) ?? sniffEbml(head) ?? sniffOgg(head) ?? sniffImage(head) ?? sniffVtt(head) ?? sniffMp3(head);
}

// File name extensions that fit each detected type; any other extension gets the right one appended.
const extensionsFor: Record<string, string[]> = {
  pdf: ["pdf"],
  mp4: ["mp4", "m4v"],
  m4a: ["m4a", "m4b", "mp4", "aac"],
  webm: ["webm", "mkv"],
  mp3: ["mp3"],
  ogg: ["ogg", "oga"],
  opus: ["opus", "ogg", "oga"],
  png: ["png"],
  jpg: ["jpg", "jpeg", "jpe"],
  gif: ["gif"],
  webp: ["webp"],
  vtt: ["vtt"],
};

/** Longest display/download name we keep, in characters. */
export const MAX_FILE_NAME_LENGTH = 200;

/**
 * A safe display and download name from what the browser sent: no directories ("../../etc/passwd.pdf" → "passwd.pdf"),
 * no control or bidi-override characters (which can disguise "exe.pdf" as "fdp.exe"), none of the characters Windows
 * forbids in names, no leading dots, at most 200 characters, and an extension that fits the detected type. It is
 * only ever a name to show: files are stored under random names.
 */
export function safeFileName(name: string | null | undefined, ext?: string): string {
  let base = (name ?? "").split(/[/\\]/).pop() ?? "";
  // Only the first 200 characters and the extension survive, so a huge name is cut before the work below.
  if (base.length > 4 * MAX_FILE_NAME_LENGTH) base = base.slice(0, 2 * MAX_FILE_NAME_LENGTH) + base.slice(-20);
  base = base.normalize("NFC");
  base = base
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+/, "");
  // Trailing dots and spaces by hand: /[.\s]+$/ rescans a long run of them from each of its characters (quadratic).
  let end = base.length;
  while (end > 0 && (base[end - 1] === "." || base[end - 1] === " ")) end--;
  base = base.slice(0, end);
  if (!base) base = "datei";
  if (ext) {
    const current = /\.([^.]{1,10})$/.exec(base)?.[1]?.toLowerCase();
    if (!current || !(extensionsFor[ext] ?? [ext]).includes(current)) base = `${base}.${ext}`;
  }
  const chars = [...base];
  if (chars.length <= MAX_FILE_NAME_LENGTH) return base;
  const dot = base.lastIndexOf(".");
  const suffix = dot > 0 && base.length - dot <= 11 ? [...base.slice(dot)] : [];
  return (
    chars
      .slice(0, MAX_FILE_NAME_LENGTH - suffix.length)
      .join("")
      .trimEnd() + suffix.join("")
  );
}
