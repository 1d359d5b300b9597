/**
 * The hostile-input corpus and its targets, shared by tests/http/hostile-*.test.ts and bench/hostile.ts.
 * Targets come from the app itself: the route list of the production build (every route with a loader or an action),
 * each route's form field names, intents and query names read from its source files (and the components it imports),
 * dynamic segments filled with real demo ids from the database and with bad ones.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import type { ServerBuild } from "@remix-run/node";
import type { DatabaseHandle } from "../../db/client.ts";
import { root } from "../setup/server.ts";

export interface RouteTarget {
  id: string;
  /** "/diskussionen/:id/beitrag/:postId" */
  pattern: string;
  loader: boolean;
  action: boolean;
  fields: string[];
  intents: string[];
  queries: string[];
}

/** A value as it goes into a URL or urlencoded body: already percent-encoded, so invalid UTF-8 can be sent. */
export interface Bad {
  label: string;
  encoded: string;
}

const enc = (label: string, value: string): Bad => ({ label, encoded: encodeURIComponent(value) });

/** The bad values: every class of the issue and a few more. */
export const corpus: Bad[] = [
  enc("empty", ""),
  enc("nul", "a\0b"),
  enc("huge", "x".repeat(120_000)),
  enc("control characters", "\u0001\u0007\b\u001b[31m\r\nZeile\u007f"),
  { label: "invalid utf-8", encoded: "%FF%FE%C0%AE%ED%A0%80" },
  enc("not a uuid", "abc"),
  enc("nil uuid", "00000000-0000-0000-0000-000000000000"),
  enc("sql", "' OR 1=1; DROP TABLE users; --"),
  enc("markup", "<script>alert(1)</script><img src=x onerror=alert(1)>"),
  enc("path traversal", "../../../etc/passwd"),
  enc("impossible date", "2026-02-30"),
  enc("impossible time", "2026-13-45T25:61"),
  enc("huge number", "1e309"),
  enc("negative", "-1"),
  enc("wrong type", "[object Object]"),
  enc("json", '{"type":"doc","content":[{"type":"text","text":"\\u0000"}]}'),
  enc("unicode tricks", "\u202eevil\u200b\ufeff😀\u0301"),
];

/** Bad values for a dynamic path segment (real ids are added per route). */
export const badSegments: Bad[] = [
  enc("not a uuid", "abc"),
  { label: "invalid utf-8", encoded: "%FF" },
  { label: "overlong dot", encoded: "%C0%AE" },
  { label: "nul", encoded: "%00" },
  enc("nil uuid", "00000000-0000-0000-0000-000000000000"),
  enc("huge", "a".repeat(4000)),
  enc("sql", "1' OR '1'='1"),
  { label: "encoded slash", encoded: "..%2F..%2Fetc%2Fpasswd" },
];

function sourceFiles(routeId: string): string[] {
  const base = path.join(root, "app", routeId);
  const files = [`${base}.tsx`, `${base}.ts`].filter((f) => fs.existsSync(f));
  if (fs.existsSync(base) && fs.statSync(base).isDirectory()) {
    for (const f of fs.readdirSync(base)) files.push(path.join(base, f));
  }
  // Forms built by components the route imports (MaterialForm, the editor field, …).
  for (const file of [...files]) {
    for (const m of fs.readFileSync(file, "utf8").matchAll(/from "(\.\.?\/[^"]*components\/[^"]+)"/g)) {
      const imported = path.resolve(path.dirname(file), m[1]);
      if (fs.existsSync(imported)) files.push(imported);
    }
  }
  return files;
}

function collect(texts: string[], patterns: RegExp[]): string[] {
  const found = new Set<string>();
  for (const text of texts) for (const p of patterns) for (const m of text.matchAll(p)) found.add(m[1]);
  return [...found].sort();
}

