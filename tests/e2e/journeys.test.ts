/**
 * Journeys that must feel finished, in a real Chromium (axe on every page): a reply sent right after typing never
 * comes back as a draft (also when its autosave lands after the post); the consultation's box empties after
 * "Beitragen"; a forming consultation tells the case giver and the members what is missing and lets the case giver
 * start; a round's host gets host controls, registrants are let into the room the moment it opens, a cancelled
 * round reaches the open pages of its registrants.
 */
import type { Page, Route } from "playwright-core";
import { describe, expect, test } from "vitest";
import {
  allowStatus,
  arrive,
  expectAccessible,
  login,
  newPage,
  useBrowser,
  visit,
  type Allow,
} from "../setup/browser.ts";

const app = useBrowser();

const SEVGI = "mitglied@example.org";
const JONAS = "mitglied2@example.org";
const AYLIN = "mitglied3@example.org";
const THOMAS = "mitglied4@example.org";
const MALTE = "moderation@example.org";
const THREAD_URL = /\/diskussionen\/[0-9a-f-]{36}(#beitrag-[0-9a-f-]{36})?$/;
const RESTORED = "Dein Entwurf von vorhin ist wiederhergestellt.";

async function member(email: string, allow?: Allow | Allow[]): Promise<Page> {
  const page = await newPage({ allow });
  await login(page, email);
  return page;
}

async function post(page: Page, path: string, form: Record<string, string>): Promise<string> {
  const response = await page.request.post(path, { form, headers: { Origin: app.url() }, maxRedirects: 0 });
  expect(response.status(), `POST ${path} ${form.intent ?? ""}`).toBe(302);
  return response.headers().location;
}

const isDraftSave = (url: string | URL) => new URL(String(url)).pathname === "/api/v1/drafts";

describe("drafts", () => {
  test("a reply whose autosave lands after the post does not come back; the editor is empty after sending", async () => {
    // The held autosave is refused with 409, which Chromium logs.
    const sevgi = await member(SEVGI, allowStatus(409));
    const threadId = (
      await post(sevgi, "/diskussionen/neu", {
        type: "question",
        title: "Wie startet ihr ins Erstgespräch?",
        category: "lerngespraeche",
        body: "Ich sammle Ideen.",
      })
    )
      .split("/")
      .pop()!;
    const jonas = await member(JONAS, allowStatus(409));
    await visit(jonas, `/diskussionen/${threadId}`);
    const form = jonas.locator("section#antworten form");

    // Hold the autosave in flight, as a slow network would, until the reply is posted.
    const held: Route[] = [];
    await jonas.route(isDraftSave, (route) => void held.push(route));
    await form.getByLabel("Deine Antwort").click();
    await form.locator('.richtext__content[contenteditable="true"]').waitFor();
    await jonas.keyboard.type("Wir beginnen mit einer offenen Frage.");
    await expect.poll(() => held.length, { timeout: 5_000 }).toBe(1);
    expect(await jonas.getByText(RESTORED).count()).toBe(0);
    await form.getByRole("button", { name: "Antwort senden" }).click();
    await jonas.locator("article.post .prose", { hasText: "Wir beginnen mit einer offenen Frage." }).waitFor();
    await arrive(jonas, THREAD_URL);
    // The form starts empty.
    await expect.poll(() => form.getByLabel("Deine Antwort").inputValue()).toBe("");

    // Now the autosave reaches the server, after the post: refused.
    const late = jonas.waitForResponse((r) => isDraftSave(r.url()));
    await held[0].continue();
    expect((await late).status()).toBe(409);
    await jonas.unroute(isDraftSave);

    await jonas.reload();
    await arrive(jonas, THREAD_URL);
    expect(await form.getByLabel("Deine Antwort").inputValue()).toBe("");
    expect(await jonas.getByText(RESTORED).count()).toBe(0);
  });

  test("a reply sent within a second of typing: only text typed afterwards is a draft, restored with a notice", async () => {
    const sevgi = await member(SEVGI);
    const threadId = (
      await post(sevgi, "/diskussionen/neu", {
        type: "question",
        title: "Welche Fragen helfen beim Einstieg?",
        category: "lerngespraeche",
        body: "Sammeln wir.",
      })
    )
      .split("/")
      .pop()!;
    const jonas = await member(JONAS);
    await visit(jonas, `/diskussionen/${threadId}`);
    const form = jonas.locator("section#antworten form");
    await form.getByLabel("Deine Antwort").click();
    await form.locator('.richtext__content[contenteditable="true"]').waitFor();
    await jonas.keyboard.type("Was hat dich hergeführt?");
    await form.getByRole("button", { name: "Antwort senden" }).click();
    await jonas.locator("article.post .prose", { hasText: "Was hat dich hergeführt?" }).waitFor();
    await arrive(jonas, THREAD_URL);
    await expect.poll(() => form.getByLabel("Deine Antwort").inputValue()).toBe("");

    // New text after the send is a real draft: its autosave is accepted.
    await form.getByLabel("Deine Antwort").click();
    await form.locator('.richtext__content[contenteditable="true"]').waitFor();
    const saved = jonas.waitForResponse((r) => isDraftSave(r.url()));
    await jonas.keyboard.type("Und was soll danach anders sein?");
    expect((await saved).status()).toBe(200);

    await jonas.reload();
    await arrive(jonas, THREAD_URL);
    await jonas.getByText(RESTORED).waitFor();
    // Only the new text: the sent reply was not resurrected and nothing was appended to it.
    expect(await form.getByLabel("Deine Antwort").inputValue()).toBe("Und was soll danach anders sein?");
  });
});

async function formingCase(sevgi: Page, members: { page: Page; handle: string }[]): Promise<string> {
  const location = await post(sevgi, "/fallberatung/neu", {
    topic: "Lernzeit schützen",
    situation: "Eine Kollegin schafft es seit Wochen nicht, ihre geplante Lernzeit neben dem Tagesgeschäft zu halten.",
    tried: "Kürzere Termine und Kalendererinnerungen.",
    keyQuestion: "Wie unterstütze ich sie, ohne Druck aufzubauen?",
    mode: "async",
    asyncDays: "5",
    groupSize: "4",
    noNames: "on",
    noOffice: "on",
    noClientData: "on",
  });
  const casePath = new URL(location, app.url()).pathname;
  for (const m of members) {
    await post(sevgi, casePath, { intent: "invite", handle: m.handle });
    await post(m.page, casePath, { intent: "agree" });
  }
  return casePath;
}

describe("casting", () => {
  test("with four members and all consents, everyone reads what is missing; the case giver casts, starts, and her box empties after Beitragen", async () => {
    const sevgi = await member(SEVGI);
    const jonas = await member(JONAS);
    const aylin = await member(AYLIN);
    const thomas = await member(THOMAS);
    const casePath = await formingCase(sevgi, [
      { page: jonas, handle: "jonas-wagner" },
      { page: aylin, handle: "aylin-demir" },
      { page: thomas, handle: "thomas-becker" },
    ]);

    await visit(sevgi, casePath);
    const needs = sevgi.locator(".casting-needs");
    expect(await needs.innerText()).toContain("Es braucht eine Moderation. Du vergibst die Rolle unten in der Gruppe.");
    // All seats are taken: no seat offers, no invitations.
    expect(await sevgi.getByRole("button", { name: /Freie Plätze/ }).count()).toBe(0);
    expect(await sevgi.getByLabel("Mitglied einladen (Kurzname)").count()).toBe(0);
    // The role selects look like the other form fields (not the tiny browser default).
    const select = sevgi.getByLabel("Rolle von Jonas Wagner");
    const box = await select.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(38);
    expect(await select.evaluate((el) => getComputedStyle(el).borderTopLeftRadius)).toBe("6px");

    await visit(jonas, casePath);
    expect(await jonas.locator(".casting-needs").innerText()).toContain(
      "Es braucht eine Moderation. Sevgi Schneider vergibt die Rolle unten in der Gruppe.",
    );
    expect(await jonas.getByRole("button", { name: "Beratung beginnen" }).count()).toBe(0);

    await select.selectOption("moderation");
    await sevgi.locator("form", { has: select }).getByRole("button", { name: "Rolle setzen" }).click();
    await sevgi.getByText("Die Gruppe steht. Du kannst die Beratung jetzt beginnen.").waitFor();
    await expectAccessible(sevgi);
    // The member's page follows live.
    await jonas.getByText("Die Gruppe steht. Du kannst die Beratung jetzt beginnen.").waitFor({ timeout: 15_000 });
    await visit(aylin, casePath);
    expect(await aylin.locator(".casting-ready").innerText()).toBe(
      "Die Gruppe steht. Sevgi Schneider oder Jonas Wagner können die Beratung jetzt beginnen.",
    );

    await sevgi.getByRole("button", { name: "Beratung beginnen" }).click();
    await sevgi.getByRole("heading", { level: 2, name: "Phase Spontanbericht" }).waitFor();
    await expectAccessible(sevgi);

    const box2 = sevgi.locator("form.case-input textarea[name=body]");
    await box2.fill("Sie nimmt sich viel vor und sagt dann kurzfristig ab.");
    await sevgi.locator("form.case-input").getByRole("button", { name: "Beitragen" }).click();
    await sevgi.locator(".case-entry__body", { hasText: "Sie nimmt sich viel vor" }).waitFor();
    await expect.poll(() => sevgi.locator("form.case-input textarea[name=body]").inputValue()).toBe("");
  });
});

const berlin = (d: Date) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", dateStyle: "short", timeStyle: "short" })
    .format(d)
    .replace(" ", "T");

async function scheduleRound(host: Page, title: string): Promise<string> {
  const start = new Date(Date.now() + 3 * 86_400_000);
  const location = await post(host, "/dialogrunden/neu", {
    title,
    description: "Erfahrungen austauschen.",
    startsAt: berlin(start),
    endsAt: berlin(new Date(start.getTime() + 90 * 60_000)),
    registrationDeadline: berlin(new Date(start.getTime() - 3_600_000)),
    capacity: "10",
    conferenceUrl: "",
    hosts: "",
    agenda: "Ankommen\nAustausch",
  });
  return new URL(location, app.url()).pathname;
}

describe("dialogue rounds", () => {
  test("host controls, one confirmation, spaced buttons, instant admission by socket, styled chat picks", async () => {
    const host = await member(MALTE);
    const roundPath = await scheduleRound(host, "Lernzeit im Team verankern");
    await visit(host, roundPath);
    // The host is not offered registration, the waiting list or watching.
    expect(await host.getByRole("button", { name: /Anmelden|Auf die Warteliste|Beobachten/ }).count()).toBe(0);
    await host.getByText("Du bist Gastgeberin oder Gastgeber dieser Runde").waitFor();

    const sevgi = await member(SEVGI);
    await visit(sevgi, roundPath);
    await sevgi.getByRole("button", { name: "Anmelden" }).click();
    await sevgi.getByText("Du bist angemeldet. Bis bald!").waitFor();
    expect(await sevgi.getByText("Du bist angemeldet.", { exact: true }).count()).toBe(0);
    // "Absagen" and the calendar button do not touch.
    const cancel = await sevgi.getByRole("link", { name: "Absagen" }).boundingBox();
    const calendar = await sevgi.getByRole("link", { name: "In den Kalender (.ics)" }).boundingBox();
    const gap =
      calendar!.y >= cancel!.y + cancel!.height
        ? calendar!.y - (cancel!.y + cancel!.height)
        : calendar!.x - (cancel!.x + cancel!.width);
    expect(gap).toBeGreaterThanOrEqual(8);
    await expectAccessible(sevgi);

    // The host opens the room; Sevgi's page lets her in through the socket (no poll any more).
    await host.getByRole("button", { name: "Raum öffnen" }).click();
    const opened = Date.now();
    await sevgi.locator(".live-room").getByText("Verbunden", { exact: true }).waitFor({ timeout: 10_000 });
    expect(Date.now() - opened).toBeLessThan(10_000);
    await expectAccessible(sevgi);
    await host.locator(".live-room").getByText("Verbunden", { exact: true }).waitFor();
    // Hosts give the floor; they are not offered to raise a hand. Members are.
    expect(await host.getByRole("button", { name: "Hand heben" }).count()).toBe(0);
    expect(await sevgi.getByRole("button", { name: "Hand heben" }).count()).toBe(1);

    const chat = sevgi.getByLabel("Nachricht an alle");
    await chat.fill("Wir blocken jeden Donnerstag eine Stunde.");
    await chat.press("Enter");
    await host.locator(".chat-log").getByText("Wir blocken jeden Donnerstag eine Stunde.").waitFor();
    await host.getByRole("link", { name: "Raum schließen" }).click();
    await arrive(host, `${roundPath}?schliessen=1`);
    await host.getByRole("button", { name: "Ja, Raum schließen" }).click();
    const pick = host.getByRole("checkbox", { name: /Wir blocken jeden Donnerstag/ });
    await pick.waitFor();
    await expectAccessible(host);
    await host.setViewportSize({ width: 1280, height: 900 });
    const size = await pick.boundingBox();
    expect(Math.round(size!.width)).toBe(20);
    expect(Math.round(size!.height)).toBe(20);
  });

  test("the host cancels a scheduled round after confirming; a registrant's open page shows it at once", async () => {
    const host = await member(MALTE);
    const roundPath = await scheduleRound(host, "Prüfungsangst begleiten");
    const jonas = await member(JONAS);
    const registered = await jonas.request.post(roundPath, {
      form: { intent: "register" },
      headers: { Origin: app.url() },
      maxRedirects: 0,
    });
    expect(registered.status()).toBe(200);
    await visit(jonas, roundPath);
    await jonas.getByText("Du bist angemeldet.", { exact: true }).waitFor();

    await visit(host, roundPath);
    await host.getByRole("link", { name: "Dialogrunde absagen …" }).click();
    await arrive(host, `${roundPath}?runde-absagen=1`);
    await host.getByText("Dialogrunde wirklich absagen? Eine Person bekommt Bescheid").waitFor();
    // Changing one's mind leaves the round as it was.
    await host.getByRole("link", { name: "Nein, nicht absagen" }).click();
    await arrive(host, roundPath);
    await host.getByRole("link", { name: "Dialogrunde absagen …" }).click();
    await arrive(host, `${roundPath}?runde-absagen=1`);
    await host.getByRole("button", { name: "Ja, Dialogrunde absagen" }).click();
    await arrive(host, `${roundPath}?abgesagt=1`);
    await host.getByText("Diese Dialogrunde ist abgesagt.").waitFor();
    expect(await host.getByRole("link", { name: "Dialogrunde ändern" }).count()).toBe(0);

    await jonas.getByText("Diese Dialogrunde ist abgesagt.").waitFor({ timeout: 10_000 });
    expect(await jonas.getByRole("link", { name: "Absage für den Kalender (.ics)" }).count()).toBe(1);
    await expectAccessible(jonas);
    const ics = await (await jonas.request.get(`${roundPath}.ics`)).text();
    expect(ics).toContain("STATUS:CANCELLED");
    expect(ics).toContain("SEQUENCE:1");
  });
});
