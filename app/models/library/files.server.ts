/**
 * Uploaded files of the material library: receiving them (type from the bytes, size limits while the bytes arrive),
 * handing them to materials, serving them to who may read them, and sweeping what nobody claimed.
 *
 * Files live in DATA_DIR/uploads under random names (32 hex digits); uploads in progress in DATA_DIR/uploads/tmp.
 * A row in material_files exists only for a complete, accepted file.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { and, eq, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import {
  audioFacts,
  feedTokens,
  materialFiles,
  materials,
  users,
  type FileKind,
  type MaterialType,
} from "../../../db/schema/index.ts";
import { can, isModerator, type Actor, type MaterialFacts } from "../../auth/permissions.ts";
import { safeFileName, sniff, SNIFF_BYTES, utf8TextValidator, type Sniffed } from "../../domain/library/sniff.ts";
import { env } from "../../env.server.ts";
import { hashToken } from "../accounts/tokens.server.ts";
import { db, type Database } from "../db.server.ts";
import { ForbiddenError, InputError, TooManyError } from "../errors.server.ts";
import { podcastFormatHint, readAudioDuration } from "./audioFacts.server.ts";
import { pdfText } from "./pdfText.server.ts";
import { claimDownloadMark, countUsage, downloadMark } from "./usage.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

const DAY = 24 * 60 * 60 * 1000;
const MB = 1024 * 1024;
const STORAGE_NAME = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uploadMessages = {
  unsupported:
    "Dieser Dateityp wird nicht unterstützt. Erlaubt sind PDF, MP4, WebM, MP3, M4A, OGG, Bilder (PNG, JPEG, GIF, WebP) und WebVTT-Untertitel.",
  empty: "Die Datei ist leer.",
  captionsText: "Die Untertitel müssen eine WebVTT-Datei in UTF-8 sein (ohne Steuerzeichen).",
  interrupted: "Der Upload wurde unterbrochen. Bitte versuche es noch einmal.",
  notLoggedIn: "Bitte melde dich an, um Dateien hochzuladen.",
  forbidden: "Du darfst keine Dateien hochladen.",
  gone: "Eine der hochgeladenen Dateien gibt es nicht mehr. Bitte lade sie noch einmal hoch.",
} as const;

const kindLabels: Record<FileKind, string> = {
  document: "Dokumente",
  video: "Videos",
  audio: "Audiodateien",
  image: "Bilder",
  captions: "Untertitel",
};

const formatMb = (bytes: number) => (bytes / MB).toLocaleString("de-DE", { maximumFractionDigits: 1 });

export function tooLargeMessage(kind: FileKind | null, limitBytes: number): string {
  return kind
    ? `Die Datei ist zu groß (höchstens ${formatMb(limitBytes)} MB für ${kindLabels[kind]}).`
    : `Die Datei ist zu groß (höchstens ${formatMb(limitBytes)} MB).`;
}

/** A file over its size limit or over what is left of the daily quota (HTTP 413). */
export class FileTooLargeError extends InputError {
  constructor(message: string) {
    super("file", message);
    this.name = "FileTooLargeError";
  }
}

/** Size limits per kind, in bytes. */
export type UploadLimits = Record<FileKind, number>;

export function uploadLimits(): UploadLimits {
  const config = env();
  return {
    document: Math.floor(config.UPLOAD_MAX_DOCUMENT_MB * MB),
    video: Math.floor(config.UPLOAD_MAX_VIDEO_MB * MB),
    audio: Math.floor(config.UPLOAD_MAX_AUDIO_MB * MB),
    image: Math.floor(config.UPLOAD_MAX_IMAGE_MB * MB),
    captions: Math.floor(config.UPLOAD_MAX_CAPTIONS_MB * MB),
  };
}

/** What one member may upload within 24 hours. */
export interface UploadQuota {
  bytes: number;
  files: number;
}

/** Moderators and admins build the library (materials, videos, podcasts) and get the larger quota. */
export function uploadQuota(actor: Actor): UploadQuota {
  const config = env();
  return isModerator(actor)
    ? { bytes: Math.floor(config.UPLOAD_DAILY_MB_MODERATION * MB), files: config.UPLOAD_DAILY_FILES_MODERATION }
    : { bytes: Math.floor(config.UPLOAD_DAILY_MB * MB), files: config.UPLOAD_DAILY_FILES };
}

interface QuotaUse {
  bytes: number;
  files: number;
  /** Seconds until the oldest upload of the window leaves it (and its share of the quota is free again). */
  freeInSeconds: number;
}

