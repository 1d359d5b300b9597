import http from "node:http";
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import compression from "compression";
import type { ServerBuild } from "@remix-run/node";
import { env, type Env } from "../app/env.server.ts";
import { openPglite, openPostgres, type DatabaseHandle } from "../db/client.ts";
import { installation } from "../db/schema/index.ts";
import { runMigrations } from "../db/migrate.ts";
import { seedDemo, demoAccounts } from "../db/seed/index.ts";
import { setDatabase } from "../app/models/db.server.ts";
import { seedDeps } from "../app/models/seed.server.ts";
import { setSearch } from "../app/models/search/engine.server.ts";
import { createEngine } from "../search/index.ts";
import { enqueueEverything, startIndexer } from "../search/indexer.ts";
import { startMaintenance } from "../db/maintenance.ts";
import { readSessionToken, SESSION_COOKIE, sessionCookie } from "../app/auth/session.server.ts";
import { validateSessionToken } from "../app/models/accounts/sessions.server.ts";
import { originCheck, privateNoStore, securityHeaders } from "./security.ts";
import { addressGate, contentTypeGate, refuseTooLarge, remixHandler } from "./boundary.ts";
import { startRealtime } from "./realtime.ts";
import { registerFileRoutes } from "./files.ts";
import { registerPictureRoutes } from "./avatars.ts";
import { registerImageRoutes } from "./images.ts";
import { missingStaticFile, registerSiteFiles } from "./siteFiles.ts";
import { configureLog, errorFields, log as logger } from "../app/log.server.ts";
import { createObservability, registerOperatorRoutes, routeLabeller } from "./observe.ts";
import { startBackupChannel, startNightlyBackup } from "./backup.ts";
import { startJobs } from "./jobs.ts";
import { trackRequests } from "./drain.ts";

/** Larger than any form can legitimately be (a post is at most 50,000 characters), with room for the editor's JSON. */
const MAX_FORM_BYTES = 12 * 1024 * 1024;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface RunningServer {
  url: string;
  port: number;
  database: DatabaseHandle;
  /** Readiness answers 503 from now on (the shutdown calls it before draining). */
  markDraining: () => void;
  /** Stops at once: requests under way are cut off (tests). */
  close: () => Promise<void>;
  /**
   * Stops cleanly within `graceMs` (ADR 041): no new connections, requests under way are answered, sockets are told to
   * reconnect, jobs finish their run, then the database closes (and DATA_DIR's lock goes with it).
   */
  shutdown: (graceMs: number) => Promise<void>;
}

export interface ServerOptions {
  quiet?: boolean;
  config?: Env;
  /** Run the timed jobs (server/jobs.ts) and the search outbox's timer in this process; one worker of a cluster does. */
  jobs?: boolean;
  /** A worker of a cluster: the primary listens and hands connections over (server/cluster.ts); no listen here. */
  clusterWorker?: boolean;
}

async function openDatabase(config: Env, log: (line: string) => void): Promise<DatabaseHandle> {
  const handle = config.DATABASE_URL ? await openPostgres(config.DATABASE_URL) : await openPglite(config.DATA_DIR);
  try {
    await runMigrations(handle, config.DATABASE_URL);
  } catch (error) {
    await handle.close();
    throw error;
  }
  // Demo content only on the first start on a new embedded database, never on a shared PostgreSQL. A first start
  // without demo content (SEED_DEMO=false) counts too: a restart never adds it later.
  if ((await firstStart(handle)) && handle.kind === "pglite" && config.SEED_DEMO) {
    await seedDemo(handle, seedDeps());
    await enqueueEverything(handle.db);
    log("Demo-Inhalte angelegt.");
    // The accounts for a person at a terminal; e-mail addresses never go into the log (ADR 043).
    if (process.stdout.isTTY) {
      console.log("Anmeldung mit dem Passwort „demo-passwort-2026“:");
      for (const account of demoAccounts) console.log(`  ${account.email.padEnd(26)} ${account.label}`);
    }
  }
  return handle;
}

/** Records the first start on this database; true only for that one (the installation table's single row). */
async function firstStart(handle: DatabaseHandle): Promise<boolean> {
  const written = await handle.db
    .insert(installation)
    .values({ id: 1 })
    .onConflictDoNothing()
    .returning({ id: installation.id });
  return written.length === 1;
}

