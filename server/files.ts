/**
 * HTTP for the library's files, outside Remix because both ends are streams: `POST /api/v1/uploads` (multipart,
 * streamed to disk by the model, never buffered whole) and `GET /dateien/:id[/:name]` (Range requests for <video> and
 * <audio>, via res.sendFile). The Origin check and the session middleware run before these routes.
 */
import fsp from "node:fs/promises";
import type http from "node:http";
import type { Readable } from "node:stream";
import busboy from "busboy";
import type { Express, Request, Response } from "express";
import type { SessionUser } from "../app/auth/session.server.ts";
import { ForbiddenError, InputError, TooManyError } from "../app/models/errors.server.ts";
import {
  deleteUnattachedUploads,
  discardUpload,
  FileTooLargeError,
  getDownload,
  recordDownload,
  storeUpload,
  tooLargeMessage,
  uploadLimits,
  uploadMessages,
  type StoredUpload,
  type UploadLimits,
} from "../app/models/library/files.server.ts";
import { errorFields, log } from "../app/log.server.ts";

const HOUR = 60 * 60 * 1000;
/** Room for the multipart boundaries and part headers around the file. */
const MULTIPART_SLACK = 64 * 1024;

const messages = {
  notAForm: "Bitte sende die Datei als Formular (multipart/form-data) im Feld „file“.",
  brokenForm: "Das Formular konnte nicht gelesen werden. Bitte lade die Datei noch einmal über das Formular hoch.",
  noFile: "Bitte wähle eine Datei aus.",
  failed: "Beim Speichern der Datei ist ein Fehler aufgetreten.",
} as const;

function sendJson(res: Response, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.set(headers).status(status).type("application/json; charset=utf-8").send(JSON.stringify(body));
}

/** Reads and discards the rest of a refused request body, so the browser gets to read our answer; at most `limit`. */
function drain(req: Request, limit: number): void {
  let seen = 0;
  req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.destroy();
  });
  req.resume();
}

/** `multipart/form-data`, with or without parameters (busboy itself would also take a urlencoded form). */
function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\s*(;|$)/i.test(contentType ?? "");
}

/**
 * `POST /api/v1/uploads`: one file in the field „file“, answered with 201 and the stored upload. Every way a client
 * can break off or garble the body ends in an answer (if anyone still listens) and a clean disk and database: the
 * request, busboy and its file streams all have error listeners (an 'error' without one ends the process), and an
 * upload whose client left before the answer is removed again.
 */
/** What an upload route stores and how it takes a stored upload back (its client left before the answer). */
export interface UploadHandler<T extends { id: string }> {
  store: (
    actor: SessionUser,
    input: { stream: Readable; filename: string | null | undefined; limits: UploadLimits },
  ) => Promise<T>;
  discard: (actor: SessionUser, id: string) => Promise<unknown>;
  /** The largest file this route takes, from the configured limits. */
  maxBytes: (limits: UploadLimits) => number;
}

const libraryUploads: UploadHandler<StoredUpload> = {
  store: (actor, input) => storeUpload(actor, input),
  discard: (actor, id) => discardUpload(actor, id),
  maxBytes: (limits) => Math.max(...Object.values(limits)),
};

export const uploadRoute =
  <T extends { id: string }>(handler: UploadHandler<T>) =>
  (req: Request, res: Response) =>
    upload(handler, req, res);

