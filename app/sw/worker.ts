/**
 * The service worker (served as /sw.js, built by the `service-worker` plugin in vite.config.ts; ADR 038).
 *
 * - Pages: network first. The last RECENT_LIMIT thread and material pages a member read are kept for reading offline;
 *   any other page offline gets the offline page, which lists what is kept.
 * - The member's Merkliste: bookmarked materials' pages and files (within the size caps), kept while bookmarked.
 * - Hashed build files (/assets/*): cache first; they never change under their name.
 * - Privacy: copies are kept only while a member is signed in (the page reports who, see app/sw/client.ts); every
 *   cache is deleted when the page reports nobody (logout, expired session) or a different member. Case
 *   consultations, notifications, settings, moderation, uploads and every API answer are never kept.
 * - A new build is a new worker (its build id is part of the file): it takes over at once and deletes the old caches.
 */
import { escapeHtml } from "../domain/html.ts";
import { OFFLINE_PATHS, isKeptPage, isNeverKept, type OfflineMaterial } from "./paths.ts";

declare const __BUILD_ID__: string;

// Minimal service-worker types (the DOM lib of this project has none, and the WebWorker lib conflicts with it).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  data: unknown;
}
interface WorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
  addEventListener(type: "message", listener: (event: ExtendableMessageEvent) => void): void;
}
const sw = self as unknown as WorkerScope;

const PREFIX = "lbn-";
const BUILD = __BUILD_ID__;
const CACHES = {
  assets: `${PREFIX}assets-${BUILD}`,
  recent: `${PREFIX}gelesen-${BUILD}`,
  saved: `${PREFIX}merkliste-${BUILD}`,
  owner: `${PREFIX}mitglied-${BUILD}`,
};
export const RECENT_LIMIT = 20;
/** A file larger than this is not kept (videos); all kept files of the Merkliste together stay under TOTAL_CAP. */
const FILE_CAP = 25 * 1024 * 1024;
const TOTAL_CAP = 100 * 1024 * 1024;
/** The Merkliste is fetched again at most this often (and on its own page and on material pages). */
const SYNC_EVERY = 10 * 60 * 1000;
/** Sent with the worker's own requests: keeping a copy is neither a page view nor a download (ADR 025). */
const COPY_HEADER = { "X-Offline-Copy": "1" };
const TITLE_HEADER = "X-Offline-Title";
const OWNER_KEY = "/__mitglied";

sw.addEventListener("install", (event) => event.waitUntil(sw.skipWaiting()));

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = new Set(Object.values(CACHES));
      for (const name of await caches.keys())
        if (name.startsWith(PREFIX) && !current.has(name)) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

// ---- Who the copies belong to -------------------------------------------------------------------------------------

/** The signed-in member as a SHA-256 of the id (so the device keeps no account id), or null. */
let owner: Promise<string | null> | null = null;

function currentOwner(): Promise<string | null> {
  owner ??= caches
    .open(CACHES.owner)
    .then((c) => c.match(OWNER_KEY))
    .then((r) => (r ? r.text() : null));
  return owner;
}