/** Starts the site: database, Express with Remix, socket.io, all on one port. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  // Tests pass their own configuration; models read the same one through env().
  if (options.config) globalThis.__companionEnv = options.config;
  const config = env();
  configureLog({ level: config.LOG_LEVEL });
  const log = (line: string, fields: Record<string, unknown> = {}) => {
    if (!options.quiet) logger().info(fields, line);
  };
  const dev = config.NODE_ENV === "development";
  const database = await openDatabase(config, log);
  setDatabase(database);
  const engine = createEngine(database, config);
  const runJobs = options.jobs ?? true;
  const indexer = startIndexer(database, engine, {
    // Writers kick the indexer in every process (entries are claimed with SKIP LOCKED); the timer runs once.
    intervalMs: runJobs ? undefined : 0,
    onError: (error) => logger().error(errorFields(error), "Suchindex: Aktualisierung fehlgeschlagen, wird wiederholt"),
  });
  setSearch({ engine, indexer });
  const stopMaintenance = startMaintenance(database, {
    onError: (error) =>
      logger().error(errorFields(error), "Datenbankpflege fehlgeschlagen, nächster Versuch in fünf Minuten"),
  });
  indexer.kick();

  const observability = createObservability({ database, requestIdHeader: config.REQUEST_ID_HEADER });
  const app = express();
  app.disable("x-powered-by");
  app.use(observability.requests);
  // Behind a reverse proxy on the same host, req.ip and req.protocol come from X-Forwarded-*.
  app.set("trust proxy", "loopback");
  const httpServer = http.createServer();
  // Before the app, so that a stopping server can still add "Connection: close" to every answer.
  const requests = trackRequests(httpServer);
  httpServer.on("request", app);
  // A 500 MB video over a slow line takes longer than Node's default of 5 minutes.
  httpServer.requestTimeout = 60 * 60 * 1000;

  // Level 3 instead of 6: pages of long threads are large, and the stronger levels cost more CPU than they save.
  app.use(compression({ level: 3 }));
  app.use(securityHeaders({ dev, secure: config.SESSION_SECURE }));
  // NUL and invalid UTF-8 in path or query: 400 before anything decodes them.
  app.use(addressGate());
  registerOperatorRoutes(app, observability, { database, metricsToken: config.METRICS_TOKEN });

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let closeVite = async () => {};
  if (dev) {
    const vite = await import("vite");
    const devServer = await vite.createServer({
      root,
      server: { middlewareMode: true, hmr: { server: httpServer } },
    });
    closeVite = () => devServer.close();
    app.use(devServer.middlewares);
    build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  } else {
    const clientDir = path.join(root, "build/client");
    // The service worker: always revalidated, so a new build reaches every browser on its next page load (ADR 038).
    app.get("/sw.js", (_req, res, next) =>
      res.sendFile(
        path.join(clientDir, "sw.js"),
        { headers: { "Cache-Control": "no-cache", "Service-Worker-Allowed": "/" } },
        (e) => e && next(e),
      ),
    );
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    // Files copied from public/ (the favicon). Only paths that name a file are looked up: a file-system lookup for
    // every page request cost ~0.1 ms.
    const publicFiles = express.static(clientDir, { maxAge: "1h" });
    app.use((req, res, next) =>
      path.extname(req.path) && !req.path.endsWith(".data") ? publicFiles(req, res, next) : next(),
    );
    build = (await import(pathToFileURL(path.join(root, "build/server/index.js")).href)) as ServerBuild;
  }
  observability.setLabeller(routeLabeller(typeof build === "function" ? null : build));

  registerSiteFiles(app, root);

  app.use(privateNoStore(SESSION_COOKIE));
  app.use(originCheck(config.PUBLIC_URL));
  app.use(contentTypeGate());
  // Forms are read whole into memory by Remix; file uploads have their own streaming route with per-kind limits.
  // A declared length over the limit is refused before reading; the rest is counted as it arrives (remixHandler).
  app.use((req, res, next) => {
    const length = Number(req.get("content-length") ?? 0);
    if (length > MAX_FORM_BYTES && !req.path.startsWith("/api/v1/uploads") && req.path !== "/api/v1/bilder")
      return refuseTooLarge(req, res);
    next();
  });

  // Who is asking: validated once per request here, then handed to loaders and actions as context.
  app.use(async (req, res, next) => {
    res.locals.user = null;
    res.locals.sessionId = null;
    res.locals.unreadNotifications = 0;
    const token = readSessionToken(req.headers.cookie);
    if (!token) return next();
    try {
      const result = await validateSessionToken(token);
      if (result) {
        res.locals.user = result.user;
        res.locals.sessionId = result.session.id;
        res.locals.unreadNotifications = result.unreadNotifications;
        if (result.session.renewed) {
          const url = `${req.protocol}://${req.get("host")}${req.originalUrl}`;
          res.append("Set-Cookie", sessionCookie(new Request(url), token, result.session.expiresAt));
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  });

  registerFileRoutes(app, httpServer);
  registerPictureRoutes(app);
  registerImageRoutes(app, httpServer);
  app.use(missingStaticFile);

  app.all(
    "*",
    remixHandler({
      build,
      mode: dev ? "development" : "production",
      maxBodyBytes: MAX_FORM_BYTES,
      getLoadContext: (req, res) => ({
        user: res.locals.user,
        sessionId: res.locals.sessionId,
        unreadNotifications: res.locals.unreadNotifications,
        cspNonce: res.locals.cspNonce,
        clientIp: req.ip ?? "unknown",
        documentRequest: !req.path.endsWith(".data"),
        serverHtml: new Map<string, Buffer[]>(),
      }),
    }),
  );

  app.use(((error, _req, res, _next) => {
    logger().error({ id: res.locals.requestId, ...errorFields(error) }, "Unerwarteter Fehler");
    if (!res.headersSent)
      res.status(500).type("text/plain; charset=utf-8").send("Ein interner Fehler ist aufgetreten.");
  }) as express.ErrorRequestHandler);

  const realtime = startRealtime(httpServer, {
    publicUrl: config.PUBLIC_URL,
    databaseUrl: config.DATABASE_URL,
    sticky: options.clusterWorker,
  });
  observability.setSocketCount(realtime.clients);

  if (!options.clusterWorker) {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.PORT, config.HOST, () => resolve());
    });
  }
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  if (!options.clusterWorker)
    log(`Das Netzwerk läuft auf ${url} (${describeService(dev, database, config)}, Prozess ${process.pid})`, { url });
  // Backups while running (ADR 043): `npm run backup` asks through a socket in DATA_DIR; the nightly one, if configured
  // (in the process that runs the jobs).
  const backupChannel = await startBackupChannel(database, config);
  const stopNightlyBackup = runJobs ? startNightlyBackup(database, config, observability.job) : () => {};

  const jobs = runJobs ? startJobs(observability.job) : null;

  let closing: Promise<void> | undefined;
  const shutdown = (graceMs: number) =>
    (closing ??= (async () => {
      const until = Date.now() + graceMs;
      // Readiness answers 503 from here on, so a load balancer stops sending before the listener closes.
      observability.markDraining();
      // No new connections; idle keep-alive connections close now, busy ones after their answer.
      requests.drain();
      if (httpServer.listening) httpServer.close();
      stopNightlyBackup();
      await backupChannel.close();
      const jobsDone = jobs?.stop();
      // Sockets first: a long-polling request would otherwise count as a request under way.
      await realtime.close(Math.min(graceMs, 2000));
      await requests.settled(until - Date.now());
      requests.cutOff();
      await jobsDone;
      await closeVite();
      await indexer.stop();
      stopMaintenance();
      setSearch(undefined);
      setDatabase(undefined);
      await database.close();
    })());
  return { url, port, database, markDraining: observability.markDraining, shutdown, close: () => shutdown(0) };
}

/** The start line's description of the service: mode and database. */
export function describeService(dev: boolean, database: { kind: "pglite" | "postgres" }, config: Env): string {
  return `${dev ? "Entwicklung" : "Produktion"}, Datenbank: ${database.kind === "pglite" ? `eingebettet in ${path.resolve(config.DATA_DIR)}` : "PostgreSQL"}`;
}

function isMain(): boolean {
  const entry = process.argv[1];
  return !!entry && fs.realpathSync(entry) === fileURLToPath(import.meta.url);
}

// `tsx server/index.ts` (npm run dev, tests' child servers) runs the same entry as the build (server/main.ts). Not
// awaited: main() imports this module again, which must have finished evaluating by then.
if (isMain()) void import("./main.ts").then((entry) => entry.main());
