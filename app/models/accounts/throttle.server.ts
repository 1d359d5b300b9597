/**
 * Login throttling by backoff (ADR 020). Every attempt is reserved in the database, in one statement, before its
 * password is checked, so parallel guesses cannot all be evaluated. Counters exist per account, per address and per
 * known address (an address the member signed in from before); all keys are HMACs with a site key, so the table holds
 * no e-mail address and no IP address in clear.
 */
import crypto from "node:crypto";
import net from "node:net";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { loginKnownAddresses, loginThrottle } from "../../../db/schema/index.ts";
import { db } from "../db.server.ts";
import { siteKey } from "../notifications/keys.server.ts";

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

/** Attempts without any wait before the backoff starts; after that each attempt waits twice as long, up to the cap. */
export const THROTTLE = {
  /** Per account, from addresses not known for it. */
  account: 5,
  /** Per account and known address: the owner's way in while strangers are guessing. */
  known: 5,
  /** Per address (IPv6: per /64) across accounts; generous, because a school or office shares one address. */
  address: 20,
  capSeconds: 15 * 60,
  /** A counter without attempts for this long starts again at zero. Longer than the cap, so a slow attacker keeps it. */
  resetAfterMs: DAY,
  /** A known address is forgotten this long after the last successful sign-in from it. */
  knownForMs: 90 * DAY,
} as const;

export type ThrottleKind = "account" | "known" | "address";

/** IPv4-mapped IPv6 becomes IPv4; other IPv6 addresses count per /64 (one connection usually owns a whole /64). */
export function addressBucket(ip: string): string {
  let address = ip.trim().replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1];
  if (!net.isIPv6(address)) return address;
  const [head, tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") && tail ? tail.split(":") : [];
  // An embedded IPv4 tail ("::1.2.3.4") lies beyond the first 64 bits; it does not affect the prefix.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

async function hmac(text: string): Promise<string> {
  return crypto
    .createHmac("sha256", await siteKey("login-throttle"))
    .update(text)
    .digest("base64url");
}

export const throttleKey = {
  account: (email: string) => hmac(`account\n${email.trim().toLowerCase()}`),
  address: (ip: string) => hmac(`address\n${addressBucket(ip)}`),
  known: (userId: string, ip: string) => hmac(`known\n${userId}\n${addressBucket(ip)}`),
  /** What login_known_addresses stores for an address. */
  knownAddress: (ip: string) => hmac(`known-address\n${addressBucket(ip)}`),
};

const ts = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Reserves one attempt on each key, atomically per key: the counter goes up only where the key's wait is over.
 * Returns null when every key took the attempt (the password may be checked), otherwise the seconds until the
 * longest wait of the refusing keys ends (for the message and Retry-After). Keys are charged in a fixed order, so two
 * attempts never wait for each other's row locks crosswise.
 */
export async function reserveAttempt(keys: { key: string; allowance: number }[], now: Date): Promise<number | null> {
  const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : 1));
  const stale = new Date(now.getTime() - THROTTLE.resetAfterMs);
  const failures = sql`(case when ${loginThrottle.updatedAt} < ${ts(stale)} then 1 else ${loginThrottle.failures} + 1 end)`;
  const taken = await db()
    .insert(loginThrottle)
    .values(sorted.map(({ key, allowance }) => ({ key, allowance, failures: 1, nextAllowedAt: now, updatedAt: now })))
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures,
        allowance: sql`excluded.allowance`,
        nextAllowedAt: sql`${ts(now)} + make_interval(secs => least(${THROTTLE.capSeconds}, case when ${failures} < excluded.allowance then 0 else power(2, ${failures} - excluded.allowance) end))`,
        updatedAt: now,
      },
      setWhere: sql`${loginThrottle.nextAllowedAt} <= ${ts(now)}`,
    })
    .returning({ key: loginThrottle.key });
  if (taken.length === sorted.length) return null;
  const refused = sorted.map((k) => k.key).filter((k) => !taken.some((t) => t.key === k));
  const waits = await db()
    .select({ nextAllowedAt: loginThrottle.nextAllowedAt })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, refused));
  const latest = Math.max(now.getTime(), ...waits.map((w) => w.nextAllowedAt.getTime()));
  return Math.max(1, Math.ceil((latest - now.getTime()) / SECOND));
}

/**
 * After the right password: the owner's counter (account or known address) starts again; the address only gets this
 * attempt back, so signing in to one's own account between guesses on others does not clear an address.
 */
export async function attemptSucceeded(input: { ownerKey: string; addressKey?: string; now: Date }): Promise<void> {
  await db()
    .update(loginThrottle)
    .set({ failures: 0, nextAllowedAt: input.now, updatedAt: input.now })
    .where(eq(loginThrottle.key, input.ownerKey));
  if (input.addressKey) {
    await db()
      .update(loginThrottle)
      .set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` })
      .where(eq(loginThrottle.key, input.addressKey));
  }
}

/** Counters nobody has touched for longer than they are kept serve no decision any more. */
export async function pruneThrottle(now: Date): Promise<void> {
  await db()
    .delete(loginThrottle)
    .where(lt(loginThrottle.updatedAt, new Date(now.getTime() - THROTTLE.resetAfterMs)));
}

export async function isKnownAddress(userId: string, address: string, now: Date): Promise<boolean> {
  const [row] = await db()
    .select({ lastSeenAt: loginKnownAddresses.lastSeenAt })
    .from(loginKnownAddresses)
    .where(and(eq(loginKnownAddresses.userId, userId), eq(loginKnownAddresses.address, address)));
  return !!row && row.lastSeenAt.getTime() > now.getTime() - THROTTLE.knownForMs;
}

/** Remembers (or refreshes) the address of a successful sign-in and forgets the member's expired ones. */
export async function rememberAddress(userId: string, address: string, now: Date): Promise<void> {
  await db()
    .insert(loginKnownAddresses)
    .values({ userId, address, lastSeenAt: now })
    .onConflictDoUpdate({
      target: [loginKnownAddresses.userId, loginKnownAddresses.address],
      set: { lastSeenAt: now },
    });
  await db()
    .delete(loginKnownAddresses)
    .where(
      and(
        eq(loginKnownAddresses.userId, userId),
        lt(loginKnownAddresses.lastSeenAt, new Date(now.getTime() - THROTTLE.knownForMs)),
      ),
    );
}
