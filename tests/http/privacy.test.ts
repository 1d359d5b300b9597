/**
 * "Deine Daten" over real HTTP against the built app: the export's page, the owner-only download of the zip, account
 * deletion (sessions revoked: an old cookie is sent to the login page, open sockets are closed) and the privacy page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { readZip } from "../setup/zip.ts";
import { findEverywhere } from "../setup/scan.ts";
import { sql } from "drizzle-orm";
import { dataExports } from "../../db/schema/index.ts";
import { DEMO_PASSWORD, get, openSocket, postForm } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let url: string;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
});
afterAll(async () => {
  await server?.close();
});

async function exportReady(cookie: string): Promise<string> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const html = await (await get(url, "/einstellungen/daten", cookie)).text();
    const match = html.match(/href="\/einstellungen\/daten\/([0-9a-f-]{36})\/herunterladen"/);
    if (match) return match[1];
    if (Date.now() > deadline) throw new Error(`export not ready:\n${html.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("your data over HTTP", () => {
  it("shows the privacy page to everyone, linked in the footer, with the configured retention", async () => {
    const response = await get(url, "/datenschutz");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<h1>Datenschutz</h1>");
    expect(html).toContain("30 Tage nach dem Abschluss gelöscht");
    expect(html).toContain("ohne Person");
    const start = await (await get(url, "/anmelden")).text();
    expect(start).toContain('href="/datenschutz"');
  });

  it("builds the export in the background and lets only its member download the zip", async () => {
    const sevgi = await loginCookie(url, "mitglied@example.org");
    const jonas = await loginCookie(url, "mitglied2@example.org");
    const moderator = await loginCookie(url, "moderation@example.org");

    const anonymous = await get(url, "/einstellungen/daten");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/anmelden/);

    const empty = await (await get(url, "/einstellungen/daten", sevgi)).text();
    expect(empty).toContain("Du hast noch keinen Export angefordert.");
    const started = await postForm(url, "/einstellungen/daten", {}, { cookie: sevgi });
    expect(started.status).toBe(302);
    expect(started.headers.get("location")).toBe("/einstellungen/daten");
    const id = await exportReady(sevgi);

    const download = await get(url, `/einstellungen/daten/${id}/herunterladen`, sevgi);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/zip");
    expect(download.headers.get("content-disposition")).toMatch(
      /^attachment; filename="meine-daten-\d{4}-\d{2}-\d{2}\.zip"$/,
    );
    const zip = await readZip(Buffer.from(await download.arrayBuffer()));
    const { data } = JSON.parse(zip.get("daten.json")!.toString("utf8"));
    expect(data.users).toMatchObject({ email: "mitglied@example.org", displayName: "Sevgi Schneider" });
    expect(JSON.stringify(data)).not.toContain("mitglied2@example.org");

    for (const other of [jonas, moderator]) {
      const refused = await get(url, `/einstellungen/daten/${id}/herunterladen`, other);
      expect(refused.status).toBe(403);
      expect(refused.headers.get("content-type")).not.toBe("application/zip");
    }
    const loggedOut = await get(url, `/einstellungen/daten/${id}/herunterladen`);
    expect(loggedOut.status).toBe(302);
    expect(
      (await get(url, "/einstellungen/daten/00000000-0000-4000-8000-000000000000/herunterladen", sevgi)).status,
    ).toBe(404);
  });

  it("shows an export under way with its progress, refreshing itself for browsers without JavaScript", async () => {
    const petra = await loginCookie(url, "qv@example.org");
    const [user] = await server.database.rows<{ id: string }>(sql`select id from users where email = 'qv@example.org'`);
    // A job in the middle of its work (as another server process would leave it while building).
    await server.database.db.insert(dataExports).values({ userId: user.id, state: "running", progress: 40 });
    const html = await (await get(url, "/einstellungen/daten", petra)).text();
    expect(html).toContain("Dein Export wird erstellt … 40 %");
    expect(html).toMatch(/<progress[^>]*max="100"[^>]*value="40"/);
    expect(html).toMatch(/<noscript><meta http-equiv="refresh" content="3"\/?><\/noscript>/);
    expect(html).not.toContain("Export erstellen</button>");
    // Asking again while it runs starts nothing new.
    await postForm(url, "/einstellungen/daten", {}, { cookie: petra });
    const [{ n }] = await server.database.rows<{ n: number }>(
      sql`select count(*)::int as n from data_exports where user_id = ${user.id}`,
    );
    expect(n).toBe(1);
  });

  it("refuses the last admin and bad input with a message next to the field, changing nothing", async () => {
    const admin = await loginCookie(url, "admin@example.org");
    const lastAdmin = await postForm(
      url,
      "/einstellungen/konto-loeschen",
      { password: DEMO_PASSWORD, posts: "keep" },
      { cookie: admin },
    );
    expect(lastAdmin.status).toBe(400);
    expect(await lastAdmin.text()).toContain("einzige Person mit Admin-Rechten");

    const jonas = await loginCookie(url, "mitglied2@example.org");
    const wrong = await postForm(
      url,
      "/einstellungen/konto-loeschen",
      { password: "falsches-passwort", posts: "delete" },
      { cookie: jonas },
    );
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain("Das Passwort stimmt nicht.");
    // The choice is kept, the password is not sent back.
    expect(html).toMatch(/id="posts-delete"[^>]*checked/);
    expect(html).not.toContain("falsches-passwort");
    const noChoice = await postForm(
      url,
      "/einstellungen/konto-loeschen",
      { password: DEMO_PASSWORD },
      { cookie: jonas },
    );
    expect(noChoice.status).toBe(400);
    expect(await noChoice.text()).toContain("Bitte wähle, was mit deinen Beiträgen geschehen soll.");
    expect((await get(url, "/einstellungen", jonas)).status).toBe(200);
  });

  it("deletes the account: every session ends, open sockets close, the login no longer works", async () => {
    const here = await loginCookie(url, "mitglied@example.org");
    const elsewhere = await loginCookie(url, "mitglied@example.org");
    const socket = openSocket(url, { cookie: elsewhere });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const closed = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));

    const deleted = await postForm(
      url,
      "/einstellungen/konto-loeschen",
      { password: DEMO_PASSWORD, posts: "keep" },
      { cookie: here },
    );
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toBe("/konto-geloescht");
    expect(deleted.headers.getSetCookie().some((c) => c.startsWith("lbn_session=;") && c.includes("Max-Age=0"))).toBe(
      true,
    );
    await closed;
    socket.close();

    for (const cookie of [here, elsewhere]) {
      const response = await get(url, "/einstellungen", cookie);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/anmelden/);
    }
    // The demo's member, with everything the demo gave her (threads, replies, thanks, rounds, consultations):
    // once the search index caught up, her name, address and handle are nowhere in the database.
    const deadline = Date.now() + 30_000;
    while ((await server.database.rows<{ n: number }>(sql`select count(*)::int as n from search_outbox`))[0].n > 0) {
      if (Date.now() > deadline) throw new Error("search index did not catch up");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(
      await findEverywhere(server.database, [
        "Sevgi Schneider",
        "Schneider",
        "mitglied@example.org",
        "sevgi-schneider",
      ]),
    ).toEqual([]);

    // Trying to log in afterwards fails (and records a failed attempt under that address, as for any unknown one).
    await expect(loginCookie(url, "mitglied@example.org")).rejects.toThrow(/login failed/);
    const goodbye = await get(url, "/konto-geloescht");
    expect(goodbye.status).toBe(200);
    expect(await goodbye.text()).toContain("Dein Konto ist gelöscht");
  });
});
