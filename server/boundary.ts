/**
 * The HTTP boundary (ADR 019): what a client sends is checked once, here, before any route sees it.
 * - `addressGate`: NUL bytes and invalid UTF-8 in the path or query → 400 (PostgreSQL rejects NUL in text, and Remix
 *   throws on a path it cannot decode).
 * - `contentTypeGate`: a request with a body must be a form (urlencoded or multipart) → 415 otherwise.
 * - `remixHandler`: the Remix request handler with the body counted as its bytes arrive (413 the moment the limit is
 *   passed, chunked or not) and the route modules wrapped so every refusal of the error family and every unreadable
 *   form becomes its 4xx (`guardBuild`).
 */
import { Transform } from "node:stream";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type ActionFunctionArgs,
  type AppLoadContext,
  type LoaderFunctionArgs,
  type ServerBuild,
} from "@remix-run/node";
import {
  errorResponse,
  InputError,
  isRefusal,
  resourceErrorResponse,
  type RefusalError,
} from "../app/models/errors.server.ts";
import { keptValues } from "../app/schemas/form.ts";
import { log } from "../app/log.server.ts";

const TEXT = "text/plain; charset=utf-8";

/** A refusal before any route: JSON (`{ error }`, the API's contract) under /api/, plain German text elsewhere. */
function refuse(req: ExpressRequest, res: ExpressResponse, status: number, message: string): void {
  res.status(status).set("Cache-Control", "no-store");
  if (req.originalUrl.startsWith("/api/")) res.json({ error: message });
  else res.type(TEXT).send(message);
}

/** True when the text, percent-decoded, is valid UTF-8 without NUL. A lone "%" (typed by hand) is taken literally. */
export function cleanEncoded(raw: string, plusIsSpace: boolean): boolean {
  if (!raw.includes("%")) return true;
  let text = raw.replace(/%(?![0-9A-Fa-f]{2})/g, "%25");
  if (plusIsSpace) text = text.replace(/\+/g, " ");
  try {
    return !decodeURIComponent(text).includes("\0");
  } catch {
    return false;
  }
}

export function addressGate(): RequestHandler {
  return (req, res, next) => {
    const url = req.originalUrl;
    const q = url.indexOf("?");
    const pathOk = cleanEncoded(q < 0 ? url : url.slice(0, q), false);
    if (pathOk && (q < 0 || cleanEncoded(url.slice(q + 1), true))) return next();
    refuse(req, res, 400, "Die Adresse enthält ungültige Zeichen (ein Nullbyte oder eine fehlerhafte Kodierung).");
  };
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/** Every form on the site posts urlencoded or multipart; nothing else is ever parsed. */
export function contentTypeGate(): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const type = req.get("content-type");
    const hasBody = req.get("transfer-encoding") !== undefined || Number(req.get("content-length") ?? 0) > 0;
    if (type ? FORM_TYPES.test(type) : !hasBody) return next();
    res.set("Connection", "close");
    refuse(
      req,
      res,
      415,
      "Diese Adresse nimmt nur Formulardaten an (application/x-www-form-urlencoded oder multipart/form-data).",
    );
  };
}

export const TOO_LARGE = "Die Anfrage ist zu groß.";

/** Answers 413 and closes the connection; the rest of the body is not read. */
export function refuseTooLarge(req: ExpressRequest, res: ExpressResponse): void {
  if (res.headersSent) return;
  res.set("Connection", "close");
  refuse(req, res, 413, TOO_LARGE);
}

class BodyTooLarge extends Error {}

/** Passes the body through, counting bytes; past `max` it answers 413 at once and fails the stream. */
function countedBody(req: ExpressRequest, res: ExpressResponse, max: number): Transform {
  let seen = 0;
  let refused = false;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen <= max) return done(null, chunk);
      refused = true;
      req.unpipe(counter);
      // The rest is read and dropped (never stored) for a second after the answer, then the connection is cut:
      // closing a socket with unread data sends a reset, which can make the client lose the 413 itself.
      req.on("data", () => {});
      req.resume();
      if (!res.headersSent) refuse(req, res, 413, TOO_LARGE);
      res.once("finish", () => setTimeout(() => req.socket?.destroy(), 1000).unref());
      done(new BodyTooLarge(TOO_LARGE));
    },
  });
  req.on("error", (error) => counter.destroy(error));
  req.pipe(counter);
  // Answered without reading the whole body (a refusal, a route without an action): the rest is read and dropped,
  // up to the limit, so the connection can serve its next request; past the limit the connection is closed.
  res.on("finish", () => {
    if (refused || req.complete || req.destroyed) return;
    req.unpipe(counter);
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > max) req.socket.destroy();
    });
    req.resume();
  });
  return counter;
}

/** The request's own URL; null when its Host cannot be part of one. */
function requestUrl(req: ExpressRequest): URL | null {
  const forwardedPort = Number.parseInt(req.get("x-forwarded-host")?.split(":")[1] ?? "", 10);
  const hostPort = Number.parseInt(req.get("host")?.split(":")[1] ?? "", 10);
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : "";
  try {
    return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  } catch {
    return null;
  }
}

