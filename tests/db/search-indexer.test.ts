/**
 * The outbox: index updates are written with the change, applied after commit, and kept (with a later attempt time)
 * while the engine is unreachable — here a Meilisearch engine pointed at a port where nothing listens.
 */
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { engine as dbEngine, useTestDatabase } from "../setup/db.ts";
import { categories } from "../../db/schema/index.ts";
import { createUser } from "../../app/models/accounts/users.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { createPostgresEngine } from "../../search/postgres.ts";
import { createMeilisearchEngine } from "../../search/meilisearch.ts";
import { processOutbox, reindexAll } from "../../search/indexer.ts";
import { freePort } from "../setup/pgcluster.ts";

const { handle } = useTestDatabase();

async function outbox() {
  return handle().rows<{ kind: string; attempts: number; next_attempt_at: string; last_error: string | null }>(
    sql`SELECT kind, attempts, next_attempt_at::text, last_error FROM search_outbox ORDER BY id`,
  );
}

const search = (q: string) =>
  createPostgresEngine(handle()).search({
    q,
    filters: {},
    sort: "relevance",
    page: 1,
    perPage: 20,
    visibilities: ["members"],
  });

describe(`search outbox on ${dbEngine}`, () => {
  it("keeps updates through an engine outage and applies them once it is back", async () => {
    await handle().db.insert(categories).values({ slug: "praxis", name: "Praxis", position: 1 });
    const { id: userId } = await createUser({
      email: "o@example.org",
      displayName: "Olga",
      handle: "olga",
      password: "ein-gutes-passwort",
    });
    const { id } = await createThread(
      { id: userId, role: "member" },
      {
        categorySlug: "praxis",
        type: "question",
        title: "Wer nutzt den Lernkompass?",
        body: renderMarkdown("Ich suche Erfahrungen mit dem Lernkompass."),
        anonymous: false,
        ilbStep: null,
        competenceArea: null,
        audience: null,
        legalDomain: null,
        tags: [],
      },
    );
    // Written in the same transaction as the thread.
    expect((await outbox()).map((e) => e.kind)).toEqual(["thread"]);

    const down = createMeilisearchEngine(handle(), { url: `http://127.0.0.1:${await freePort()}` });
    await expect(processOutbox(handle(), down)).rejects.toThrow();
    const [failed] = await outbox();
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toBeTruthy();
    expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now());

    // Not due yet: a working engine does not touch it before its time …
    const up = createPostgresEngine(handle());
    expect(await processOutbox(handle(), up)).toBe(0);
    expect((await search("Lernkompass")).total).toBe(0);
    // … and applies it once it is due.
    const later = () => new Date(Date.now() + 15 * 60_000);
    expect(await processOutbox(handle(), up, later)).toBe(1);
    expect(await outbox()).toEqual([]);
    expect((await search("Lernkompass")).hits.map((h) => h.id)).toEqual([id]);
  });

  it("takes over entries a crashed indexer had leased, once the lease ran out", async () => {
    await handle().db.execute(sql`
      INSERT INTO search_outbox (kind, ref_id, attempts, next_attempt_at)
      SELECT 'thread', id, 1, now() + interval '2 minutes' FROM threads`);
    const engine = createPostgresEngine(handle());
    expect(await processOutbox(handle(), engine)).toBe(0);
    expect(await processOutbox(handle(), engine, () => new Date(Date.now() + 3 * 60_000))).toBe(1);
  });

  it("rebuilds everything and empties what was queued before", async () => {
    await handle().db.execute(sql`INSERT INTO search_outbox (kind, ref_id) SELECT 'thread', id FROM threads`);
    const engine = createPostgresEngine(handle());
    await engine.clear();
    expect((await search("Lernkompass")).total).toBe(0);
    const seen: number[] = [];
    const result = await reindexAll(handle(), engine, ({ done }) => seen.push(done));
    expect(result).toEqual({ done: 1, total: 1 });
    expect(seen).toEqual([0, 1]);
    expect((await search("Lernkompass")).total).toBe(1);
    expect(await outbox()).toEqual([]);
    const [{ n }] = await handle().rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM search_words WHERE word = 'lernkompass'`,
    );
    expect(Number(n)).toBe(1);
  });
});
