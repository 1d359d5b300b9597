/**
 * Pictures through the forms over real HTTP (issue 19, ADR 031).
 * - Without JavaScript: the reply and new-thread forms are multipart; a picture with its description goes below the
 *   text through the same checks as the editor's upload (bytes sniffed, limits per picture and per member and day).
 *   A missing description is a German 400 that keeps the text and the uploaded picture (offered again, not picked
 *   twice); a description without a picture, a file that is no picture and someone else's picture are refused too.
 * - Materials: a description with a picture (from the editor's upload) is shown with srcset, width, height and lazy
 *   loading; the description gate holds; who sees the picture follows who sees the material.
 */
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { images, users } from "../../db/schema/index.ts";
import { photoWithGps } from "../setup/images.ts";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { decodeHtml, errorMessages, get, postForm } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
interface Stored {
  id: string;
  src: string;
  width: number;
  height: number;
  error?: string;
}

let server: Server;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const ALT_MISSING =
  "Bitte beschreibe das Bild im Feld „Bildbeschreibung“ – für Menschen, die es nicht sehen können. Dein Bild ist schon hochgeladen und bleibt hier, bis du den Beitrag sendest.";

/** A multipart form as the browser sends it without JavaScript (no redirects followed). */
function postMultipart(
  pathname: string,
  fields: Record<string, string | { bytes: Buffer; name: string }>,
  who: string,
): Promise<Response> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string") form.append(key, value);
    else form.append(key, new Blob([new Uint8Array(value.bytes)], { type: "application/octet-stream" }), value.name);
  }
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.url, Cookie: cookies[who] },
    body: form,
  });
}

async function uploaded(bytes: Buffer, who: string): Promise<Stored> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), "bild.jpg");
  const response = await fetch(`${server.url}/api/v1/bilder`, {
    method: "POST",
    headers: { Origin: server.url, Cookie: cookies[who] },
    body: form,
  });
  const body = (await response.json()) as Stored;
  expect(response.status, body.error).toBe(201);
  return body;
}

const imagesOf = (who: string) => server.database.db.select().from(images).where(eq(images.uploadedBy, ids[who]));

/** The <img class="beitragsbild"> tags of a page, decoded. */
const pictureTags = (html: string) =>
  [...decodeHtml(html).matchAll(/<img class="beitragsbild"[^>]*>/g)].map((m) => m[0]);

