/**
 * "Meine Daten herunterladen": a zip with everything of the member (daten.json, built from the inventory, plus the
 * files they uploaded), built in the background. The job row carries state and progress for the page; the file lives
 * in DATA_DIR/exports under a random name and only its member may download it, until it expires.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import yazl from "yazl";
import { dataExports, users } from "../../../db/schema/index.ts";
import { can, type Actor } from "../../auth/permissions.ts";
import { env } from "../../env.server.ts";
import { db } from "../db.server.ts";
import { ForbiddenError } from "../errors.server.ts";
import { uploadsDir } from "../library/files.server.ts";
import { inventory, picturesOf, uploadsOf } from "./inventory.server.ts";
import { imagesOf } from "../images/images.server.ts";
import { berlinDay } from "../../domain/time.ts";
import { errorFields, log } from "../../log.server.ts";

export const EXPORT_LIFETIME_DAYS = 7;
const DAY = 24 * 60 * 60 * 1000;
/** A running export that has not moved for this long was interrupted (the process stopped): it counts as failed. */
const STALE_MS = 10 * 60 * 1000;
const STORAGE_NAME = /^[0-9a-f]{32}\.zip$/;

export function exportsDir(): string {
  return path.resolve(env().DATA_DIR, "exports");
}

export interface ExportStatus {
  id: string;
  state: "queued" | "running" | "ready" | "failed";
  progress: number;
  size: number | null;
  createdAt: Date;
  expiresAt: Date | null;
}

function isStale(row: { state: string; updatedAt: Date }, now: number): boolean {
  return (row.state === "queued" || row.state === "running") && now - row.updatedAt.getTime() > STALE_MS;
}

