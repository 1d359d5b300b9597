/**
 * Over real HTTP and a real socket.io client: an autosave that arrives after its text was posted is refused (409)
 * and stores nothing; a registrant's socket hears at once that the host opened the room, and that a round changed.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { connected, openSocket, postForm, type TestSocket } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let url: string;
const cookies: Record<string, string> = {};
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  cookies.sevgi = await loginCookie(url, "mitglied@example.org");
  cookies.jonas = await loginCookie(url, "mitglied2@example.org");
  cookies.malte = await loginCookie(url, "moderation@example.org");
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
});

async function drafts(key: string): Promise<unknown[]> {
  return server.database.rows(sql`select content from drafts where key = ${key}`);
}

const EDITOR = "0f1e2d3c4b5a69788796a5b4";
const doc = (text: string) =>
  JSON.stringify({ doc: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] } });

describe("drafts over HTTP", () => {
  test("the autosave of a sent reply is refused, later text is saved, malformed stamps are refused", async () => {
    const created = await postForm(
      url,
      "/diskussionen/neu",
      { type: "question", title: "Wie dokumentiert ihr Absprachen?", category: "methoden", body: "Mit Vorlage?" },
      { cookie: cookies.sevgi },
    );
    expect(created.status).toBe(302);
    const threadId = created.headers.get("location")!.split("/").pop()!;
    const key = `reply:${threadId}:thread`;

    const early = await postForm(
      url,
      "/api/v1/drafts",
      { key, content: doc("Wir nutzen"), session: EDITOR, seq: "12" },
      { cookie: cookies.jonas },
    );
    expect(early.status).toBe(200);
    expect(await drafts(key)).toHaveLength(1);

    // The reply carries the editor's stamp (edit 17); the draft goes in the same transaction.
    const reply = await postForm(
      url,
      `/diskussionen/${threadId}`,
      { intent: "reply", parentId: "", body: "Wir nutzen eine Vorlage.", draftSession: EDITOR, draftSeq: "17" },
      { cookie: cookies.jonas },
    );
    expect(reply.status).toBe(302);
    expect(await drafts(key)).toEqual([]);

    // The autosave of edit 17 lands after the post: refused with a German message, nothing stored.
    const late = await postForm(
      url,
      "/api/v1/drafts",
      { key, content: doc("Wir nutzen eine Vorlage."), session: EDITOR, seq: "17" },
      { cookie: cookies.jonas },
    );
    expect(late.status).toBe(409);
    expect(await late.json()).toEqual({
      errors: { content: "Dieser Text ist schon gesendet oder neuer gespeichert." },
    });
    expect(await drafts(key)).toEqual([]);

    // Typing on (edit 18) is a new draft.
    const next = await postForm(
      url,
      "/api/v1/drafts",
      { key, content: doc("Noch eine Frage"), session: EDITOR, seq: "18" },
      { cookie: cookies.jonas },
    );
    expect(next.status).toBe(200);
    expect(await drafts(key)).toHaveLength(1);

    const malformed = await postForm(
      url,
      "/api/v1/drafts",
      { key, content: doc("x"), session: "kurz", seq: "1" },
      { cookie: cookies.jonas },
    );
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors.session).toBe("Der Entwurf kommt ohne gültige Kennung des Editors.");
  });
});

describe("round changes over the socket", () => {
  test("a registrant's socket hears that the room opened and that the round changed", async () => {
    const start = new Date(Date.now() + 3 * 86_400_000);
    const berlin = (d: Date) =>
      new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", dateStyle: "short", timeStyle: "short" })
        .format(d)
        .replace(" ", "T");
    const form = {
      title: "Lernzeit verankern",
      description: "",
      startsAt: berlin(start),
      endsAt: berlin(new Date(start.getTime() + 3_600_000)),
      registrationDeadline: berlin(new Date(start.getTime() - 3_600_000)),
      capacity: "10",
      conferenceUrl: "",
      hosts: "",
      agenda: "",
    };
    const created = await postForm(url, "/dialogrunden/neu", form, { cookie: cookies.malte });
    expect(created.status).toBe(302);
    const roundPath = new URL(created.headers.get("location")!, url).pathname;
    const roundId = roundPath.split("/").pop()!;
    const registered = await postForm(url, roundPath, { intent: "register" }, { cookie: cookies.sevgi });
    expect(registered.status).toBe(200);

    const socket = openSocket(url, { cookie: cookies.sevgi });
    sockets.push(socket);
    await connected(socket);
    const heard: { roundId: string; change: string }[] = [];
    socket.on("round:changed", (payload) => heard.push(payload));

    const edited = await postForm(
      url,
      `${roundPath}/bearbeiten`,
      { ...form, title: "Lernzeit im Team verankern" },
      { cookie: cookies.malte },
    );
    expect(edited.status).toBe(302);
    expect(edited.headers.get("location")).toBe(`${roundPath}?geaendert=1`);
    await expect.poll(() => heard).toEqual([{ roundId, change: "edited" }]);

    const opened = await postForm(url, roundPath, { intent: "open" }, { cookie: cookies.malte });
    expect(opened.status).toBe(302);
    await expect
      .poll(() => heard)
      .toEqual([
        { roundId, change: "edited" },
        { roundId, change: "opened" },
      ]);
    // The open room is now behind the socket: she may join it.
    const joined = await new Promise<{ ok: boolean }>((resolve) =>
      socket.emit("round:join", { roundId, since: 0 }, resolve),
    );
    expect(joined.ok).toBe(true);
  });
});
