/**
 * The outbox indexer. Writers call enqueue() inside their own transaction; after commit the indexer reads the
 * current state of each thing and hands it to the engine. A failure leaves the entry in the outbox with a later
 * attempt time (leases make a crashed process's entries due again), so an engine outage delays updates, never loses them.
 */
import { sql } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../db/client.ts";
import {
  materialDocuments,
  memberDocuments,
  replyDocuments,
  threadDocuments,
  type DocumentChanges,
} from "./documents.ts";
import type { SearchEngine, SearchKind } from "./engine.ts";
import { addWords, documentWords } from "./words.ts";
import { pgArray } from "./sql.ts";

type Executor = Pick<Database, "execute">;

const LEASE_SECONDS = 120;
// Outbox entries per round. A thread's document carries all its replies, and on PGlite the queries run on the event
// loop's thread: a round of up to 200 held it for 107 ms (CPU profile of the hostile benchmark).
const BATCH = 20;

// PGlite answers within the same macrotask, so a loop of awaited queries never lets a timer or a request in; between
// batches the indexer steps aside for what is waiting.
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function enqueue(executor: Executor, kind: SearchKind, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await executor.execute(sql`
    INSERT INTO search_outbox (kind, ref_id) SELECT ${kind}, id FROM unnest(${pgArray(ids)}::uuid[]) AS id`);
}

/** Everything searchable, e.g. after the demo seed or an import that wrote rows directly. */
export async function enqueueEverything(executor: Executor): Promise<void> {
  await executor.execute(sql`
    INSERT INTO search_outbox (kind, ref_id)
    SELECT 'thread', id FROM threads
    UNION ALL SELECT 'material', id FROM materials
    UNION ALL SELECT 'member', id FROM users WHERE listed`);
}

export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 5 * attempts * attempts);
}

/** Changes for a batch of outbox entries; a reply's thread state is read with it. */
export async function documentsFor(
  handle: DatabaseHandle,
  entries: { kind: string; ref_id: string }[],
): Promise<DocumentChanges> {
  const ids = (kind: string) => [...new Set(entries.filter((e) => e.kind === kind).map((e) => e.ref_id))];
  const threadIds = ids("thread");
  const threadSet = new Set(threadIds);
  const parts = [
    await threadDocuments(handle, threadIds),
    // Replies of threads rebuilt in full anyway need no second pass.
    await replyDocuments(handle, ids("reply")).then((c) => ({
      upsert: c.upsert.filter((d) => d.kind === "reply" && !threadSet.has(threadOf(d.url))),
      remove: c.remove,
    })),
    await materialDocuments(handle, [...ids("material"), ...ids("round")]),
    await memberDocuments(handle, ids("member")),
  ];
  return { upsert: parts.flatMap((p) => p.upsert), remove: parts.flatMap((p) => p.remove) };
}

function threadOf(url: string): string {
  return url.split("/")[2]?.split("#")[0] ?? "";
}

export async function applyChanges(
  handle: DatabaseHandle,
  engine: SearchEngine,
  changes: DocumentChanges,
): Promise<void> {
  const kept = new Set(changes.upsert.map((d) => d.key));
  await engine.remove(changes.remove.filter((key) => !kept.has(key)));
  await engine.upsert(changes.upsert);
  await addWords(handle.db, documentWords(changes.upsert));
}

