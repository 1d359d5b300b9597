/** The thread the page benchmarks read (thread, cluster): 200 nested replies by 20 members, a poll, some reactions. */
import type { DatabaseHandle } from "../../db/client.ts";
import { setDatabase } from "../../app/models/db.server.ts";
import { hashPassword } from "../../app/models/accounts/password.server.ts";
import { insertUser } from "../../app/models/accounts/users.server.ts";
import { saveCategory } from "../../app/models/community/categories.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createReply, setReaction } from "../../app/models/discussions/posts.server.ts";
import { createThread, getThreadView } from "../../app/models/discussions/threads.server.ts";
import { castVote, pollForThread } from "../../app/models/discussions/polls.server.ts";
import type { Actor } from "../../app/auth/permissions.ts";
import { processOutbox } from "../../search/indexer.ts";
import { createEngine } from "../../search/index.ts";
import { mulberry32, percentile, round } from "./run.ts";

export const REPLIES = 200;
export const MEMBERS = 20;
export const MAX_DEPTH = 8;
export const PASSWORD = "bench-passwort-2026";

const sentences = [
  "Bei uns hat sich bewährt, das erste Gespräch bewusst offen zu halten und erst danach eine Lernfrage zu formulieren.",
  "Wichtig ist mir, dass die Person selbst entscheidet, was sie lernen möchte – ich begleite nur.",
  "Wir arbeiten mit einer **Lernlandkarte** auf einer Seite; die hängt dann oft monatelang am Arbeitsplatz.",
  "Die Führungskraft sollte früh eingebunden werden, sonst fehlt später die Zeit im Tagesgeschäft.",
  "Eine kurze Reflexion nach jeder Etappe hilft, den Fortschritt *sichtbar* zu machen.",
  "Das klappt auch digital, zum Beispiel mit einem geteilten Whiteboard im Videotermin.",
  "Mir hilft die Checkliste aus den [Materialien](https://example.org/materialien/checkliste) sehr.",
  "Manchmal ist weniger mehr: dreißig Minuten reichen, wenn die Frage klar ist.",
];

function replyMarkdown(random: () => number, n: number, handles: string[]): string {
  const paragraphs: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let p = 0; p < count; p++) {
    const words: string[] = [];
    for (let s = 0; s < 2 + Math.floor(random() * 2); s++)
      words.push(sentences[Math.floor(random() * sentences.length)]);
    paragraphs.push(words.join(" "));
  }
  if (random() < 0.15) paragraphs.push("- erster Punkt\n- zweiter Punkt\n- dritter Punkt");
  if (random() < 0.1)
    paragraphs.push(`Was meinst du, @${handles[Math.floor(random() * handles.length)]}? (Beitrag ${n})`);
  return paragraphs.join("\n\n");
}

export interface Seeded {
  threadId: string;
  readerEmail: string;
  /** getThreadView (the thread page's main model call) timed in this process against the seeded database. */
  modelMs: { median: number; p95: number };
  replies: number;
  maxDepth: number;
  depthHistogram: Record<number, number>;
  searchIndexing: { documents: number; ms: number };
  ms: number;
}

