/** Socket helpers for the live-room tests: real socket.io clients against a real server. */
import type { Socket } from "socket.io-client";
import type { RoundEvent } from "../../app/realtime/events.ts";
import { postForm, type TestSocket } from "./helpers.ts";

export type Answer = { ok: boolean; error?: string } & Record<string, unknown>;

export function ask(socket: TestSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Answer> {
  return (socket as unknown as Socket).timeout(timeoutMs).emitWithAck(event, payload) as Promise<Answer>;
}

/** Collects every round event and error a socket receives. */
export function recorder(socket: TestSocket) {
  const events: RoundEvent[] = [];
  const errors: { event: string; message: string }[] = [];
  const states: { speakerId: string | null; queue: { userId: string }[] }[] = [];
  const s = socket as unknown as Socket;
  s.on("round:event", (p: { event: RoundEvent }) => events.push(p.event));
  s.on("round:error", (p: { event: string; message: string }) => errors.push(p));
  s.on("round:state", (p: { speakerId: string | null; queue: { userId: string }[] }) => states.push(p));
  return { events, errors, states };
}

export async function until(check: () => boolean, timeoutMs = 15_000, what = "condition"): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function openRound(baseUrl: string, cookie: string, roundId: string): Promise<void> {
  const response = await postForm(baseUrl, `/dialogrunden/${roundId}`, { intent: "open" }, { cookie });
  if (response.status !== 302 && response.status !== 204 && response.status !== 200)
    throw new Error(`opening failed: ${response.status}`);
  await response.body?.cancel();
}
