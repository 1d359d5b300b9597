/**
 * Login throttling (ADR 020) against the real database: attempts are reserved before the password check, the wait
 * doubles instead of locking the account, and the owner's known address still gets in while strangers guess.
 * Every test runs on its own clock and its own accounts and addresses.
 */
import { describe, expect, it } from "vitest";
import { engine, useTestDatabase } from "../setup/db.ts";
import { loginKnownAddresses, loginThrottle } from "../../db/schema/index.ts";
import { createUser, login, type LoginResult } from "../../app/models/accounts/users.server.ts";
import { addressBucket, THROTTLE } from "../../app/models/accounts/throttle.server.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
const PASSWORD = "ein-gutes-passwort";
let counter = 0;

async function newUser() {
  counter++;
  const email = `drossel${counter}@example.org`;
  const { id } = await createUser({
    email,
    displayName: `Drossel ${counter}`,
    handle: `drossel-${counter}`,
    password: PASSWORD,
  });
  return { id, email };
}

const at = (start: Date, ms: number) => new Date(start.getTime() + ms);
const guess = (email: string, ip: string, now: Date) => login({ email, password: "falsch-geraten", ip, now });

describe(`login throttling on ${engine}`, () => {
  it("evaluates at most the allowance of 30 parallel guesses on one account; the rest wait", async () => {
    const person = await newUser();
    const now = new Date("2026-03-02T10:00:00Z");
    // 30 guesses at the same moment, each from its own address (a botnet), so only the account counter limits them.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => guess(person.email, `10.30.0.${i + 1}`, now)),
    );
    const evaluated = results.filter((r) => !r.ok && r.reason === "invalid");
    const refused = results.filter(
      (r): r is Extract<LoginResult, { reason: "throttled" }> => !r.ok && r.reason === "throttled",
    );
    expect(evaluated).toHaveLength(THROTTLE.account);
    expect(refused).toHaveLength(30 - THROTTLE.account);
    expect(refused.every((r) => r.retryAfterSeconds === 1)).toBe(true);
    // The same from one address against 30 accounts: the address allowance is the limit there.
    const sprayed = await Promise.all(
      Array.from({ length: 30 }, (_, i) => guess(`gesprueht-${i}@example.org`, "10.30.1.1", now)),
    );
    expect(sprayed.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(THROTTLE.address);
  });

  it("doubles the wait with every further failure up to the cap, instead of locking the account", async () => {
    const person = await newUser();
    const start = new Date("2026-03-03T08:00:00Z");
    let now = start;
    for (let i = 0; i < THROTTLE.account; i++)
      expect(await guess(person.email, `10.31.0.${i}`, now)).toEqual({ ok: false, reason: "invalid" });
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const refused = await guess(person.email, `10.31.1.${i}`, now);
      if (refused.ok || refused.reason !== "throttled")
        throw new Error(`expected a wait, got ${JSON.stringify(refused)}`);
      waits.push(refused.retryAfterSeconds);
      // One millisecond early is still too early; at the announced moment the attempt is evaluated again.
      expect(await guess(person.email, `10.31.5.${i}`, at(now, refused.retryAfterSeconds * 1000 - 1))).toMatchObject({
        reason: "throttled",
      });
      now = at(now, refused.retryAfterSeconds * 1000);
      expect(await guess(person.email, `10.31.2.${i}`, now)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    // Not a lockout: once the wait is over, the right password gets in, and the counter starts again.
    const refused = await login({ email: person.email, password: PASSWORD, ip: "10.31.3.1", now });
    expect(refused).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 900 });
    now = at(now, 900_000);
    expect((await login({ email: person.email, password: PASSWORD, ip: "10.31.3.1", now })).ok).toBe(true);
    for (let i = 0; i < THROTTLE.account; i++)
      expect(await guess(person.email, `10.31.4.${i}`, now)).toEqual({ ok: false, reason: "invalid" });
  });

  it("lets the owner in from an address they signed in from before while the account is under attack", async () => {
    const person = await newUser();
    const start = new Date("2026-03-04T07:30:00Z");
    expect((await login({ email: person.email, password: PASSWORD, ip: "10.32.0.1", now: start })).ok).toBe(true);

    // An attack from many addresses puts the account into a long backoff.
    let now = at(start, 60_000);
    for (let evaluated = 0, i = 0; evaluated < 20; i++) {
      const result = await guess(person.email, `10.32.1.${i}`, now);
      if (!result.ok && result.reason === "throttled") now = at(now, result.retryAfterSeconds * 1000);
      else evaluated++;
    }
    const stranger = await login({ email: person.email, password: PASSWORD, ip: "10.32.9.9", now });
    expect(stranger).toMatchObject({ ok: false, reason: "throttled" });

    // The owner's known address has a counter of its own: the right password works at once.
    expect((await login({ email: person.email, password: PASSWORD, ip: "10.32.0.1", now })).ok).toBe(true);
    // Someone guessing from the owner's address (a shared connection) gets the same backoff there, not more tries.
    const results: LoginResult[] = [];
    for (let i = 0; i < THROTTLE.known + 3; i++) results.push(await guess(person.email, "10.32.0.1", now));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(THROTTLE.known);
    // A known address is forgotten after its time; then the account's counter decides there too.
    const later = at(now, THROTTLE.knownForMs + 1000);
    for (let i = 0; i < THROTTLE.account; i++) await guess(person.email, `10.32.2.${i}`, later);
    expect(await login({ email: person.email, password: PASSWORD, ip: "10.32.0.1", now: later })).toMatchObject({
      ok: false,
      reason: "throttled",
    });
  });

  it("does not let one address's failures block another address beyond the account's own counter", async () => {
    const target = await newUser();
    const bystander = await newUser();
    const now = new Date("2026-03-05T12:00:00Z");
    // Address X guesses against many accounts until its own counter makes it wait (and twice on the target).
    for (let i = 0; i < THROTTLE.address - 2; i++)
      await guess(`gibt-es-nicht-${counter}-${i}@example.org`, "10.33.0.1", now);
    await guess(target.email, "10.33.0.1", now);
    await guess(target.email, "10.33.0.1", now);
    expect(await login({ email: bystander.email, password: PASSWORD, ip: "10.33.0.1", now })).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    // Address Y, never used for either account before, signs in to both.
    expect((await login({ email: bystander.email, password: PASSWORD, ip: "10.33.0.2", now })).ok).toBe(true);
    expect((await login({ email: target.email, password: PASSWORD, ip: "10.33.0.2", now })).ok).toBe(true);
    // Y's guesses are its own matter; X still waits.
    expect(await guess(`gibt-es-nicht-${counter}-x@example.org`, "10.33.0.2", now)).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await guess(`gibt-es-nicht-${counter}-y@example.org`, "10.33.0.1", now)).toMatchObject({
      ok: false,
      reason: "throttled",
    });
  });

  it("starts a counter again after a day without attempts, and stores neither e-mail nor address in clear", async () => {
    const person = await newUser();
    const start = new Date("2026-03-06T09:00:00Z");
    for (let i = 0; i < THROTTLE.account + 2; i++) await guess(person.email, "2001:db8:34:1::1", at(start, i * 60_000));
    const nextDay = at(start, THROTTLE.resetAfterMs + 10 * 60_000);
    // Fresh allowance: the full number of immediate attempts again, all from one /64 (another host in it).
    for (let i = 0; i < THROTTLE.account; i++)
      expect(await guess(person.email, "2001:db8:34:1::abcd", nextDay)).toEqual({ ok: false, reason: "invalid" });
    expect(
      (await login({ email: person.email, password: PASSWORD, ip: "2001:db8:34:1:ffff::2", now: at(nextDay, 1000) }))
        .ok,
    ).toBe(true);

    const stored = JSON.stringify([
      await db().select().from(loginThrottle),
      await db().select().from(loginKnownAddresses),
    ]);
    expect(stored).not.toContain("example.org");
    expect(stored).not.toContain("10.3");
    expect(stored).not.toContain("2001:db8");
  });

  it("counts IPv6 addresses per /64 and IPv4-mapped addresses as IPv4", () => {
    expect(addressBucket("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:0db8:0001:0002::9")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
    expect(addressBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressBucket("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(addressBucket("192.0.2.7")).toBe("192.0.2.7");
  });
});