/** 20 members and a moderator, a room, one question with 200 replies in a random tree, some reactions. */
export async function seed(handle: DatabaseHandle): Promise<Seeded> {
  const started = Date.now();
  setDatabase(handle);
  try {
    const random = mulberry32(20_260_101);
    const passwordHash = await hashPassword(PASSWORD);
    const actors: Actor[] = [];
    const handles: string[] = [];
    await handle.db.transaction(async (tx) => {
      for (let i = 1; i <= MEMBERS; i++) {
        const n = String(i).padStart(2, "0");
        const { id } = await insertUser(tx, {
          email: `m${n}@bench.example`,
          displayName: `Mitglied ${n}`,
          handle: `mitglied-${n}`,
          passwordHash,
          role: "member",
        });
        actors.push({ id, role: "member" });
        handles.push(`mitglied-${n}`);
      }
    });
    const [moderator] = await handle.db.transaction(async (tx) => [
      await insertUser(tx, {
        email: "mod@bench.example",
        displayName: "Moderation",
        handle: "bench-moderation",
        passwordHash,
        role: "moderator",
      }),
    ]);
    await saveCategory({ id: moderator.id, role: "moderator" }, null, {
      name: "Lerngespräche",
      slug: "lerngespraeche",
      description: "Für den Benchmark.",
    });

    const { id: threadId } = await createThread(actors[0], {
      categorySlug: "lerngespraeche",
      type: "question",
      title: "Wie startet ihr das erste Lerngespräch, wenn die Lernfrage noch unklar ist?",
      body: renderMarkdown(replyMarkdown(random, 0, handles)),
      anonymous: false,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      legalDomain: null,
      tags: ["lerngespraech", "einstieg"],
      // A poll on the page, with every member's vote, so its query and markup are part of what is measured.
      poll: {
        question: "Wie lange dauert euer erstes Gespräch?",
        options: ["30 Minuten", "45 Minuten", "60 Minuten", "Länger"],
        multiple: false,
        closesAt: null,
      },
    });
    const poll = await pollForThread(actors[0], threadId, true);
    for (const [i, actor] of actors.entries()) await castVote(actor, threadId, poll!.id, [poll!.options[i % 4].id]);
    // Parents are picked among the opening post (parentId null) and earlier replies of depth < MAX_DEPTH,
    // favouring recent ones, so branches grow deep as in a lively discussion.
    const posts: { id: string | null; depth: number }[] = [{ id: null, depth: 0 }];
    const depthHistogram: Record<number, number> = {};
    const replyIds: string[] = [];
    for (let n = 1; n <= REPLIES; n++) {
      let parent = posts[0];
      if (random() > 0.25) {
        const candidates = posts.filter((p) => p.depth < MAX_DEPTH);
        const index = Math.floor(candidates.length * Math.sqrt(random()));
        parent = candidates[Math.min(index, candidates.length - 1)];
      }
      const author = actors[Math.floor(random() * MEMBERS)];
      const { id } = await createReply(author, {
        threadId,
        parentId: parent.id,
        body: renderMarkdown(replyMarkdown(random, n, handles)),
        anonymous: random() < 0.05,
      });
      const depth = parent.depth + 1;
      posts.push({ id, depth });
      replyIds.push(id);
      depthHistogram[depth] = (depthHistogram[depth] ?? 0) + 1;
    }
    // A few thanks and "helpful" marks, so counts and the reader's own reactions are on the page.
    for (let i = 0; i < 80; i++) {
      const actor = actors[Math.floor(random() * MEMBERS)];
      const postId = replyIds[Math.floor(random() * replyIds.length)];
      await setReaction(actor, postId, random() < 0.5 ? "thanks" : "helpful", true).catch(() => {}); // own posts are refused
    }
    // The posts went into the search outbox as they were written; in a running site the indexer takes them up one by
    // one. Indexing all of them here keeps that one-off batch out of the measured load (the server would start
    // with it otherwise, and compete with the first requests).
    const indexingStarted = Date.now();
    const indexed = await processOutbox(handle, createEngine(handle, {}));
    const indexingMs = Date.now() - indexingStarted;
    const reader = actors[1];
    const samples: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      await getThreadView(reader, threadId);
      // The first five warm up the query plans and the JIT.
      if (i >= 5) samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return {
      threadId,
      readerEmail: "m02@bench.example",
      modelMs: { median: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) },
      replies: REPLIES,
      maxDepth: Math.max(...Object.keys(depthHistogram).map(Number)),
      depthHistogram,
      searchIndexing: { documents: indexed, ms: indexingMs },
      ms: Date.now() - started,
    };
  } finally {
    setDatabase(undefined);
  }
}
