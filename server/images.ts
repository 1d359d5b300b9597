/**
 * HTTP for pictures in posts and materials: `POST /api/v1/bilder` (one picture in the field „file“, through the same
 * abort-safe multipart handling as the library's uploads) and `GET /bilder/:id/:width.jpg` (one rendition, only to
 * members who may see the post or material it belongs to).
 */
import fsp from "node:fs/promises";
import type http from "node:http";
import type { Express, Request, Response } from "express";
import type { SessionUser } from "../app/auth/session.server.ts";
import { ForbiddenError } from "../app/models/errors.server.ts";
import { deleteUnclaimedImages, discardImage, getImageFile, storeImage } from "../app/models/images/images.server.ts";
import { uploadRoute } from "./files.ts";
import { errorFields, log } from "../app/log.server.ts";

const HOUR = 60 * 60 * 1000;

function plain(res: Response, status: number, message: string): void {
  res.status(status).type("text/plain; charset=utf-8").send(message);
}

async function serveImage(req: Request, res: Response): Promise<void> {
  const actor = res.locals.user as SessionUser | null;
  // Pictures of posts and materials are for members: the rendition itself says nothing to anyone else.
  if (!actor) return plain(res, 401, "Bitte melde dich an, um dieses Bild zu sehen.");
  const width = /^(\d{1,5})\.jpg$/.exec(req.params.file ?? "");
  let file: Awaited<ReturnType<typeof getImageFile>>;
  try {
    file = width ? await getImageFile(actor, req.params.id, Number(width[1])) : null;
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    return plain(res, 403, error.message);
  }
  const stat = file ? await fsp.stat(file.path).catch(() => null) : null;
  if (!file || !stat?.isFile()) return plain(res, 404, "Dieses Bild gibt es nicht.");
  res.setHeader("Content-Type", "image/jpeg");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  // A rendition never changes (a new picture gets a new id): the member's own browser may keep it for an hour without
  // asking; "private" keeps it out of shared caches, since only members may see it. After that, the ETag makes the
  // check cheap (304). An hour bounds how long a deleted post's picture can still show from that browser's cache.
  res.setHeader("Cache-Control", "private, max-age=3600");
  res.sendFile(file.path, { etag: true, lastModified: true, cacheControl: false, acceptRanges: false }, (error) => {
    if (!error || res.headersSent) return;
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) log().error(errorFields(error), "Bild konnte nicht gesendet werden");
    plain(
      res,
      status === 404 ? 404 : 500,
      status === 404 ? "Dieses Bild gibt es nicht." : "Ein interner Fehler ist aufgetreten.",
    );
  });
}

/** Registers the picture routes (after the session middleware, before Remix) and the hourly sweep of unused pictures. */
export function registerImageRoutes(app: Express, server?: http.Server): void {
  app.post(
    "/api/v1/bilder",
    uploadRoute({
      store: (actor, input) => storeImage(actor, input),
      discard: (actor, id) => discardImage(actor, id),
      maxBytes: (limits) => limits.image,
    }),
  );
  app.get("/bilder/:id/:file", (req, res, next) => {
    serveImage(req, res).catch(next);
  });
  const sweep = () =>
    void deleteUnclaimedImages().catch((error) =>
      log().error(errorFields(error), "Aufräumen der Bilder fehlgeschlagen"),
    );
  const timer = setInterval(sweep, HOUR);
  timer.unref();
  server?.once("close", () => clearInterval(timer));
}
