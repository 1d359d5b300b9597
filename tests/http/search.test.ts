/**
 * Search over HTTP against the real server with the demo content: the JSON API's shape and authentication, bad
 * queries, what members and moderators see, writes reaching the index after commit, the moderators' search desk.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, loginCookie } from "../setup/server.ts";
import { get, postForm } from "./helpers.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let member: string;
let moderator: string;

/** Waits until the in-process indexer has applied everything written so far. */
const indexed = () => globalThis.__companionSearch!.indexer!.drain();

beforeAll(async () => {
  server = await startTestServer();
  await indexed();
  member = await loginCookie(server.url, "mitglied@example.org");
  moderator = await loginCookie(server.url, "moderation@example.org");
});
afterAll(async () => {
  await server?.close();
});

async function api(query: string, cookie = member) {
  const response = await get(server.url, `/api/v1/search?${query}`, cookie);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  return (await response.json()) as {
    total: number;
    hits: { type: string; id: string; title: string; url: string; snippet: string }[];
    facets: Record<string, Record<string, number>>;
    didYouMean: string | null;
  };
}

describe("GET /api/v1/search", () => {
  it("answers members with the documented shape", async () => {
    const result = await api("q=Selbstvereinbarung");
    expect(result.total).toBeGreaterThan(0);
    expect(Object.keys(result).sort()).toEqual(["didYouMean", "facets", "hits", "total"]);
    for (const hit of result.hits) {
      expect(["thread", "reply", "material", "round", "member"]).toContain(hit.type);
      expect(hit.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(hit.url.startsWith("/")).toBe(true);
      expect(typeof hit.title).toBe("string");
    }
    expect(result.hits.some((h) => h.snippet.includes("<mark>"))).toBe(true);
    expect(Object.keys(result.facets).sort()).toEqual([
      "audience",
      "competenceArea",
      "ilbStep",
      "kind",
      "materialType",
      "room",
      "time",
    ]);
  });

  it("refuses requests without a session", async () => {
    const response = await get(server.url, "/api/v1/search?q=Lernbegleitung");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Nicht angemeldet" });
  });

  it("filters by type and pages", async () => {
    const materials = await api("q=Lerngespräch&type=material");
    expect(materials.total).toBeGreaterThan(0);
    expect(materials.hits.every((h) => h.type === "material")).toBe(true);
    const first = await api("q=Lernbegleitung&limit=2&page=1");
    const second = await api("q=Lernbegleitung&limit=2&page=2");
    expect(first.total).toBeGreaterThan(2);
    expect(second.hits.map((h) => h.id)).not.toEqual(first.hits.map((h) => h.id));
  });

  it("answers bad queries with 200 and zero or sensible hits", async () => {
    const bad = [
      "x".repeat(10_000),
      '-"" & | ! :* ( ) <->',
      '"unbalanced quote',
      "'; DROP TABLE users; --",
      "a:* & !b | c <-> d",
      "🙂🚀",
      "%E2%80%8B",
    ];
    for (const q of bad) {
      const response = await get(
        server.url,
        `/api/v1/search?q=${q.includes("%") ? q : encodeURIComponent(q)}&type=nonsense&page=-3&room=%27`,
        member,
      );
      expect(response.status, q.slice(0, 30)).toBe(200);
      const body = await response.json();
      expect(Array.isArray(body.hits)).toBe(true);
    }
    // A NUL byte is no text anyone can type: refused at the door with the one error contract.
    for (const q of ["Lern%00begleitung", "%00%00"]) {
      const response = await get(server.url, `/api/v1/search?q=${q}`, member);
      expect(response.status, q).toBe(400);
      expect((await response.json()).error).toMatch(/Zeichen/);
    }
  });

  it("never finds anything of a case consultation, not even for its participants", async () => {
    // Words only the demo consultations use (their case giver is mitglied@example.org), quoted so that no spelling
    // correction turns them into other words.
    for (const q of [
      '"Quartalsende"',
      '"ungeduldig werde"',
      '"entschuldigend"',
      '"Informationsblätter"',
      '"Lernvereinbarung, die im Alltag untergeht"',
    ]) {
      const asParticipant = await api(`q=${encodeURIComponent(q)}`, member);
      const asModerator = await api(`q=${encodeURIComponent(q)}`, moderator);
      expect(asParticipant.total, q).toBe(0);
      expect(asModerator.total, q).toBe(0);
    }
  });

  it("suggests a spelling and still finds results", async () => {
    const result = await api("q=Selbstvereinbraung");
    expect(result.didYouMean?.toLowerCase()).toMatch(/^selbstvereinbarung/);
    expect(result.total).toBeGreaterThan(0);
  });

  it("shows moderators a suggestion still in review, members not", async () => {
    const asMember = await api("q=" + encodeURIComponent("Vorschlag"), member);
    const asModerator = await api("q=" + encodeURIComponent("Vorschlag"), moderator);
    expect(asModerator.total).toBeGreaterThan(asMember.total);
  });
});

describe("indexing after writes", () => {
  it("finds a new thread once the indexer has applied the outbox after the commit", async () => {
    const word = "Quellwasserprotokoll";
    const created = await postForm(
      server.url,
      "/diskussionen/neu",
      {
        category: "lerngespraeche",
        type: "question",
        title: `Wer kennt das ${word}?`,
        body: "Ich habe davon gehört und suche Erfahrungen.",
      },
      { cookie: member },
    );
    expect(created.status).toBe(302);
    const threadPath = created.headers.get("location")!;
    await indexed();
    const found = await api(`q=${word}`);
    expect(found.hits.map((h) => h.url)).toContain(threadPath);
  });
});

describe("the search page", () => {
  it("renders hits with facet links that keep working without JavaScript", async () => {
    const response = await get(server.url, "/suche?q=Lerngespr%C3%A4ch", member);
    expect(response.status).toBe(200);
    const html = (await response.text()).replace(/<!-- -->/g, "");
    expect(html).toMatch(/\d+ Treffer für „Lerngespräch“/);
    expect(html).toContain("<mark>");
    expect(html).toMatch(/href="\/suche\?q=Lerngespr%C3%A4ch&amp;type=material"/);
  });

  it("sends members without a session to the login", async () => {
    const response = await get(server.url, "/suche?q=Lernbegleitung");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/anmelden/);
  });
});