function upload<T extends { id: string }>(handler: UploadHandler<T>, req: Request, res: Response): void {
  // IncomingMessage reports a reset connection as an error only when someone listens; 'close' below handles it.
  req.on("error", () => {});
  const limits = uploadLimits();
  const maxBody = handler.maxBytes(limits) + MULTIPART_SLACK;
  const refuse = (status: number, error: string) => {
    drain(req, maxBody);
    sendJson(res, status, { error });
  };

  const actor = res.locals.user as SessionUser | null;
  if (!actor) return refuse(401, uploadMessages.notLoggedIn);
  if (!isMultipart(req.headers["content-type"])) return refuse(415, messages.notAForm);
  if (Number(req.headers["content-length"]) > maxBody) {
    // Not worth reading: say so and close the connection.
    res.setHeader("Connection", "close");
    return sendJson(res, 413, { error: tooLargeMessage(null, maxBody - MULTIPART_SLACK) });
  }

  let form: busboy.Busboy;
  try {
    form = busboy({
      headers: req.headers,
      // Browsers send file names as UTF-8 (busboy's default would read them as Latin-1).
      defParamCharset: "utf8",
      limits: {
        files: 1,
        fileSize: maxBody - MULTIPART_SLACK + 1,
        fields: 10,
        fieldSize: 1024,
        parts: 12,
        headerPairs: 20,
      },
    });
  } catch {
    // No boundary, or one busboy cannot use.
    return refuse(400, messages.brokenForm);
  }

  let started = false;
  let stored: T | null = null;
  let formEnded = false;
  let formFailed = false;
  let answered = false;
  let clientGone = false;

  const answer = (status: number, body: object, headers: Record<string, string> = {}) => {
    if (answered) return;
    answered = true;
    if (!req.readableEnded) {
      // Stop parsing; read (and drop) the rest, so the client sees the answer and a kept-alive connection goes on.
      req.unpipe(form);
      form.destroy();
      if (!req.destroyed) drain(req, maxBody);
    }
    sendJson(res, status, body, headers);
  };
  const failed = (error: unknown) => {
    if (error instanceof FileTooLargeError) return answer(413, { error: error.message });
    if (error instanceof InputError)
      return answer(400, { error: formFailed && req.complete ? messages.brokenForm : error.message });
    if (error instanceof TooManyError)
      return answer(429, { error: error.message }, { "Retry-After": String(error.retryAfterSeconds) });
    if (error instanceof ForbiddenError) return answer(403, { error: error.message });
    log().error(errorFields(error), "Upload fehlgeschlagen");
    answer(500, { error: messages.failed });
  };
  // A form that broke after its file was complete, or a client that left before the answer: the file must go again.
  const discardStored = () => {
    const file = stored;
    stored = null;
    if (file)
      void handler
        .discard(actor, file.id)
        .catch((error) => log().error(errorFields(error), "Abgebrochener Upload nicht entfernt"));
  };
  // Complete (all bytes arrived) but not a readable form, or broken off (the client stopped sending).
  const formProblem = () => (req.complete ? messages.brokenForm : uploadMessages.interrupted);

  form.on("file", (name, stream, info) => {
    // busboy destroys a part's stream with an error when the form breaks off, at any moment: it needs a listener even
    // while nobody reads it (storeUpload adds its own, but only once it runs; an unread part has none otherwise).
    stream.on("error", () => {});
    if (name !== "file" || started) return void stream.resume();
    started = true;
    handler.store(actor, { stream, filename: info.filename, limits }).then((file) => {
      stored = file;
      if (clientGone || formFailed) {
        discardStored();
        answer(400, { error: formProblem() });
      } else if (formEnded) answer(201, file);
    }, failed);
  });
  form.on("close", () => {
    formEnded = true;
    if (!started) answer(400, { error: messages.noFile });
    else if (stored) answer(201, stored);
  });
  form.on("error", () => {
    // The file part (if any) sees the same error and storeUpload cleans up; without one, answer here.
    formFailed = true;
    if (answered) return;
    if (stored) {
      discardStored();
      answer(400, { error: formProblem() });
    } else if (!started) answer(400, { error: formProblem() });
  });
  req.on("close", () => {
    // The client disconnected before sending the whole body (a truncated upload).
    if (!req.complete) form.destroy(new Error("aborted"));
  });
  res.on("close", () => {
    // The connection ended before the answer was out: whatever this upload stored is nobody's.
    if (res.writableFinished) return;
    clientGone = true;
    if (!req.complete) form.destroy(new Error("aborted"));
    discardStored();
  });
  req.pipe(form);
}

