/**
 * File type detection from real byte headers: the first bytes of files written by ffmpeg 5.1, the committed demo
 * samples, and the attacks an upload form sees (executables, HTML, SVG with script, text pretending to be captions).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { safeFileName, sniff, utf8TextValidator, SNIFF_BYTES } from "../../app/domain/library/sniff.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const text = (s: string) => new TextEncoder().encode(s);
const samples = path.resolve(import.meta.dirname, "../../db/seed/samples");
const head = (name: string) => Uint8Array.from(fs.readFileSync(path.join(samples, name)).subarray(0, SNIFF_BYTES));

// First bytes of small files made with ffmpeg 5.1 (see scripts/make-samples.sh for the tools).
const headers = {
  webm: "1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701000000000035e8114d9b74ba4dbb8b53ab841549a96653",
  mkv: "1a45dfa3a34286810142f7810142f2810442f381084282886d6174726f736b61428781044285810218538067010000000000280b114d9b74c0bf84fea7452d4d",
  opus: "4f6767530002000000000000000000000000000000000228b57201134f707573486561640101380180bb00000000004f67675300000000000000000000000000",
  vorbis:
    "4f6767530002000000000000000000000000000000006344b36b011e01766f72626973000000000144ac0000000000008038010000000000b8014f6767530000",
  theora:
    "4f676753000200000000000000000000000000000000df0675a4012a807468656f72610302010014000c0001400000b4000c0000000c00000001000001000001",
  m4a: "0000001c667479704d344120000002004d34412069736f6d69736f32000000086672656500001d9b6d646174de02004c61766335392e33372e31303000023040",
  jpeg: "ffd8ffe000104a46494600010200000100010000fffe00104c61766335392e33372e31303000ffdb0043000806060706070808080808080909090a0a0a090909",
  gif: "474946383961a0005a00f71f310000002400004800006c0000900000b40000d80000fc00000024002424004824006c2400902400b42400d82400fc2400004800",
  webp: "524946465a04000057454250565038204e0400003017009d012aa0005a003e9148a04a25a4a3a1a8980830b01209670a1e9809aaf09ae26b691dd2df577de88f",
  // MP3 without an ID3 tag, 32 kbit/s at 44.1 kHz: two 104-byte frames.
  mp3Frames:
    "fffb10c40003c00001a400000020000034800000044c414d45332e313030555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555554c414d45332e31303055" +
    "fffb12c42983c00001a4000000200000348000000455555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555554c414d45332e31303055" +
    "fffb10c45383c00001a4000000200000348000000455555555555555555555",
  quicktime: "0000001466747970717420202005030071742020000000086d646174",
  elf: "7f454c4602010100000000000000000003003e0001000000401000000000000040000000000000000821000000000000",
  pe: "4d5a90000300000004000000ffff0000b800000000000000400000000000000000000000000000000000000000000000000000000000000000000000800000000e1fba0e00b409cd21b8014ccd21546869732070726f6772616d2063616e6e6f742062652072756e20696e20444f53206d6f64652e0d0d0a2400000000000000504500006486",
  zip: "504b0304140000000800000021000000000000000000000000000b0000005b436f6e74656e745f54797065735d2e786d6c",
};

describe("accepted formats", () => {
  test.each([
    ["the OnePager PDF", head("onepager.pdf"), { kind: "document", mime: "application/pdf", ext: "pdf" }],
    ["the MP4 video (isom)", head("kurzvideo.mp4"), { kind: "video", mime: "video/mp4", ext: "mp4" }],
    ["the MP3 with an ID3 tag", head("podcast.mp3"), { kind: "audio", mime: "audio/mpeg", ext: "mp3" }],
    ["the PNG", head("vorschau.png"), { kind: "image", mime: "image/png", ext: "png" }],
    ["the WebVTT captions", head("kurzvideo.vtt"), { kind: "captions", mime: "text/vtt", ext: "vtt" }],
    ["the podcast's captions", head("podcast.vtt"), { kind: "captions", mime: "text/vtt", ext: "vtt" }],
    ["the WebM video", head("kurzvideo.webm"), { kind: "video", mime: "video/webm", ext: "webm" }],
    ["the Ogg Opus podcast", head("podcast.ogg"), { kind: "audio", mime: "audio/ogg", ext: "opus" }],
    ["WebM (VP9 + Opus)", hex(headers.webm), { kind: "video", mime: "video/webm", ext: "webm" }],
    ["Matroska", hex(headers.mkv), { kind: "video", mime: "video/webm", ext: "webm" }],
    ["Ogg Opus", hex(headers.opus), { kind: "audio", mime: "audio/ogg", ext: "opus" }],
    ["Ogg Vorbis", hex(headers.vorbis), { kind: "audio", mime: "audio/ogg", ext: "ogg" }],
    ["M4A (AAC)", hex(headers.m4a), { kind: "audio", mime: "audio/mp4", ext: "m4a" }],
    ["JPEG", hex(headers.jpeg), { kind: "image", mime: "image/jpeg", ext: "jpg" }],
    ["GIF", hex(headers.gif), { kind: "image", mime: "image/gif", ext: "gif" }],
    ["WebP", hex(headers.webp), { kind: "image", mime: "image/webp", ext: "webp" }],
    ["MP3 frames without ID3", hex(headers.mp3Frames), { kind: "audio", mime: "audio/mpeg", ext: "mp3" }],
  ])("%s", (_name, bytes, expected) => {
    expect(sniff(bytes, "egal.bin")).toEqual(expected);
  });

  test("the name never decides: a PDF called .mp4 is still a PDF", () => {
    expect(sniff(head("onepager.pdf"), "video.mp4")?.mime).toBe("application/pdf");
  });

  test("WebVTT: with a BOM, alone, or with header text after a space or tab", () => {
    for (const body of [
      "\uFEFFWEBVTT\n\n00:00.000 --> 00:01.000\nHallo",
      "WEBVTT",
      "WEBVTT - Titel\n",
      "WEBVTT\tx\r\n",
      "WEBVTT\r\n",
    ]) {
      expect(sniff(text(body), "u.vtt"), JSON.stringify(body)).toEqual({
        kind: "captions",
        mime: "text/vtt",
        ext: "vtt",
      });
    }
  });

  test("WebVTT: a multi-byte character cut off at the end of the head is not an error", () => {
    const bytes = text("WEBVTT\n\n00:00.000 --> 00:01.000\nGrüße");
    expect(sniff(bytes.subarray(0, bytes.length - 2), "u.vtt")?.kind).toBe("captions");
  });
});

describe("refused", () => {
  test("a renamed Linux executable (ELF) called .pdf", () => {
    expect(sniff(hex(headers.elf), "handout.pdf")).toBeNull();
  });

  test("a renamed Windows executable (PE) called .mp4", () => {
    expect(sniff(hex(headers.pe), "video.mp4")).toBeNull();
  });

  test("an HTML page called .mp4, also as UTF-16 with a byte order mark", () => {
    const html = "<!DOCTYPE html><html><body><script>fetch('/api/v1/uploads')</script></body></html>";
    expect(sniff(text(html), "video.mp4")).toBeNull();
    expect(sniff(Uint8Array.from(Buffer.from(`\uFEFF${html}`, "utf16le")), "video.mp4")).toBeNull();
  });

  test("an SVG with a script called .png", () => {
    const svg =
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';
    expect(sniff(text(svg), "bild.png")).toBeNull();
    expect(sniff(text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "bild.svg")).toBeNull();
  });

  test("a text file named .vtt without the WEBVTT header", () => {
    expect(sniff(text("00:00.000 --> 00:01.000\nHallo\n"), "untertitel.vtt")).toBeNull();
    expect(sniff(text("1\n00:00:00,000 --> 00:00:01,000\nHallo\n"), "untertitel.vtt")).toBeNull(); // SRT
  });

  test("WebVTT look-alikes: no separator after WEBVTT, invalid UTF-8, binary after the header", () => {
    expect(sniff(text("WEBVTTX\n"), "u.vtt")).toBeNull();
    expect(sniff(Uint8Array.from([...text("WEBVTT\n\n"), 0xc3, 0x28]), "u.vtt")).toBeNull();
    expect(sniff(Uint8Array.from([...text("WEBVTT\n"), 0x00, 0x7f, 0x45, 0x4c, 0x46]), "u.vtt")).toBeNull();
    expect(sniff(text("<html>WEBVTT\n"), "u.vtt")).toBeNull();
  });

  test("zip archives (also Office files), QuickTime, Ogg Theora, empty files", () => {
    expect(sniff(hex(headers.zip), "folien.pdf")).toBeNull();
    expect(sniff(hex(headers.quicktime), "film.mp4")).toBeNull();
    expect(sniff(hex(headers.theora), "film.ogg")).toBeNull();
    expect(sniff(new Uint8Array(0), "leer.pdf")).toBeNull();
  });

  test("a PDF header that is not at the very start", () => {
    expect(sniff(text("<html>%PDF-1.4"), "x.pdf")).toBeNull();
  });

  test("MP3: a frame sync without a sane header or without a following frame", () => {
    const frames = hex(headers.mp3Frames);
    const broken = Uint8Array.from(frames);
    broken[104] = 0x00; // the second frame's sync
    expect(sniff(broken, "a.mp3")).toBeNull();
    expect(sniff(hex("fffc00000000000000000000"), "a.mp3")).toBeNull(); // reserved bitrate/sample rate
    expect(sniff(text("ID3"), "a.mp3")).toBeNull(); // a tag header cut short
    // An ID3 tag followed by something that is no MPEG audio (here HTML).
    expect(
      sniff(
        Uint8Array.from([...hex("49443304000000000000"), ...text("<html><script>alert(1)</script></html>")]),
        "a.mp3",
      ),
    ).toBeNull();
  });
});

describe("utf8TextValidator", () => {
  test("accepts a character split across chunks and rejects broken sequences", () => {
    const bytes = text("Grüße");
    const ok = utf8TextValidator();
    expect(ok.push(bytes.subarray(0, 3))).toBe(true); // "Gr" + first byte of "ü"
    expect(ok.push(bytes.subarray(3))).toBe(true);
    expect(ok.end()).toBe(true);

    const cut = utf8TextValidator();
    expect(cut.push(bytes.subarray(0, 3))).toBe(true);
    expect(cut.end()).toBe(false); // the file ends inside a character

    expect(utf8TextValidator().push(Uint8Array.from([0x41, 0xff, 0x41]))).toBe(false);
    expect(utf8TextValidator().push(text("a\u0000b"))).toBe(false);
  });
});

describe("safeFileName", () => {
  test.each([
    ["../../etc/passwd.pdf", "pdf", "passwd.pdf"],
    ["..\\..\\windows\\system32\\evil.pdf", "pdf", "evil.pdf"],
    ["/absolute/path/bild.PNG", "png", "bild.PNG"],
    ["rechnung\u202Efdp.exe", "pdf", "rechnungfdp.exe.pdf"], // right-to-left override removed, extension fixed
    ["zeile\r\nX-Header: 1.pdf", "pdf", "zeileX-Header_ 1.pdf"],
    ["a\u0000b.mp3", "mp3", "ab.mp3"],
    ['sag "hallo" <script>.vtt', "vtt", "sag _hallo_ _script_.vtt"],
    ["..", "pdf", "datei.pdf"],
    [".htaccess", "png", "htaccess.png"],
    ["   ", "mp4", "datei.mp4"],
    ["Foto.JPEG", "jpg", "Foto.JPEG"],
    ["folge.ogg", "opus", "folge.ogg"],
    ["Präsentation – Teil 1.pdf", "pdf", "Präsentation – Teil 1.pdf"],
  ])("%j → %j", (name, ext, expected) => {
    expect(safeFileName(name, ext)).toBe(expected);
  });

  test("at most 200 characters, keeping the extension; nothing missing gives a name", () => {
    const long = safeFileName(`${"ä".repeat(300)}.pdf`, "pdf");
    expect([...long]).toHaveLength(200);
    expect(long.endsWith("ä.pdf")).toBe(true);
    expect(safeFileName(undefined)).toBe("datei");
    expect(safeFileName(null, "png")).toBe("datei.png");
  });
});