describe("the moderators' search desk", () => {
  it("is for moderators only", async () => {
    expect((await get(server.url, "/moderation/suche", member)).status).toBe(403);
    expect((await get(server.url, "/moderation/suche", moderator)).status).toBe(200);
  });

  it("counts searches and searches without results, without saying who searched", async () => {
    const nothing = "Zitronenfalterkunde";
    await get(server.url, `/suche?q=${nothing}`, member).then((r) => r.text());
    await get(server.url, `/suche?q=${nothing}`, moderator).then((r) => r.text());
    const html = await (await get(server.url, "/moderation/suche", moderator)).text();
    const zeroSection = html.slice(html.indexOf("Ohne Treffer"));
    expect(zeroSection).toMatch(new RegExp(`${nothing.toLowerCase()}</a></td><td>2</td>`));
    expect(html).not.toContain("Sevgi");
    expect(html).not.toContain("mitglied@example.org");
  });

  it("lets moderators add a synonym group that search uses at once, and refuses a bad one", async () => {
    const before = await api("q=Kaffeeklatsch");
    expect(before.total).toBe(0);
    const refused = await postForm(
      server.url,
      "/moderation/suche",
      { terms: "nur ein Begriff" },
      { cookie: moderator },
    );
    expect(refused.status).toBe(400);
    const saved = await postForm(
      server.url,
      "/moderation/suche",
      { terms: "Kaffeeklatsch, Lernlandkarte" },
      { cookie: moderator },
    );
    expect(saved.status).toBe(200);
    const after = await api("q=Kaffeeklatsch");
    expect(after.total).toBeGreaterThan(0);
    const byMember = await postForm(server.url, "/moderation/suche", { terms: "a, b" }, { cookie: member });
    expect(byMember.status).toBe(403);
  });
});
