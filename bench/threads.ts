/**
 * How fast are the thread lists? 400 discussions with ~3 200 replies in four rooms are seeded straight into the
 * database, and a reader who joined a year ago has opened about half of them somewhere in their history, so the lists
 * have "neu" counts to work out. The production server runs as its own process, and autocannon reads the room page
 * (/themen/:slug), the discussions list (/diskussionen) and the rooms overview (/themen) as that reader at 10 and at
 * 50 connections: first on the embedded PGlite, then on PostgreSQL 15.
 *
 * Budgets: 10 connections p95 < 100 ms; 50 connections no errors.
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import { posts, profilePictures, threadReads, threads, users } from "../db/schema/index.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { hashPassword } from "../app/models/accounts/password.server.ts";
import { insertUser } from "../app/models/accounts/users.server.ts";
import { saveCategory } from "../app/models/community/categories.server.ts";
import { renderMarkdown } from "../app/models/discussions/body.server.ts";
import { listThreads } from "../app/models/discussions/threads.server.ts";
import type { Actor } from "../app/auth/permissions.ts";
import type { Cluster } from "../tests/setup/pgcluster.ts";
import { forEachEngine } from "./lib/engines.ts";
import { assertBuilt, login, spawnServer, type ChildServer } from "./lib/server.ts";
import {
  cleanups,
  log,
  mulberry32,
  percentile,
  round,
  runBenchmark,
  machineReport,
  loadAverage,
  referenceWorkMs,
} from "./lib/run.ts";
import { profile, warmAndLoad, type LoadResult } from "./lib/load.ts";
import { openBenchDatabase } from "./lib/database.ts";

const THREADS = 400;
const ROOMS = ["lerngespraeche", "transfer", "eakte", "austausch"];
const MEMBERS = 20;
const PASSWORD = "bench-passwort-2026";
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONCURRENCY = [10, 50];
const BUDGET = { p95At10: 100 };
const DAY = 86_400_000;

interface Seeded {
  readerEmail: string;
  replies: number;
  readThreads: number;
  /** listThreads for the first room (the room page's main model call) timed in this process. */
  modelMs: { median: number; p95: number };
  ms: number;
}

async function seed(handle: DatabaseHandle): Promise<Seeded> {
  const started = Date.now();
  setDatabase(handle);
  try {
    const random = mulberry32(20_261_207);
    const passwordHash = await hashPassword(PASSWORD);
    const authors: string[] = [];
    const { moderator, reader } = await handle.db.transaction(async (tx) => {
      for (let i = 1; i <= MEMBERS; i++) {
        const n = String(i).padStart(2, "0");
        authors.push(
          (
            await insertUser(tx, {
              email: `m${n}@bench.example`,
              displayName: `Mitglied ${n}`,
              handle: `mitglied-${n}`,
              passwordHash,
              role: "member",
            })
          ).id,
        );
      }
      return {
        moderator: await insertUser(tx, {
          email: "mod@bench.example",
          displayName: "Moderation",
          handle: "bench-moderation",
          passwordHash,
          role: "moderator",
        }),
        reader: await insertUser(tx, {
          email: "leser@bench.example",
          displayName: "Lesende Person",
          handle: "bench-leser",
          passwordHash,
          role: "member",
        }),
      };
    });
    // Every other author has a profile picture, the rest show initials (ADR 028). The lists read only the stamp, so
    // a few placeholder bytes stand in for the WebP files.
    const bytes = Buffer.from("bench");
    await handle.db.insert(profilePictures).values(
      authors
        .filter((_, i) => i % 2 === 0)
        .map((userId, i) => ({
          userId,
          stamp: `bench${i}`,
          source: bytes,
          sourceWidth: 192,
          sourceHeight: 192,
          focusX: 0.5,
          focusY: 0.5,
          zoom: 1,
          small: bytes,
          medium: bytes,
          large: bytes,
        })),
    );
    // The reader joined a year ago, so what happened since is theirs to read.
    const now = Date.now();
    await handle.db
      .update(users)
      .set({ createdAt: new Date(now - 365 * DAY) })
      .where(eq(users.id, reader.id));
    const mod: Actor = { id: moderator.id, role: "moderator" };
    const roomIds: string[] = [];
    for (const slug of ROOMS)
      roomIds.push(
        (await saveCategory(mod, null, { name: `Raum ${slug}`, slug, description: "Für den Benchmark." })).id,
      );

    const body = renderMarkdown(
      "Wie macht ihr das? Bei uns hat sich ein **kurzes Vorgespräch** bewährt.\n\n- Ziel klären\n- Lernweg besprechen",
    );
    let replies = 0;
    let readThreads = 0;
    for (let batch = 0; batch < THREADS; batch += 50) {
      await handle.db.transaction(async (tx) => {
        for (let i = batch; i < Math.min(THREADS, batch + 50); i++) {
          const createdAt = new Date(now - Math.floor(random() * 300) * DAY - i * 1000);
          const count = Math.floor(random() * 17);
          const times = Array.from(
            { length: count },
            () => new Date(createdAt.getTime() + Math.floor(random() * 60 * DAY)),
          ).sort((a, b) => a.getTime() - b.getTime());
          const last = times.at(-1) ?? createdAt;
          const [thread] = await tx
            .insert(threads)
            .values({
              categoryId: roomIds[i % ROOMS.length],
              authorId: authors[i % MEMBERS],
              type: i % 3 === 0 ? "best_practice" : "question",
              title: `Diskussion ${String(i + 1).padStart(3, "0")}: Wie startet ihr das Lerngespräch?`,
              tags: i % 4 === 0 ? ["lerngespraech", "einstieg"] : [],
              replyCount: count,
              createdAt,
              lastActivityAt: last,
            })
            .returning({ id: threads.id });
          const [opening] = await tx
            .insert(posts)
            .values({
              threadId: thread.id,
              authorId: authors[i % MEMBERS],
              body: body.doc,
              bodyHtml: body.html,
              bodyText: body.text,
              createdAt,
            })
            .returning({ id: posts.id });
          await tx.update(threads).set({ openingPostId: opening.id }).where(eq(threads.id, thread.id));
          if (count > 0) {
            await tx.insert(posts).values(
              times.map((at, k) => ({
                threadId: thread.id,
                parentId: opening.id,
                depth: 1,
                authorId: authors[(i + k + 1) % MEMBERS],
                body: body.doc,
                bodyHtml: body.html,
                bodyText: body.text,
                createdAt: at,
              })),
            );
          }
          replies += count;
          // About half the discussions were opened by the reader, somewhere between their start and their last reply.
          if (random() < 0.5) {
            const readAt = new Date(
              createdAt.getTime() + Math.floor(random() * (last.getTime() - createdAt.getTime() + 1)),
            );
            await tx.insert(threadReads).values({ userId: reader.id, threadId: thread.id, readAt });
            readThreads++;
          }
        }
      });
    }
    await handle.db.execute(sql`analyze`);

    const actor: Actor = { id: reader.id, role: "member" };
    const samples: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      await listThreads(actor, { categorySlug: ROOMS[0], sort: "aktiv", page: 1 });
      if (i >= 5) samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return {
      readerEmail: "leser@bench.example",
      replies,
      readThreads,
      modelMs: { median: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) },
      ms: Date.now() - started,
    };
  } finally {
    setDatabase(undefined);
  }
}

