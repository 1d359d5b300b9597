import { z } from "./zod.ts";
import type { ClientToServerEvents } from "../realtime/events.ts";
import { CHAT_MAX_BYTES, NOTES_MAX_CHARS, reactionKinds, utf8Bytes } from "../domain/rounds/types.ts";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Ungültige Kennung");
const roundId = uuid;
const clientId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/);
const seq = z.number().int().min(0).max(2_147_483_647);

const hostCommand = z.discriminatedUnion("action", [
  z.object({ action: z.literal("floor"), userId: uuid.nullable().optional() }),
  z.object({ action: z.literal("endFloor") }),
  z.object({ action: z.enum(["mute", "unmute", "remove", "scribe", "unscribe"]), userId: uuid }),
  z.object({ action: z.literal("pin"), seq: seq.nullable() }),
  z.object({
    action: z.literal("agenda"),
    to: z.union([z.enum(["next", "previous"]), z.number().int().min(0).max(200)]),
  }),
  z.object({ action: z.literal("takeQuestion"), questionId: uuid }),
]);

/** Every client payload is parsed with these on the server; the event types in realtime/events.ts serve both ends. */
export const clientPayloads = {
  "room:join": z.object({ room: z.string().min(1).max(120) }),
  "room:leave": z.object({ room: z.string().min(1).max(120) }),
  "round:join": z.object({ roundId, since: seq }),
  "round:leave": z.object({ roundId }),
  "round:since": z.object({ roundId, since: seq }),
  "round:chat": z.object({
    roundId,
    clientId,
    text: z
      .string()
      .max(CHAT_MAX_BYTES, "Die Nachricht ist zu lang (höchstens 4 KB).")
      .refine((t) => utf8Bytes(t) <= CHAT_MAX_BYTES, "Die Nachricht ist zu lang (höchstens 4 KB).")
      .refine((t) => t.trim().length > 0, "Die Nachricht ist leer."),
  }),
  "round:notes": z.object({ roundId, clientId, text: z.string().max(NOTES_MAX_CHARS, "Das Protokoll ist zu lang.") }),
  "round:hand": z.object({ roundId, raised: z.boolean() }),
  "round:react": z.object({ roundId, kind: z.enum(Object.keys(reactionKinds) as [string, ...string[]]) }),
  "round:host": z.object({ roundId, command: hostCommand }),
} satisfies { [K in keyof ClientToServerEvents]: z.ZodType };