/** Every route of the production build that has a loader or an action, with what its source says it reads. */
export async function routeTargets(): Promise<RouteTarget[]> {
  const build = (await import(pathToFileURL(path.join(root, "build/server/index.js")).href)) as ServerBuild;
  const targets: RouteTarget[] = [];
  for (const [id, route] of Object.entries(build.routes)) {
    if (id === "root" || (!route.module.loader && !route.module.action)) continue;
    const texts = sourceFiles(id).map((f) => fs.readFileSync(f, "utf8"));
    targets.push({
      id,
      pattern: `/${route.path ?? ""}`.replace(/\/$/, "") || "/",
      loader: typeof route.module.loader === "function",
      action: typeof route.module.action === "function",
      fields: collect(texts, [
        /formData\.get(?:All)?\("([\w-]+)"\)/g,
        /\bname="([\w-]+)"/g,
        /\bname=\{?"([\w-]+)"\}?/g,
      ]),
      intents: collect(texts, [/intent === "([\w-]+)"/g, /case "([\w-]+)":/g, /name="intent" value="([\w-]+)"/g]),
      queries: collect(texts, [/searchParams\.get(?:All)?\("([\w-]+)"\)/g]),
    });
  }
  return targets.sort((a, b) => a.id.localeCompare(b.id));
}

/** Query names read through zod schemas (Object.fromEntries(searchParams)) rather than searchParams.get. */
export const schemaQueries = [
  "q",
  "seite",
  "art",
  "wer",
  "betrifft",
  "von",
  "bis",
  "rolle",
  "status",
  "sort",
  "typ",
  "schlagwort",
  "kategorie",
  "thema",
  "tag",
];

/** Real ids for the dynamic segments: for the acting member where it matters ("mine"), and someone else's. */
export async function demoIds(database: DatabaseHandle, email: string | null): Promise<Record<string, string[]>> {
  const one = async (query: ReturnType<typeof sql>) =>
    (await database.rows<{ v: string }>(query)).map((r) => String(r.v));
  const me = email ? ((await one(sql`select id::text as v from users where email = ${email}`))[0] ?? null) : null;
  const thread = await one(sql`select id::text as v from threads order by created_at limit 2`);
  const post = await one(
    sql`select id::text as v from posts where thread_id = ${thread[0]}::uuid order by created_at limit 2`,
  );
  return {
    "diskussionen/:id": thread,
    "diskussionen/:id/beitrag/:postId": post,
    "dialogrunden/:id": await one(sql`select id::text as v from dialogue_rounds order by starts_at limit 2`),
    "fallberatung/:id": await one(sql`select id::text as v from case_consultations order by created_at limit 3`),
    "materialien/:id": await one(sql`select id::text as v from materials order by created_at limit 2`),
    "materialien/themenpakete/:slug": await one(sql`select slug as v from collections limit 1`),
    "mitglieder/:handle": await one(
      sql`select handle as v from users where handle is not null order by created_at limit 2`,
    ),
    "themen/:slug": await one(sql`select slug as v from categories order by position limit 1`),
    "benachrichtigungen/:id": me
      ? [
          ...(await one(sql`select id::text as v from notifications where user_id = ${me}::uuid limit 1`)),
          ...(await one(sql`select id::text as v from notifications where user_id <> ${me}::uuid limit 1`)),
        ]
      : await one(sql`select id::text as v from notifications limit 1`),
    "einstellungen/daten/:id": await one(sql`select id::text as v from data_exports limit 1`),
    "einladung/:token": [],
  };
}

