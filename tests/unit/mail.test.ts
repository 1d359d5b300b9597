import { expect, test } from "vitest";
import { composeMail } from "../../app/models/mail/templates.server.ts";

test("mails: the same German text as plain text and HTML, with everything escaped in the HTML", () => {
  const mail = composeMail("a@example.org", "Erinnerung: <Runde> & mehr", {
    siteName: "Das <Lernbegleitungs>-Netzwerk",
    greeting: "Hallo Jonas,",
    paragraphs: ["die Runde „KI <script>alert(1)</script>“ beginnt bald.", "Zeile eins\nZeile zwei"],
    action: { label: "Zur Dialogrunde", url: 'https://netzwerk.example.org/dialogrunden/1?"x' },
  });
  expect(mail.text).toContain("die Runde „KI <script>alert(1)</script>“ beginnt bald.");
  expect(mail.text).toContain("Zur Dialogrunde: https://netzwerk.example.org/dialogrunden/1");
  expect(mail.html).not.toContain("<script>");
  expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  expect(mail.html).toContain("<title>Erinnerung: &lt;Runde&gt; &amp; mehr</title>");
  expect(mail.html).toContain('href="https://netzwerk.example.org/dialogrunden/1?&quot;x"');
  expect(mail.html).toContain("Zeile eins<br>Zeile zwei");
  expect(mail.html).toContain('<html lang="de">');
  // The last line names the site as its settings do (the same name as the sender), escaped like everything else.
  expect(mail.text).toMatch(/\nDas <Lernbegleitungs>-Netzwerk · http\S+\/\n$/);
  expect(mail.html).toContain("Das &lt;Lernbegleitungs&gt;-Netzwerk · http");
});
