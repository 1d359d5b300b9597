import type http from "node:http";
import { randomBytes } from "node:crypto";
import { Server, type Socket } from "socket.io";
import sticky from "@socket.io/sticky";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { can } from "../app/auth/permissions.ts";
import { readSessionToken } from "../app/auth/session.server.ts";
import { currentSessionUser, validateSessionToken, type SessionUser } from "../app/models/accounts/sessions.server.ts";
import { takeToken, type Bucket } from "../app/domain/rounds/throttle.ts";
import { registerHub } from "../app/realtime/hub.server.ts";
import { getThreadFacts } from "../app/models/discussions/facts.server.ts";
import { getCaseFacts } from "../app/models/cases/facts.server.ts";
import { clientPayloads } from "../app/schemas/realtime.ts";
import { roomName, type ClientToServerEvents, type ServerToClientEvents } from "../app/realtime/events.ts";
import { socketOriginAllowed } from "./security.ts";
import { errorFields, log } from "../app/log.server.ts";
import { presenceUpdater, registerRoundHandlers } from "./rounds.ts";

interface SocketData {
  user: SessionUser;
  sessionId: string;
}

type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * room:join reads the database (the room's facts), so it is rate-limited: per socket, and per member across their
 * sockets in this process (a member opening 50 sockets gets no more than the per-member rate). A page joins a few
 * rooms when it opens, well inside the bursts.
 */
export const JOIN_LIMITS = { socket: { perSecond: 3, burst: 10 }, user: { perSecond: 5, burst: 20 } };
const TOO_FAST = "Zu viele Anfragen. Bitte warte einen Moment.";

/** What a socket re-reads before a privileged event: "ok", "ended" (the socket has been closed) or "failed". */
export type Recheck = () => Promise<"ok" | "ended" | "failed">;

export interface RealtimeOptions {
  publicUrl?: string;
  /** With PostgreSQL, broadcasts reach the clients of every server process through the postgres adapter. */
  databaseUrl?: string;
  /** A worker of a cluster (server/cluster.ts): its connections come from the primary, which routes a long-polling
   * client's requests to the worker that holds its session (@socket.io/sticky). */
  sticky?: boolean;
}

export interface Realtime {
  /** Open socket.io connections of this process (the metrics' gauge). */
  clients: () => number;
  /** Tells every socket of this process to reconnect (`server:restarting`), closes them, waits up to `graceMs` for
   * their transports to go, then closes the adapter. */
  close: (graceMs?: number) => Promise<void>;
}

export function startRealtime(httpServer: http.Server, options: RealtimeOptions): Realtime {
  const io: AppServer = new Server(httpServer, {
    serveClient: false,
    // The handshake must come from a page of this site, like every non-GET request (403 otherwise).
    allowRequest: (req, callback) => callback(null, socketOriginAllowed(req, options.publicUrl)),
  });

  let pool: pg.Pool | undefined;
  if (options.databaseUrl) {
    pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    pool.on("error", (error) => log().error(errorFields(error), "Echtzeit-Adapter: Datenbankfehler"));
    io.adapter(createAdapter(pool, { tableName: "socket_io_attachments" }));
  }
  if (options.sticky) {
    sticky.setupWorker(io);
    // Session ids say which worker holds them (logs, tests); 20 characters as the primary's router expects.
    const worker = (Number(process.env.COMPANION_WORKER_INDEX ?? 0) + 1).toString(36);
    io.engine.generateId = () => `${worker}${randomBytes(15).toString("base64url")}`.slice(0, 20);
  }

  io.use(async (socket, next) => {
    const token = readSessionToken(socket.request.headers.cookie);
    const result = token ? await validateSessionToken(token, { renew: false }).catch(() => null) : null;
    if (!result) return next(new Error("Nicht angemeldet"));
    socket.data.user = result.user;
    socket.data.sessionId = result.session.id;
    next();
  });

  const updatePresence = presenceUpdater(io as never);
  const userJoins = new Map<string, { bucket: Bucket | undefined; sockets: number }>();

  io.on("connection", (socket: AppSocket) => {
    // Mutable on purpose: a re-check refreshes it, and the round handlers hold this same object.
    const user = { ...socket.data.user, sessionId: socket.data.sessionId };
    // Its member's room (logout everywhere, role change, notification badge) and its session's room (logout of this
    // session, password change on another device).
    for (const room of [roomName.user(user.id), roomName.session(user.sessionId)]) {
      if (can(user, "join", { type: "room", name: room })) void socket.join(room);
    }

    // The primary way rights end is the server closing the member's sockets (sessions.server.ts, roles.server.ts).
    // This re-read covers a socket that connected while that happened, or a close that got lost between processes.
    // A passed check holds for a second (the promised reaction time), so a burst of events costs one query.
    let checkedAt = -Infinity;
    const recheck: Recheck = async () => {
      if (Date.now() - checkedAt < 1000) return "ok";
      let fresh: SessionUser | null;
      try {
        fresh = await currentSessionUser(user.sessionId);
      } catch {
        return "failed";
      }
      if (!fresh || fresh.role !== user.role) {
        if (fresh) socket.emit("session:changed", { reason: "roleChanged" });
        else socket.emit("session:ended", { reason: "logout" });
        // After the caller's refusal has been acknowledged (engine.io sends what is queued before it closes).
        setImmediate(() => socket.disconnect(true));
        return "ended";
      }
      Object.assign(user, fresh);
      checkedAt = Date.now();
      return "ok";
    };

    let socketJoins: Bucket | undefined;
    const joins = userJoins.get(user.id) ?? { bucket: undefined, sockets: 0 };
    joins.sockets++;
    userJoins.set(user.id, joins);
    socket.on("disconnect", () => {
      if (--joins.sockets === 0) userJoins.delete(user.id);
    });
    const mayJoin = (now: number) => {
      const mine = takeToken(socketJoins, now, JOIN_LIMITS.socket.perSecond, JOIN_LIMITS.socket.burst);
      socketJoins = mine.bucket;
      if (!mine.ok) return false;
      const theirs = takeToken(joins.bucket, now, JOIN_LIMITS.user.perSecond, JOIN_LIMITS.user.burst);
      joins.bucket = theirs.bucket;
      return theirs.ok;
    };

    socket.on("room:join", (payload, ack) => {
      const parsed = clientPayloads["room:join"].safeParse(payload);
      if (typeof ack !== "function") return;
      if (!parsed.success) return ack({ ok: false, error: "Ungültige Anfrage" });
      if (!mayJoin(Date.now())) return ack({ ok: false, error: TOO_FAST });
      void (async () => {
        const checked = await recheck();
        if (checked !== "ok")
          return ack({
            ok: false,
            error:
              checked === "ended"
                ? "Deine Anmeldung hat sich geändert. Bitte lade die Seite neu."
                : "Das hat nicht geklappt. Bitte versuche es noch einmal.",
          });
        const name = parsed.data.room;
        // Rooms about content need its current state for the decision (a hidden thread is for moderators only).
        const thread = name.startsWith("thread:")
          ? ((await getThreadFacts(name.slice(7)).catch(() => null)) ?? undefined)
          : undefined;
        // A consultation's room is for its participants only (not for moderators or admins).
        const consultation = name.startsWith("case:")
          ? ((await getCaseFacts(name.slice(5)).catch(() => null)) ?? undefined)
          : undefined;
        if (!can(user, "join", { type: "room", name, thread, consultation }))
          return ack({ ok: false, error: "Kein Zutritt zu diesem Raum" });
        await socket.join(name);
        ack({ ok: true });
        if (consultation) await publishPresence(io, name);
      })();
    });

    // Live dialogue rounds: joins authorized with can() on the round's facts inside joinLiveRound.
    registerRoundHandlers(socket as never, user, updatePresence, recheck);

    socket.on("room:leave", (payload, ack) => {
      const parsed = clientPayloads["room:leave"].safeParse(payload);
      if (typeof ack !== "function") return;
      if (!parsed.success) return ack({ ok: false, error: "Ungültige Anfrage" });
      void (async () => {
        await socket.leave(parsed.data.room);
        ack({ ok: true });
        if (parsed.data.room.startsWith("case:")) await publishPresence(io, parsed.data.room);
      })();
    });

    // Leaving a consultation's page (or losing the connection) updates who is present.
    socket.on("disconnecting", () => {
      const rooms = [...socket.rooms].filter((r) => r.startsWith("case:"));
      if (rooms.length) setTimeout(() => rooms.forEach((r) => void publishPresence(io, r)), 0);
    });
  });

  registerHub({
    emit: (room, event, payload) => {
      (io.to(room).emit as (e: string, p: unknown) => boolean)(event, payload);
    },
    disconnect: (room) => io.in(room).disconnectSockets(true),
    leave: (room, target) => io.in(room).socketsLeave(target),
  });

  return {
    /** Open socket.io connections of this process (the metrics' gauge). */
    clients: () => io.engine.clientsCount,
    async close(graceMs = 0) {
      registerHub(undefined);
      // Only this process's sockets (io.emit would go to every worker's through the adapter). The engine sends what is
      // queued before it closes a transport; the client then sees a "transport close" and reconnects by itself (a
      // server-side disconnect() would tell it to stay away).
      io.local.emit("server:restarting", { reconnect: true });
      // Without a callback: ours waits for the HTTP server's connections, which the caller drains itself.
      io.close();
      const until = Date.now() + graceMs;
      while (io.engine.clientsCount > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      await pool?.end();
    },
  };
}

/** Who of a consultation's group has it open: distinct user ids of the sockets in its room (all server processes). */
async function publishPresence(io: AppServer, room: string): Promise<void> {
  try {
    const sockets = await io.in(room).fetchSockets();
    const present = [...new Set(sockets.map((s) => s.data.user.id))];
    io.to(room).emit("case:presence", { caseId: room.slice(5), present });
  } catch {
    // Presence is a courtesy; a failed count must not break the room.
  }
}
