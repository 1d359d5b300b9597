/**
 * German-like content for the search benchmark: a word-pair (Markov) model of the German source documents in
 * ../shared/seeds, the seeded threads, replies and materials, and the query classes drawn from the same words.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DatabaseHandle } from "../../db/client.ts";
import { categories, materials, posts, threads } from "../../db/schema/index.ts";
import { hashPassword } from "../../app/models/accounts/password.server.ts";
import { insertUser } from "../../app/models/accounts/users.server.ts";
import { materialTypes } from "../../app/domain/library/types.ts";
import { audiences, competenceAreas, ilbSteps } from "../../app/domain/taxonomy.ts";
import { root } from "./server.ts";
import { log, mulberry32, round } from "./run.ts";
import { fold } from "../../search/query.ts";
import { pgArray } from "../../search/sql.ts";
import { sql } from "drizzle-orm";

export const PASSWORD = "bench-passwort-2026";

export interface Corpus {
  next: Map<string, string[]>;
  starts: string[];
  counts: Map<string, number>;
}

/** Word pairs of the seed documents: every word with the words that follow it (repeats keep the frequencies). */
export function corpus(): Corpus {
  // A worktree has no ../shared next to it: the relevance set keeps a copy of the same seed documents.
  const shared = path.resolve(root, "../shared/seeds");
  const dir = fs.existsSync(shared) ? shared : path.resolve(root, "tests/fixtures/search-relevance/seeds");
  const text = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
    .join("\n");
  const tokens = text.match(/[A-Za-zÄÖÜäöüß]{2,}|[.!?]/g) ?? [];
  const next = new Map<string, string[]>();
  const counts = new Map<string, number>();
  const starts: string[] = [];
  let previous = ".";
  for (const token of tokens) {
    if (token.length > 1) counts.set(token, (counts.get(token) ?? 0) + 1);
    if (previous === "." || previous === "!" || previous === "?") {
      if (token.length > 1) starts.push(token);
    } else if (token.length > 1 || /[.!?]/.test(token)) {
      const list = next.get(previous) ?? [];
      list.push(token);
      next.set(previous, list);
    }
    previous = token;
  }
  return { next, starts, counts };
}

function sentences(c: Corpus, random: () => number, words: number): string {
  const out: string[] = [];
  let word = c.starts[Math.floor(random() * c.starts.length)];
  let sentence: string[] = [];
  while (out.length + sentence.length < words) {
    sentence.push(word);
    const followers = c.next.get(word);
    const following = followers ? followers[Math.floor(random() * followers.length)] : ".";
    if (/[.!?]/.test(following) || sentence.length > 25) {
      out.push(`${sentence.join(" ")}${/[.!?]/.test(following) ? following : "."}`);
      sentence = [];
      word = c.starts[Math.floor(random() * c.starts.length)];
    } else word = following;
  }
  if (sentence.length) out.push(`${sentence.join(" ")}.`);
  return out.join(" ");
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];

function doc(text: string) {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return {
    body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] },
    bodyHtml: `<p>${escaped}</p>`,
    bodyText: text,
  };
}

