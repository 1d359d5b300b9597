import http from "node:http";
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import compression from "compression";
import type { ServerBuild } from "@remix-run/node";
import { env, EnvError, type Env } from "../app/env.server.ts";
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
import { deleteExpiredSessions, validateSessionToken } from "../app/models/accounts/sessions.server.ts";
import { originCheck, privateNoStore, securityHeaders } from "./security.ts";
import { addressGate, contentTypeGate, refuseTooLarge, remixHandler } from "./boundary.ts";
import { startRealtime } from "./realtime.ts";
import { registerFileRoutes } from "./files.ts";
import { registerPictureRoutes } from "./avatars.ts";
import { registerImageRoutes } from "./images.ts";
import { missingStaticFile, registerSiteFiles } from "./siteFiles.ts";
import { runCaseJobs } from "../app/models/cases/jobs.server.ts";
import { runRoundJobs } from "../app/models/rounds/jobs.server.ts";
import { runDigests } from "../app/models/notifications/digest.server.ts";
import { runBookmarkReminders } from "../app/models/bookmarks/bookmarks.server.ts";
import { deleteExpiredExports } from "../app/models/privacy/export.server.ts";
import { configureLog, errorFields, log as logger } from "../app/log.server.ts";
import { createObservability, registerOperatorRoutes, routeLabeller } from "./observe.ts";
import { startBackupChannel, startNightlyBackup } from "./backup.ts";

/** Larger than any form can legitimately be (a post is at most 50,000 characters), with room for the editor's JSON. */
const MAX_FORM_BYTES = 12 * 1024 * 1024;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface RunningServer {
  url: string;
  port: number;
  database: DatabaseHandle;
  /** Readiness answers 503 from now on (the shutdown calls it before draining). */
  markDraining: () => void;
  close: () => Promise<void>;
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
  const written = await handle.db.insert(installation).values({ id: 1 }).onConflictDoNothing().returning({ id: installation.id });
  return written.length === 1;
}