async function benchEngine(engine: "pglite" | "postgres", cluster: Cluster | null) {
  log(`\n== ${engine} ==`);
  const { handle, dataDir, databaseUrl } = await openBenchDatabase(engine, cluster, "threads");
  let seeded: Seeded;
  try {
    seeded = await seed(handle);
  } finally {
    await handle.close();
  }
  log(
    `Gesät: ${THREADS} Diskussionen, ${seeded.replies} Antworten in ${seeded.ms} ms; listThreads im Prozess: ${JSON.stringify(seeded.modelMs)}`,
  );

  const server: ChildServer = await spawnServer({
    DATA_DIR: dataDir,
    SEED_DEMO: "false",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  cleanups.push(() => server.stop());
  log(`Server (pid ${server.pid}) auf ${server.url}`);
  try {
    const cookie = await login(server.url, PASSWORD, seeded.readerEmail);
    const pages = [`/themen/${ROOMS[0]}`, "/diskussionen", "/themen"];
    const results: {
      page: string;
      status: number;
      htmlBytes: number;
      gzipBytes: number;
      load: LoadResult[];
      profile: Awaited<ReturnType<typeof profile>>;
    }[] = [];
    for (const page of pages) {
      const pageUrl = `${server.url}${page}`;
      const first = await fetch(pageUrl, { headers: { cookie } });
      const html = await first.text();
      if (process.env.BENCH_SAVE_HTML)
        fs.writeFileSync(
          path.join(process.env.BENCH_SAVE_HTML, `threads-${engine}${page.replace(/\//g, "_")}.html`),
          html,
        );
      if (first.status !== 200) throw new Error(`${page} antwortet mit ${first.status}`);
      const loads = await warmAndLoad(pageUrl, cookie, {
        warmupS: WARMUP_S,
        durationS: DURATION_S,
        concurrency: CONCURRENCY,
        serverPid: server.pid,
        label: page,
      });
      results.push({
        page,
        status: first.status,
        htmlBytes: Buffer.byteLength(html),
        gzipBytes: zlib.gzipSync(html).length,
        load: loads,
        profile: await profile(pageUrl, cookie),
      });
    }
    const serverErrors = server.output().match(/Unerwarteter Fehler|Error:/g)?.length ?? 0;
    return {
      engine,
      seed: {
        threads: THREADS,
        rooms: ROOMS.length,
        replies: seeded.replies,
        readerOpened: seeded.readThreads,
        seedMs: seeded.ms,
      },
      listThreadsInProcessMs: seeded.modelMs,
      pages: results,
      serverErrorLines: serverErrors,
    };
  } finally {
    await server.stop();
    log(`Server (pid ${server.pid}) beendet`);
  }
}

async function main() {
  assertBuilt();
  const started = Date.now();
  const loadAtStart = loadAverage();
  const referenceAtStart = referenceWorkMs();
  const engines = await forEachEngine((engine, cluster) => benchEngine(engine, cluster));
  const budgets = engines.flatMap((e) =>
    e.pages.map((p) => {
      const at10 = p.load.find((r) => r.connections === 10)!;
      const at50 = p.load.find((r) => r.connections === 50)!;
      return {
        engine: e.engine,
        page: p.page,
        p95At10ConnectionsUnder100ms: at10.latencyMs.p95 < BUDGET.p95At10,
        noErrorsAt50Connections: at50.errors + at50.timeouts + at50.non2xx === 0,
      };
    }),
  );
  const report = {
    benchmark: "threads",
    date: new Date().toISOString(),
    machine: machineReport(loadAtStart, referenceAtStart),
    setup: {
      threads: THREADS,
      rooms: ROOMS.length,
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      note: "autocannon runs in the bench process, the server in its own process, on the same machine",
    },
    budgets: {
      ...BUDGET,
      results: budgets,
      allMet: budgets.every((b) => b.p95At10ConnectionsUnder100ms && b.noErrorsAt50Connections),
    },
    engines,
    totalSeconds: round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