/** The actor's uploads of the last 24 hours that still exist, by the database's clock. */
async function quotaUse(executor: Tx | Database, actorId: string): Promise<QuotaUse> {
  const [row] = await executor
    .select({
      bytes: sql<number>`coalesce(sum(${materialFiles.size}), 0)::float8`,
      files: sql<number>`count(*)::int`,
      freeInSeconds: sql<number>`coalesce(extract(epoch from min(${materialFiles.createdAt}) + interval '24 hours' - now()), 0)::float8`,
    })
    .from(materialFiles)
    .where(and(eq(materialFiles.uploadedBy, actorId), sql`${materialFiles.createdAt} > now() - interval '24 hours'`));
  return {
    bytes: Number(row.bytes),
    files: Number(row.files),
    freeInSeconds: Math.max(1, Math.ceil(Number(row.freeInSeconds))),
  };
}

function inAbout(seconds: number): string {
  if (seconds < 3600) {
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return minutes === 1 ? "in einer Minute" : `in ${minutes} Minuten`;
  }
  const hours = Math.ceil(seconds / 3600);
  return hours === 1 ? "in einer Stunde" : `in ${hours} Stunden`;
}

/** Throws when the quota is used up (429); otherwise the bytes that are left. */
function checkQuota(quota: UploadQuota, use: QuotaUse): number {
  if (use.files >= quota.files) {
    throw new TooManyError(
      `Du hast in den letzten 24 Stunden ${quota.files} Dateien hochgeladen, mehr geht an einem Tag nicht. Bitte versuche es ${inAbout(use.freeInSeconds)} wieder.`,
      use.freeInSeconds,
    );
  }
  if (use.bytes >= quota.bytes) {
    throw new TooManyError(
      `Du hast in den letzten 24 Stunden ${formatMb(quota.bytes)} MB hochgeladen, mehr geht an einem Tag nicht. Bitte versuche es ${inAbout(use.freeInSeconds)} wieder.`,
      use.freeInSeconds,
    );
  }
  return quota.bytes - use.bytes;
}

function overQuotaMessage(quota: UploadQuota, leftBytes: number): string {
  return `Die Datei ist größer als dein restliches Upload-Kontingent: In den letzten 24 Stunden sind noch ${formatMb(leftBytes)} MB von ${formatMb(quota.bytes)} MB frei.`;
}

/** Formats bytes as megabytes the German way ("1,5"). */
export { formatMb, inAbout };

export function uploadsDir(): string {
  return path.resolve(env().DATA_DIR, "uploads");
}

function tmpDir(): string {
  return path.join(uploadsDir(), "tmp");
}

const randomName = () => crypto.randomBytes(16).toString("hex");

/** Any active member may upload (a member's file belongs to a suggestion until a moderator publishes it). */
export function canUploadFiles(actor: Actor | null | undefined): actor is Actor {
  return can(actor, "suggest");
}

/** A file is readable by whoever may see its material (permissions.ts). */
export function canReadMaterialFile(actor: Actor | null | undefined, material: MaterialFacts): boolean {
  return can(actor, "view", { type: "material", material });
}

export interface StoredUpload {
  id: string;
  kind: FileKind;
  mime: string;
  size: number;
  originalName: string;
  /** For audio that common podcast apps do not play: a German hint for whoever uploads it. */
  hint?: string;
}

async function removeQuietly(file: string): Promise<void> {
  await fsp.rm(file, { force: true }).catch(() => {});
}

/** A received upload in its temp file, handed to the caller of receiveUpload (the file is removed afterwards). */
export interface ReceivedUpload {
  tmpPath: string;
  type: Sniffed;
  size: number;
}

/**
 * Reads one uploaded file from a stream (the multipart part) into a temp file: decides its type from the first bytes
 * (only `kinds`, if given), enforces the size limit for that kind and `leftBytes` (what is left of a daily quota)
 * while the bytes arrive, then hands the complete file to `use`. The temp file is removed when `use` is done (move it
 * away to keep it). Throws InputError("file", German message) for a refused file or a broken-off upload
 * (FileTooLargeError over a limit). On failure the stream is left unconsumed: the caller stops or drains it.
 */
