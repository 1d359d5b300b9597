import { env } from "../../env.server.ts";
import type { OutgoingMail } from "./transport.server.ts";

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Links in mails need the site's public address; without PUBLIC_URL they fall back to localhost. */
export function absoluteUrl(pathname: string): string {
  return `${env().PUBLIC_URL ?? `http://localhost:${env().PORT}`}${pathname}`;
}

export interface MailContent {
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
}

/** One German mail as plain text and simple HTML from the same parts (all text escaped; no images, no trackers). */
export function composeMail(to: string, subject: string, content: MailContent): OutgoingMail {
  const footer = content.footer ?? "Diese Nachricht kommt vom Netzwerk der Lernbegleiterinnen und Lernbegleiter.";
  const text = [
    content.greeting,
    "",
    ...content.paragraphs.flatMap((p) => [p, ""]),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
    "-- ",
    footer,
    "",
  ].join("\n");
  const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a;">
<p>${escapeHtml(content.greeting)}</p>
${content.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("\n")}
${content.action ? `<p><a href="${escapeHtml(content.action.url)}">${escapeHtml(content.action.label)}</a></p>` : ""}
<hr><p style="font-size: 0.9em; color: #555;">${escapeHtml(footer)}</p>
</body></html>`;
  return { to, subject, text, html };
}