async function hash(id: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function clearAll(): Promise<void> {
  owner = Promise.resolve(null);
  for (const name of await caches.keys()) if (name.startsWith(PREFIX)) await caches.delete(name);
}

/** Serialises the member reports and the Merkliste updates, so a clear never runs in the middle of a sync. */
let queue: Promise<unknown> = Promise.resolve();
let lastSync = 0;

sw.addEventListener("message", (event) => {
  const data = event.data as { type?: string; member?: string | null; path?: string } | null;
  if (data?.type !== "member") return;
  const work = (queue = queue.then(() => onMember(data.member ?? null, data.path ?? "/")).catch(() => {}));
  event.waitUntil(work);
});

async function onMember(memberId: string | null, path: string): Promise<void> {
  if (!memberId) {
    if ((await caches.keys()).some((n) => n.startsWith(PREFIX))) await clearAll();
    return;
  }
  const id = await hash(memberId);
  if ((await currentOwner()) !== id) {
    await clearAll();
    await (await caches.open(CACHES.owner)).put(OWNER_KEY, new Response(id));
    owner = Promise.resolve(id);
    lastSync = 0;
  }
  if (path === "/merkliste" || path.startsWith("/materialien/") || Date.now() - lastSync > SYNC_EVERY) {
    lastSync = Date.now();
    await syncMerkliste(id);
  }
}

// ---- The Merkliste ------------------------------------------------------------------------------------------------

/** `/dateien/<id>/<name>` and `/dateien/<id>` are the same bytes: kept once, under the short form. */
function fileKey(url: URL): string | null {
  const m = /^\/dateien\/([^/]+)/.exec(url.pathname);
  return m ? `${url.origin}/dateien/${m[1]}` : null;
}

async function syncMerkliste(id: string): Promise<void> {
  const response = await fetch(OFFLINE_PATHS.merkliste, { headers: COPY_HEADER, cache: "no-store" });
  if (!response.ok || (await currentOwner()) !== id) return;
  const materials = ((await response.json()) as { materials: OfflineMaterial[] }).materials;
  const cache = await caches.open(CACHES.saved);
  const wanted = new Set<string>();
  let total = 0;
  for (const material of materials) {
    const page = new URL(material.url, sw.location.origin).href;
    wanted.add(page);
    if (!(await cache.match(page))) await keepPage(cache, page, material.title);
    for (const file of material.files) {
      if (file.bytes > FILE_CAP || total + file.bytes > TOTAL_CAP) continue;
      total += file.bytes;
      const key = fileKey(new URL(file.url, sw.location.origin));
      if (!key) continue;
      wanted.add(key);
      if (await cache.match(key)) continue;
      const answer = await fetch(file.url, { headers: COPY_HEADER });
      // The member may have logged out meanwhile: then nothing more is written.
      if (answer.ok && answer.status === 200 && (await currentOwner()) === id) await cache.put(key, answer);
    }
  }
  for (const request of await cache.keys()) if (!wanted.has(request.url)) await cache.delete(request);
}

async function keepPage(cache: Cache, url: string, title: string): Promise<void> {
  const answer = await fetch(url, { headers: COPY_HEADER, credentials: "same-origin" });
  if (answer.ok && !answer.redirected) await cache.put(url, withTitle(answer, await answer.text(), title));
}

// ---- Requests -----------------------------------------------------------------------------------------------------

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  // Every page offline gets a kept copy or the offline page; only thread and material pages are ever kept.
  if (request.mode === "navigate") return event.respondWith(page(request, url));
  if (isNeverKept(url.pathname)) return;
  if (url.pathname.startsWith("/assets/")) return event.respondWith(asset(request));
  if (url.pathname.startsWith("/dateien/"))
    return event.respondWith(fetch(request).catch(() => savedFile(request, url)));
});

async function page(request: Request, url: URL): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.status === 200 && !response.redirected && isKeptPage(url.pathname) && (await currentOwner())) {
      const text = await response.clone().text();
      await keepRecent(url.href, withTitle(response, text, titleOf(text)));
    }
    return response;
  } catch {
    if (!isKeptPage(url.pathname)) return offlinePage();
    const kept =
      (await caches.match(url.href, { cacheName: CACHES.recent })) ??
      (await caches.match(url.href, { cacheName: CACHES.saved }));
    return kept ?? offlinePage();
  }
}

/** Newest last: a page read again moves to the end; beyond the limit the oldest go. */
async function keepRecent(url: string, response: Response): Promise<void> {
  const cache = await caches.open(CACHES.recent);
  await cache.delete(url);
  await cache.put(url, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - RECENT_LIMIT))) await cache.delete(old);
}

async function asset(request: Request): Promise<Response> {
  const kept = await caches.match(request, { cacheName: CACHES.assets });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.status === 200 && (await currentOwner()))
    await (await caches.open(CACHES.assets)).put(request, response.clone());
  return response;
}

