/**
 * Mails written to DATA_DIR/mail/ (no SMTP_URL) are RFC 5322 messages: CRLF at every line end, no bare LF or CR, no
 * line over 998 characters, and a real parser (mailparser) reads back what was sent.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parseEnv } from "../../app/env.server.ts";
import { sendMail } from "../../app/models/mail/transport.server.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-eml-"));

beforeAll(() => {
  // A MAIL_FROM with a name needs no site settings (and so no database).
  globalThis.__companionEnv = parseEnv({
    DATA_DIR: dataDir,
    MAIL_FROM: "Netzwerk Nord <netz@example.org>",
    PUBLIC_URL: "https://netz.example.org",
  });
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test("an .eml file has CRLF line ends throughout and parses back to the same mail", async () => {
  const text = `Hallo Jonas,\n\ndie Runde „Übergänge“ beginnt bald.\nZeile mit Umlauten: äöü ß\n\n${"Sehr lange Zeile ".repeat(80)}\n\nAbbestellen: https://netz.example.org/x`;
  const html = `<!doctype html>\n<html lang="de">\n<body>\n<p>Hallo Jonas,</p>\n<p>${"lang ".repeat(300)}</p>\n</body>\n</html>\n`;
  await sendMail({
    to: "jonas@example.org",
    subject: "Erinnerung: „Übergänge“ morgen",
    text,
    html,
    headers: {
      "List-Unsubscribe": "<https://netz.example.org/benachrichtigungen/abbestellen?t=abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  });
  const [name] = fs.readdirSync(path.join(dataDir, "mail"));
  const raw = fs.readFileSync(path.join(dataDir, "mail", name));
  const source = raw.toString("latin1");

  expect(source).toContain("\r\n\r\n");
  expect(source.match(/(?<!\r)\n/g)).toBeNull();
  expect(source.match(/\r(?!\n)/g)).toBeNull();
  expect(source.split("\r\n").every((line) => line.length <= 998)).toBe(true);
  // The header block: every line a field or its folded continuation.
  const head = source.slice(0, source.indexOf("\r\n\r\n")).split("\r\n");
  expect(head.every((line) => /^[!-9;-~]+:/.test(line) || /^[ \t]/.test(line))).toBe(true);

  const parsed = await simpleParser(raw);
  expect(parsed.subject).toBe("Erinnerung: „Übergänge“ morgen");
  expect(parsed.from?.value[0]).toMatchObject({ name: "Netzwerk Nord", address: "netz@example.org" });
  expect(parsed.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toBe(
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
  );
  // mailparser gives the text back with LF; the words and lines are the ones sent.
  expect(parsed.text?.replace(/\r\n/g, "\n").trim()).toBe(text.trim());
  expect(parsed.html).toContain('<html lang="de">');
  expect(parsed.html).toContain("lang lang lang");
});
