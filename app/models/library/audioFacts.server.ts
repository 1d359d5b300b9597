/**
 * Facts about audio files that the podcast feed needs (ADR 033): the playing time, read from the file in a worker
 * thread when it is uploaded, and stored in audio_facts. Files stored before that (or by the demo seed) are read the
 * first time a feed lists them.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { inArray } from "drizzle-orm";
import { audioFacts } from "../../../db/schema/index.ts";
import { db } from "../db.server.ts";
import { workerFile } from "./pdfText.server.ts";

/** Reading the head of a file takes milliseconds; walking a long MP3 without a VBR header a few seconds. */
const MAX_MS = 30_000;

/** Which audio formats the common podcast apps (Apple Podcasts, Spotify, Pocket Casts, Overcast) all play. */
const PODCAST_FRIENDLY = new Set(["audio/mpeg", "audio/mp4", "audio/aac", "audio/x-m4a"]);

/**
 * A hint for moderators when an audio file will not play in common podcast apps (null when it will). Apple Podcasts
 * and several others play MP3 and AAC (M4A) only; Ogg Opus or Vorbis stay silent there.
 */
export function podcastFormatHint(mime: string): string | null {
  if (!mime.startsWith("audio/") || PODCAST_FRIENDLY.has(mime)) return null;
  const name = mime === "audio/ogg" ? "OGG (Opus oder Vorbis)" : mime.slice("audio/".length).toUpperCase();
  return `Hinweis: Dateien im Format ${name} spielen viele Podcast-Apps nicht ab, zum Beispiel Apple Podcasts. Auf der Website läuft die Datei, im Podcast-Feed erreicht sie aber nicht alle. Lade für Podcasts besser eine MP3- oder M4A-Datei (AAC) hoch.`;
}

/** The playing time in seconds, or null when the file has none we can read (or reading takes too long). */
export async function readAudioDuration(filePath: string): Promise<number | null> {
  return (await readAudioDurations([filePath]))[0] ?? null;
}

/**
 * Playing times of several files, read in one worker (starting one costs ~0.4 s, reading a short file milliseconds).
 * A file not read within the time budget (MAX_MS, plus 2 s a file) stays undefined (null: read, no duration).
 */
function readAudioDurations(filePaths: string[]): Promise<(number | null | undefined)[]> {
  const results: (number | null | undefined)[] = filePaths.map(() => undefined);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerFile("audioDuration.worker.mjs", path.join("app", "models", "library")), {
        workerData: { filePaths },
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      });
    } catch {
      return resolve(results);
    }
    const done = () => {
      clearTimeout(timer);
      worker.removeAllListeners("message");
      void worker.terminate().catch(() => {});
      resolve(results);
    };
    const timer = setTimeout(done, MAX_MS + 2000 * filePaths.length);
    worker.on("message", (message: { index?: number; duration?: number | null; done?: boolean }) => {
      if (typeof message.index === "number") results[message.index] = message.duration ?? null;
      if (message.done) done();
    });
    worker.on("error", done);
    worker.on("exit", done);
  });
}

/** At most this many files are read on one feed request; the rest on the next ones. */
const READ_PER_REQUEST = 50;

/** Durations of these files (by id), reading and storing those not read yet (files from before this table). */
export async function audioDurations(files: { id: string; path: string }[]): Promise<Map<string, number | null>> {
  const known = new Map<string, number | null>();
  if (files.length === 0) return known;
  const rows = await db()
    .select({ fileId: audioFacts.fileId, durationSeconds: audioFacts.durationSeconds })
    .from(audioFacts)
    .where(
      inArray(
        audioFacts.fileId,
        files.map((f) => f.id),
      ),
    );
  for (const row of rows) known.set(row.fileId, row.durationSeconds);
  const unread = files.filter((f) => !known.has(f.id)).slice(0, READ_PER_REQUEST);
  if (unread.length === 0) return known;
  const durations = await readAudioDurations(unread.map((f) => f.path));
  // Only what the worker got to: a file it did not reach in time is tried again on a later request.
  const read = unread.flatMap((f, i) =>
    durations[i] === undefined ? [] : [{ fileId: f.id, durationSeconds: durations[i] }],
  );
  if (read.length > 0) await db().insert(audioFacts).values(read).onConflictDoNothing();
  for (const row of read) known.set(row.fileId, row.durationSeconds);
  return known;
}
