/**
 * The boundary's answers to the requests of issue 16 that gave 500: each is a 4xx with a German message and changes
 * nothing; a body is counted as it arrives (413 for a chunked body past the limit, over a raw socket).
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, loginCookie } from "../setup/server.ts";
import { installWriteLog, writeMark, writtenSince } from "./hostile-lib.ts";
import { sql } from "drizzle-orm";

let server: Awaited<ReturnType<typeof startTestServer>>;
let member: string;
let moderator: string;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  await installWriteLog(server.database);
  member = await loginCookie(server.url, "mitglied@example.org");
  moderator = await loginCookie(server.url, "moderation@example.org");
  admin = await loginCookie(server.url, "admin@example.org");
}, 400_000);
afterAll(async () => {
  await server?.close();
});

async function send(
  method: string,
  path: string,
  options: { cookie?: string; body?: string; type?: string; origin?: string } = {},
) {
  const headers: Record<string, string> = { Origin: options.origin ?? server.url };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.body !== undefined) headers["Content-Type"] = options.type ?? "application/x-www-form-urlencoded";
  const mark = await writeMark(server.database);
  const response = await fetch(`${server.url}${path}`, { method, headers, body: options.body, redirect: "manual" });
  const text = await response.text();
  return { status: response.status, text, written: await writtenSince(server.database, mark, { reads: true }) };
}

describe("the HTTP boundary", () => {
  it("answers a non-form Content-Type on an action with 415 and a German message", async () => {
    for (const type of ["text/plain", "application/json", "application/xml"]) {
      const answer = await send("POST", "/diskussionen/neu", { cookie: member, body: "title=x", type });
      expect(answer.status).toBe(415);
      expect(answer.text).toContain("Formulardaten");
      expect(answer.written).toEqual([]);
    }
  });

  it("refuses NUL bytes and invalid UTF-8 in paths and query strings with 400", async () => {
    for (const path of [
      "/api/v1/members?q=a%00b",
      "/mitglieder?q=%00",
      "/diskussionen?schlagwort=%00",
      "/mitglieder/%00",
      "/themen/%00",
      "/dialogrunden/%FF",
      "/benachrichtigungen/%C0%AE",
    ]) {
      const answer = await send("GET", path, { cookie: member });
      expect(answer.status, path).toBe(400);
      expect(answer.text).toContain("ungültige Zeichen");
    }
    // A lone "%" typed by hand is taken literally, not refused.
    expect((await send("GET", "/diskussionen?q=100%", { cookie: member })).status).toBe(200);
  });

  it("refuses a form field with a NUL byte with a message next to that field, and stores nothing", async () => {
    const [thread] = await server.database.rows<{ id: string }>(
      sql`select id::text as id from threads order by created_at limit 1`,
    );
    const reply = await send("POST", `/diskussionen/${thread.id}`, {
      cookie: member,
      body: "intent=reply&body=Hallo%00Welt",
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain("Nullbyte");
    expect(reply.written).toEqual([]);
    const site = await send("POST", "/moderation/einstellungen", {
      cookie: admin,
      body: "siteName=Netz%00werk&welcomeText=x",
    });
    expect(site.status).toBe(400);
    expect(site.text).toContain("Nullbyte");
    expect(site.written).toEqual([]);
    const room = await send("POST", "/moderation/themen", {
      cookie: moderator,
      body: "name=Raum%00&slug=raum&description=x",
    });
    expect(room.status).toBe(400);
    expect(room.written).toEqual([]);
  });

  it("answers ids that are not UUIDs with a 4xx before they reach PostgreSQL", async () => {
    for (const [path, body] of [
      ["/moderation", "intent=revoke&id=abc"],
      ["/moderation/themen", "intent=delete&id=abc"],
      ["/moderation/suche", "intent=delete&id=abc"],
      ["/moderation/themenpakete", "intent=remove&collectionId=abc&materialId=abc"],
    ]) {
      const answer = await send("POST", path, { cookie: moderator, body });
      expect([400, 404], `${path} ${body}`).toContain(answer.status);
      expect(answer.written).toEqual([]);
    }
    const [material] = await server.database.rows<{ id: string }>(
      sql`select id::text as id from materials order by created_at limit 1`,
    );
    const edit = await send("POST", `/materialien/${material.id}/bearbeiten`, {
      cookie: moderator,
      body: "intent=removeFile&fileId=abc",
    });
    expect(edit.status).toBe(400);
    expect(edit.written).toEqual([]);
  });

  it("does not take 30 February for a day", async () => {
    const answer = await send("GET", "/moderation/protokoll?von=2026-02-30&bis=2026-13-01", { cookie: admin });
    expect(answer.status).toBe(200);
  });

  it("lets the one-click unsubscribe POST through with a mail provider's Origin (its signature decides)", async () => {
    const answer = await send("POST", "/benachrichtigungen/abbestellen?m=x&art=y&sig=z", {
      body: "List-Unsubscribe=One-Click",
      origin: "https://mail.example.com",
    });
    // A bad signature: refused by the route itself, not by a CSRF check that throws.
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("Abbestellen nicht möglich");
  });

  it("counts a chunked body as it arrives: 413 once past 12 MB, and the connection is closed", async () => {
    const { status, sentWhenAnswered, closed } = await chunkedFlood("/anmelden", 200 * 1024 * 1024);
    expect(status).toBe(413);
    // Answered soon after the limit: not after buffering the whole 200 MB.
    expect(sentWhenAnswered).toBeLessThan(40 * 1024 * 1024);
    expect(closed).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 60_000);
});

/** Writes a chunked POST over a raw socket until the server answers or `max` bytes are out. */
function chunkedFlood(
  path: string,
  max: number,
): Promise<{ status: number; sentWhenAnswered: number; closed: boolean }> {
  const port = new URL(server.url).port;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    let answer = "";
    let sentWhenAnswered = -1;
    let stop = false;
    const timer = setTimeout(() => reject(new Error(`no answer after ${sent} bytes`)), 50_000);
    socket.on("error", () => {}); // the server may reset the connection once it has answered
    socket.on("data", (data) => {
      if (sentWhenAnswered < 0) sentWhenAnswered = sent;
      answer += data.toString("latin1");
      stop = true;
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      resolve({ status, sentWhenAnswered, closed: true });
    });
    socket.on("connect", () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.url.replace("localhost", "127.0.0.1")}\r\n` +
          "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nemail=\r\n",
      );
      const pump = () => {
        while (!stop && sent < max) {
          sent += chunk.length;
          if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString("latin1")}\r\n`))
            return void socket.once("drain", pump);
        }
      };
      pump();
    });
  });
}