export async function receiveUpload<T>(
  input: {
    stream: Readable;
    filename: string | null | undefined;
    limits: UploadLimits;
    leftBytes: number;
    overQuota: (leftBytes: number) => string;
    kinds?: FileKind[];
    unsupported?: string;
  },
  use: (received: ReceivedUpload) => Promise<T>,
): Promise<T> {
  // Until the reading below begins, an error of the source (a client that went away) has no other listener, and an
  // 'error' without one ends the process. The reading sees the error all the same (the stream is then errored).
  input.stream.on("error", () => {});
  const { limits, leftBytes } = input;
  await fsp.mkdir(tmpDir(), { recursive: true });
  const tmpPath = path.join(tmpDir(), randomName());

  // Mutable state of this upload, shared with the two helpers below.
  const state: {
    type: Sniffed | null;
    file: fsp.FileHandle | null;
    size: number;
    text: ReturnType<typeof utf8TextValidator> | null;
  } = { type: null, file: null, size: 0, text: null };
  const head: Buffer[] = [];
  let headLength = 0;

  const accept = async (chunk: Buffer, type: Sniffed, file: fsp.FileHandle) => {
    state.size += chunk.length;
    if (state.size > limits[type.kind]) throw new FileTooLargeError(tooLargeMessage(type.kind, limits[type.kind]));
    if (state.size > leftBytes) throw new FileTooLargeError(input.overQuota(leftBytes));
    if (state.text && !state.text.push(chunk)) throw new InputError("file", uploadMessages.captionsText);
    let written = 0;
    while (written < chunk.length) written += (await file.write(chunk, written)).bytesWritten;
  };
  // Called once the head holds SNIFF_BYTES (or the whole, shorter file).
  const decide = async () => {
    const bytes = Buffer.concat(head);
    head.length = 0;
    if (bytes.length === 0) throw new InputError("file", uploadMessages.empty);
    const type = sniff(bytes.subarray(0, SNIFF_BYTES), input.filename ?? "");
    if (!type || (input.kinds && !input.kinds.includes(type.kind))) {
      throw new InputError("file", input.unsupported ?? uploadMessages.unsupported);
    }
    if (type.kind === "captions") state.text = utf8TextValidator();
    const file = await fsp.open(tmpPath, "wx", 0o600);
    state.type = type;
    state.file = file;
    await accept(bytes, type, file);
  };

  const iterator = input.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let ended = false;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch {
        // The client went away or the multipart body broke off.
        throw new InputError("file", uploadMessages.interrupted);
      }
      if (next.done) break;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      if (state.type && state.file) await accept(chunk, state.type, state.file);
      else {
        head.push(chunk);
        headLength += chunk.length;
        if (headLength >= SNIFF_BYTES) await decide();
      }
    }
    ended = true;
    if (!state.type) await decide();
    const type = state.type;
    const file = state.file;
    if (!type || !file) throw new InputError("file", uploadMessages.unsupported);
    // busboy marks a part it cut at its own (overall) size limit.
    if ((input.stream as Readable & { truncated?: boolean }).truncated) {
      throw new FileTooLargeError(tooLargeMessage(type.kind, limits[type.kind]));
    }
    if (state.text && !state.text.end()) throw new InputError("file", uploadMessages.captionsText);
    state.file = null;
    await file.close();
    return await use({ tmpPath, type, size: state.size });
  } catch (error) {
    // Stop reading (this destroys the source stream) unless it already ended.
    if (!ended) await iterator.return?.().catch(() => {});
    throw error;
  } finally {
    // Close before removing: the file must not be written to (or reopened) after its removal.
    await state.file?.close().catch(() => {});
    await removeQuietly(tmpPath);
  }
}

/**
 * Receives one uploaded file of the library (receiveUpload), moves it to its random storage name and records it as an
 * unattached upload of `actor`. Throws InputError("file", German message) for a refused file or a broken-off upload
 * (FileTooLargeError over a limit), TooManyError when the quota is used up, ForbiddenError without permission; in every
 * failure nothing is left on disk or in the database. `quota: false` for the content import.
 */
