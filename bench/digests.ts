/**
 * How long does the morning digest run take? On a fresh embedded database (PGlite) this seeds 1,000 members with the
 * default settings (replies daily, materials and upcoming rounds weekly), 10 reply notifications each from the last
 * day over 100 threads, 20 new materials and 10 upcoming rounds, then times `runDigests` at a Monday 07:01 Berlin
 * (daily and weekly digests for everyone), a second run at 07:06 (nothing due: the five-minute tick's usual cost),
 * and the mails it queued. Budget: the full run < 60 s (it runs once a day; the server stays responsive because each
 * member's work is a few short queries).
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openPglite } from "../db/client.ts";
import { runMigrations } from "../db/migrate.ts";
import { categories, dialogueRounds, materials, notifications, threads } from "../db/schema/index.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { hashPassword } from "../app/models/accounts/password.server.ts";
import { insertUser } from "../app/models/accounts/users.server.ts";
import { runDigests } from "../app/models/notifications/digest.server.ts";
import { berlinInstant } from "../app/domain/time.ts";
import { cleanups, log, round, runBenchmark } from "./lib/run.ts";

const MEMBERS = 1000;
const THREADS = 100;
const PER_MEMBER = 10;
const BUDGET_MS = 60_000;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-bench-digests-"));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const handle = await openPglite(dataDir);
  cleanups.push(() => handle.close());
  await runMigrations(handle);
  setDatabase(handle);
  // A Monday at 07:01 Berlin (2026-11-23), with everything dated in the day and week before.
  const monday = berlinInstant(2026, 11, 23, 7);
  const now = new Date(monday.getTime() + 60_000);
  const hoursAgo = (h: number) => new Date(monday.getTime() - h * 3_600_000);

  const seedStart = Date.now();
  const passwordHash = await hashPassword("bench-passwort-2026");
  const ids = await handle.db.transaction(async (tx) => {
    const list: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      list.push(
        (
          await insertUser(tx, {
            email: `d${i}@bench.example`,
            displayName: `Person ${i}`,
            handle: `bench-d-${i}`,
            passwordHash,
            role: "member",
          })
        ).id,
      );
    }
    return list;
  });
  const [category] = await handle.db
    .insert(categories)
    .values({ slug: "praxis", name: "Praxis" })
    .returning({ id: categories.id });
  const threadIds = (
    await handle.db
      .insert(threads)
      .values(
        Array.from({ length: THREADS }, (_, i) => ({
          categoryId: category.id,
          authorId: ids[i],
          type: "question" as const,
          title: `Frage ${i} zur Lernbegleitung`,
        })),
      )
      .returning({ id: threads.id })
  ).map((t) => t.id);
  for (let i = 0; i < MEMBERS; i += 100) {
    const rows = ids.slice(i, i + 100).flatMap((userId, j) =>
      Array.from({ length: PER_MEMBER }, (_, k) => ({
        userId,
        type: "reply",
        threadId: threadIds[(i + j + k) % THREADS],
        postId: null,
        actorId: ids[(i + j + k + 1) % MEMBERS],
        createdAt: hoursAgo(1 + ((j + k) % 20)),
      })),
    );
    await handle.db.insert(notifications).values(rows);
  }
  await handle.db.insert(materials).values(
    Array.from({ length: 20 }, (_, i) => ({
      type: "one_pager" as const,
      status: "published" as const,
      title: `OnePager ${i}`,
      publishedAt: hoursAgo(2 + i * 7),
    })),
  );
  await handle.db.insert(dialogueRounds).values(
    Array.from({ length: 10 }, (_, i) => {
      const startsAt = new Date(monday.getTime() + (i + 1) * 86_400_000);
      return {
        title: `Dialogrunde ${i}`,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 5_400_000),
        registrationDeadline: startsAt,
        capacity: 20,
        createdAt: hoursAgo(30),
      };
    }),
  );
  const seedMs = Date.now() - seedStart;
  log(`Gesät in ${seedMs} ms`);

  let t = performance.now();
  const first = await runDigests(now);
  const firstMs = performance.now() - t;
  t = performance.now();
  const second = await runDigests(new Date(now.getTime() + 5 * 60_000));
  const idleMs = performance.now() - t;
  const queued = await handle.rows<{ n: number; bytes: number }>(
    sql`select count(*)::int as n, coalesce(sum(length(text) + length(html)), 0)::int as bytes from mail_outbox`,
  );
  const report = {
    engine: "pglite",
    seeded: { members: MEMBERS, notifications: MEMBERS * PER_MEMBER, materials: 20, rounds: 10, ms: seedMs },
    firstRun: { ms: round(firstMs), digests: first, perMemberMs: round(firstMs / MEMBERS, 2) },
    idleRun: { ms: round(idleMs), digests: second },
    queuedMails: {
      count: Number(queued[0].n),
      averageBytes: Math.round(Number(queued[0].bytes) / Math.max(1, Number(queued[0].n))),
    },
    budgets: {
      firstRunMs: {
        budget: BUDGET_MS,
        measured: round(firstMs),
        ok: firstMs < BUDGET_MS && first.daily === MEMBERS && first.weekly === MEMBERS,
      },
    },
  };
  setDatabase(undefined);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await runBenchmark(main);