/** Starts the site: database, Express with Remix, socket.io, all on one port. */
export async function startServer(options: { quiet?: boolean; config?: Env } = {}): Promise<RunningServer> {
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
  const indexer = startIndexer(database, engine, {
    onError: (error) => logger().error(errorFields(error), "Suchindex: Aktualisierung fehlgeschlagen, wird wiederholt"),
  });
  setSearch({ engine, indexer });
  const stopMaintenance = startMaintenance(database, {
    onError: (error) => logger().error(errorFields(error), "Datenbankpflege fehlgeschlagen, nächster Versuch in fünf Minuten"),
  });
  indexer.kick();

  const observability = createObservability({ database, requestIdHeader: config.REQUEST_ID_HEADER });
  const app = express();
  app.disable("x-powered-by");
  app.use(observability.requests);
  // Behind a reverse proxy on the same host, req.ip and req.protocol come from X-Forwarded-*.
  app.set("trust proxy", "loopback");
  const httpServer = http.createServer(app);
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
      res.sendFile(path.join(clientDir, "sw.js"), { headers: { "Cache-Control": "no-cache", "Service-Worker-Allowed": "/" } }, (e) => e && next(e)),
    );
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    // Files copied from public/ (the favicon). Only paths that name a file are looked up: a file-system lookup for
    // every page request cost ~0.1 ms.
    const publicFiles = express.static(clientDir, { maxAge: "1h" });
    app.use((req, res, next) => (path.extname(req.path) && !req.path.endsWith(".data") ? publicFiles(req, res, next) : next()));
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
    if (length > MAX_FORM_BYTES && !req.path.startsWith("/api/v1/uploads") && req.path !== "/api/v1/bilder") return refuseTooLarge(req, res);
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
    if (!res.headersSent) res.status(500).type("text/plain; charset=utf-8").send("Ein interner Fehler ist aufgetreten.");
  }) as express.ErrorRequestHandler);

  const realtime = startRealtime(httpServer, { publicUrl: config.PUBLIC_URL, databaseUrl: config.DATABASE_URL });
  observability.setSocketCount(realtime.clients);

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  log(`Das Netzwerk läuft auf ${url} (${dev ? "Entwicklung" : "Produktion"}, Datenbank: ${database.kind === "pglite" ? `eingebettet in ${path.resolve(config.DATA_DIR)}` : "PostgreSQL"})`, { url });
  // Backups while running (ADR 043): `npm run backup` asks through a socket in DATA_DIR; the nightly one, if configured.
  const backupChannel = await startBackupChannel(database, config);
  const stopNightlyBackup = startNightlyBackup(database, config, observability.job);

  // Expired sessions are also removed when presented; this sweeps those nobody presents again.
  // Data exports expire after some days (zip files included).
  const sweepAll = () => {
    void observability.job("sessions-sweep", deleteExpiredSessions);
    void observability.job("exports-sweep", deleteExpiredExports);
  };
  const sweep = setInterval(sweepAll, 6 * 60 * 60 * 1000);
  sweep.unref();
  sweepAll();

  // Case consultations: asynchronous deadlines and reminders each minute; the retention purge runs with them.
  const caseJobs = setInterval(() => void observability.job("case-jobs", () => runCaseJobs(new Date())), 60_000);
  caseJobs.unref();
  // Round reminders (24 hours and 15 minutes before) and the mail outbox; safe to run in several processes at once.
  let jobsRunning = false;
  const roundJobs = setInterval(() => {
    if (jobsRunning) return;
    jobsRunning = true;
    void observability.job("round-jobs", () => runRoundJobs(new Date())).finally(() => (jobsRunning = false));
  }, 30_000);
  roundJobs.unref();
  // Daily and weekly digests: due at 07:00 Berlin (Mondays for the weekly one); a run before that finds nothing to do,
  // and a run after it finds each member already done. Their mails go out with the round jobs' outbox delivery.
  let digestsRunning = false;
  const digests = setInterval(() => {
    if (digestsRunning) return;
    digestsRunning = true;
    void observability.job("digests", () => runDigests(new Date())).finally(() => (digestsRunning = false));
  }, 5 * 60_000);
  digests.unref();
  // Merkliste reminders (due at 08:00 Berlin on the chosen day); each is claimed once, also with several processes.
  const bookmarkReminders = setInterval(
    () => void observability.job("bookmark-reminders", () => runBookmarkReminders(new Date())),
    60_000,
  );
  bookmarkReminders.unref();

  let closed = false;
  return {
    url,
    port,
    database,
    markDraining: observability.markDraining,
    async close() {
      if (closed) return;
      closed = true;
      observability.markDraining();
      stopNightlyBackup();
      await backupChannel.close();
      clearInterval(sweep);
      clearInterval(caseJobs);
      clearInterval(roundJobs);
      clearInterval(digests);
      clearInterval(bookmarkReminders);
      stopMaintenance();
      httpServer.closeAllConnections();
      await realtime.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await closeVite();
      await indexer.stop();
      setSearch(undefined);
      setDatabase(undefined);
      await database.close();
    },
  };
}

function isMain(): boolean {
  const entry = process.argv[1];
  return !!entry && fs.realpathSync(entry) === fileURLToPath(import.meta.url);
}

export async function main(): Promise<void> {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      // Not a log event: the service refuses to start, and a person reads why (one line per variable).
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Handlers first: a stop signal during start-up waits for the start, then shuts down cleanly (lock released).
  const starting = startServer();
  // `on`, not `once`, and one shutdown for all: under `npm start` systemd's SIGTERM reaches every process of the
  // group, and npm or a wrapper may forward it once more. With `once` the second signal killed the process mid-close
  // (no database close, DATA_DIR/.lock left behind).
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      let code = 0;
      try {
        await (await starting).close();
        logger().info("Server beendet, Datenbank geschlossen.");
      } catch (error) {
        logger().error(errorFields(error), "Beenden fehlgeschlagen");
        code = 1;
      } finally {
        process.exit(code);
      }
    })();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    await starting;
  } catch (error) {
    logger().fatal(errorFields(error), "Start fehlgeschlagen");
    process.exit(1);
  }
}

if (isMain()) await main();
