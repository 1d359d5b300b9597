import crypto from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import { env } from "../app/env.server.ts";

/** True when the request's Origin is this site: PUBLIC_URL's origin, or the Host the request was sent to. */
export function isSameOrigin(origin: string | undefined, host: string | undefined, publicUrl?: string): boolean {
  if (!origin || origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl && parsed.origin === new URL(publicUrl).origin) return true;
  return !!host && parsed.host === host && (parsed.protocol === "http:" || parsed.protocol === "https:");
}

/**
 * Paths whose POST needs no Origin: the one-click unsubscribe link (RFC 8058). Mail programs POST to it from their
 * own servers without an Origin; it uses no cookie, and its signature is the whole authorization.
 */
const ORIGIN_FREE_PATHS = new Set(["/benachrichtigungen/abbestellen"]);

/** CSRF protection by Origin: every state-changing request must come from a page of this site (see ADR 005). */
export function originCheck(publicUrl?: string): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    if (req.method === "POST" && ORIGIN_FREE_PATHS.has(req.path)) return next();
    if (isSameOrigin(req.get("origin"), req.get("host"), publicUrl)) return next();
    res
      .status(403)
      .type("text/plain; charset=utf-8")
      .send("Abgelehnt: Die Anfrage kam nicht von dieser Seite (Origin).");
  };
}

/** The socket handshake. Browsers send no Origin on a same-origin GET (socket.io's first long-polling request), but
 * they do send Sec-Fetch-Site; a request with neither is refused, as is any foreign Origin. */
export function socketOriginAllowed(req: IncomingMessage, publicUrl?: string): boolean {
  if (req.headers.origin === undefined) return req.headers["sec-fetch-site"] === "same-origin";
  return isSameOrigin(req.headers.origin, req.headers.host, publicUrl);
}

/** Security headers and a per-request nonce for the CSP; no host but our own is ever allowed. HSTS when the site runs
 * under https: SESSION_SECURE=true says so, or the request itself came in over https (directly or via the proxy). */
export function securityHeaders(options: { dev: boolean; secure?: boolean }): RequestHandler {
  // Logging out of a session that began at the organisation's provider is a form whose answer redirects there (ADR 040).
  const issuer = env().OIDC_ISSUER;
  const formAction = issuer ? `form-action 'self' ${new URL(issuer).origin}` : "form-action 'self'";
  return (req, res, next) => {
    if (options.secure === true || req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    const script = options.dev ? `'self' 'nonce-${nonce}' 'unsafe-eval'` : `'self' 'nonce-${nonce}'`;
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src ${script}`,
        // React and the editor set style attributes; those cannot carry a nonce.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        formAction,
        "frame-ancestors 'none'",
      ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    next();
  };
}

/**
 * Nothing that may depend on a session is kept by a shared cache or on disk: when the request presents a session
 * cookie or the response sets one, the response gets `Cache-Control: private, no-store`, unless the route chose a
 * private policy itself (e.g. files revalidated by ETag). Anonymous pages carry nothing personal and stay as they are.
 * Mounted after the static assets, which are the same for everyone.
 */
export function privateNoStore(cookieName: string): RequestHandler {
  return (req, res, next) => {
    const presented = (req.headers.cookie ?? "").split(";").some((part) => part.trim().startsWith(`${cookieName}=`));
    const writeHead = res.writeHead;
    // Set-Cookie is only known when the headers go out, so the decision is made there (as the on-headers module does).
    res.writeHead = function (this: typeof res, ...args: unknown[]) {
      const setCookie = res.getHeader("set-cookie");
      const sets = [setCookie].flat().some((c) => typeof c === "string" && c.startsWith(`${cookieName}=`));
      const current = String(res.getHeader("cache-control") ?? "");
      if ((presented || sets) && !/\b(private|no-store)\b/.test(current))
        res.setHeader("Cache-Control", "private, no-store");
      return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}
