/** Small helpers for the HTTP and socket tests: real requests, real sockets, nothing mocked. */
import { spawn } from "node:child_process";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events.ts";
import { root } from "../setup/server.ts";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const DEMO_PASSWORD = "demo-passwort-2026";

/** POSTs a form like a browser on this site would (same-site Origin), without following redirects. */
export function postForm(
  baseUrl: string,
  pathname: string,
  fields: Record<string, string>,
  options: { cookie?: string; origin?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...options.headers };
  const origin = options.origin === undefined ? baseUrl : options.origin;
  if (origin !== null) headers.Origin = origin;
  if (options.cookie) headers.Cookie = options.cookie;
  return fetch(`${baseUrl}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams(fields),
  });
}

export function get(baseUrl: string, pathname: string, cookie?: string): Promise<Response> {
  return fetch(`${baseUrl}${pathname}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}

/** "lbn_session=…" from a response's Set-Cookie, or null. */
export function sessionFrom(response: Response): string | null {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("lbn_session="));
  return cookie ? cookie.split(";")[0] : null;
}

/** True when the cookie still belongs to a live session (the settings page answers instead of redirecting). */
export async function sessionAlive(baseUrl: string, cookie: string): Promise<boolean> {
  const response = await get(baseUrl, "/einstellungen", cookie);
  await response.body?.cancel();
  if (response.status === 200) return true;
  if (response.status === 302 && response.headers.get("location")?.startsWith("/anmelden")) return false;
  throw new Error(`unexpected ${response.status} from /einstellungen`);
}

/** A socket.io client as a browser tab of this site would open it: same Origin, the session cookie. */
export function openSocket(
  baseUrl: string,
  options: { cookie?: string; origin?: string; transports?: ("websocket" | "polling")[] } = {},
): TestSocket {
  const extraHeaders: Record<string, string> = { origin: options.origin ?? baseUrl };
  if (options.cookie) extraHeaders.cookie = options.cookie;
  return io(baseUrl, {
    transports: options.transports ?? ["websocket"],
    extraHeaders,
    reconnection: false,
    forceNew: true,
    timeout: 5_000,
  }) as TestSocket;
}

/** Resolves when the socket is connected; rejects with the connect_error. */
export function connected(socket: TestSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
}

/** Resolves with the connect_error the handshake ends in; rejects if the socket connects instead. */
export function connectError(socket: TestSocket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("socket connected, but should have been refused")));
    socket.once("connect_error", (error) => resolve(error));
  });
}

/** Waits for one event (or rejects after timeoutMs). */
export function nextEvent<T = unknown>(socket: TestSocket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    (socket as unknown as Socket).once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Emits room:join/room:leave with an arbitrary payload (also malformed ones) and returns the ack. */
export function emitAck(socket: TestSocket, event: "room:join" | "room:leave", payload: unknown): Promise<Ack> {
  return (socket as unknown as Socket).timeout(3_000).emitWithAck(event, payload) as Promise<Ack>;
}

export interface Exited {
  code: number | null;
  output: string;
  ms: number;
}

/** Runs a TypeScript entry point of this repository (server or CLI) to its end, like `npm start` or `npm run …`. */
export function runToExit(
  entry: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<Exited> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, entry), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    // "close", not "exit": by then stdout and stderr are read to their end.
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

/** A page's HTML with the entities and text-joining comments React writes taken out again (for text assertions). */
export function decodeHtml(text: string): string {
  return text
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** What a person sees of a page: the rendered markup without the scripts that carry the serialized route data. */
export function renderedPart(html: string): string {
  return html.replace(/<script\b[\s\S]*?<\/script>/g, "");
}

/** Texts of the German error messages next to form fields (`field__error`) and in error notices. */
export function errorMessages(html: string): string[] {
  return [
    ...decodeHtml(renderedPart(html)).matchAll(/class="(?:field__error|notice notice--error)"[^>]*>([^<]*)</g),
  ].map((m) => m[1]);
}

/** The UUIDs of the threads a discussion list links to, in page order, each once. */
export function threadIdsInList(html: string): string[] {
  // A thread with new replies links to them (#ungelesen).
  const ids = [
    ...html.matchAll(/<h3 class="thread-list__title"><a [^>]*href="\/diskussionen\/([0-9a-f-]{36})(?:#ungelesen)?"/g),
  ].map((m) => m[1]);
  return [...new Set(ids)];
}

/**
 * The fields a button on a post sends: every post button belongs to the thread page's one shared form
 * (`intent=postAction`) and names its action as `aktion` = "<verb>:<args…>:<postId>", e.g. "hide:1:<id>".
 */
export function postAction(aktion: string): Record<string, string> {
  return { intent: "postAction", aktion };
}

/** The reply form at the bottom of a thread page (the section `#antworten`), decoded, without scripts. */
export function replyFormPart(html: string): string {
  const page = decodeHtml(renderedPart(html));
  const start = page.indexOf('id="antworten"');
  if (start < 0) throw new Error("the page has no reply section (#antworten)");
  return page.slice(start, page.indexOf("</section>", start));
}
