/**
 * A token bucket per socket: a burst of `burst` messages, refilled at `perSecond`. A client that sends 50 messages a
 * second is refused beyond that, while everyone else's bucket is untouched. Pure: the caller passes the clock.
 */
export interface Bucket {
  tokens: number;
  at: number;
}

export function takeToken(
  bucket: Bucket | undefined,
  now: number,
  perSecond: number,
  burst: number,
): { ok: boolean; bucket: Bucket } {
  const current = bucket ?? { tokens: burst, at: now };
  const tokens = Math.min(burst, current.tokens + ((now - current.at) / 1000) * perSecond);
  if (tokens < 1) return { ok: false, bucket: { tokens, at: now } };
  return { ok: true, bucket: { tokens: tokens - 1, at: now } };
}
