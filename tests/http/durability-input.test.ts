/**
 * What one member sends cannot freeze the server or corrupt what others download: a 234 KB case request of
 * adversarial text is refused at once (while /healthz keeps answering), and a carriage return in a round title
 * stays inside its SUMMARY in the .ics.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, get, postForm } from "./helpers.ts";
import { ahead } from "../setup/dates.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);

afterAll(async () => {
  await server?.close();
});

/** Polls /healthz until `done` settles; returns the slowest answer and how many arrived. */
async function healthWhile(done: Promise<unknown>): Promise<{ slowestMs: number; answers: number }> {
  let finished = false;
  void done.finally(() => (finished = true));
  let slowestMs = 0;
  let answers = 0;
  while (!finished || answers === 0) {
    const start = performance.now();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    await response.body?.cancel();
    slowestMs = Math.max(slowestMs, performance.now() - start);
    answers++;
  }
  return { slowestMs, answers };
}

describe("a hostile case request", () => {
  test("four 60,000-character fields are refused at once with German messages, echoed only up to each field's limit", async () => {
    const cookie = await loginCookie(server.url, "mitglied@example.org");
    // Letters without an "@" were the worst case of the old e-mail pattern (quadratic); 234 KB in all.
    const huge = "a".repeat(60_000);
    const fields = {
      topic: huge,
      situation: huge,
      tried: huge,
      keyQuestion: huge,
      mode: "live",
      scheduledAt: ahead("05-01T10:00"),
      groupSize: "5",
      noNames: "on",
      noOffice: "on",
      noClientData: "on",
    };
    expect(new URLSearchParams(fields).toString().length).toBeGreaterThan(234_000);

    // Warm: the first request to a route compiles its code, which says nothing about the input.
    await (await fetch(`${server.url}/healthz`)).body?.cancel();
    await (await postForm(server.url, "/fallberatung/neu", { topic: "kurz" }, { cookie })).body?.cancel();
    const start = performance.now();
    const posted = postForm(server.url, "/fallberatung/neu", fields, { cookie });
    const health = await healthWhile(posted);
    const response = await posted;
    const elapsed = performance.now() - start;
    const html = await response.text();

    expect(response.status).toBe(400);
    expect(elapsed).toBeLessThan(2_000);
    expect(health.answers).toBeGreaterThan(0);
    expect(health.slowestMs).toBeLessThan(500);
    const text = decodeHtml(html);
    expect(text).toContain("Dieser Text ist zu lang: höchstens 80 Zeichen.");
    expect(text).toContain("Dieser Text ist zu lang: höchstens 4.000 Zeichen.");
    expect(text).toContain("Dieser Text ist zu lang: höchstens 500 Zeichen.");
    // The echo: the page with the refused form is far smaller than what was sent (4,000 + 4,000 + 500 + 80 at most
    // in each of the HTML and the route data).
    expect(html.length).toBeLessThan(60_000);
    expect(html).not.toContain("a".repeat(4_001));
  }, 30_000);

  test("text within the limits still gets its anonymisation hints from the server (without JavaScript)", async () => {
    const cookie = await loginCookie(server.url, "mitglied@example.org");
    const response = await postForm(
      server.url,
      "/fallberatung/neu",
      {
        topic: "Motivation nach Abbruch",
        situation: "Frau Nowak (Kundennummer: 123A456789) erreicht man unter anna.nowak@example.org, sagt sie.",
        tried: "Gespräche geführt",
        keyQuestion: "Wie finde ich einen Zugang?",
        mode: "live",
        scheduledAt: ahead("05-01T10:00"),
        groupSize: "5",
        noNames: "on",
        noOffice: "on",
        noClientData: "on",
      },
      { cookie },
    );
    expect(response.status).toBe(400);
    const text = decodeHtml(await response.text());
    expect(text).toContain("Bitte prüfe die Hinweise zur Anonymisierung");
    expect(text).toContain("E-Mail-Adresse: „anna.nowak@example.org“");
    expect(text).toContain("Vor- und Nachname: „Frau Nowak“");
  });
});

describe("calendar text", () => {
  test("a carriage return in a round title stays inside SUMMARY (no injected URL property)", async () => {
    const cookie = await loginCookie(server.url, "moderation@example.org");
    const created = await postForm(
      server.url,
      "/dialogrunden/neu",
      {
        title: "Runde\rURL:https://evil.example/x\u0007\u0085",
        description: "Zeile eins\rZeile zwei\nDrei; vier, fünf\\",
        startsAt: ahead("05-01T10:00"),
        endsAt: ahead("05-01T11:30"),
        registrationDeadline: ahead("04-30T12:00"),
        capacity: "15",
      },
      { cookie },
    );
    expect(created.status).toBe(302);
    const id = /\/dialogrunden\/([0-9a-f-]{36})/.exec(created.headers.get("location") ?? "")?.[1];
    expect(id).toBeTruthy();

    const response = await get(server.url, `/dialogrunden/${id}.ics`, cookie);
    expect(response.status).toBe(200);
    const ics = await response.text();
    // Every line ends in CRLF; no CR or LF elsewhere, no other control characters.
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const lines = ics.split("\r\n");
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, "").split("\r\n");
    expect(unfolded).toContain("SUMMARY:Dialogrunde: Runde\\nURL:https://evil.example/x");
    expect(unfolded.some((l) => l.startsWith("URL:https://evil"))).toBe(false);
    expect(unfolded.find((l) => l.startsWith("DESCRIPTION:"))).toMatch(
      /^DESCRIPTION:Zeile eins\\nZeile zwei\\nDrei\\; vier\\, fünf\\\\/,
    );
  });
});
