/**
 * Operations (ADR 043): one log line per request, Prometheus metrics behind a bearer token, liveness and readiness.
 *
 * Per request: a request id (ours, or a configured proxy header's when it looks like an id), answered as
 * `X-Request-Id`; at the end one line `{"msg":"request","id","method","route","status","ms","bytes"}` and the request
 * counter and latency histogram. `route` is the matched pattern (`/mitglieder/:handle`), never the raw path or query:
 * paths carry member handles, queries carry search terms.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Express, Request, RequestHandler, Response } from "express";
import type { ServerBuild } from "@remix-run/node";
import { createRequire } from "node:module";
import type { AgnosticRouteObject, matchRoutes as MatchRoutes } from "@remix-run/router";
import { sql } from "drizzle-orm";
import client from "prom-client";
import { errorFields, log } from "../app/log.server.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { migrationsFolder } from "../db/migrate.ts";

/**
 * The CommonJS build, as Remix loads it: that is the one patched to keep ranked branches per route tree (ADR 017).
 * An ES import got the untouched module build here and cost ~180 µs per request instead of ~1 µs.
 */
const matchRoutes = createRequire(import.meta.url)("@remix-run/router").matchRoutes as typeof MatchRoutes;

/** The route tree of a build, as `@remix-run/router` matches it (its ranked branches are kept per tree, ADR 017). */
function routeTree(build: ServerBuild): AgnosticRouteObject[] {
  const byParent = new Map<string | undefined, AgnosticRouteObject[]>();
  for (const route of Object.values(build.routes)) {
    const node = {
      id: route.id,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
    } as AgnosticRouteObject;
    const siblings = byParent.get(route.parentId) ?? [];
    siblings.push(node);
    byParent.set(route.parentId, siblings);
  }
  const attach = (nodes: AgnosticRouteObject[]) => {
    for (const node of nodes) {
      const children = byParent.get(node.id);
      if (children && !node.index) (node as { children?: AgnosticRouteObject[] }).children = attach(children);
    }
    return nodes;
  };
  return attach(byParent.get(undefined) ?? []);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const MAX_KEPT = 5000;

/** A request's route label: the Remix or Express route pattern, else a fixed word (no raw path ever). */
export function routeLabeller(build: ServerBuild | null): (req: Request) => string {
  const tree = build ? routeTree(build) : null;
  // Matching costs ~0.1–0.3 ms (measured; more than the whole log line and metrics together), so results are kept
  // per path with its UUIDs blanked (ids are the dynamic segments of most routes), at most MAX_KEPT paths.
  const kept = new Map<string, string>();
  return (req) => {
    const expressRoute = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof expressRoute === "string" && expressRoute !== "*") return expressRoute;
    if (expressRoute === "*") {
      if (!tree) return "remix";
      const pathname = req.path.endsWith(".data") ? req.path.slice(0, -5) || "/" : req.path;
      const key = pathname.replace(UUID, "\0");
      let pattern = kept.get(key);
      if (pattern === undefined) {
        const matches = matchRoutes(tree, pathname);
        pattern = matches
          ? "/" +
            matches
              .map((m) => m.route.path ?? "")
              .filter(Boolean)
              .join("/")
          : "unmatched";
        if (kept.size >= MAX_KEPT) kept.clear();
        kept.set(key, pattern);
      }
      return pattern;
    }
    if (req.path.startsWith("/assets/")) return "/assets/*";
    return "unmatched";
  };
}