/** PostgreSQL's "data exception" class (22xxx): a value the column type cannot hold reached a query unchecked. */
function databaseInputCode(error: unknown): string | null {
  for (
    let e = error, depth = 0;
    e && typeof e === "object" && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return code;
  }
  return null;
}

/**
 * What a loader or action lets through becomes an answer: the error family by its adapter; an input PostgreSQL refused
 * as a value (class 22) as a 400, logged because a check at the boundary is missing. Everything else stays a 500.
 * An action's refused input is returned (the form shows it); everything else is thrown (the error boundary shows it).
 */
function mapError(
  error: unknown,
  route: GuardedRoute,
  values?: Record<string, unknown>,
): { returned?: unknown; thrown?: unknown } {
  let refusal: RefusalError | null = isRefusal(error) ? error : null;
  if (!refusal) {
    const code = databaseInputCode(error);
    if (!code) return { thrown: error };
    log().error({ code, route: route.id }, `Ungeprüfte Eingabe erreichte die Datenbank (${code}) in ${route.id}`);
    refusal = new InputError("form", "Diese Eingabe ist ungültig.");
  }
  if (route.resource) return { thrown: resourceErrorResponse(refusal) };
  const response = errorResponse(refusal, values, { form: route.action });
  return route.action && refusal.status === 400 ? { returned: response } : { thrown: response };
}

interface GuardedRoute {
  id: string;
  /** No page of its own (API, feed, download): answers are plain Responses. */
  resource: boolean;
  action: boolean;
}

const NUL_MESSAGE = "Dieses Feld enthält ein unzulässiges Steuerzeichen (Nullbyte).";
const UNREADABLE = "Die Formulardaten konnten nicht gelesen werden.";

/** `request.formData()`, read once: unreadable bodies and fields with NUL are refused with a field message. */
function guardFormData(request: Request): { read: () => FormData | undefined } {
  const original = request.formData.bind(request);
  let form: FormData | undefined;
  let pending: Promise<FormData> | undefined;
  request.formData = () =>
    (pending ??= original().then(
      (fd) => {
        form = fd;
        for (const [key, value] of fd.entries()) {
          if (key.includes("\0")) throw new InputError("form", NUL_MESSAGE);
          if (typeof value === "string" && value.includes("\0")) throw new InputError(key, NUL_MESSAGE);
        }
        return fd;
      },
      () => {
        throw new InputError("form", UNREADABLE);
      },
    ));
  return { read: () => form };
}

type DataFunction = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;

function guard(route: GuardedRoute, fn: DataFunction): DataFunction {
  return async (args) => {
    const form = route.action ? guardFormData(args.request) : null;
    try {
      return await fn(args);
    } catch (error) {
      const read = form?.read();
      const mapped = mapError(error, route, read ? keptValues(read) : {});
      if ("returned" in mapped) return mapped.returned;
      throw mapped.thrown;
    }
  };
}

/** The same build with every loader and action wrapped; made once per build. */
const guarded = new WeakMap<ServerBuild, ServerBuild>();
export function guardBuild(build: ServerBuild): ServerBuild {
  let result = guarded.get(build);
  if (result) return result;
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module } as Record<string, unknown>;
    const resource = typeof module.default !== "function";
    if (typeof module.loader === "function")
      module.loader = guard({ id, resource, action: false }, module.loader as DataFunction);
    if (typeof module.action === "function")
      module.action = guard({ id, resource, action: true }, module.action as DataFunction);
    routes[id] = { ...route, module: module as unknown as typeof route.module };
  }
  result = { ...build, routes };
  guarded.set(build, result);
  return result;
}

/**
 * Remix's Express adapter, with three differences: the body is counted as it arrives (413 past `maxBodyBytes`); the
 * Origin header is not passed on, because our own check (security.ts, ADR 005) has already decided and Remix's second
 * check throws a 500 for the paths ours exempts (the one-click unsubscribe); a Host that makes no URL is a 400.
 */
const ANSWERED = Object.freeze({ answered: true });

export function remixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  maxBodyBytes: number;
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext;
}): RequestHandler {
  const { build } = options;
  const guardedBuild = typeof build === "function" ? async () => guardBuild(await build()) : guardBuild(build);
  const handle = createRequestHandler(guardedBuild, options.mode);
  return async (req, res, next) => {
    try {
      const url = requestUrl(req);
      if (!url) {
        res.status(400).type(TEXT).send("Ungültige Anfrage.");
        return;
      }
      let controller: AbortController | null = new AbortController();
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (key === "origin" || value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) headers.append(key, one);
      }
      const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
      if (req.method !== "GET" && req.method !== "HEAD") {
        init.body = createReadableStreamFromReadable(countedBody(req, res, options.maxBodyBytes));
        init.duplex = "half";
      }
      // Once the answer is out, the request's signal is aborted as well (with a reason that costs no stack trace): each
      // Request built from it (Remix makes one per loader) then drops its abort listener in this request's own task.
      // Left alone, undici drops them in finalizers after a major garbage collection, thousands in one ~100 ms task.
      res.on("finish", () => {
        controller?.abort(ANSWERED);
        controller = null;
      });
      res.on("close", () => controller?.abort());
      const response = await handle(new Request(url.href, init), options.getLoadContext(req, res));
      // The body limit may have answered already.
      if (res.headersSent) return;
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}