/** Offline: a kept file, also for a media player's Range request (sliced from the whole file). */
async function savedFile(request: Request, url: URL): Promise<Response> {
  const key = fileKey(url);
  const kept = key ? await caches.match(key, { cacheName: CACHES.saved }) : undefined;
  if (!kept) return Response.error();
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("range") ?? "");
  if (!range) return kept;
  const blob = await kept.blob();
  const start = Number(range[1]);
  const end = range[2] ? Math.min(Number(range[2]), blob.size - 1) : blob.size - 1;
  if (start > end) return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${blob.size}` } });
  const headers = new Headers(kept.headers);
  headers.set("Content-Range", `bytes ${start}-${end}/${blob.size}`);
  headers.set("Content-Length", String(end - start + 1));
  return new Response(blob.slice(start, end + 1), { status: 206, headers });
}

// ---- Titles and the offline page ----------------------------------------------------------------------------------

function titleOf(html: string): string {
  const raw = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
  const entities: Record<string, string> = {
    "&amp;": "&",
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&#x27;": "'",
    "&#39;": "'",
  };
  return raw.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (e) => entities[e]).replace(/ – [^–]*$/, "");
}

function withTitle(response: Response, body: string, title: string): Response {
  const headers = new Headers(response.headers);
  headers.set(TITLE_HEADER, encodeURIComponent(title));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** Links to the kept pages of a cache (not those in `skip`), with the titles kept alongside. */
async function keptPages(cacheName: string, skip: Set<string> = new Set()): Promise<{ url: URL; title: string }[]> {
  const cache = await caches.open(cacheName);
  const pages: { url: URL; title: string }[] = [];
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (!isKeptPage(url.pathname) || skip.has(url.href)) continue;
    const title = decodeURIComponent((await cache.match(request))?.headers.get(TITLE_HEADER) ?? "") || url.pathname;
    pages.push({ url, title });
  }
  return pages;
}

function list(pages: { url: URL; title: string }[]): string {
  if (pages.length === 0) return "<p>Noch nichts gespeichert.</p>";
  return `<ul>${pages.map((p) => `<li><a href="${escapeHtml(p.url.pathname)}">${escapeHtml(p.title)}</a></li>`).join("")}</ul>`;
}

async function offlinePage(): Promise<Response> {
  const signedIn = !!(await currentOwner());
  let lists = "<p>Ohne Anmeldung ist nichts für das Lesen ohne Verbindung gespeichert.</p>";
  if (signedIn) {
    const saved = await keptPages(CACHES.saved);
    // Newest first; a material of the Merkliste is listed there only.
    const recent = (await keptPages(CACHES.recent, new Set(saved.map((p) => p.url.href)))).reverse();
    lists = `<h2>Zuletzt gelesen</h2>${list(recent)}<h2>Deine Merkliste</h2>${list(saved)}`;
  }
  const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Du bist offline</title><meta name="description" content="Ohne Internetverbindung: was auf diesem Gerät zum Lesen bereitliegt.">
<style>body{font:1.0625rem/1.6 system-ui,sans-serif;margin:0;background:#f3f6f8;color:#1b2a33}main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem}
h1{color:#07415a;font-size:1.75rem;line-height:1.25}h2{font-size:1.25rem;margin-top:2rem}a{color:#07415a}li{margin:.5rem 0}
.hint{background:#fff;border-left:4px solid #0b5a7a;padding:.75rem 1rem}</style></head>
<body><main><h1>Du bist offline</h1>
<p>Die Seite konnte nicht geladen werden, weil keine Internetverbindung besteht. <a href="">Erneut versuchen</a></p>
<p>Ohne Verbindung kannst du lesen, was dieses Gerät für dich bereithält: die zuletzt gelesenen ${RECENT_LIMIT} Diskussionen und Materialien und die Materialien deiner Merkliste mit ihren Dateien (bis ${FILE_CAP / 1024 / 1024} MB je Datei).</p>
${lists}
<p class="hint">Diese Kopien liegen nur auf diesem Gerät. Sie werden gelöscht, sobald du dich abmeldest oder jemand anderes sich anmeldet. Fallberatungen, Benachrichtigungen, Einstellungen und die Moderation werden nie gespeichert. An einem gemeinsam genutzten Computer melde dich bitte immer ab.</p>
</main></body></html>`;
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
  });
}
