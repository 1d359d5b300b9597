/**
 * The search contract, run against every available engine: PostgreSQL always (this file runs in the db:pglite and
 * db:postgres projects), Meilisearch as well when MEILISEARCH_URL is set. Content is written through the model
 * functions, so the outbox and indexer are part of what is tested.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { engine as dbEngine, useTestDatabase } from "../setup/db.ts";
import { categories } from "../../db/schema/index.ts";
import { createUser, updateProfile } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { createReply, deletePost, setAcceptedAnswer } from "../../app/models/discussions/posts.server.ts";
import { setPostHidden } from "../../app/models/discussions/moderation.server.ts";
import { createMaterial, setMaterialStatus, type MaterialInput } from "../../app/models/library/materials.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";
import { createPostgresEngine } from "../../search/postgres.ts";
import { createMeilisearchEngine } from "../../search/meilisearch.ts";
import { processOutbox, reindexAll } from "../../search/indexer.ts";
import type { SearchEngine, SearchRequest, SearchResult, Visibility } from "../../search/engine.ts";

const { handle } = useTestDatabase();

const engines: { name: string; create: () => SearchEngine }[] = [
  { name: "postgres", create: () => createPostgresEngine(handle()) },
];
if (process.env.MEILISEARCH_URL) {
  engines.push({
    name: "meilisearch",
    create: () =>
      createMeilisearchEngine(handle(), { url: process.env.MEILISEARCH_URL!, apiKey: process.env.MEILISEARCH_KEY }),
  });
}

let n = 0;
async function person(role: Actor["role"] = "member", profile: { name?: string; bio?: string; listed?: boolean } = {}) {
  n++;
  const displayName = profile.name ?? `Person ${n}`;
  const handleName = `sucher-${n}`;
  const { id } = await createUser({
    email: `s${n}@example.org`,
    displayName,
    handle: handleName,
    password: "ein-gutes-passwort",
    role,
  });
  const actor: Actor = { id, role };
  if (profile.bio !== undefined || profile.listed !== undefined) {
    await updateProfile(actor, id, {
      displayName,
      handle: handleName,
      roleText: "Lernbegleitung",
      legalDomain: null,
      region: "Bremen",
      bio: profile.bio ?? "",
      expertise: [],
      listed: profile.listed ?? false,
    });
  }
  return actor;
}

function material(overrides: Partial<MaterialInput> = {}): MaterialInput {
  return {
    type: "one_pager",
    title: "Material",
    summary: "",
    body: null,
    transcript: "",
    ilbStep: null,
    competenceArea: null,
    audience: null,
    tags: [],
    source: "",
    licence: "",
    externalUrl: null,
    reviewDueAt: null,
    fileIds: [],
    ...overrides,
  };
}

const ids: Record<string, string> = {};
let moderator: Actor;
let member: Actor;

beforeAll(async () => {
  const db = handle().db;
  await db.insert(categories).values([
    { slug: "praxis", name: "Aus der Praxis", position: 1 },
    { slug: "materialien", name: "Materialien", position: 2 },
    { slug: "austausch", name: "Austausch", position: 3 },
  ]);
  moderator = await person("moderator");
  member = await person("member");
  const author = await person("member");
  const thread = async (
    key: string,
    title: string,
    body: string,
    extra: Partial<Parameters<typeof createThread>[1]> = {},
  ) => {
    ids[key] = (
      await createThread(extra.type === "impulse" ? moderator : author, {
        categorySlug: "praxis",
        type: "question",
        title,
        body: renderMarkdown(body),
        anonymous: false,
        ilbStep: null,
        competenceArea: null,
        audience: null,
        legalDomain: null,
        tags: [],
        ...extra,
      })
    ).id;
  };
  await thread(
    "selbst",
    "Wie gestalten Lernbegleiterinnen die Selbstvereinbarung?",
    "Bei uns führt das oft zu Überlastung im Team.",
    { ilbStep: "selbstvereinbarung" },
  );
  await thread(
    "verbund",
    "Kollegiale Fallberatung im lokalen Verbund",
    "Wir treffen uns monatlich zur individuellen Lernbegleitung und mit den Qualifizierungsverantwortlichen.",
    {
      type: "best_practice",
      categorySlug: "austausch",
      ilbStep: "lernweg",
    },
  );
  await thread(
    "body-only",
    "Erfahrungen aus dem Jobcenter",
    "Wir sprechen im Team über die Selbstvereinbarung, den Lernweg und die Lernlandkarte.",
  );
  await thread("hidden", "Geheimnisvolle Zauberformel", "Die Zauberformel gehört nicht in die Suche.");
  await thread("deleted", "Verschwundener Wanderpokal", "Dieser Wanderpokal wurde gelöscht.");
  await thread("old", "Archivierte Gedanken zur Lernlandkarte", "Eine alte Lernlandkarte aus vergangenen Jahren.");

  ids.answer = (
    await createReply(member, {
      threadId: ids.selbst,
      parentId: null,
      body: renderMarkdown("Die Fallberatung hilft gegen Überlastung und Stress."),
      anonymous: false,
    })
  ).id;
  ids.plain = (
    await createReply(member, {
      threadId: ids.selbst,
      parentId: null,
      body: renderMarkdown("Die Fallberatung hilft gegen Überlastung und Stress."),
      anonymous: false,
    })
  ).id;
  ids.hiddenReply = (
    await createReply(member, {
      threadId: ids.verbund,
      parentId: null,
      body: renderMarkdown("Der Geheimtipp Mondscheinsonate steht nur hier."),
      anonymous: false,
    })
  ).id;
  await setAcceptedAnswer(author, ids.selbst, ids.answer);
  await setPostHidden(moderator, ids.hiddenReply, true);
  await setPostHidden(moderator, await openingPost(ids.hidden), true);
  await deletePost(moderator, await openingPost(ids.deleted));

  const publish = async (key: string, input: MaterialInput) => {
    ids[key] = (await createMaterial(moderator, input)).id;
    await setMaterialStatus(moderator, ids[key], "published");
  };
  await publish(
    "podcast",
    material({
      type: "podcast",
      title: "Podcast: Lernwege im Alltag",
      summary: "Folge 3",
      transcript: "In dieser Folge sprechen wir über Kopfstandmethoden und Lerntagebücher.",
      audience: "neue",
      ilbStep: "lernweg",
    }),
  );
  await publish(
    "fresh",
    material({
      title: "Checkliste Lerngespräch (aktuell)",
      summary: "Leitfragen für das Lerngespräch mit Beispielen.",
      ilbStep: "lernbedarf",
    }),
  );
  await publish(
    "stale",
    material({
      title: "Checkliste Lerngespräch (alt)",
      summary: "Leitfragen für das Lerngespräch mit Beispielen.",
      ilbStep: "lernbedarf",
    }),
  );
  await publish(
    "round",
    material({
      type: "round_outcome",
      title: "Ergebnis der Dialogrunde zu hybriden Lernformaten",
      summary: "Was wir über hybride Lernformate gelernt haben.",
    }),
  );
  ids.draft = (
    await createMaterial(moderator, material({ title: "Entwurf Quantenlernen", summary: "Noch nicht freigegeben." }))
  ).id;

  ids.listed = (
    await person("member", {
      name: "Petra Sonnenschein",
      bio: "Ich kenne mich mit Kopfstandmethoden aus.",
      listed: true,
    })
  ).id;
  ids.unlisted = (
    await person("member", { name: "Karl Unsichtbar", bio: "Zauberwald und Nebelmeer.", listed: false })
  ).id;

  // Written directly: the clock cannot be moved for createdAt or a review date in the past through the forms.
  await db.execute(sql`UPDATE threads SET created_at = now() - interval '2 years' WHERE id = ${ids.old}`);
  await db.execute(sql`UPDATE posts SET created_at = now() - interval '2 years' WHERE thread_id = ${ids.old}`);
  await db.execute(sql`UPDATE materials SET review_due_at = current_date - 30 WHERE id = ${ids.stale}`);
  await db.execute(
    sql`INSERT INTO search_outbox (kind, ref_id) VALUES ('thread', ${ids.old}), ('material', ${ids.stale})`,
  );
});

async function openingPost(threadId: string): Promise<string> {
  const [row] = await handle().rows<{ opening_post_id: string }>(
    sql`SELECT opening_post_id FROM threads WHERE id = ${threadId}`,
  );
  return row.opening_post_id;
}

for (const { name, create } of engines) {
  describe(`search contract: ${name} on ${dbEngine}`, () => {
    let engine: SearchEngine;
    const members: Visibility[] = ["members"];
    const moderators: Visibility[] = ["members", "moderators"];

    beforeAll(async () => {
      engine = create();
      // The outbox holds everything written above; the first engine drains it, the others rebuild from scratch.
      if (name === "postgres") await processOutbox(handle(), engine);
      else await reindexAll(handle(), engine);
    });
    afterAll(async () => {
      if (name !== "postgres") await engine.clear();
    });

    const find = (q: string, extra: Partial<SearchRequest> = {}): Promise<SearchResult> =>
      engine.search({ q, filters: {}, sort: "relevance", page: 1, perPage: 20, visibilities: members, ...extra });
    const hitIds = (result: SearchResult) => result.hits.map((h) => h.id);

    it("finds inflected forms: Lernbegleiter finds Lernbegleiterinnen", async () => {
      const result = await find("Lernbegleiter");
      expect(hitIds(result)).toContain(ids.selbst);
    });

    it("folds umlauts and their ASCII spellings both ways", async () => {
      for (const q of ["Ueberlastung", "Überlastung", "ueberlastung"]) {
        const result = await find(q);
        expect(hitIds(result), q).toEqual(expect.arrayContaining([ids.selbst, ids.answer]));
      }
      const snippet = (await find("Ueberlastung")).hits.find((h) => h.id === ids.answer)!.snippet;
      expect(snippet).toContain("<mark>Überlastung</mark>");
    });

    it("corrects typos and says so", async () => {
      const typo = await find("Fallberatnug");
      expect(typo.didYouMean?.toLowerCase()).toBe("fallberatung");
      expect(hitIds(typo)).toContain(ids.verbund);
      const second = await find("Lernbegeliterinnen");
      expect(second.didYouMean?.toLowerCase()).toBe("lernbegleiterinnen");
      expect(hitIds(second)).toContain(ids.selbst);
      // A correct word gets no suggestion.
      expect((await find("Fallberatung")).didYouMean).toBeNull();
    });

    it("matches quoted phrases in order only", async () => {
      expect(hitIds(await find('"lokalen Verbund"'))).toContain(ids.verbund);
      expect(hitIds(await find('"Verbund lokalen"'))).not.toContain(ids.verbund);
      // The last word of a phrase may be the start of a longer one; stop words inside keep their place.
      expect(hitIds(await find('"lokalen Verb"'))).toContain(ids.verbund);
      expect(hitIds(await find('"Kollegiale Fallberatung im lokalen Verbund"'))).toContain(ids.verbund);
      expect(hitIds(await find('"Kollegiale Fallberatung lokalen Verbund"'))).not.toContain(ids.verbund);
      expect(hitIds(await find('"Fallberatung im Verbund"'))).not.toContain(ids.verbund);
      expect(hitIds(await find('Fallberatung -"lokalen Verbund"'))).not.toContain(ids.verbund);
    });

    it("excludes words with a minus", async () => {
      const result = await find("Fallberatung -Verbund");
      expect(hitIds(result)).toContain(ids.answer);
      expect(hitIds(result)).not.toContain(ids.verbund);
    });

    it("understands the network's abbreviations as synonyms", async () => {
      expect(hitIds(await find("iLB"))).toContain(ids.verbund);
      expect(hitIds(await find("QV"))).toContain(ids.verbund);
    });

    it("uses synonyms moderators add", async () => {
      expect(hitIds(await find("Glücksformel"))).not.toContain(ids.podcast);
      await engine.synonymsChanged([["Glücksformel", "Kopfstandmethoden"]]);
      expect(hitIds(await find("Glücksformel"))).toContain(ids.podcast);
      await engine.synonymsChanged([]);
    });

    it("matches a reply on its own text, not on its thread's title", async () => {
      const replies = await find("Selbstvereinbarung", { filters: { kind: "reply" } });
      expect(hitIds(replies)).not.toContain(ids.answer);
      const own = await find("Stress", { filters: { kind: "reply" } });
      const hit = own.hits.find((h) => h.id === ids.answer);
      expect(hit?.title).toBe("Wie gestalten Lernbegleiterinnen die Selbstvereinbarung?");
      expect(hit?.snippet).toContain("<mark>Stress</mark>");
    });

    it("weighs titles over bodies", async () => {
      const result = await find("Selbstvereinbarung", { filters: { kind: "thread" } });
      expect(hitIds(result).indexOf(ids.selbst)).toBeLessThan(hitIds(result).indexOf(ids["body-only"]));
    });

    it("ranks an accepted answer and a freshly reviewed material higher", async () => {
      const replies = await find("Fallberatung Stress", { filters: { kind: "reply" } });
      expect(hitIds(replies).slice(0, 2)).toEqual([ids.answer, ids.plain]);
      const checklists = await find("Checkliste Lerngespräch", { filters: { kind: "material" } });
      expect(hitIds(checklists).slice(0, 2)).toEqual([ids.fresh, ids.stale]);
    });

    it("searches transcripts, material types and round results", async () => {
      const result = await find("Kopfstandmethoden");
      expect(hitIds(result)).toContain(ids.podcast);
      const round = await find("hybride Lernformate");
      const hit = round.hits.find((h) => h.id === ids.round);
      expect(hit?.type).toBe("round");
      expect(hit?.url).toBe(`/materialien/${ids.round}`);
    });

    it("finds members who opted in, and only those", async () => {
      const listed = await find("Kopfstandmethoden", { filters: { kind: "member" } });
      expect(listed.hits.map((h) => [h.id, h.type, h.title])).toEqual([[ids.listed, "member", "Petra Sonnenschein"]]);
      expect((await find("Zauberwald")).total).toBe(0);
    });

    it("counts facets and filters by them", async () => {
      const all = await find("Lerngespräch Leitfragen");
      expect(all.facets.kind.material).toBe(2);
      // Each published material opens a discussion thread that quotes its summary.
      expect(all.facets.kind.thread).toBe(2);
      expect(all.facets.materialType.one_pager).toBe(2);
      const materials = await find("Lerngespräch Leitfragen", { filters: { kind: "material" } });
      expect(materials.total).toBe(2);
      expect(materials.facets.ilbStep).toEqual({ lernbedarf: 2 });
      expect(materials.facets.kind).toEqual({ material: 2 });
      const byRoom = await find("Fallberatung");
      expect(byRoom.facets.room.austausch).toBeGreaterThanOrEqual(1);
      const filtered = await find("Fallberatung", { filters: { room: "austausch" } });
      expect(filtered.hits.length).toBeGreaterThan(0);
      expect(filtered.hits.every((h) => h.id === ids.verbund)).toBe(true);
      const step = await find("Lernweg", { filters: { ilbStep: "lernweg", kind: "material" } });
      expect(hitIds(step)).toEqual([ids.podcast]);
      const audience = await find("Lernwege", { filters: { audience: "neue", kind: "material" } });
      expect(hitIds(audience)).toEqual([ids.podcast]);
      const type = await find("Lernwege", { filters: { materialType: "podcast" } });
      expect(hitIds(type)).toEqual([ids.podcast]);
    });

    it("filters and counts by time range, sorts by date", async () => {
      const all = await find("Lernlandkarte");
      expect(hitIds(all)).toContain(ids.old);
      expect(all.total).toBe(2);
      expect(all.facets.time["12m"]).toBe(1);
      const recent = await find("Lernlandkarte", { filters: { time: "12m" } });
      expect(hitIds(recent)).not.toContain(ids.old);
      const byDate = await find("Lerngespräch", { sort: "date" });
      const dates = byDate.hits.map((h) => h.date);
      expect(dates).toEqual([...dates].sort().reverse());
    });

    it("pages through results", async () => {
      const first = await find("Fallberatung", { perPage: 1, page: 1 });
      const second = await find("Fallberatung", { perPage: 1, page: 2 });
      expect(first.total).toBeGreaterThanOrEqual(2);
      expect(second.total).toBe(first.total);
      expect(first.hits).toHaveLength(1);
      expect(second.hits).toHaveLength(1);
      expect(second.hits[0].id).not.toBe(first.hits[0].id);
    });

    it("never shows hidden, deleted or unpublished content to members — not in hits, snippets, counts or facets", async () => {
      for (const q of ["Zauberformel", "Mondscheinsonate", "Wanderpokal", "Quantenlernen"]) {
        const result = await find(q);
        expect(result.total, q).toBe(0);
        expect(result.hits, q).toEqual([]);
        expect(
          Object.values(result.facets).every((f) => Object.keys(f).length === 0),
          q,
        ).toBe(true);
      }
      const verbund = await find("Verbund");
      expect(JSON.stringify(verbund)).not.toContain("Mondscheinsonate");
    });

    it("shows moderators what they may read, but never deleted content", async () => {
      expect(hitIds(await find("Zauberformel", { visibilities: moderators }))).toContain(ids.hidden);
      expect(hitIds(await find("Mondscheinsonate", { visibilities: moderators }))).toContain(ids.hiddenReply);
      expect(hitIds(await find("Quantenlernen", { visibilities: moderators }))).toContain(ids.draft);
      expect((await find("Wanderpokal", { visibilities: moderators })).total).toBe(0);
    });

    it("follows changes through the outbox: restoring and hiding", async () => {
      await setPostHidden(moderator, ids.hiddenReply, false);
      await processOutbox(handle(), engine);
      expect(hitIds(await find("Mondscheinsonate"))).toContain(ids.hiddenReply);
      await setPostHidden(moderator, ids.hiddenReply, true);
      await processOutbox(handle(), engine);
      expect((await find("Mondscheinsonate")).total).toBe(0);
    });

    it("offers answered threads and materials like a question being written (ask before you post)", async () => {
      const similar = await find("Wie gestalten wir die Selbstvereinbarung mit Überlastung im Team?", {
        mode: "similar",
        perPage: 5,
      });
      expect(hitIds(similar)).toContain(ids.selbst);
      expect(similar.hits.every((h) => h.type === "material" || h.type === "round" || h.type === "thread")).toBe(true);
      // The unanswered thread with the same word in its body is not offered.
      expect(hitIds(similar)).not.toContain(ids["body-only"]);
    });

    it("does not let words reach the stored filters (a prefix like Kind* or Room*)", async () => {
      for (const q of ["Kind", "Room", "Type", "Step", "Area", "Vis", "members", "reply"]) {
        expect((await find(q)).total, q).toBe(0);
      }
    });

    it("answers bad queries with 0 or sensible hits, never an error", async () => {
      const bad = [
        "a".repeat(10_000),
        "Lernweg ".repeat(2000),
        '-"" & | ! :* ( ) <-> \\',
        '"Fallberatung',
        '"""',
        "'; DROP TABLE users; --",
        "Lern & !weg | (a <-> b):* !!",
        "🙂🙂 Fallberatung 🚀",
        "Fall\0beratung",
        "-Fallberatung",
        "   ",
        "",
        "die der das und",
        "%_\\",
      ];
      for (const q of bad) {
        const result = await find(q);
        expect(Array.isArray(result.hits), q.slice(0, 20)).toBe(true);
        expect(result.total).toBeGreaterThanOrEqual(0);
      }
      expect((await find('"Fallberatung')).total).toBeGreaterThan(0);
      expect((await find("🙂🙂 Fallberatung 🚀")).total).toBeGreaterThan(0);
      expect((await find("-Fallberatung")).total).toBe(0);
      // The users table is still there.
      expect((await handle().rows(sql`SELECT count(*) FROM users`)).length).toBe(1);
    });
  });
}
