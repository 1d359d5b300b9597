/**
 * `GET /profilbilder/:userId/:file`: a member's profile picture (ADR 028), outside Remix because it is only bytes and
 * pages ask for many of them. Logged-in members only; the uncropped `original.webp` only for its own member. The
 * address carries the picture's stamp (`?v=`), so a matching request may be kept by the browser (privately) for a
 * week; any other is revalidated by its ETag.
 */
import type { Express, Request, Response } from "express";
import type { SessionUser } from "../app/auth/session.server.ts";
import { isRefusal } from "../app/models/errors.server.ts";
import { pictureFile, type PictureFileSize } from "../app/models/avatars/pictures.server.ts";

const FILES: Record<string, PictureFileSize> = {
  "48.webp": 48,
  "96.webp": 96,
  "192.webp": 192,
  "original.webp": "source",
};
const TEXT = "text/plain; charset=utf-8";

async function picture(req: Request, res: Response): Promise<void> {
  const actor = res.locals.user as SessionUser | null;
  if (!actor) {
    res.status(401).type(TEXT).send("Profilbilder sehen nur angemeldete Mitglieder. Bitte melde dich an.");
    return;
  }
  const size = FILES[req.params.file];
  let file: Awaited<ReturnType<typeof pictureFile>> = null;
  try {
    file = size === undefined ? null : await pictureFile(actor, req.params.userId, size);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    res.status(error.status).type(TEXT).send(error.message);
    return;
  }
  if (!file) {
    res.status(404).type(TEXT).send("Dieses Profilbild gibt es nicht.");
    return;
  }
  const etag = `"${file.stamp}-${req.params.file}"`;
  res.setHeader("ETag", etag);
  res.setHeader(
    "Cache-Control",
    req.query.v === file.stamp && size !== "source" ? "private, max-age=604800, immutable" : "private, no-cache",
  );
  if (req.get("if-none-match") === etag) {
    res.status(304).end();
    return;
  }
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.type("image/webp").send(file.bytes);
}

export function registerPictureRoutes(app: Express): void {
  app.get("/profilbilder/:userId/:file", (req, res, next) => {
    picture(req, res).catch(next);
  });
}