export interface Observability {
  registry: client.Registry;
  /** First middleware: request id, then the log line and the metrics when the answer is out. */
  requests: RequestHandler;
  /** Wraps one run of a job: counted by job and outcome, a failure logged as an error. */
  job: <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>;
  /** The shutdown calls this first: readiness answers 503 from then on, so the balancer stops sending requests. */
  markDraining: () => void;
  draining: () => boolean;
  setLabeller: (labeller: (req: Request) => string) => void;
  setSocketCount: (count: () => number) => void;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PROXY_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Probes and scrapes come every few seconds: their lines are debug, not info. */
const QUIET_ROUTES = new Set(["/healthz/live", "/healthz/ready", "/metrics"]);

export function createObservability(options: { database: DatabaseHandle; requestIdHeader?: string }): Observability {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const requestsTotal = new client.Counter({
    name: "http_requests_total",
    help: "HTTP-Anfragen nach Route (Muster), Methode und Status",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "Antwortzeit bis zum letzten Byte, nach Route (Muster) und Methode",
    labelNames: ["route", "method"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const jobRuns = new client.Counter({
    name: "job_runs_total",
    help: "Läufe der Hintergrundaufgaben nach Aufgabe und Ergebnis",
    labelNames: ["job", "outcome"] as const,
    registers: [registry],
  });
  let socketCount = () => 0;
  new client.Gauge({
    name: "socketio_connected_clients",
    help: "Offene socket.io-Verbindungen dieses Prozesses",
    registers: [registry],
    collect() {
      this.set(socketCount());
    },
  });
  new client.Gauge({
    name: "outbox_backlog",
    help: "Noch nicht erledigte Einträge der Postausgänge (mail: zu sendende Mails, search: Suchindex-Aktualisierungen)",
    labelNames: ["outbox"] as const,
    registers: [registry],
    async collect() {
      const [row] = await options.database.rows<{ mail: number; search: number }>(
        sql`select (select count(*) from mail_outbox where status = 'pending')::int as mail, (select count(*) from search_outbox)::int as search`,
      );
      this.set({ outbox: "mail" }, row.mail);
      this.set({ outbox: "search" }, row.search);
    },
  });

  let draining = false;
  let labeller: (req: Request) => string = () => "unmatched";
  const requestIdHeader = options.requestIdHeader;
  const requests: RequestHandler = (req, res, next) => {
    const started = performance.now();
    const fromProxy = requestIdHeader ? req.headers[requestIdHeader] : undefined;
    const id = typeof fromProxy === "string" && PROXY_ID.test(fromProxy) ? fromProxy : randomUUID();
    res.locals.requestId = id;
    res.setHeader("X-Request-Id", id);
    const socket = req.socket;
    const bytesBefore = socket.bytesWritten;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      const seconds = (performance.now() - started) / 1000;
      const route = labeller(req);
      const status = res.headersSent ? res.statusCode : 0;
      requestsTotal.inc({ route, method: req.method, status: String(status) });
      duration.observe({ route, method: req.method }, seconds);
      const fields = {
        id,
        method: req.method,
        route,
        status,
        ms: Math.round(seconds * 10_000) / 10,
        // Headers and body as they went onto the connection (compressed); one request at a time per connection.
        bytes: socket.bytesWritten - bytesBefore,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      const logger = log();
      if (status >= 500) logger.warn(fields, "request");
      else if (QUIET_ROUTES.has(route)) logger.debug(fields, "request");
      else logger.info(fields, "request");
    };
    res.once("finish", end);
    res.once("close", end);
    next();
  };

  return {
    registry,
    requests,
    async job(name, run) {
      try {
        const result = await run();
        jobRuns.inc({ job: name, outcome: "ok" });
        return result;
      } catch (error) {
        jobRuns.inc({ job: name, outcome: "error" });
        log().error({ job: name, ...errorFields(error) }, "job failed");
        return undefined;
      }
    },
    markDraining: () => void (draining = true),
    draining: () => draining,
    setLabeller: (l) => (labeller = l),
    setSocketCount: (count) => (socketCount = count),
  };
}

let journalCount: number | undefined;
function migrationsInJournal(): number {
  journalCount ??= (
    JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: unknown[] }
  ).entries.length;
  return journalCount;
}

/** What readiness checks: database answers, every migration of this build applied, not draining. */
export async function readiness(
  database: DatabaseHandle,
  draining: boolean,
): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
  let databaseOk = false;
  let migrated = false;
  try {
    const [row] = await database.rows<{ applied: number }>(
      sql`select count(*)::int as applied from drizzle.__drizzle_migrations`,
    );
    databaseOk = true;
    migrated = row.applied >= migrationsInJournal();
  } catch {
    // unreachable or not migrated: both stay false
  }
  const checks = { database: databaseOk, migrations: migrated, accepting: !draining };
  return { ready: databaseOk && migrated && !draining, checks };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice(7));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `/healthz/live` (the process answers), `/healthz/ready` (503 while draining or without database/migrations) and
 * `/metrics` (only with `Authorization: Bearer $METRICS_TOKEN`; 404 otherwise and when no token is configured, so the
 * path does not even show that it exists). Registered before the session check: probes carry no cookies.
 */
export function registerOperatorRoutes(
  app: Express,
  observability: Observability,
  options: { database: DatabaseHandle; metricsToken?: string },
): void {
  const noStore = (res: Response) => res.set("Cache-Control", "no-store");
  app.get("/healthz/live", (_req, res) => void noStore(res).json({ status: "ok" }));
  app.get("/healthz/ready", async (_req, res) => {
    const { ready, checks } = await readiness(options.database, observability.draining());
    noStore(res)
      .status(ready ? 200 : 503)
      .json({ status: ready ? "ok" : "unavailable", ...checks });
  });
  app.get("/metrics", async (req, res, next) => {
    if (!options.metricsToken || !tokenMatches(req.get("authorization"), options.metricsToken)) return next();
    try {
      const body = await observability.registry.metrics();
      noStore(res).type(observability.registry.contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
}
