/** iCalendar TEXT values (RFC 5545 §3.3.11) and line folding by octets (§3.1). */
import { describe, expect, it } from "vitest";
import { calendar, foldLine, icsText } from "../../app/domain/rounds/ics.ts";

describe("icsText", () => {
  it("writes every kind of line break as \\n, so none can start a property of its own", () => {
    expect(icsText("Runde\rURL:https://evil.example")).toBe("Runde\\nURL:https://evil.example");
    expect(icsText("a\r\nb\nc\u2028d\u2029e")).toBe("a\\nb\\nc\\nd\\ne");
  });

  it("escapes backslash, semicolon and comma, drops other control characters and keeps tabs", () => {
    expect(icsText("a\\b;c,d")).toBe("a\\\\b\\;c\\,d");
    expect(icsText("x\u0000\u0007\u000b\u000c\u001b\u007f\u0085y\tz")).toBe("xy\tz");
  });
});

describe("foldLine", () => {
  const octets = (s: string) => Buffer.byteLength(s);

  it("folds at 75 octets, counting the leading space of continuation lines", () => {
    const folded = foldLine(`SUMMARY:${"a".repeat(200)}`);
    const lines = folded.split("\r\n");
    expect(lines.every((l) => octets(l) <= 75)).toBe(true);
    expect(octets(lines[0])).toBe(75);
    expect(lines.slice(1).every((l) => l.startsWith(" "))).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(`SUMMARY:${"a".repeat(200)}`);
  });

  it("never splits a multi-byte character", () => {
    for (const char of ["ü", "€", "😀"]) {
      const line = `SUMMARY:${char.repeat(100)}`;
      const lines = foldLine(line).split("\r\n");
      expect(lines.every((l) => octets(l) <= 75 && !l.includes("\uFFFD"))).toBe(true);
      expect(lines.map((l, i) => (i ? l.slice(1) : l)).join("")).toBe(line);
      // Each piece is valid UTF-8 on its own: encoding and decoding it changes nothing.
      for (const l of lines) expect(Buffer.from(l, "utf8").toString("utf8")).toBe(l);
    }
  });
});

describe("calendar", () => {
  it("keeps a hostile title and location inside their properties", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const ics = calendar(
      "Kalender\r\nX-EVIL:1",
      [
        {
          uid: "r1@netz",
          title: "A\rURL:https://evil.example",
          description: "",
          startsAt: now,
          endsAt: now,
          url: "https://netz.example/r/1",
          location: "Ort\nDTSTART:1",
          updatedAt: now,
        },
      ],
      now,
    );
    const lines = ics.replace(/\r\n /g, "").split("\r\n");
    expect(lines).toContain("SUMMARY:A\\nURL:https://evil.example");
    expect(lines).toContain("LOCATION:Ort\\nDTSTART:1");
    expect(lines).toContain("X-WR-CALNAME:Kalender\\nX-EVIL:1");
    expect(lines.filter((l) => l.startsWith("URL:"))).toEqual(["URL:https://netz.example/r/1"]);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });
});
