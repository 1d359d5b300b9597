import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import nodemailer from "nodemailer";
import { env } from "../../env.server.ts";
import { getSiteSettings } from "../settings.server.ts";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string> | null;
}

/**
 * The sender shown in mails: the site's name from the site settings (as in the header and page titles) with
 * MAIL_FROM's address, or no-reply@ the host of PUBLIC_URL so replies never go to a foreign domain. A MAIL_FROM that
 * names a sender itself ("Name <address>") is used as it is. Nodemailer quotes and encodes the name.
 */
export async function mailSender(): Promise<string | { name: string; address: string }> {
  const configured = env().MAIL_FROM;
  if (configured?.includes("<")) return configured;
  const host = env().PUBLIC_URL ? new URL(env().PUBLIC_URL!).hostname : "localhost";
  const { siteName } = await getSiteSettings();
  return { name: siteName, address: configured ?? `no-reply@${host}` };
}

let smtp: nodemailer.Transporter | null = null;
let smtpUrl: string | undefined;

/**
 * Sends one mail: over SMTP when SMTP_URL is set, otherwise as an .eml file in DATA_DIR/mail/ (development and
 * installations without a mail server; the files open in any mail program). Throws when SMTP refuses.
 */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const config = env();
  // RFC 5322 ends every line with CRLF. Nodemailer folds its headers with CRLF but keeps a body's own line ends as they
  // are (quoted-printable passes LF through), so the parts get CRLF here, for the .eml files and for SMTP alike.
  const crlf = (text: string) => text.replace(/\r?\n|\r/g, "\r\n");
  const message = {
    from: await mailSender(),
    to: mail.to,
    subject: mail.subject,
    text: crlf(mail.text),
    html: crlf(mail.html),
    headers: mail.headers ?? undefined,
  };
  if (config.SMTP_URL) {
    if (!smtp || smtpUrl !== config.SMTP_URL) {
      smtp = nodemailer.createTransport(config.SMTP_URL, {
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      });
      smtpUrl = config.SMTP_URL;
    }
    await smtp.sendMail(message);
    return;
  }
  const built = await nodemailer
    .createTransport({ streamTransport: true, buffer: true, newline: "windows" })
    .sendMail(message);
  const dir = path.join(path.resolve(config.DATA_DIR), "mail");
  await fs.promises.mkdir(dir, { recursive: true });
  const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${crypto.randomBytes(4).toString("hex")}.eml`;
  await fs.promises.writeFile(path.join(dir, name), built.message as Buffer);
}