/** `inline; filename="…"; filename*=UTF-8''…` (RFC 6266 with an RFC 5987 name and an ASCII fallback). */
export function contentDisposition(type: "inline" | "attachment", name: string): string {
  const fallback = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * A download: a whole file, or the first range of a media player (not its continuations or a 2-byte probe); the model
 * counts it once per member and day.
 */
function countsAsDownload(req: Request, status: number): boolean {
  // The service worker keeping a bookmarked material's file for offline reading (ADR 038) is no download.
  if (req.method !== "GET" || req.get("x-offline-copy") === "1") return false;
  if (status === 200) return true;
  if (status !== 206) return false;
  const range = /^bytes=0-(\d*)$/.exec(req.headers.range ?? "");
  return !!range && (range[1] === "" || Number(range[1]) > 1);
}

/**
 * Whether a Range request with `If-Range` may be answered with a part (RFC 9110, 13.1.5): only if the validator is
 * strong and matches exactly — our (strong) ETag, or the very Last-Modified date. A weak ETag never matches.
 */
export function ifRangeMatches(ifRange: string, etag: string, lastModified: Date): boolean {
  const value = ifRange.trim();
  if (value.startsWith("W/")) return false;
  if (value.startsWith('"')) return value === etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === Math.floor(lastModified.getTime() / 1000) * 1000;
}

async function download(req: Request, res: Response): Promise<void> {
  const actor = res.locals.user as SessionUser | null;
  const token = typeof req.query.token === "string" ? req.query.token : undefined;
  if (!actor && token === undefined) {
    res.redirect(302, `/anmelden?weiter=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  let file: Awaited<ReturnType<typeof getDownload>>;
  try {
    file = await getDownload(actor, req.params.id, token);
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    res.status(403).type("text/plain; charset=utf-8").send(error.message);
    return;
  }
  if (file === null) {
    res.status(404).type("text/plain; charset=utf-8").send("Diese Datei gibt es nicht.");
    return;
  }
  const stat = await fsp.stat(file.path).catch(() => null);
  if (!stat?.isFile()) {
    res.status(404).type("text/plain; charset=utf-8").send("Diese Datei gibt es nicht.");
    return;
  }
  // Stored files never change (a new upload gets a new name), so size and time identify the bytes: a strong ETag, which
  // a player may use in If-Range (send's own ETag is weak).
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  res.setHeader("ETag", etag);
  const ifRange = req.get("if-range");
  if (ifRange !== undefined) {
    if (!ifRangeMatches(ifRange, etag, stat.mtime)) delete req.headers.range;
    // Decided here: send's own check would take a weak ETag (or any header containing ours) as a match.
    delete req.headers["if-range"];
  }
  res.setHeader("Content-Type", file.mime === "text/vtt" ? "text/vtt; charset=utf-8" : file.mime);
  res.setHeader("Content-Disposition", contentDisposition("inline", file.name));
  res.setHeader("X-Content-Type-Options", "nosniff");
  // An enclosure of the podcast feed, opened by its personal token: web players on other origins may play it
  // (securityHeaders sends same-origin everywhere else). With a session, the file stays same-origin.
  if (!actor && token !== undefined) res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
  // Private: access can end (unpublished, logged out), so caches revalidate every time; no-transform keeps the
  // compression middleware away from byte ranges.
  res.setHeader("Cache-Control", "private, no-cache, no-transform");
  // Captions and images load along with a material's page; they are no downloads of their own.
  if (file.materialId && (file.kind === "document" || file.kind === "video" || file.kind === "audio")) {
    const materialId = file.materialId;
    // Once per member (or feed token) and day, however often a player asks.
    const who = actor ? `user:${actor.id}` : `token:${token}`;
    res.on("finish", () => {
      if (countsAsDownload(req, res.statusCode)) void recordDownload(materialId, who).catch(() => {});
    });
  }
  // send ends its file stream when the client goes away mid-download and reports that here (after the headers).
  res.sendFile(
    file.path,
    { acceptRanges: true, lastModified: true, etag: false, cacheControl: false, dotfiles: "allow" },
    (error) => {
      if (!error || res.headersSent) return;
      // send's errors carry their status: 404 (bytes gone), 416 (range outside the file, Content-Range already set), …
      const status = (error as { status?: number }).status ?? 500;
      if (status >= 500) log().error(errorFields(error), "Datei konnte nicht gesendet werden");
      const message =
        status === 404
          ? "Diese Datei gibt es nicht."
          : status === 416
            ? "Dieser Bereich liegt außerhalb der Datei."
            : status >= 500
              ? "Ein interner Fehler ist aufgetreten."
              : "Die Anfrage ist ungültig.";
      res.removeHeader("Content-Disposition");
      res.status(status).type("text/plain; charset=utf-8").send(message);
    },
  );
}

/**
 * Registers the upload and download routes (after the session middleware, before Remix) and the hourly sweep of
 * uploads nobody attached to a material; the sweep stops when the HTTP server closes.
 */
export function registerFileRoutes(app: Express, server?: http.Server): void {
  app.post("/api/v1/uploads", uploadRoute(libraryUploads));
  app.get(["/dateien/:id", "/dateien/:id/:name"], (req, res, next) => {
    download(req, res).catch(next);
  });

  const sweep = () =>
    void deleteUnattachedUploads().catch((error) =>
      log().error(errorFields(error), "Aufräumen der Uploads fehlgeschlagen"),
    );
  const timer = setInterval(sweep, HOUR);
  timer.unref();
  server?.once("close", () => clearInterval(timer));
  sweep();
}
