/**
 * The socket side of live dialogue rounds: every payload parsed with its zod schema, every action through the same
 * model functions the pages use (they authorize with can()), refusals answered with a `round:error` event (and the
 * ack), and a token bucket per socket so one client sending 50 messages a second slows only itself.
 */
import type { Server, Socket } from "socket.io";
import type { Actor } from "../app/auth/permissions.ts";
import { takeToken, type Bucket } from "../app/domain/rounds/throttle.ts";
import { ackError, ForbiddenError } from "../app/models/errors.server.ts";
import { hostCommand } from "../app/models/rounds/host.server.ts";
import {
  eventsSince,
  joinLiveRound,
  postChat,
  saveNotes,
  sendReaction,
  setHand,
} from "../app/models/rounds/live.server.ts";
import { clientPayloads } from "../app/schemas/realtime.ts";
import { memberNames } from "../app/models/accounts/names.server.ts";
import { roomName, type ClientToServerEvents, type ServerToClientEvents } from "../app/realtime/events.ts";
import { errorFields, log } from "../app/log.server.ts";

type RoundEventName = Extract<keyof ClientToServerEvents, `round:${string}`>;
type AnySocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: Actor & { displayName: string } }
>;
type AnyServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: Actor & { displayName: string } }
>;
type Reply = (result: { ok: boolean; error?: string } & Record<string, unknown>) => void;

/** Chat: 5 a second with bursts of 10. Everything else (hand, reactions, notes, host commands): 10 a second. */
const LIMITS = { chat: { perSecond: 5, burst: 10 }, other: { perSecond: 10, burst: 20 } };

export function presenceUpdater(io: AnyServer): (roundId: string) => void {
  const pending = new Map<string, NodeJS.Timeout>();
  // Joins come in bursts (a whole room after the host opens it): one presence list per room every 300 ms at most.
  return (roundId) => {
    if (pending.has(roundId)) return;
    const timer = setTimeout(() => {
      pending.delete(roundId);
      void io
        .in(roomName.round(roundId))
        .fetchSockets()
        .then(async (sockets) => {
          const people = new Map<string, string>();
          for (const s of sockets) if (s.data.user) people.set(s.data.user.id, s.data.user.displayName);
          // Faces from the name cache (one query for those not seen within the minute).
          const faces = await memberNames([...people.keys()]);
          const list = [...people]
            .map(([id, name]) => ({ id, name, picture: faces.get(id)?.picture ?? null }))
            .sort((a, b) => a.name.localeCompare(b.name, "de"));
          io.to(roomName.round(roundId)).emit("round:presence", { roundId, people: list });
        })
        .catch(() => {});
    }, 300);
    timer.unref();
    pending.set(roundId, timer);
  };
}

/**
 * `recheck` reads the member's session and role again; events that use rights a member can lose (entering a round,
 * host commands) wait for it, so a demoted moderator cannot remove anyone even from a socket opened before.
 */
export function registerRoundHandlers(
  socket: AnySocket,
  user: Actor,
  updatePresence: (roundId: string) => void,
  recheck: () => Promise<"ok" | "ended" | "failed">,
): void {
  const buckets: Record<keyof typeof LIMITS, Bucket | undefined> = { chat: undefined, other: undefined };

  function refuse(event: string, roundId: string | null, message: string, ack?: Reply) {
    socket.emit("round:error", { roundId, event, message });
    if (typeof ack === "function") ack({ ok: false, error: message });
  }

  function on<E extends RoundEventName>(
    event: E,
    options: { limit?: keyof typeof LIMITS; inRoom: boolean; privileged?: boolean },
    handler: (data: { roundId: string } & Record<string, unknown>) => Promise<Record<string, unknown> | void>,
  ) {
    (socket as unknown as { on: (e: string, fn: (payload: unknown, ack?: Reply) => void) => void }).on(
      event,
      (payload, ack) => {
        const roundId =
          typeof (payload as { roundId?: unknown })?.roundId === "string"
            ? (payload as { roundId: string }).roundId.slice(0, 40)
            : null;
        const parsed = clientPayloads[event].safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues.find((i) => i.code === "custom" || i.code === "too_big");
          return refuse(event, roundId, issue?.message ?? "Ungültige Anfrage.", ack);
        }
        const data = parsed.data as { roundId: string } & Record<string, unknown>;
        if (options.limit) {
          const taken = takeToken(
            buckets[options.limit],
            Date.now(),
            LIMITS[options.limit].perSecond,
            LIMITS[options.limit].burst,
          );
          buckets[options.limit] = taken.bucket;
          if (!taken.ok) return refuse(event, data.roundId, "Du sendest zu schnell. Bitte warte einen Moment.", ack);
        }
        if (options.inRoom && !socket.rooms.has(roomName.round(data.roundId))) {
          return refuse(event, data.roundId, "Du bist nicht in diesem Raum.", ack);
        }
        const checked = options.privileged ? recheck() : Promise.resolve("ok" as const);
        checked
          .then((state) => {
            if (state !== "ok")
              throw new ForbiddenError("Deine Anmeldung hat sich geändert. Bitte lade die Seite neu.");
            return handler(data);
          })
          .then(
            (result) => {
              if (typeof ack === "function") ack({ ok: true, ...(result ?? {}) });
            },
            (error) => {
              const message = ackError(error)?.error;
              if (!message) log().error({ event, ...errorFields(error) }, "Dialogrunde: Ereignis fehlgeschlagen");
              refuse(event, data.roundId, message ?? "Das hat nicht geklappt. Bitte versuche es noch einmal.", ack);
            },
          );
      },
    );
  }

  on("round:join", { inRoom: false, limit: "other", privileged: true }, async ({ roundId, since }) => {
    // joinLiveRound asks can(user, "join", round room) with the round's current facts.
    const joined = await joinLiveRound(user, roundId, since as number);
    await socket.join(roomName.round(roundId));
    updatePresence(roundId);
    return { ...joined };
  });
  on("round:leave", { inRoom: false }, async ({ roundId }) => {
    await socket.leave(roomName.round(roundId));
    updatePresence(roundId);
  });
  on("round:since", { inRoom: true }, async ({ roundId, since }) => ({
    ...(await eventsSince(roundId, since as number)),
  }));
  on("round:chat", { inRoom: true, limit: "chat" }, async ({ roundId, text, clientId }) =>
    postChat(user, roundId, text as string, clientId as string),
  );
  on("round:notes", { inRoom: true, limit: "other" }, async ({ roundId, text, clientId }) =>
    saveNotes(user, roundId, text as string, clientId as string),
  );
  on("round:hand", { inRoom: true, limit: "other" }, async ({ roundId, raised }) =>
    setHand(user, roundId, raised as boolean),
  );
  on("round:react", { inRoom: true, limit: "other" }, async ({ roundId, kind }) =>
    sendReaction(user, roundId, kind as string),
  );
  on("round:host", { inRoom: true, limit: "other", privileged: true }, async ({ roundId, command }) =>
    hostCommand(user, roundId, command as Parameters<typeof hostCommand>[2]),
  );

  socket.on("disconnecting", () => {
    for (const room of socket.rooms) {
      if (room.startsWith("round:")) {
        const roundId = room.slice(6);
        // After the socket has left its rooms.
        setImmediate(() => updatePresence(roundId));
      }
    }
  });
}