/** Applies due outbox entries until none are left; returns how many entries were applied. */
export async function processOutbox(
  handle: DatabaseHandle,
  engine: SearchEngine,
  now: () => Date = () => new Date(),
): Promise<number> {
  let applied = 0;
  for (;;) {
    const leaseUntil = new Date(now().getTime() + LEASE_SECONDS * 1000).toISOString();
    const entries = await handle.rows<{ id: number; kind: string; ref_id: string; attempts: number }>(sql`
      UPDATE search_outbox SET next_attempt_at = ${leaseUntil}::timestamptz, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM search_outbox WHERE next_attempt_at <= ${now().toISOString()}::timestamptz
        ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, ref_id, attempts`);
    if (entries.length === 0) return applied;
    const ids = entries.map((e) => Number(e.id));
    try {
      await applyChanges(handle, engine, await documentsFor(handle, entries));
      await handle.db.execute(sql`DELETE FROM search_outbox WHERE id = ANY(${pgArray(ids)}::bigint[])`);
      applied += entries.length;
      await yieldToLoop();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempts = Math.max(...entries.map((e) => Number(e.attempts)));
      const retryAt = new Date(now().getTime() + retryDelaySeconds(attempts) * 1000).toISOString();
      await handle.db.execute(sql`
        UPDATE search_outbox SET next_attempt_at = ${retryAt}::timestamptz, last_error = ${message.slice(0, 500)}
        WHERE id = ANY(${pgArray(ids)}::bigint[])`);
      throw error;
    }
  }
}

export interface ReindexProgress {
  done: number;
  total: number;
}

/** Rebuilds the whole index: every thread with its replies, every material, every listed member. */
export async function reindexAll(
  handle: DatabaseHandle,
  engine: SearchEngine,
  onProgress: (progress: ReindexProgress) => void = () => {},
): Promise<ReindexProgress> {
  const startedAt = (await handle.rows<{ now: string }>(sql`SELECT now()::text AS now`))[0].now;
  const [counts] = await handle.rows<{ threads: number; materials: number; members: number }>(sql`
    SELECT (SELECT count(*) FROM threads)::int AS threads, (SELECT count(*) FROM materials)::int AS materials,
      (SELECT count(*) FROM users WHERE listed)::int AS members`);
  const progress = { done: 0, total: Number(counts.threads) + Number(counts.materials) + Number(counts.members) };
  onProgress(progress);
  await engine.clear();
  await handle.db.execute(sql`DELETE FROM search_words`);

  const sources: {
    table: string;
    where: ReturnType<typeof sql>;
    load: (ids: string[]) => Promise<DocumentChanges>;
    batch: number;
  }[] = [
    { table: "threads", where: sql`true`, load: (ids) => threadDocuments(handle, ids), batch: 50 },
    { table: "materials", where: sql`true`, load: (ids) => materialDocuments(handle, ids), batch: 100 },
    { table: "users", where: sql`listed`, load: (ids) => memberDocuments(handle, ids), batch: 200 },
  ];
  for (const source of sources) {
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const rows = await handle.rows<{ id: string }>(sql`
        SELECT id FROM ${sql.identifier(source.table)} WHERE id > ${after}::uuid AND ${source.where}
        ORDER BY id LIMIT ${source.batch}`);
      if (rows.length === 0) break;
      const ids = rows.map((r) => r.id);
      await applyChanges(handle, engine, await source.load(ids));
      after = ids[ids.length - 1];
      progress.done += ids.length;
      onProgress(progress);
      await yieldToLoop();
    }
  }
  // What was queued before the rebuild began is in the rebuilt index now.
  await handle.db.execute(sql`DELETE FROM search_outbox WHERE created_at < ${startedAt}::timestamptz`);
  // A rebuild leaves a dead row version behind for each replaced document and for each update of a word's count.
  // The trigram index still lists every one of them, so "Meintest du …?" on PGlite (which has no autovacuum) took
  // 16 ms instead of 2 until db/maintenance.ts got round to the table. Fresh statistics pick the search plans.
  await handle.db.execute(sql`VACUUM ANALYZE search_documents, search_texts, search_words`);
  return progress;
}

/** Runs the outbox in the background: on a timer, and right away when a writer has just committed. */
export function startIndexer(
  handle: DatabaseHandle,
  engine: SearchEngine,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = processOutbox(handle, engine)
      .then(
        () => undefined,
        (error) => options.onError?.(error),
      )
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          void run();
        }
      });
    return running;
  };
  const timer = setInterval(run, options.intervalMs ?? 5000);
  timer.unref();
  return {
    kick: () => void run(),
    /** Resolves when everything due now has been applied (tests, shutdown). */
    async drain() {
      while (running) await running;
      await run();
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
  };
}

export type Indexer = ReturnType<typeof startIndexer>;
