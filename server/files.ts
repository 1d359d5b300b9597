/**
 * HTTP for the library's files, outside Remix because both ends are streams: `POST /api/v1/uploads` (multipart,
 * streamed to disk by the model, never buffered whole) and `GET /dateien/:id[/:name]` (Range requests for <video> and
 * <audio>, via res.sendFile). The Origin check and the session middleware run before these routes.
 */
import type http from "node:http";
import busboy from "busboy";
import type { Express, Request, Response } from "express";
import type { SessionUser } from "../app/auth/session.server.ts";
import { ForbiddenError, InputError } from "../app/models/errors.server.ts";
import {
  deleteUnattachedUploads,
  discardUpload,
  getDownload,
  recordDownload,
  storeUpload,
  tooLargeMessage,
  uploadLimits,
  uploadMessages,
  type StoredUpload,
} from "../app/models/library/files.server.ts";

const HOUR = 60 * 60 * 1000;
/** Room for the multipart boundaries and part headers around the file. */
const MULTIPART_SLACK = 64 * 1024;

function sendJson(res: Response, status: number, body: object): void {
  if (res.headersSent || res.destroyed) return;
  res.status(status).type("application/json; charset=utf-8").send(JSON.stringify(body));
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

function upload(req: Request, res: Response): void {
  const actor = res.locals.user as SessionUser | null;
  if (!actor) return sendJson(res, 401, { error: uploadMessages.notLoggedIn });
  const limits = uploadLimits();
  const largest = Math.max(...Object.values(limits));
  const maxBody = largest + MULTIPART_SLACK;
  if (Number(req.headers["content-length"]) > maxBody) {
    // Not worth reading: say so and close the connection.
    res.setHeader("Connection", "close");
    return sendJson(res, 400, { error: tooLargeMessage(null, largest) });
  }

  let form: busboy.Busboy;
  try {
    form = busboy({
      headers: req.headers,
      // Browsers send file names as UTF-8 (busboy's default would read them as Latin-1).
      defParamCharset: "utf8",
      limits: { files: 1, fileSize: largest + 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 },
    });
  } catch {
    return sendJson(res, 400, { error: "Bitte sende die Datei als Formular (multipart/form-data) im Feld „file“." });
  }

  let started = false;
  let stored: StoredUpload | null = null;
  let formEnded = false;
  let formFailed = false;
  let answered = false;

  const answer = (status: number, body: object) => {
    if (answered) return;
    answered = true;
    if (!req.readableEnded) {
      // Stop parsing; read (and drop) the rest, so the client sees the answer and a kept-alive connection goes on.
      req.unpipe(form);
      form.destroy();
      if (!req.destroyed) drain(req, maxBody);
    }
    sendJson(res, status, body);
  };
  const failed = (error: unknown) => {
    if (error instanceof InputError) return answer(400, { error: error.message });
    if (error instanceof ForbiddenError) return answer(403, { error: error.message });
    console.error("Upload fehlgeschlagen:", error);
    answer(500, { error: "Beim Speichern der Datei ist ein Fehler aufgetreten." });
  };
  // A form that broke after its file was complete: that file must not stay behind either.
  const discardStored = () => {
    const file = stored;
    stored = null;
    if (file) void discardUpload(actor, file.id).catch(() => {});
  };

  form.on("file", (name, stream, info) => {
    if (name !== "file" || started) return void stream.resume();
    started = true;
    storeUpload(actor, { stream, filename: info.filename, limits }).then(
      (file) => {
        stored = file;
        if (formFailed) {
          discardStored();
          answer(400, { error: uploadMessages.interrupted });
        } else if (formEnded) answer(201, file);
      },
      failed,
    );
  });
  form.on("close", () => {
    formEnded = true;
    if (!started) answer(400, { error: "Bitte wähle eine Datei aus." });
    else if (stored) answer(201, stored);
  });
  form.on("error", () => {
    // The file part (if any) sees the same error and storeUpload cleans up; without one, answer here.
    formFailed = true;
    if (answered) return;
    if (stored) {
      discardStored();
      answer(400, { error: uploadMessages.interrupted });
    } else if (!started) answer(400, { error: uploadMessages.interrupted });
  });
  req.on("close", () => {
    // The client disconnected before sending the whole body (a truncated upload).
    if (!req.complete) form.destroy(new Error("aborted"));
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

/** Downloads count once: a whole file, or the first range of a media player (not its continuations or a 2-byte probe). */
function countsAsDownload(req: Request, status: number): boolean {
  if (req.method !== "GET") return false;
  if (status === 200) return true;
  if (status !== 206) return false;
  const range = /^bytes=0-(\d*)$/.exec(req.headers.range ?? "");
  return !!range && (range[1] === "" || Number(range[1]) > 1);
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
  res.setHeader("Content-Type", file.mime === "text/vtt" ? "text/vtt; charset=utf-8" : file.mime);
  res.setHeader("Content-Disposition", contentDisposition("inline", file.name));
  res.setHeader("X-Content-Type-Options", "nosniff");
  // Private: access can end (unpublished, logged out), so caches revalidate every time; no-transform keeps the
  // compression middleware away from byte ranges.
  res.setHeader("Cache-Control", "private, no-cache, no-transform");
  // Captions and images load along with a material's page; they are no downloads of their own.
  if (file.materialId && (file.kind === "document" || file.kind === "video" || file.kind === "audio")) {
    const materialId = file.materialId;
    res.on("finish", () => {
      if (countsAsDownload(req, res.statusCode)) void recordDownload(materialId).catch(() => {});
    });
  }
  res.sendFile(file.path, { acceptRanges: true, lastModified: true, etag: true, cacheControl: false, dotfiles: "allow" }, (error) => {
    if (!error || res.headersSent) return;
    // send's errors carry their status: 404 (bytes gone), 416 (range outside the file, Content-Range already set), …
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) console.error("Datei konnte nicht gesendet werden:", error);
    const message =
      status === 404 ? "Diese Datei gibt es nicht." : status === 416 ? "Dieser Bereich liegt außerhalb der Datei." : status >= 500 ? "Ein interner Fehler ist aufgetreten." : "Die Anfrage ist ungültig.";
    res.removeHeader("Content-Disposition");
    res.status(status).type("text/plain; charset=utf-8").send(message);
  });
}

/**
 * Registers the upload and download routes (after the session middleware, before Remix) and the hourly sweep of
 * uploads nobody attached to a material; the sweep stops when the HTTP server closes.
 */
export function registerFileRoutes(app: Express, server?: http.Server): void {
  app.post("/api/v1/uploads", upload);
  app.get(["/dateien/:id", "/dateien/:id/:name"], (req, res, next) => {
    download(req, res).catch(next);
  });

  const sweep = () => void deleteUnattachedUploads().catch((error) => console.error("Aufräumen der Uploads fehlgeschlagen:", error));
  const timer = setInterval(sweep, HOUR);
  timer.unref();
  server?.once("close", () => clearInterval(timer));
  sweep();
}
