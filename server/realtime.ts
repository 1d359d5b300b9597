import type http from "node:http";
import { Server, type Socket } from "socket.io";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { can } from "../app/auth/permissions.ts";
import { readSessionToken } from "../app/auth/session.server.ts";
import { validateSessionToken, type SessionUser } from "../app/models/accounts/sessions.server.ts";
import { registerHub } from "../app/realtime/hub.server.ts";
import { getThreadFacts } from "../app/models/discussions/facts.server.ts";
import { getCaseFacts } from "../app/models/cases/facts.server.ts";
import { clientPayloads } from "../app/schemas/realtime.ts";
import {
  roomName,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "../app/realtime/events.ts";
import { socketOriginAllowed } from "./security.ts";
import { presenceUpdater, registerRoundHandlers } from "./rounds.ts";

interface SocketData {
  user: SessionUser;
  sessionId: string;
}

type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeOptions {
  publicUrl?: string;
  /** With PostgreSQL, broadcasts reach the clients of every server process through the postgres adapter. */
  databaseUrl?: string;
}

export function startRealtime(httpServer: http.Server, options: RealtimeOptions): { close: () => Promise<void> } {
  const io: AppServer = new Server(httpServer, {
    serveClient: false,
    // The handshake must come from a page of this site, like every non-GET request (403 otherwise).
    allowRequest: (req, callback) => callback(null, socketOriginAllowed(req, options.publicUrl)),
  });

  let pool: pg.Pool | undefined;
  if (options.databaseUrl) {
    pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    pool.on("error", (error) => console.error("Echtzeit-Adapter: Datenbankfehler", error.message));
    io.adapter(createAdapter(pool, { tableName: "socket_io_attachments" }));
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

  io.on("connection", (socket: AppSocket) => {
    const user = { ...socket.data.user, sessionId: socket.data.sessionId };
    // Its member's room (logout everywhere, notification badge) and its session's room (logout of this session).
    for (const room of [roomName.user(user.id), roomName.session(user.sessionId)]) {
      if (can(user, "join", { type: "room", name: room })) void socket.join(room);
    }

    socket.on("room:join", (payload, ack) => {
      const parsed = clientPayloads["room:join"].safeParse(payload);
      if (typeof ack !== "function") return;
      if (!parsed.success) return ack({ ok: false, error: "Ungültige Anfrage" });
      void (async () => {
        const name = parsed.data.room;
        // Rooms about content need its current state for the decision (a hidden thread is for moderators only).
        const thread = name.startsWith("thread:") ? ((await getThreadFacts(name.slice(7)).catch(() => null)) ?? undefined) : undefined;
        // A consultation's room is for its participants only (not for moderators or admins).
        const consultation = name.startsWith("case:") ? ((await getCaseFacts(name.slice(5)).catch(() => null)) ?? undefined) : undefined;
        if (!can(user, "join", { type: "room", name, thread, consultation })) return ack({ ok: false, error: "Kein Zutritt zu diesem Raum" });
        await socket.join(name);
        ack({ ok: true });
        if (consultation) await publishPresence(io, name);
      })();
    });

    // Live dialogue rounds: joins authorized with can() on the round's facts inside joinLiveRound.
    registerRoundHandlers(socket as never, user, updatePresence);

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
    async close() {
      registerHub(undefined);
      await new Promise<void>((resolve) => io.close(() => resolve()));
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