export async function seed(handle: DatabaseHandle, c: Corpus, size: { replies: number; materials: number }) {
  const started = Date.now();
  const random = mulberry32(20_261_121);
  const THREADS = Math.max(1, Math.round(size.replies / 20));
  const REPLIES = size.replies;
  const MATERIALS = size.materials;
  const passwordHash = await hashPassword(PASSWORD);
  const [author] = await handle.db.transaction(async (tx) => [
    await insertUser(tx, {
      email: "autorin@bench.example",
      displayName: "Autorin",
      handle: "bench-autorin",
      passwordHash,
      role: "moderator",
    }),
    await insertUser(tx, {
      email: "leser@bench.example",
      displayName: "Lesende Person",
      handle: "bench-leser",
      passwordHash,
      role: "member",
    }),
  ]);
  const rooms = await handle.db
    .insert(categories)
    .values(Array.from({ length: 10 }, (_, i) => ({ slug: `raum-${i + 1}`, name: `Themenraum ${i + 1}`, position: i })))
    .returning({ id: categories.id });
  const now = Date.now();
  const steps = Object.keys(ilbSteps);
  const areas = Object.keys(competenceAreas);
  const groups = Object.keys(audiences);

  let replies = 0;
  for (let t0 = 0; t0 < THREADS; t0 += 250) {
    const threadRows: (typeof threads.$inferInsert)[] = [];
    const postRows: (typeof posts.$inferInsert)[] = [];
    for (let t = t0; t < Math.min(THREADS, t0 + 250); t++) {
      const id = crypto.randomUUID();
      const openingId = crypto.randomUUID();
      const createdAt = new Date(now - Math.floor(random() * 1000) * 86_400_000);
      const perThread = Math.floor(REPLIES / THREADS) + (t < REPLIES % THREADS ? 1 : 0);
      threadRows.push({
        id,
        categoryId: pick(random, rooms).id,
        authorId: author.id,
        type: random() < 0.6 ? "question" : "best_practice",
        title: sentences(c, random, 6 + Math.floor(random() * 6))
          .replace(/[.!?]$/, "")
          .slice(0, 160),
        openingPostId: openingId,
        acceptedPostId: null,
        replyCount: perThread,
        ilbStep: random() < 0.7 ? pick(random, steps) : null,
        competenceArea: random() < 0.5 ? pick(random, areas) : null,
        audience: random() < 0.5 ? pick(random, groups) : null,
        createdAt,
        lastActivityAt: createdAt,
      });
      postRows.push({
        id: openingId,
        threadId: id,
        authorId: author.id,
        depth: 0,
        createdAt,
        ...doc(sentences(c, random, 40 + Math.floor(random() * 60))),
      });
      for (let r = 0; r < perThread; r++) {
        postRows.push({
          threadId: id,
          parentId: openingId,
          authorId: author.id,
          depth: 1,
          helpfulCount: random() < 0.1 ? 1 + Math.floor(random() * 4) : 0,
          createdAt: new Date(createdAt.getTime() + (r + 1) * 3_600_000),
          ...doc(sentences(c, random, 15 + Math.floor(random() * 60))),
        });
        replies++;
      }
    }
    await handle.db.insert(threads).values(threadRows);
    for (let i = 0; i < postRows.length; i += 1000) await handle.db.insert(posts).values(postRows.slice(i, i + 1000));
    if (t0 % 1000 === 0) log(`  ${replies} Antworten …`);
  }

  for (let m0 = 0; m0 < MATERIALS; m0 += 500) {
    const rows: (typeof materials.$inferInsert)[] = [];
    for (let m = m0; m < Math.min(MATERIALS, m0 + 500); m++) {
      const type = materialTypes[m % materialTypes.length];
      const publishedAt = new Date(now - Math.floor(random() * 1000) * 86_400_000);
      const body = doc(sentences(c, random, 80 + Math.floor(random() * 120)));
      rows.push({
        type,
        status: random() < 0.9 ? "published" : "draft",
        title: sentences(c, random, 4 + Math.floor(random() * 5))
          .replace(/[.!?]$/, "")
          .slice(0, 160),
        summary: sentences(c, random, 20 + Math.floor(random() * 20)),
        ...body,
        transcript: type === "podcast" || type === "short_video" ? sentences(c, random, 300) : "",
        ilbStep: random() < 0.8 ? pick(random, steps) : null,
        competenceArea: random() < 0.6 ? pick(random, areas) : null,
        audience: random() < 0.6 ? pick(random, groups) : null,
        tags: [],
        publishedAt,
        reviewDueAt: new Date(publishedAt.getTime() + 365 * 86_400_000).toISOString().slice(0, 10),
        createdBy: author.id,
        createdAt: publishedAt,
      });
    }
    await handle.db.insert(materials).values(rows);
  }
  return { replies, threads: THREADS, materials: MATERIALS, seedSeconds: round((Date.now() - started) / 1000) };
}