export async function storeUpload(
  actor: Actor | null,
  input: { stream: Readable; filename: string | null | undefined; limits?: UploadLimits; quota?: boolean },
): Promise<StoredUpload> {
  input.stream.on("error", () => {});
  if (!actor) throw new ForbiddenError(uploadMessages.notLoggedIn);
  if (!canUploadFiles(actor)) throw new ForbiddenError(uploadMessages.forbidden);
  const limits = input.limits ?? uploadLimits();
  const quota = input.quota === false ? null : uploadQuota(actor);
  // Checked before the bytes are read (to refuse early), and again atomically with the insert below.
  const leftBytes = quota ? checkQuota(quota, await quotaUse(db(), actor.id)) : Infinity;
  const overQuota = (left: number) => (quota ? overQuotaMessage(quota, left) : "");
  return receiveUpload(
    { stream: input.stream, filename: input.filename, limits, leftBytes, overQuota },
    async ({ tmpPath, type, size }) => {
      const storageName = randomName();
      const finalPath = path.join(uploadsDir(), storageName);
      await fsp.rename(tmpPath, finalPath);
      const originalName = safeFileName(input.filename, type.ext);
      try {
        const textContent = type.mime === "application/pdf" ? await pdfText(finalPath) : null;
        // The podcast feed names each episode's playing time; read once here, in a worker (not on a feed request).
        const duration = type.kind === "audio" ? await readAudioDuration(finalPath) : undefined;
        const row = await db().transaction(async (tx) => {
          if (quota) {
            // Parallel uploads of one member each passed the first check: lock the member, then count again.
            await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for("update");
            const left = checkQuota(quota, await quotaUse(tx, actor.id));
            if (size > left) throw new FileTooLargeError(overQuotaMessage(quota, left));
          }
          const [inserted] = await tx
            .insert(materialFiles)
            .values({
              kind: type.kind,
              mime: type.mime,
              storageName,
              originalName,
              size,
              uploadedBy: actor.id,
              textContent,
            })
            .returning({ id: materialFiles.id });
          if (duration !== undefined)
            await tx.insert(audioFacts).values({ fileId: inserted.id, durationSeconds: duration });
          return inserted;
        });
        const hint = podcastFormatHint(type.mime);
        return { id: row.id, kind: type.kind, mime: type.mime, size, originalName, ...(hint ? { hint } : {}) };
      } catch (error) {
        await removeQuietly(finalPath);
        throw error;
      }
    },
  );
}

/** Removes an unattached upload again (its uploader or a moderator); false when there is none to remove. */
export async function discardUpload(actor: Actor, id: string): Promise<boolean> {
  if (!UUID.test(id) || !canUploadFiles(actor)) return false;
  const owner = isModerator(actor) ? sql`true` : eq(materialFiles.uploadedBy, actor.id);
  const rows = await db()
    .delete(materialFiles)
    .where(and(eq(materialFiles.id, id), isNull(materialFiles.materialId), owner))
    .returning({ storageName: materialFiles.storageName });
  await unlinkStored(rows.map((r) => r.storageName));
  return rows.length > 0;
}

async function unlinkStored(storageNames: string[]): Promise<void> {
  for (const name of storageNames) if (STORAGE_NAME.test(name)) await removeQuietly(path.join(uploadsDir(), name));
}

/**
 * Hands uploaded files to a material, inside the caller's transaction: only unattached files the actor uploaded (any
 * unattached file for moderators); files already attached to this material are kept as they are. Throws
 * InputError("files") when one of the ids is not available (e.g. swept after a day, or someone else's upload),
 * so the caller's transaction rolls back.
 */
export async function attachFiles(
  tx: Tx,
  materialId: string,
  fileIds: string[],
  actor: Actor,
): Promise<StoredUpload[]> {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return [];
  if (!canUploadFiles(actor) || ids.some((id) => !UUID.test(id))) throw new InputError("files", uploadMessages.gone);
  const claimable = isModerator(actor)
    ? isNull(materialFiles.materialId)
    : and(isNull(materialFiles.materialId), eq(materialFiles.uploadedBy, actor.id));
  const rows = await tx
    .update(materialFiles)
    .set({ materialId })
    .where(and(inArray(materialFiles.id, ids), or(eq(materialFiles.materialId, materialId), claimable)))
    .returning({
      id: materialFiles.id,
      kind: materialFiles.kind,
      mime: materialFiles.mime,
      size: materialFiles.size,
      originalName: materialFiles.originalName,
    });
  if (rows.length !== ids.length) throw new InputError("files", uploadMessages.gone);
  return rows;
}

/**
 * Deletes a material's files (rows and bytes), except those in `keep` (e.g. after an edit removed some). Runs its own
 * statement on db(): call it outside any transaction (on PGlite one inside would wait forever). Before deleting a
 * material call this first: the delete cascades to the rows, and bytes without a row stay on disk.
 */
export async function removeMaterialFiles(materialId: string, keep: string[] = []): Promise<number> {
  const keepIds = keep.filter((id) => UUID.test(id));
  const rows = await db()
    .delete(materialFiles)
    .where(
      and(eq(materialFiles.materialId, materialId), keepIds.length ? notInArray(materialFiles.id, keepIds) : undefined),
    )
    .returning({ storageName: materialFiles.storageName });
  await unlinkStored(rows.map((r) => r.storageName));
  return rows.length;
}

async function olderFiles(dir: string, olderThan: Date): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const old: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const stat = await fsp.stat(path.join(dir, entry.name)).catch(() => null);
    if (stat && stat.mtime < olderThan) old.push(entry.name);
  }
  return old;
}

