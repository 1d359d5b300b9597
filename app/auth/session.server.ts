import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { env } from "../env.server.ts";
import type { SessionUser } from "../models/accounts/sessions.server.ts";

export const SESSION_COOKIE = "lbn_session";

export type { SessionUser };

/** Secure under https: forced by SESSION_SECURE, otherwise taken from the request (or PUBLIC_URL behind a proxy). */
export function isSecure(request: Request): boolean {
  const configured = env().SESSION_SECURE;
  if (configured !== undefined) return configured;
  if (new URL(request.url).protocol === "https:") return true;
  return env().PUBLIC_URL?.startsWith("https://") ?? false;
}

export function sessionCookie(request: Request, token: string, expiresAt: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAge}`,
    isSecure(request) ? "Secure" : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export function clearSessionCookie(request: Request): string {
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", isSecure(request) ? "Secure" : ""]
    .filter(Boolean)
    .join("; ");
}

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) {
      const value = rest.join("=");
      return /^[a-z2-7]{32}$/.test(value) ? value : null;
    }
  }
  return null;
}

/** The logged-in member or a redirect to the login page that comes back here afterwards. */
export function requireUser(request: Request, context: AppLoadContext): SessionUser {
  if (context.user) return context.user;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(`/anmelden?weiter=${encodeURIComponent(back)}`);
}

const REDIRECT_BASE = "http://x.invalid";

/**
 * Only same-site paths. The target is judged the way a browser reads it: parsed as a URL against a base that cannot
 * be anyone's origin, after removing control characters (browsers drop tabs and newlines inside URLs, so "/\t/evil"
 * would become "//evil"). Whatever leaves that origin (//host, /\\host, https://…, javascript:) goes to `fallback`;
 * what stays is returned as path, query and fragment of the parsed URL, never as the raw text.
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (!to) return fallback;
  // C0 controls, DEL and C1 controls; whitespace around the target too, as the URL parser ignores it.
  const cleaned = to.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  if (!cleaned.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(cleaned, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  const target = url.pathname + url.search + url.hash;
  // A path that itself begins with "//" or "/\\" (e.g. from "/%2F..." decoded by a later hop) is not sent on either.
  return /^\/[/\\]/.test(target) ? fallback : target;
}