/** The corpus' frequent words that the database's German configuration drops as stop words. */
export async function stopWordsOf(handle: DatabaseHandle, c: Corpus): Promise<Set<string>> {
  const frequent = [
    ...new Set(
      [...c.counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 2000)
        .map(([w]) => fold(w)),
    ),
  ];
  const rows = await handle.rows<{ w: string }>(
    sql`SELECT w FROM unnest(${pgArray(frequent)}::text[]) AS w WHERE to_tsvector('german', w)::text = ''`,
  );
  return new Set(rows.map((r) => r.w));
}

/** Five classes of queries, chosen from the corpus' own word frequencies so that they behave like real ones. */
export function queryClasses(
  c: Corpus,
  random: () => number,
  perClass: number,
  stopWords: ReadonlySet<string> = new Set(),
) {
  const stop = new Set([
    "werden",
    "können",
    "diesem",
    "wurden",
    "sowie",
    "durch",
    "einer",
    "einen",
    "eines",
    "sollen",
    "haben",
    "ihrer",
    "ihren",
    "dabei",
    "diese",
    "dieser",
    "dieses",
    "auch",
    "sind",
    "oder",
    "nicht",
    "sich",
    "wird",
    "über",
  ]);
  // Stop words are not indexed: a search for one finds nothing, fast, and would flatter the figures.
  const byFrequency = [...c.counts.entries()]
    .filter(([w]) => w.length >= 6 && !stop.has(w.toLowerCase()) && !stopWords.has(fold(w)))
    .sort((a, b) => b[1] - a[1]);
  const common = byFrequency.slice(0, 60).map(([w]) => w);
  const rare = byFrequency.filter(([, n]) => n === 2 || n === 3).map(([w]) => w);
  const pairs: string[] = [];
  for (const [first, followers] of c.next) {
    if (first.length < 5) continue;
    const counts = new Map<string, number>();
    for (const f of followers) if (f.length >= 5) counts.set(f, (counts.get(f) ?? 0) + 1);
    for (const [second, n] of counts) if (n >= 4) pairs.push(`"${first} ${second}"`);
  }
  const typo = (word: string) => {
    const i = 2 + Math.floor(random() * (word.length - 4));
    return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  };
  const typoSources = byFrequency
    .slice(20, 400)
    .filter(([w]) => w.length >= 8)
    .map(([w]) => w);
  const filters = [
    "type=material",
    "type=reply",
    "room=raum-3",
    `ilbStep=${Object.keys(ilbSteps)[1]}`,
    "time=12m",
    "materialType=podcast",
  ];
  const take = <T>(list: T[], n: number) => Array.from({ length: n }, () => pick(random, list));
  // Natural questions of 5-8 words (issue 21): a question opening, then a walk through the text's word pairs, so
  // the words belong together as in the documents, but not every one need occur in the one that answers.
  const openings = ["Wie", "Was ist", "Warum", "Welche", "Gibt es", "Wie kann man", "Wo finde ich", "Was tun bei"];
  const question = () => {
    const opening = pick(random, openings);
    const length = 5 + Math.floor(random() * 4) - opening.split(" ").length;
    let word = pick(random, c.starts);
    const walk: string[] = [];
    while (walk.length < Math.max(2, length)) {
      if (/^[\p{L}-]+$/u.test(word)) walk.push(word);
      const followers = c.next.get(word);
      word = followers?.length ? pick(random, followers) : pick(random, c.starts);
    }
    return `${opening} ${walk.join(" ")}?`;
  };
  return {
    common: take(common, perClass).map((q) => `q=${encodeURIComponent(q)}`),
    rare: take(rare, perClass).map((q) => `q=${encodeURIComponent(q)}`),
    phrase: take(pairs, perClass).map((q) => `q=${encodeURIComponent(q)}`),
    typo: take(typoSources, perClass).map((q) => `q=${encodeURIComponent(typo(q))}`),
    filtered: take(common, perClass).map((q) => `q=${encodeURIComponent(q)}&${pick(random, filters)}`),
    natural: Array.from({ length: perClass }, () => `q=${encodeURIComponent(question())}`),
  };
}