/**
 * The sweep: uploads nobody attached to a material since `olderThan` (rows and bytes) and temp files of uploads that
 * broke off without cleaning up (a crash). With `orphans: true` also stored bytes that no row names any more (left by
 * a material deleted without removeMaterialFiles) — not by default: a DATA_DIR opened with another database (say,
 * PostgreSQL before its content was moved over) would otherwise lose every file.
 */
export async function deleteUnattachedUploads(
  olderThan: Date = new Date(Date.now() - DAY),
  options: { orphans?: boolean } = {},
): Promise<{ files: number }> {
  const rows = await db()
    .delete(materialFiles)
    .where(and(isNull(materialFiles.materialId), lt(materialFiles.createdAt, olderThan)))
    .returning({ storageName: materialFiles.storageName });
  await unlinkStored(rows.map((r) => r.storageName));
  let removed = rows.length;

  for (const name of await olderFiles(tmpDir(), olderThan)) {
    await removeQuietly(path.join(tmpDir(), name));
    removed++;
  }
  if (!options.orphans) return { files: removed };
  const stored = (await olderFiles(uploadsDir(), olderThan)).filter((name) => STORAGE_NAME.test(name));
  for (let i = 0; i < stored.length; i += 500) {
    const batch = stored.slice(i, i + 500);
    const known = await db()
      .select({ storageName: materialFiles.storageName })
      .from(materialFiles)
      .where(inArray(materialFiles.storageName, batch));
    const knownNames = new Set(known.map((r) => r.storageName));
    const orphans = batch.filter((name) => !knownNames.has(name));
    await unlinkStored(orphans);
    removed += orphans.length;
  }
  return { files: removed };
}

export interface Download {
  path: string;
  mime: string;
  kind: FileKind;
  /** The sanitized original name, for Content-Disposition. */
  name: string;
  size: number;
  materialId: string | null;
}

async function feedTokenValid(token: string): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const [row] = await db()
    .select({ userId: feedTokens.userId })
    .from(feedTokens)
    .innerJoin(users, eq(users.id, feedTokens.userId))
    .where(and(eq(feedTokens.tokenHash, hashToken(token)), isNull(users.deactivatedAt)));
  return !!row;
}

/**
 * A file to serve, or null when there is none with this id; ForbiddenError when this actor may not have it. Members
 * get what canReadMaterialFile allows; unattached uploads only their uploader and moderators. Without a session, a
 * valid podcast feed token opens the files of published podcasts (podcast apps cannot log in).
 */
export async function getDownload(actor: Actor | null, id: string, feedToken?: string): Promise<Download | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db()
    .select({
      kind: materialFiles.kind,
      mime: materialFiles.mime,
      storageName: materialFiles.storageName,
      originalName: materialFiles.originalName,
      size: materialFiles.size,
      uploadedBy: materialFiles.uploadedBy,
      materialId: materialFiles.materialId,
      status: materials.status,
      type: materials.type,
      createdBy: materials.createdBy,
      suggestedBy: materials.suggestedBy,
    })
    .from(materialFiles)
    .leftJoin(materials, eq(materials.id, materialFiles.materialId))
    .where(eq(materialFiles.id, id));
  if (!row || !STORAGE_NAME.test(row.storageName)) return null;

  let allowed: boolean;
  if (actor) {
    allowed =
      row.materialId === null || row.status === null
        ? canUploadFiles(actor) && (row.uploadedBy === actor.id || isModerator(actor))
        : canReadMaterialFile(actor, { status: row.status, createdBy: row.createdBy, suggestedBy: row.suggestedBy });
  } else {
    allowed =
      feedToken !== undefined &&
      row.status === "published" &&
      row.type === ("podcast" satisfies MaterialType) &&
      (await feedTokenValid(feedToken));
  }
  if (!allowed) throw new ForbiddenError();
  return {
    path: path.join(uploadsDir(), row.storageName),
    mime: row.mime,
    kind: row.kind,
    name: row.originalName,
    size: row.size,
    materialId: row.materialId,
  };
}

/**
 * One more download of a material, at most once per member (or feed token: `who`) and day: an aggregate count,
 * nothing about who.
 */
export async function recordDownload(materialId: string, who: string, now = new Date()): Promise<void> {
  const mark = await downloadMark(materialId, who, now);
  await db().transaction(async (tx) => {
    if (!(await claimDownloadMark(tx, mark))) return;
    await tx
      .update(materials)
      .set({ downloadCount: sql`${materials.downloadCount} + 1` })
      .where(eq(materials.id, materialId));
    await countUsage(tx, materialId, "downloads", now);
  });
}
