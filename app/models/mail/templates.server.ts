import { env } from "../../env.server.ts";
import { escapeHtml } from "../../domain/html.ts";
import type { OutgoingMail } from "./transport.server.ts";

/** Links in mails need the site's public address; without PUBLIC_URL they fall back to localhost. */
export function absoluteUrl(pathname: string): string {
  return `${env().PUBLIC_URL ?? `http://localhost:${env().PORT}`}${pathname}`;
}

export interface MailSection {
  heading: string;
  items: { text: string; url?: string; note?: string }[];
  /** Turns this part off (digests: one link per kind of content). */
  unsubscribe?: { label: string; url: string };
}

export interface MailContent {
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Lists with headings, e.g. the parts of a digest. */
  sections?: MailSection[];
  /** Why the member gets this mail and how to stop it: shown above the footer. */
  reason?: { text: string; unsubscribe: { label: string; url: string }; settingsUrl: string };
  /** The site's name from the site settings: the last line names who sent the mail (as its sender name does). */
  siteName: string;
}

/** One German mail as plain text and simple HTML from the same parts (all text escaped; no images, no trackers). */
export function composeMail(to: string, subject: string, content: MailContent): OutgoingMail {
  const footer = `${content.siteName} · ${absoluteUrl("/")}`;
  const sections = content.sections ?? [];
  const text = [
    content.greeting,
    "",
    ...content.paragraphs.flatMap((p) => [p, ""]),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
    ...sections.flatMap((s) => [
      s.heading,
      "=".repeat(Math.min(s.heading.length, 60)),
      ...s.items.flatMap((i) => [`- ${i.text}`, ...(i.note ? [`  ${i.note}`] : []), ...(i.url ? [`  ${i.url}`] : [])]),
      ...(s.unsubscribe ? [`(${s.unsubscribe.label}: ${s.unsubscribe.url})`] : []),
      "",
    ]),
    "-- ",
    ...(content.reason
      ? [
          content.reason.text,
          `${content.reason.unsubscribe.label}: ${content.reason.unsubscribe.url}`,
          `Alle Einstellungen: ${content.reason.settingsUrl}`,
          "",
        ]
      : []),
    footer,
    "",
  ].join("\n");
  const link = (label: string, url: string) => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
  const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a;">
<p>${escapeHtml(content.greeting)}</p>
${content.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("\n")}
${content.action ? `<p>${link(content.action.label, content.action.url)}</p>` : ""}
${sections
  .map(
    (s) => `<h2 style="font-size: 1.1em;">${escapeHtml(s.heading)}</h2>
<ul>
${s.items
  .map(
    (i) =>
      `<li>${i.url ? link(i.text, i.url) : escapeHtml(i.text)}${i.note ? `<br><span style="color: #555;">${escapeHtml(i.note)}</span>` : ""}</li>`,
  )
  .join("\n")}
</ul>
${s.unsubscribe ? `<p style="font-size: 0.9em;">${link(s.unsubscribe.label, s.unsubscribe.url)}</p>` : ""}`,
  )
  .join("\n")}
<hr>
${
  content.reason
    ? `<p style="font-size: 0.9em; color: #555;">${escapeHtml(content.reason.text)}<br>${link(content.reason.unsubscribe.label, content.reason.unsubscribe.url)} · ${link("Alle Einstellungen", content.reason.settingsUrl)}</p>`
    : ""
}
<p style="font-size: 0.9em; color: #555;">${escapeHtml(footer)}</p>
</body></html>`;
  return { to, subject, text, html };
}
