/**
 * Notification mails through a real SMTP server started by the test (smtp-server), read back and parsed: German
 * plain-text and HTML parts, the RFC 8058 headers, and a mail that waited in the outbox while the server was down.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { rawHeader, startSmtp, type TestSmtp } from "../setup/smtp.ts";
import { categories, mailOutbox, notifications } from "../../db/schema/index.ts";
import { parseEnv } from "../../app/env.server.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { notify } from "../../app/models/discussions/notifications.server.ts";
import { deliverOutbox } from "../../app/models/mail/outbox.server.ts";
import { checkUnsubscribe } from "../../app/models/notifications/unsubscribe.server.ts";
import { saveSiteSettings } from "../../app/models/settings.server.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let smtp: TestSmtp;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-smtp-"));

async function person(n: number) {
  const { id } = await createUser({
    email: `s${n}@example.org`,
    displayName: `Person ${n}`,
    handle: `s-${n}`,
    password: "ein-gutes-passwort",
  });
  return { id, role: "member" as const, email: `s${n}@example.org` };
}

beforeAll(async () => {
  smtp = await startSmtp();
  globalThis.__companionEnv = parseEnv({
    DATA_DIR: dataDir,
    PUBLIC_URL: "https://netzwerk.example.org",
    SMTP_URL: smtp.url,
  });
  await db().insert(categories).values({ slug: "praxis", name: "Praxis" });
});

afterAll(async () => {
  await smtp?.close();
});

describe(`mail over SMTP on ${engine}`, () => {
  it("a mention mail arrives with text and HTML parts and one-click unsubscribe headers", async () => {
    const [author, reader] = [await person(1), await person(2)];
    const { id } = await createThread(author, {
      categorySlug: "praxis",
      type: "question",
      title: "Selbstvereinbarung <schriftlich> oder mündlich?",
      body: renderMarkdown("Wie haltet ihr das fest?"),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: [],
    });
    await notify([{ userId: reader.id, type: "mention", threadId: id, postId: null, actorId: author.id }]);
    expect(await deliverOutbox(new Date())).toEqual({ sent: 1, failed: 0 });

    const mail = await smtp.waitFor((m) => m.to !== undefined && JSON.stringify(m.to).includes(reader.email));
    expect(mail.subject).toBe("Person 1 hat dich erwähnt: Selbstvereinbarung <schriftlich> oder mündlich?");
    expect(mail.text).toContain("Hallo Person 2,");
    expect(mail.text).toContain(
      "Person 1 hat dich in der Diskussion „Selbstvereinbarung <schriftlich> oder mündlich?“ erwähnt:",
    );
    // The mention was in the thread's opening post: the mail quotes it, as plain text.
    expect(mail.text).toContain("erwähnt:\n\n„Wie haltet ihr das fest?“\n");
    // The sender is the site as its settings name it (no settings saved yet: the built-in name).
    expect(mail.from?.value[0]).toEqual({
      name: "Das Lernbegleitungs-Netzwerk",
      address: "no-reply@netzwerk.example.org",
    });
    expect(mail.text).toContain("\nDas Lernbegleitungs-Netzwerk · https://netzwerk.example.org/\n");
    expect(mail.html).toContain("Selbstvereinbarung &lt;schriftlich&gt; oder mündlich?");
    expect(mail.html).not.toContain("<schriftlich>");
    expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const header = rawHeader(mail, "List-Unsubscribe")!;
    expect(header).toMatch(
      /^<https:\/\/netzwerk\.example\.org\/benachrichtigungen\/abbestellen\?m=[0-9a-f-]{36}&art=mentions&sig=[\w-]+>$/,
    );
    const link = new URL(header.slice(1, -1));
    const check = await checkUnsubscribe(Object.fromEntries(link.searchParams));
    expect(check.ok && check.userId).toBe(reader.id);
    expect(mail.text).toContain(link.toString());
  });

  it("mails come from the name an admin gives the site, from the next mail on", async () => {
    const [author, reader] = [await person(5), await person(6)];
    const { id: adminId } = await createUser({
      email: "s-admin@example.org",
      displayName: "Admin",
      handle: "s-admin",
      password: "ein-gutes-passwort",
      role: "admin",
    });
    await saveSiteSettings(
      { id: adminId, role: "admin" },
      { siteName: "Lernbegleitung „Nord“ & Co", welcomeText: "", openRegistration: false },
    );
    try {
      const { id } = await createThread(author, {
        categorySlug: "praxis",
        type: "question",
        title: "Absendername",
        body: renderMarkdown("Kurz und knapp."),
        anonymous: false,
        ilbStep: null,
        competenceArea: null,
        audience: null,
        legalDomain: null,
        tags: [],
      });
      await notify([{ userId: reader.id, type: "mention", threadId: id, postId: null, actorId: author.id }]);
      await deliverOutbox(new Date());
      const mail = await smtp.waitFor((m) => m.subject === "Person 5 hat dich erwähnt: Absendername");
      expect(mail.from?.value[0]).toEqual({
        name: "Lernbegleitung „Nord“ & Co",
        address: "no-reply@netzwerk.example.org",
      });
      expect(mail.text).toContain("\nLernbegleitung „Nord“ & Co · https://netzwerk.example.org/\n");
    } finally {
      await saveSiteSettings(
        { id: adminId, role: "admin" },
        { siteName: "Das Lernbegleitungs-Netzwerk", welcomeText: "", openRegistration: false },
      );
    }
  });

  it("while the SMTP server is down the mail waits in the outbox; the retry after it is back delivers it once", async () => {
    const port = smtp.port;
    await smtp.close();
    const [author, reader] = [await person(3), await person(4)];
    const { id } = await createThread(author, {
      categorySlug: "praxis",
      type: "question",
      title: "Lernen in der Arbeit sichtbar machen",
      body: renderMarkdown("Welche Formate nutzt ihr?"),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: [],
    });
    await notify([{ userId: reader.id, type: "mention", threadId: id, postId: null, actorId: author.id }]);
    const [stored] = await db().select().from(notifications).where(eq(notifications.userId, reader.id));
    const key = `notification:${stored.id}`;
    const now = new Date();
    expect(await deliverOutbox(now)).toEqual({ sent: 0, failed: 1 });
    let [row] = await db().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, key));
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastError).toBeTruthy();
    expect(row.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);

    smtp = await startSmtp(port);
    expect(await deliverOutbox(now)).toEqual({ sent: 0, failed: 0 }); // the pause after a failure is kept
    expect(await deliverOutbox(new Date(now.getTime() + 61_000))).toEqual({ sent: 1, failed: 0 });
    const mail = await smtp.waitFor(
      (m) => m.subject === "Person 3 hat dich erwähnt: Lernen in der Arbeit sichtbar machen",
    );
    expect(mail.text).toContain("Hallo Person 4,");
    [row] = await db().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, key));
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(await deliverOutbox(new Date(now.getTime() + 3_600_000))).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received.filter((m) => m.subject === mail.subject)).toHaveLength(1);
  });
});
