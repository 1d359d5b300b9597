/** iCalendar (RFC 5545) text for rounds, for /dialogrunden/:id.ics and the personal calendar feed. Pure. */
import { icsUtc } from "../time.ts";

export interface CalendarEvent {
  uid: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  url: string;
  location: string | null;
  updatedAt: Date;
  /** RFC 5545 SEQUENCE: raised on every change, so calendar apps replace their older copy. */
  sequence?: number;
  cancelled?: boolean;
}

export interface CalendarOptions {
  /**
   * PUBLISH for downloads and feeds; CANCEL for the .ics of one cancelled round, which calendar apps read as "remove
   * this event" (RFC 5546 wants an ORGANIZER then).
   */
  method?: "PUBLISH" | "CANCEL";
  organizer?: { name: string; email: string };
}

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every line break (CRLF, a bare CR or LF,
 * U+2028/U+2029) written as "\\n", and every other control character dropped (only tab is allowed). A bare CR must
 * never reach the file: calendar apps read it as the end of the line, and the rest as a property of its own.
 */
export function icsText(value: string): string {
  return value
    .replace(/[\\;,]/g, "\\$&")
    .replace(/\r\n|[\r\n\u2028\u2029]/g, "\\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

/** UTF-8 length of one code point, without encoding it. */
function octets(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Lines longer than 75 octets are folded (RFC 5545 §3.1: continuation lines start with a space and count it), never
 * inside a multi-byte character.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < line.length;) {
    const codePoint = line.codePointAt(i)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const size = octets(codePoint);
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + size > limit) {
      out.push(line.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    i += width;
  }
  out.push(line.slice(start));
  return out.join("\r\n ");
}

function quoteParam(value: string): string {
  return `"${value.replace(/["\r\n]/g, "")}"`;
}

export function calendar(name: string, events: CalendarEvent[], now: Date, options: CalendarOptions = {}): string {
  const method = options.method ?? "PUBLISH";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Das Lernbegleitungs-Netzwerk//Dialogrunden//DE",
    "CALSCALE:GREGORIAN",
    `METHOD:${method}`,
    `X-WR-CALNAME:${icsText(name)}`,
  ];
  for (const e of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${e.uid}`,
      `SEQUENCE:${e.sequence ?? 0}`,
      `DTSTAMP:${icsUtc(now)}`,
      `LAST-MODIFIED:${icsUtc(e.updatedAt)}`,
      `DTSTART:${icsUtc(e.startsAt)}`,
      `DTEND:${icsUtc(e.endsAt)}`,
      `SUMMARY:${icsText(e.title)}`,
      `DESCRIPTION:${icsText(e.description ? `${e.description}\n\n${e.url}` : e.url)}`,
      `URL:${e.url}`,
    );
    if (e.location) lines.push(`LOCATION:${icsText(e.location)}`);
    if (options.organizer)
      lines.push(`ORGANIZER;CN=${quoteParam(options.organizer.name)}:mailto:${options.organizer.email}`);
    lines.push(`STATUS:${e.cancelled ? "CANCELLED" : "CONFIRMED"}`, "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
