/**
 * The accessibility statement's feedback form (BITV 2.0): visitors without an account and members reach the
 * moderators (a stored report on their page and a mail to each moderator and admin); a flood is refused in German
 * with what was typed kept; bad input changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import { accessibilityFeedback, mailOutbox } from "../../db/schema/index.ts";
import { FEEDBACK_PER_HOUR } from "../../app/models/community/feedback.server.ts";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, get, postForm } from "./helpers.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let url: string;

beforeAll(async () => {
  server = await startTestServer({ PUBLIC_URL: "https://netzwerk.example.org" });
  url = server.url;
});
afterAll(() => server?.close());

const stored = async () =>
  (await server.database.rows<{ n: number }>(sql`select count(*)::int as n from accessibility_feedback`))[0].n;
const mailsTo = (email: string) => server.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));

describe("accessibility feedback", () => {
  test("the statement and the page in Leichte Sprache are public and linked from every page's footer", async () => {
    for (const path of ["/barrierefreiheit", "/leichte-sprache", "/anmelden"]) {
      const response = await get(url, path);
      expect(response.status, path).toBe(200);
      const html = decodeHtml(await response.text());
      const footer = html.slice(html.indexOf("<footer"));
      expect(footer, path).toContain('href="/barrierefreiheit"');
      expect(footer, path).toContain('href="/leichte-sprache"');
    }
    const statement = decodeHtml(await (await get(url, "/barrierefreiheit")).text());
    for (const part of [
      "teilweise barrierefrei",
      "Was ist nicht barrierefrei?",
      "Die Erklärung wurde am",
      "Barrieren melden",
      "§ 16 Behindertengleichstellungsgesetz",
      "info@schlichtungsstelle-bgg.de",
    ]) {
      expect(statement).toContain(part);
    }
  });

  test("a visitor without an account reaches every moderator and admin; the moderators' page lists it", async () => {
    const message = "Das Video auf der Startseite hat keine Untertitel und der Kontrast der Links ist zu schwach.";
    const response = await postForm(url, "/barrierefreiheit", {
      message,
      page: "/materialien",
      name: "Erika Muster",
      contact: "erika@example.org",
    });
    expect(response.status).toBe(200);
    expect(decodeHtml(await response.text())).toContain("Danke! Deine Rückmeldung ist bei der Moderation angekommen.");

    const [row] = await server.database.db
      .select()
      .from(accessibilityFeedback)
      .where(eq(accessibilityFeedback.message, message));
    expect(row).toMatchObject({
      userId: null,
      name: "Erika Muster",
      contact: "erika@example.org",
      page: "/materialien",
    });
    expect(row.senderKey).not.toContain("127.0.0.1");
    for (const email of ["moderation@example.org", "admin@example.org"]) {
      const mails = (await mailsTo(email)).filter((m) => m.subject === "Rückmeldung zur Barrierefreiheit");
      expect(mails, email).toHaveLength(1);
      expect(mails[0].text).toContain(
        "Erika Muster hat über die Erklärung zur Barrierefreiheit eine Rückmeldung geschickt:",
      );
      expect(mails[0].text).toContain(message);
      expect(mails[0].text).toContain("Antwort erbeten an: erika@example.org");
      expect(mails[0].text).toContain("https://netzwerk.example.org/moderation/meldungen#barrierefreiheit");
    }
    expect(
      (await mailsTo("mitglied@example.org")).filter((m) => m.subject === "Rückmeldung zur Barrierefreiheit"),
    ).toHaveLength(0);

    const moderator = await loginCookie(url, "moderation@example.org");
    const page = decodeHtml(await (await get(url, "/moderation/meldungen", moderator)).text());
    expect(page).toContain("Rückmeldungen zur Barrierefreiheit");
    expect(page).toContain(message);
    expect(page).toContain('href="mailto:erika@example.org"');
    const member = await loginCookie(url, "mitglied@example.org");
    expect((await get(url, "/moderation/meldungen", member)).status).toBe(403);
  });

  test("bad input: a German message next to the field, what was typed kept, nothing stored or mailed", async () => {
    const before = await stored();
    const response = await postForm(url, "/barrierefreiheit", {
      message: "zu kurz",
      contact: "keine-adresse",
      name: "Ben",
    });
    expect(response.status).toBe(400);
    const html = decodeHtml(await response.text());
    expect(html).toContain("Bitte beschreibe kurz, was nicht barrierefrei ist (mindestens 10 Zeichen).");
    expect(html).toContain("Bitte gib eine gültige E-Mail-Adresse ein oder lass das Feld leer.");
    expect(html).toContain(">zu kurz</textarea>");
    expect(html).toContain('value="keine-adresse"');
    expect(await stored()).toBe(before);
  });

  test(`more than ${FEEDBACK_PER_HOUR} an hour from one sender are refused (429, German, text kept); a member counts on their own`, async () => {
    // The visitor above sent one already from this address.
    const sent = (
      await server.database.rows<{ n: number }>(
        sql`select count(*)::int as n from accessibility_feedback where user_id is null`,
      )
    )[0].n;
    for (let i = sent; i < FEEDBACK_PER_HOUR; i++) {
      const response = await postForm(url, "/barrierefreiheit", {
        message: `Rückmeldung Nummer ${i + 1} zu den Tabellen.`,
      });
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    const before = await stored();
    const refused = await postForm(url, "/barrierefreiheit", { message: "Noch eine Rückmeldung, die zu viel ist." });
    expect(refused.status).toBe(429);
    const html = decodeHtml(await refused.text());
    expect(html).toContain("Bitte versuche es in einer Stunde noch einmal");
    expect(html).toContain(">Noch eine Rückmeldung, die zu viel ist.</textarea>");
    expect(await stored()).toBe(before);

    // A member is told apart by the account, not the shared address, and named in the mail.
    const member = await loginCookie(url, "mitglied2@example.org");
    const accepted = await postForm(
      url,
      "/barrierefreiheit",
      { message: "Der Editor liest die Symbolleiste nicht vor." },
      { cookie: member },
    );
    expect(accepted.status).toBe(200);
    await accepted.body?.cancel();
    const [row] = await server.database.db
      .select()
      .from(accessibilityFeedback)
      .where(eq(accessibilityFeedback.message, "Der Editor liest die Symbolleiste nicht vor."));
    expect(row.userId).not.toBeNull();
    const mail = (await mailsTo("moderation@example.org")).find((m) =>
      m.text.includes("Der Editor liest die Symbolleiste nicht vor."),
    );
    expect(mail?.text).toContain(
      "Ein Mitglied hat über die Erklärung zur Barrierefreiheit eine Rückmeldung geschickt:",
    );
  });

  test("a moderator marks feedback answered and open again, each in the audit log; bad ids and intents change nothing", async () => {
    const message = "Die Fortschrittsanzeige beim Hochladen wird nicht vorgelesen.";
    const sent = await postForm(
      url,
      "/barrierefreiheit",
      { message },
      { headers: { "X-Forwarded-For": "192.0.2.77" } },
    );
    expect(sent.status).toBe(200);
    await sent.body?.cancel();
    const [row] = await server.database.db
      .select()
      .from(accessibilityFeedback)
      .where(eq(accessibilityFeedback.message, message));
    const moderator = await loginCookie(url, "moderation@example.org");
    const state = async () =>
      (await server.database.db.select().from(accessibilityFeedback).where(eq(accessibilityFeedback.id, row.id)))[0];
    const audit = async () =>
      (
        await server.database.rows<{ n: number }>(
          sql`select count(*)::int as n from audit_log where subject_type = 'feedback'`,
        )
      )[0].n;

    // Open: listed with its button, before any answered one.
    let page = decodeHtml(await (await get(url, "/moderation/meldungen", moderator)).text());
    expect(page).toContain(message);
    expect(page).toContain(`name="feedbackId" value="${row.id}"`);

    // Refused: no such feedback, garbage, another intent; a member may not.
    const auditBefore = await audit();
    for (const feedbackId of ["999999", "abc", "1e3", "-1", "99999999999"]) {
      const refused = await postForm(
        url,
        "/moderation/meldungen",
        { intent: "feedback-handled", feedbackId },
        { cookie: moderator },
      );
      expect(refused.status, feedbackId).toBe(404);
      await refused.body?.cancel();
    }
    const unknownIntent = await postForm(
      url,
      "/moderation/meldungen",
      { intent: "feedback-delete", feedbackId: String(row.id) },
      { cookie: moderator },
    );
    expect(unknownIntent.status).toBe(400);
    expect(decodeHtml(await unknownIntent.text())).toContain("Diese Aktion gibt es hier nicht.");
    const member = await loginCookie(url, "mitglied3@example.org");
    const asMember = await postForm(
      url,
      "/moderation/meldungen",
      { intent: "feedback-handled", feedbackId: String(row.id) },
      { cookie: member },
    );
    expect(asMember.status).toBe(403);
    await asMember.body?.cancel();
    expect((await state()).handledAt).toBeNull();
    expect(await audit()).toBe(auditBefore);

    // Answered (a second click changes nothing more), then open again.
    for (let i = 0; i < 2; i++) {
      const done = await postForm(
        url,
        "/moderation/meldungen",
        { intent: "feedback-handled", feedbackId: String(row.id) },
        { cookie: moderator },
      );
      expect(done.status).toBe(200);
      expect(decodeHtml(await done.text())).toContain("Die Rückmeldung ist als beantwortet markiert.");
    }
    expect((await state()).handledAt).not.toBeNull();
    expect(await audit()).toBe(auditBefore + 1);
    page = decodeHtml(await (await get(url, "/moderation/meldungen", moderator)).text());
    const answered = page.slice(page.indexOf('class="feedback-handled"'));
    expect(answered).toContain(message);
    expect(answered).toContain("Beantwortet");
    expect(answered).toMatch(/von [^<]+<\/p>/);

    const reopened = await postForm(
      url,
      "/moderation/meldungen",
      { intent: "feedback-open", feedbackId: String(row.id) },
      { cookie: moderator },
    );
    expect(reopened.status).toBe(200);
    await reopened.body?.cancel();
    expect((await state()).handledAt).toBeNull();
    expect((await state()).handledBy).toBeNull();
    expect(await audit()).toBe(auditBefore + 2);

    const log = decodeHtml(await (await get(url, "/moderation/protokoll?art=feedback", moderator)).text());
    expect(log).toContain("Rückmeldung zur Barrierefreiheit als beantwortet markiert");
    expect(log).toContain("Rückmeldung zur Barrierefreiheit wieder als offen markiert");
  });
});