/** The demo-id key for the n-th dynamic segment of a route ("diskussionen/:id" for the first of a post route). */
function idKey(pattern: string, n: number, ids: Record<string, string[]>): string | undefined {
  const bare = pattern.slice(1).replace(/^api\/v1\//, "");
  return Object.keys(ids).find((k) => bare.startsWith(k) && (k.match(/:\w+/g) ?? []).length === n + 1);
}

/** Paths for a route: its dynamic segments filled with real ids (from demoIds), someone else's, and bad ones. */
export function pathsFor(target: RouteTarget, ids: Record<string, string[]>): { path: string; label: string }[] {
  const params = target.pattern.match(/:\w+|\*/g) ?? [];
  if (params.length === 0) return [{ path: target.pattern, label: "static" }];
  const fill = (values: string[]) => {
    let i = 0;
    return target.pattern.replace(/:\w+|\*/g, () => values[i++]);
  };
  const real = params.map((_, n) =>
    encodeURIComponent(ids[idKey(target.pattern, n, ids) ?? ""]?.[0] ?? "gibt-es-nicht"),
  );
  const out = [{ path: fill(real), label: "real ids" }];
  const other = ids[idKey(target.pattern, params.length - 1, ids) ?? ""]?.[1];
  if (other) out.push({ path: fill([...real.slice(0, -1), encodeURIComponent(other)]), label: "other id" });
  for (const bad of badSegments)
    out.push({ path: fill([...real.slice(0, -1), bad.encoded]), label: `segment ${bad.label}` });
  return out;
}

/** A urlencoded body; `duplicate` repeats every field with a second value. */
export function formBody(fields: string[], value: Bad, extra: Record<string, string> = {}, duplicate = false): string {
  const parts = Object.entries(extra).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  for (const f of fields) {
    if (f === "intent" && extra.intent) continue;
    parts.push(`${encodeURIComponent(f)}=${value.encoded}`);
    if (duplicate) parts.push(`${encodeURIComponent(f)}=zweiter%20Wert`);
  }
  return parts.join("&");
}

/**
 * Tables whose content changes without a request asking for it (search index and outbox, mail outbox, digests, socket
 * adapter), on every request (sessions) or by design on a refused one (a wrong password is counted in login_failures).
 */
const VOLATILE = new Set([
  "sessions",
  "login_failures",
  "mail_outbox",
  "digest_runs",
  "socket_io_attachments",
  "site_keys",
  "round_reminders",
  "search_facet_sets",
  "search_documents",
  "search_texts",
  "search_words",
  "search_outbox",
  "search_query_stats",
  "__drizzle_migrations",
]);

/** Tables a successful GET writes by design: what a member has read, view counts, notifications opened. */
const READ_TRACKING = new Set(["thread_reads", "material_usage", "notifications"]);

/**
 * Aggregate counters a page view or download raises by design, also when a refused form renders its page again (the
 * loader counts the view); every other column of these rows must stay as it was.
 */
const COUNTERS: Record<string, string[]> = { materials: ["view_count", "download_count"] };

/** Tables a background job updates after an earlier, successful request (a data export reports its progress). */
const BACKGROUND_UPDATES = new Set(["data_exports"]);

/**
 * Records every committed row change of the content tables (all but the volatile ones) in `hostile_writes`, by row
 * triggers: a write that is rolled back leaves no record, and an UPDATE that matches no row fires none. Comparing the
 * newest record before and after a request tells whether it changed anything, at the cost of one tiny query.
 */
export async function installWriteLog(database: DatabaseHandle): Promise<void> {
  const rows = await database.rows<{ t: string }>(
    sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  await database.rows(sql`create table if not exists hostile_writes (id bigserial primary key, tbl text not null)`);
  await database.rows(
    sql.raw(`create or replace function hostile_log() returns trigger language plpgsql as $$
      begin insert into hostile_writes (tbl) values (TG_TABLE_NAME); return null; end $$`),
  );
  for (const { t } of rows) {
    if (VOLATILE.has(t) || t === "hostile_writes") continue;
    const counters = COUNTERS[t];
    if (counters) {
      // Only a change beyond the aggregate counters is a change of content.
      const strip = (row: string) => `(to_jsonb(${row})${counters.map((c) => ` - '${c}'`).join("")})`;
      await database.rows(
        sql.raw(
          `create or replace trigger hostile_log after insert or delete on "${t}" for each row execute function hostile_log()`,
        ),
      );
      await database.rows(
        sql.raw(`create or replace trigger hostile_log_update after update on "${t}" for each row
          when (${strip("old")} is distinct from ${strip("new")}) execute function hostile_log()`),
      );
      continue;
    }
    const events = BACKGROUND_UPDATES.has(t) ? "insert or delete" : "insert or update or delete";
    await database.rows(
      sql.raw(
        `create or replace trigger hostile_log after ${events} on "${t}" for each row execute function hostile_log()`,
      ),
    );
  }
}

/** The newest write record. */
export async function writeMark(database: DatabaseHandle): Promise<number> {
  const [row] = await database.rows<{ id: string | number }>(
    sql`select coalesce(max(id), 0) as id from hostile_writes`,
  );
  return Number(row.id);
}

/** The tables written since `mark` (without those that GETs write by design, with `reads`). */
export async function writtenSince(
  database: DatabaseHandle,
  mark: number,
  options: { reads?: boolean } = {},
): Promise<string[]> {
  const rows = await database.rows<{ tbl: string }>(
    sql`select distinct tbl from hostile_writes where id > ${mark} order by 1`,
  );
  return rows.map((r) => r.tbl).filter((t) => !(options.reads && READ_TRACKING.has(t)));
}

export interface Shot {
  method: "GET" | "POST";
  path: string;
  body?: string;
  contentType?: string;
  label: string;
}

/** The values for query strings (a long URL is refused by Node itself with 431, before any of our code). */
const queryValues = corpus.filter((v) =>
  [
    "nul",
    "invalid utf-8",
    "impossible date",
    "not a uuid",
    "huge number",
    "sql",
    "control characters",
    "negative",
  ].includes(v.label),
);

/**
 * All requests for one actor: every loader with bad paths and queries, every action with bad content types and bad
 * bodies. Each corpus value reaches every action once; with several intents the values are spread over them, and
 * every intent also gets a NUL byte, a non-UUID and duplicated fields.
 */
export function shotsFor(
  targets: RouteTarget[],
  ids: Record<string, string[]>,
  options: { skipActions?: string[] } = {},
): Shot[] {
  const shots: Shot[] = [];
  const queries = new Set(schemaQueries);
  for (const t of targets) for (const q of t.queries) queries.add(q);
  for (const target of targets) {
    const paths = pathsFor(target, ids);
    if (target.loader) {
      for (const p of paths) shots.push({ method: "GET", path: p.path, label: `${target.id} GET ${p.label}` });
      const base = paths[0].path;
      const names = [...new Set([...target.queries, ...queries])];
      for (const value of queryValues) {
        shots.push({
          method: "GET",
          path: `${base}?${names.map((n) => `${n}=${value.encoded}`).join("&")}`,
          label: `${target.id} GET query ${value.label}`,
        });
      }
      shots.push({
        method: "GET",
        path: `${base}?${names.map((n) => `${n}=1&${n}=2`).join("&")}`,
        label: `${target.id} GET duplicated query`,
      });
    }
    if (target.action && !options.skipActions?.includes(target.id)) {
      const p = paths[0].path;
      const post = (body: string, label: string, contentType?: string, where = p) =>
        shots.push({ method: "POST", path: where, body, contentType, label: `${target.id} POST ${label}` });
      post("a=b", "text/plain", "text/plain");
      post('{"a":"b"}', "json", "application/json");
      post("--x\r\nbroken", "broken multipart", "multipart/form-data; boundary=x");
      for (const bad of paths.slice(1)) post("intent=x", bad.label, undefined, bad.path);
      const intents = target.intents.length ? target.intents : [""];
      const extra = (intent: string): Record<string, string> => (intent ? { intent, aktion: `${intent}:abc` } : {});
      corpus.forEach((value, i) => {
        const intent = intents[i % intents.length];
        post(formBody(target.fields, value, extra(intent)), `${intent || "-"} ${value.label}`);
      });
      for (const intent of intents.length > 1 ? intents : []) {
        for (const value of [corpus[1], corpus[5]])
          post(formBody(target.fields, value, extra(intent)), `${intent} ${value.label}`);
      }
      for (const intent of intents)
        post(formBody(target.fields, corpus[5], extra(intent), true), `${intent || "-"} duplicated fields`);
    }
  }
  return shots;
}

export interface Finding {
  label: string;
  status: number;
  detail: string;
}

export interface RunResult {
  sent: number;
  byStatus: Record<number, number>;
  /** Answers of 500 and above. */
  errors: Finding[];
  /** Refused requests (4xx) after which a table had changed. */
  changed: Finding[];
  /** The five slowest answers, for finding what held the server up (the benchmark prints them). */
  slowest: { label: string; ms: number }[];
}

/** A refusal: a 4xx, or the redirect to the login page. */
function refused(status: number, location: string | null): boolean {
  return (status >= 400 && status < 500) || (status >= 300 && status < 400 && !!location?.startsWith("/anmelden"));
}

/**
 * Sends the shots one after another as one actor. With `database` (and installWriteLog), the writes are checked after
 * every refused POST (a 4xx, or the redirect to the login page): they must be exactly as before. A POST that
 * succeeds may change things. GETs must never change content (only what a member has read, see READ_TRACKING),
 * whatever they answer; they are checked after all of them.
 */
export async function runShots(
  baseUrl: string,
  shots: Shot[],
  options: {
    cookie?: string;
    database?: DatabaseHandle;
    onResponse?: () => void;
    timeline?: { label: string; start: number; end: number }[];
  } = {},
): Promise<RunResult> {
  const result: RunResult = { sent: 0, byStatus: {}, errors: [], changed: [], slowest: [] };
  const db = options.database;
  const gets = shots.filter((s) => s.method === "GET");
  const posts = shots.filter((s) => s.method !== "GET");

  const send = async (shot: Shot): Promise<{ status: number; location: string | null }> => {
    const headers: Record<string, string> = { Origin: baseUrl };
    if (options.cookie) headers.Cookie = options.cookie;
    if (shot.body !== undefined) headers["Content-Type"] = shot.contentType ?? "application/x-www-form-urlencoded";
    let status: number;
    let location: string | null = null;
    let text = "";
    const started = performance.now();
    try {
      const response = await fetch(`${baseUrl}${shot.path}`, {
        method: shot.method,
        headers,
        body: shot.body,
        redirect: "manual",
      });
      status = response.status;
      location = response.headers.get("location");
      if (status >= 500) text = (await response.text()).slice(0, 300);
      else await response.body?.cancel();
    } catch (error) {
      status = 599;
      text = String(error);
    }
    const ms = Math.round(performance.now() - started);
    options.timeline?.push({ label: shot.label, start: Date.now() - ms, end: Date.now() });
    if (result.slowest.length < 5 || ms > result.slowest[4].ms) {
      result.slowest = [...result.slowest, { label: shot.label, ms }].sort((a, b) => b.ms - a.ms).slice(0, 5);
    }
    result.sent++;
    result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
    if (status >= 500)
      result.errors.push({ label: shot.label, status, detail: `${shot.method} ${shot.path.slice(0, 160)} ${text}` });
    options.onResponse?.();
    return { status, location };
  };

  // GETs: every one of them, whatever it answers, leaves the content as it was.
  let mark = db ? await writeMark(db) : 0;
  for (const shot of gets) await send(shot);
  if (db) {
    const tables = await writtenSince(db, mark, { reads: true });
    if (tables.length) result.changed.push({ label: "GET requests", status: 0, detail: tables.join(", ") });
    mark = await writeMark(db);
  }
  // POSTs: each refused one leaves everything as it was.
  for (const shot of posts) {
    const { status, location } = await send(shot);
    if (!db) continue;
    if (refused(status, location)) {
      // A refused form renders its page again, and the page's loader records what the member has read.
      const tables = await writtenSince(db, mark, { reads: true });
      if (tables.length) result.changed.push({ label: shot.label, status, detail: tables.join(", ") });
    }
    mark = await writeMark(db);
  }
  return result;
}

/** The whole corpus as one actor (null: anonymous) against a running test server; logs in first. */
export async function runAs(
  server: { url: string; database: DatabaseHandle },
  email: string | null,
): Promise<RunResult & { shots: number }> {
  let cookie: string | undefined;
  if (email) {
    const response = await fetch(`${server.url}/anmelden`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password: "demo-passwort-2026" }),
    });
    cookie = response.headers
      .getSetCookie()
      .find((c) => c.startsWith("lbn_session="))
      ?.split(";")[0];
    if (!cookie) throw new Error(`login failed for ${email}: ${response.status}`);
  }
  const targets = await routeTargets();
  // Logging out would end the session the rest of the run uses.
  const shots = shotsFor(targets, await demoIds(server.database, email), {
    skipActions: email ? ["routes/abmelden"] : [],
  });
  const result = await runShots(server.url, shots, { cookie, database: server.database });
  return { ...result, shots: shots.length };
}