/** The textarea's text, as the page sends it back to the member. */
const textareaText = (html: string, name = "body") =>
  decodeHtml(html.match(new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`))?.[1] ?? "");

async function newThread(who: string, title: string): Promise<string> {
  const response = await postForm(
    server.url,
    "/diskussionen/neu",
    { type: "question", category: "methoden", title, body: "Wer hat ein Foto?" },
    { cookie: cookies[who] },
  );
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

beforeAll(async () => {
  server = await startTestServer({ UPLOAD_DAILY_IMAGES: "6" });
  for (const [name, email] of [
    ["member", "mitglied@example.org"],
    ["member2", "mitglied2@example.org"],
    ["member3", "mitglied3@example.org"],
    ["moderator", "moderation@example.org"],
  ] as const) {
    cookies[name] = await loginCookie(server.url, email);
    const [user] = await server.database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    ids[name] = user.id;
  }
}, 180_000);
afterAll(async () => {
  await server?.close();
});

describe("a picture without JavaScript", () => {
  test("a new thread with a picture and its description: the picture comes below the text, upright, without metadata", async () => {
    const response = await postMultipart(
      "/diskussionen/neu",
      {
        type: "question",
        category: "methoden",
        title: "Unser Lernplakat ohne JavaScript",
        body: "So sieht es bei uns aus:",
        bodyBild: { bytes: await photoWithGps(1200, 900), name: "plakat.jpg" },
        bodyBildAlt: "Lernplakat mit drei Spalten: Ziele, Schritte, Erfolge",
      },
      "member",
    );
    expect(response.status, errorMessages(await response.clone().text()).join(" | ")).toBe(302);
    const page = await (await get(server.url, response.headers.get("location")!, cookies.member2)).text();
    const [tag] = pictureTags(page);
    const id = tag.match(new RegExp(`/bilder/(${UUID})/`))![1];
    // Orientation 6: 1200×900 stored turned, so 900 wide.
    expect(tag).toContain('alt="Lernplakat mit drei Spalten: Ziele, Schritte, Erfolge"');
    expect(tag).toContain(`srcset="/bilder/${id}/480.jpg 480w, /bilder/${id}/900.jpg 900w"`);
    expect(tag).toContain('width="900" height="1200"');
    expect(tag).toContain('loading="lazy"');
    // Below the text.
    expect(decodeHtml(page).indexOf("So sieht es bei uns aus:")).toBeLessThan(decodeHtml(page).indexOf(tag));
    const rendition = await get(server.url, `/bilder/${id}/900.jpg`, cookies.member2);
    expect(rendition.status).toBe(200);
    expect((await sharp(Buffer.from(await rendition.arrayBuffer())).metadata()).exif).toBeUndefined();
    const [row] = await server.database.db.select().from(images).where(eq(images.id, id));
    expect(row.postId).not.toBeNull();
  });

  test("a reply without a description: 400 in German, text and uploaded picture kept; described, it is sent with that picture", async () => {
    const threadPath = await newThread("member2", "Fotos vom Fachtag");
    const before = (await imagesOf("member")).length;
    const text = "Hier unser **Flipchart** vom Nachmittag.";
    const refused = await postMultipart(
      threadPath,
      {
        intent: "reply",
        parentId: "",
        body: text,
        bodyBild: { bytes: await photoWithGps(800, 600), name: "flipchart.jpg" },
        bodyBildAlt: "  ",
      },
      "member",
    );
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(errorMessages(html)).toContain(ALT_MISSING);
    expect(textareaText(html)).toBe(text);
    // The picture is on the server, offered again with a preview of the right proportions; the member picks nothing twice.
    const keptId = html.match(new RegExp(`<input type="hidden" name="bodyBildId" value="(${UUID})"`))?.[1];
    expect(keptId).toBeTruthy();
    expect(decodeHtml(html)).toMatch(
      new RegExp(`<img src="/bilder/${keptId}/480.jpg" alt="" width="160" height="213"`),
    );
    expect(decodeHtml(html)).toContain('aria-invalid="true"');
    expect((await get(server.url, `/bilder/${keptId}/480.jpg`, cookies.member)).status).toBe(200);
    expect((await imagesOf("member")).length).toBe(before + 1);

    const sent = await postMultipart(
      threadPath,
      {
        intent: "reply",
        parentId: "",
        body: text,
        bodyBildId: keptId!,
        bodyBildAlt: "Flipchart mit den Ergebnissen des Nachmittags",
      },
      "member",
    );
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toMatch(new RegExp(`#beitrag-${UUID}$`));
    const page = await (await get(server.url, threadPath, cookies.member2)).text();
    const tag = pictureTags(page).find((t) => t.includes(keptId!));
    expect(tag).toContain('alt="Flipchart mit den Ergebnissen des Nachmittags"');
    expect(tag).toContain('width="600" height="800"');
    expect(decodeHtml(page)).toContain("<strong>Flipchart</strong>");
    // The same picture, not a second upload.
    expect((await imagesOf("member")).length).toBe(before + 1);
    const [row] = await server.database.db.select().from(images).where(eq(images.id, keptId!));
    expect(row.postId).not.toBeNull();
  });

  test("editing a post with a picture without JavaScript keeps the picture: the textarea names it, the edit keeps it", async () => {
    const photo = await sharp({ create: { width: 1000, height: 700, channels: 3, background: "#c63" } })
      .png()
      .toBuffer();
    const created = await postMultipart(
      "/diskussionen/neu",
      {
        type: "question",
        category: "methoden",
        title: "Bild bleibt beim Bearbeiten",
        body: "Vorher.",
        bodyBild: { bytes: photo, name: "bild.png" },
        bodyBildAlt: "Oranges [Plakat] mit *Punkten*",
      },
      "member",
    );
    expect(created.status).toBe(302);
    const threadPath = created.headers.get("location")!;
    const page = await (await get(server.url, threadPath, cookies.member)).text();
    const postId = page.match(new RegExp(`id="beitrag-(${UUID})"`))![1];
    const id = pictureTags(page)[0].match(new RegExp(`/bilder/(${UUID})/`))![1];
    const editPath = `${threadPath}/beitrag/${postId}/bearbeiten`;
    const text = textareaText(await (await get(server.url, editPath, cookies.member)).text());
    expect(text).toBe(`Vorher.\n\n![Oranges \\[Plakat\\] mit \\*Punkten\\*](/bilder/${id})`);

    const edited = await postForm(
      server.url,
      editPath,
      { title: "Bild bleibt beim Bearbeiten", body: text.replace("Vorher.", "Nachher, mit Bild:") },
      { cookie: cookies.member },
    );
    expect(edited.status, errorMessages(await edited.clone().text()).join(" | ")).toBe(302);
    const after = await (await get(server.url, threadPath, cookies.member2)).text();
    expect(decodeHtml(after)).toContain("Nachher, mit Bild:");
    const [tag] = pictureTags(after);
    expect(tag).toContain(`/bilder/${id}/1000.jpg`);
    expect(tag).toContain('alt="Oranges [Plakat] mit *Punkten*"');
    expect(tag).toContain('width="1000" height="700"');
  });

  test("a picture alone is a reply too", async () => {
    const threadPath = await newThread("member2", "Nur ein Bild");
    const png = await sharp({ create: { width: 640, height: 320, channels: 3, background: "#2a6" } })
      .png()
      .toBuffer();
    const sent = await postMultipart(
      threadPath,
      {
        intent: "reply",
        parentId: "",
        body: "",
        bodyBild: { bytes: png, name: "tafel.png" },
        bodyBildAlt: "Grüne Tafel",
      },
      "member3",
    );
    expect(sent.status).toBe(302);
    const tags = pictureTags(await (await get(server.url, threadPath, cookies.member3)).text());
    expect(tags.some((t) => t.includes('alt="Grüne Tafel"') && t.includes('width="640" height="320"'))).toBe(true);
  });

  test("a description without a picture, a file that is no picture, and someone else's picture: 400, text kept, nothing stored", async () => {
    const threadPath = await newThread("member2", "Falsche Bilder");
    const before = (await server.database.db.select().from(images)).length;

    const noPicture = await postMultipart(
      threadPath,
      { intent: "reply", parentId: "", body: "Text eins", bodyBildAlt: "Ein Foto" },
      "member",
    );
    expect(noPicture.status).toBe(400);
    const noPictureHtml = await noPicture.text();
    expect(errorMessages(noPictureHtml)).toContain(
      "Du hast eine Bildbeschreibung geschrieben, aber kein Bild ausgewählt. Bitte wähle ein Bild aus oder leere das Feld.",
    );
    expect(textareaText(noPictureHtml)).toBe("Text eins");

    // The name says JPEG, the bytes say PDF: the bytes decide.
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
    const notAPicture = await postMultipart(
      threadPath,
      {
        intent: "reply",
        parentId: "",
        body: "Text zwei",
        bodyBild: { bytes: pdf, name: "foto.jpg" },
        bodyBildAlt: "Ein Foto",
      },
      "member",
    );
    expect(notAPicture.status).toBe(400);
    const notAPictureHtml = await notAPicture.text();
    expect(errorMessages(notAPictureHtml)).toContain("Bitte wähle ein Bild aus (JPEG, PNG, GIF oder WebP).");
    expect(textareaText(notAPictureHtml)).toBe("Text zwei");
    expect(decodeHtml(notAPictureHtml)).toContain('value="Ein Foto"');

    const someoneElses = await uploaded(await photoWithGps(300, 200), "member2");
    const borrowed = await postMultipart(
      threadPath,
      { intent: "reply", parentId: "", body: "Text drei", bodyBildId: someoneElses.id, bodyBildAlt: "Ein Foto" },
      "member",
    );
    expect(borrowed.status).toBe(400);
    expect(errorMessages(await borrowed.text())).toContain(
      "Ein Bild in deinem Text gibt es nicht mehr oder es gehört zu einem anderen Beitrag. Bitte entferne es und füge es noch einmal ein.",
    );
    expect((await server.database.db.select().from(images)).length).toBe(before + 1);
    const [row] = await server.database.db.select().from(images).where(eq(images.id, someoneElses.id));
    expect(row.postId).toBeNull();
  });

  test("the day's pictures used up: 429 with a German message, the text kept", async () => {
    const threadPath = await newThread("member2", "Viele Bilder");
    const small = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#06c" } })
      .png()
      .toBuffer();
    for (let i = (await imagesOf("member3")).length; i < 6; i++) await uploaded(small, "member3");
    const refused = await postMultipart(
      threadPath,
      {
        intent: "reply",
        parentId: "",
        body: "Noch eins",
        bodyBild: { bytes: small, name: "sieben.png" },
        bodyBildAlt: "Blaues Quadrat",
      },
      "member3",
    );
    expect(refused.status).toBe(429);
    const html = await refused.text();
    expect(errorMessages(html)).toContain(
      "Du hast in den letzten 24 Stunden 6 Bilder hochgeladen, mehr geht an einem Tag nicht. Bitte versuche es in 24 Stunden wieder.",
    );
    expect(textareaText(html)).toBe("Noch eins");
    expect((await imagesOf("member3")).length).toBe(6);
  });
});