/** The member's latest export, if any (expired ones are gone; an interrupted one shows as failed). */
export async function latestExport(actor: Actor): Promise<ExportStatus | null> {
  const [row] = await db()
    .select()
    .from(dataExports)
    .where(eq(dataExports.userId, actor.id))
    .orderBy(desc(dataExports.createdAt))
    .limit(1);
  if (!row) return null;
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return null;
  const state = isStale(row, Date.now()) ? "failed" : row.state;
  return {
    id: row.id,
    state,
    progress: row.progress,
    size: row.size,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

/**
 * Starts an export, or returns the one already under way. Earlier exports of the member are replaced (their files
 * deleted), so at most one zip per member sits on disk.
 */
export async function requestExport(actor: Actor): Promise<{ id: string; started: boolean }> {
  if (!can(actor, "read")) throw new ForbiddenError();
  const current = await latestExport(actor);
  if (current && (current.state === "queued" || current.state === "running")) return { id: current.id, started: false };
  const { id, old } = await db().transaction(async (tx) => {
    const old = await tx
      .delete(dataExports)
      .where(eq(dataExports.userId, actor.id))
      .returning({ storageName: dataExports.storageName });
    const [row] = await tx.insert(dataExports).values({ userId: actor.id }).returning({ id: dataExports.id });
    return { id: row.id, old };
  });
  await removeFiles(old.map((o) => o.storageName));
  // In the background: the request returns at once and the page shows the progress.
  setImmediate(
    () => void buildExport(id).catch((error) => log().error(errorFields(error), "Datenexport fehlgeschlagen")),
  );
  return { id, started: true };
}

async function setProgress(id: string, values: Partial<typeof dataExports.$inferInsert>): Promise<void> {
  await db()
    .update(dataExports)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(dataExports.id, id));
}

const README = `Deine Daten aus dem Netzwerk

daten.json enthält alles, was das Netzwerk über dich gespeichert hat: dein Profil, deine Diskussionen und Beiträge
(mit früheren Fassungen), Reaktionen, deine Umfragen und Stimmen, beobachtete Diskussionen und Themenräume, Merkliste,
Entwürfe, Meldungen, Benachrichtigungen, Dialogrunden (Anmeldungen, Fragen, Chat), deine Beiträge in Fallberatungen, Materialien, Einladungen und Mails an dich.
Der Ordner uploads/ enthält die Dateien, die du hochgeladen hast, der Ordner bilder/ die Bilder aus deinen Beiträgen
und der Ordner profilbild/ dein Profilbild.

Inhalte anderer Mitglieder sind nicht enthalten. Geheime Schlüssel (Podcast- und Kalender-Adresse) werden nicht
gespeichert und sind darum nur als „vorhanden“ vermerkt.
`;

/** Builds the zip for a job row: each inventory entry is one step of the progress. Exported for tests. */
export async function buildExport(id: string): Promise<void> {
  const [job] = await db().select().from(dataExports).where(eq(dataExports.id, id));
  if (!job || job.state !== "queued") return;
  const [owner] = await db().select({ id: users.id, email: users.email }).from(users).where(eq(users.id, job.userId));
  if (!owner) return;
  await setProgress(id, { state: "running", progress: 1 });
  const storageName = `${crypto.randomBytes(16).toString("hex")}.zip`;
  const finalPath = path.join(exportsDir(), storageName);
  const partPath = `${finalPath}.part`;
  try {
    const exported = inventory.filter((entry) => entry.export);
    const data: Record<string, unknown> = {};
    for (const [i, entry] of exported.entries()) {
      data[entry.table] = await entry.export!(db(), owner);
      await setProgress(id, { progress: Math.round(((i + 1) / exported.length) * 80) });
      // PGlite answers within the same macrotask: without this the whole export held the event loop as one block.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const files = await uploadsOf(db(), owner.id);
    const zip = new yazl.ZipFile();
    const missing: string[] = [];
    const names = new Set<string>();
    for (const file of files) {
      const source = path.join(uploadsDir(), file.storageName);
      if (!/^[0-9a-f]{32}$/.test(file.storageName) || !fs.existsSync(source)) {
        missing.push(file.originalName);
        continue;
      }
      const name = zipName(file.id, file.originalName, names);
      zip.addFile(source, `uploads/${name}`);
    }
    for (const picture of await picturesOf(db(), owner.id)) zip.addBuffer(picture.bytes, picture.name);
    // Pictures in posts and materials: the largest rendition (the original is not kept).
    for (const picture of await imagesOf(db(), owner.id)) {
      if (fs.existsSync(picture.file)) zip.addFile(picture.file, `bilder/${picture.id}.jpg`);
    }
    const document = {
      format: "companion-network-export/1",
      createdAt: new Date().toISOString(),
      note: "Alle Zeiten in UTC (ISO 8601). Inhalte anderer Mitglieder sind nicht enthalten.",
      ...(missing.length ? { missingUploads: missing } : {}),
      data,
    };
    zip.addBuffer(Buffer.from(JSON.stringify(document, null, 2), "utf8"), "daten.json");
    zip.addBuffer(Buffer.from(README, "utf8"), "LIESMICH.txt");
    zip.end();
    await setProgress(id, { progress: 90 });
    await fs.promises.mkdir(exportsDir(), { recursive: true });
    await pipeline(zip.outputStream, fs.createWriteStream(partPath, { mode: 0o600 }));
    await fs.promises.rename(partPath, finalPath);
    const { size } = await fs.promises.stat(finalPath);
    const now = new Date();
    const updated = await db()
      .update(dataExports)
      .set({
        state: "ready",
        progress: 100,
        storageName,
        size,
        finishedAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + EXPORT_LIFETIME_DAYS * DAY),
      })
      .where(eq(dataExports.id, id))
      .returning({ id: dataExports.id });
    // The member deleted the account (or started a new export) meanwhile: the file belongs to nobody.
    if (updated.length === 0) await removeFiles([storageName]);
  } catch (error) {
    await fs.promises.rm(partPath, { force: true });
    await setProgress(id, { state: "failed", error: (error as Error).message.slice(0, 500) }).catch(() => {});
    throw error;
  }
}

/** `<file id>-<name>`: unique, and without path parts or characters zip tools stumble over. */
function zipName(id: string, original: string, taken: Set<string>): string {
  const clean =
    original
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_")
      .replace(/^\.+/, "")
      .slice(0, 120) || "datei";
  let name = `${id.slice(0, 8)}-${clean}`;
  if (taken.has(name)) name = `${id}-${clean}`;
  taken.add(name);
  return name;
}

export interface ExportDownload {
  path: string;
  open: () => fs.ReadStream;
  size: number;
  name: string;
}

/** The zip for its member only; anyone else is refused, also moderators and admins. */
export async function getExportDownload(actor: Actor, id: string): Promise<ExportDownload | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await db().select().from(dataExports).where(eq(dataExports.id, id));
  if (!row) return null;
  if (row.userId !== actor.id || !can(actor, "read")) throw new ForbiddenError("Dieser Export gehört jemand anderem.");
  if (row.state !== "ready" || !row.storageName || !STORAGE_NAME.test(row.storageName)) return null;
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return null;
  const file = path.join(exportsDir(), row.storageName);
  if (!fs.existsSync(file)) return null;
  const day = berlinDay(row.createdAt);
  return {
    path: file,
    open: () => fs.createReadStream(file),
    size: row.size ?? fs.statSync(file).size,
    name: `meine-daten-${day}.zip`,
  };
}

/** Expired exports and interrupted ones: rows and files. Run periodically by the server. */
export async function deleteExpiredExports(now = new Date()): Promise<number> {
  const gone = await db()
    .delete(dataExports)
    .where(
      or(
        lt(dataExports.expiresAt, now),
        and(
          inArray(dataExports.state, ["queued", "running", "failed"]),
          lt(dataExports.updatedAt, new Date(now.getTime() - DAY)),
        ),
      ),
    )
    .returning({ storageName: dataExports.storageName });
  await removeFiles(gone.map((g) => g.storageName));
  return gone.length;
}

export async function removeFiles(storageNames: (string | null)[]): Promise<void> {
  for (const name of storageNames) {
    if (name && STORAGE_NAME.test(name)) await fs.promises.rm(path.join(exportsDir(), name), { force: true });
  }
}
