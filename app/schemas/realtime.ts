import { z } from "./zod.ts";
import type { ClientToServerEvents } from "../realtime/events.ts";

/** Every client payload is parsed with these on the server; the event types in realtime/events.ts serve both ends. */
export const clientPayloads = {
  "room:join": z.object({ room: z.string().min(1).max(120) }),
  "room:leave": z.object({ room: z.string().min(1).max(120) }),
} satisfies { [K in keyof ClientToServerEvents]: z.ZodType };