describe("pictures in materials", () => {
  const materialDoc = (picture: Stored, alt: string) =>
    JSON.stringify({
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "Die Methode auf einen Blick:" }] },
        { type: "image", attrs: { src: picture.src, alt, width: picture.width, height: picture.height } },
      ],
    });
  const materialFields = (title: string, bodyJson: string) => ({
    type: "method_card",
    title,
    summary: "Eine Methodenkarte mit Bild.",
    body: "",
    bodyJson,
  });

  test("a moderator's material shows its picture with srcset, width, height and lazy loading; members see it once published", async () => {
    const picture = await uploaded(await photoWithGps(2000, 1500), "moderator");
    const created = await postForm(
      server.url,
      "/materialien/neu",
      materialFields("Methodenkarte Lernlandkarte", materialDoc(picture, "Lernlandkarte mit fünf Stationen")),
      { cookie: cookies.moderator },
    );
    expect(created.status, errorMessages(await created.clone().text()).join(" | ")).toBe(302);
    const materialPath = created.headers.get("location")!;
    const [tag] = pictureTags(await (await get(server.url, materialPath, cookies.moderator)).text());
    expect(tag).toContain('alt="Lernlandkarte mit fünf Stationen"');
    expect(tag).toContain(
      `srcset="/bilder/${picture.id}/480.jpg 480w, /bilder/${picture.id}/960.jpg 960w, /bilder/${picture.id}/1500.jpg 1500w"`,
    );
    expect(tag).toContain('width="1500" height="2000"');
    expect(tag).toContain('loading="lazy"');
    expect(tag).toContain('sizes="');
    const [row] = await server.database.db.select().from(images).where(eq(images.id, picture.id));
    expect(row.materialId).toBe(materialPath.split("/").pop());

    // A draft is the moderators'; its picture too.
    expect((await get(server.url, `/bilder/${picture.id}/960.jpg`, cookies.member)).status).toBe(403);
    const published = await postForm(server.url, materialPath, { status: "published" }, { cookie: cookies.moderator });
    expect(published.status).toBe(302);
    expect((await get(server.url, `/bilder/${picture.id}/960.jpg`, cookies.member)).status).toBe(200);
    expect((await get(server.url, `/bilder/${picture.id}/960.jpg`)).status).toBe(401);
    expect(pictureTags(await (await get(server.url, materialPath, cookies.member)).text())).toEqual([tag]);

    // Editing the description keeps the picture with the material.
    const edited = await postForm(
      server.url,
      `${materialPath}/bearbeiten`,
      materialFields("Methodenkarte Lernlandkarte", materialDoc(picture, "Lernlandkarte mit fünf bunten Stationen")),
      { cookie: cookies.moderator },
    );
    expect(edited.status, errorMessages(await edited.clone().text()).join(" | ")).toBe(302);
    expect(pictureTags(await (await get(server.url, materialPath, cookies.member)).text())[0]).toContain(
      'alt="Lernlandkarte mit fünf bunten Stationen"',
    );
  });

  test("a material's picture needs a description; a member's suggestion shows its picture to them and the moderators only", async () => {
    const picture = await uploaded(await photoWithGps(900, 700), "member");
    const noAlt = await postForm(
      server.url,
      "/materialien/neu",
      materialFields("Vorschlag ohne Beschreibung", materialDoc(picture, " ")),
      { cookie: cookies.member },
    );
    expect(noAlt.status).toBe(400);
    const html = await noAlt.text();
    expect(errorMessages(html)).toContain(
      "Bitte beschreibe jedes Bild in einem Alternativtext (was darauf zu sehen ist), damit auch Menschen, die es nicht sehen, wissen, worum es geht.",
    );
    expect(decodeHtml(html)).toContain('value="Vorschlag ohne Beschreibung"');
    const [unclaimed] = await server.database.db.select().from(images).where(eq(images.id, picture.id));
    expect(unclaimed.materialId).toBeNull();

    const suggested = await postForm(
      server.url,
      "/materialien/neu",
      materialFields("Vorschlag mit Bild", materialDoc(picture, "Foto einer Lernecke")),
      { cookie: cookies.member },
    );
    expect(suggested.status).toBe(302);
    const materialPath = suggested.headers.get("location")!.replace(/\?.*$/, "");
    expect(pictureTags(await (await get(server.url, materialPath, cookies.member)).text())[0]).toContain(
      'alt="Foto einer Lernecke"',
    );
    expect((await get(server.url, `/bilder/${picture.id}/700.jpg`, cookies.member)).status).toBe(200);
    expect((await get(server.url, `/bilder/${picture.id}/700.jpg`, cookies.moderator)).status).toBe(200);
    expect((await get(server.url, `/bilder/${picture.id}/700.jpg`, cookies.member2)).status).toBe(403);
  });
});
