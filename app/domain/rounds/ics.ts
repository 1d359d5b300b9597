/** iCalendar (RFC 5545) text for rounds, for /dialogrunden/:id.ics and the personal calendar feed. Pure. */
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

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Lines longer than 75 octets are folded (continuation lines start with a space), without splitting characters. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + size > limit) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

function quoteParam(value: string): string {
  return `"${value.replace(/["\r\n]/g, "")}"`;
}

export function calendar(name: string, events: CalendarEvent[], now: Date, options: CalendarOptions = {}): string {
  const method = options.method ?? "PUBLISH";
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Das Lernbegleitungs-Netzwerk//Dialogrunden//DE", "CALSCALE:GREGORIAN", `METHOD:${method}`, `X-WR-CALNAME:${escapeText(name)}`];
  for (const e of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${e.uid}`,
      `SEQUENCE:${e.sequence ?? 0}`,
      `DTSTAMP:${stamp(now)}`,
      `LAST-MODIFIED:${stamp(e.updatedAt)}`,
      `DTSTART:${stamp(e.startsAt)}`,
      `DTEND:${stamp(e.endsAt)}`,
      `SUMMARY:${escapeText(e.title)}`,
      `DESCRIPTION:${escapeText(e.description ? `${e.description}\n\n${e.url}` : e.url)}`,
      `URL:${e.url}`,
    );
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (options.organizer) lines.push(`ORGANIZER;CN=${quoteParam(options.organizer.name)}:mailto:${options.organizer.email}`);
    lines.push(`STATUS:${e.cancelled ? "CANCELLED" : "CONFIRMED"}`, "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
