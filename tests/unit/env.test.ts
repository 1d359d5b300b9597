import { describe, expect, it } from "vitest";
import os from "node:os";
import { EnvError, parseEnv, workerCount } from "../../app/env.server.ts";

describe("parseEnv", () => {
  it("has the documented defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: "./data", OPEN_REGISTRATION: false, SEED_DEMO: true });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("treats empty values as unset and trims a trailing slash from PUBLIC_URL", () => {
    const env = parseEnv({ PORT: "", PUBLIC_URL: "https://netzwerk.example.org/", OPEN_REGISTRATION: "true" });
    expect(env.PORT).toBe(3000);
    expect(env.PUBLIC_URL).toBe("https://netzwerk.example.org");
    expect(env.OPEN_REGISTRATION).toBe(true);
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://localhost/x"],
    ["PUBLIC_URL", "netzwerk"],
    ["OPEN_REGISTRATION", "ja"],
    ["SESSION_SECURE", "1"],
    ["SMTP_URL", "http://mail"],
    ["MEILISEARCH_URL", "kein url"],
  ])("stops with a message naming %s when it is %s", (name, value) => {
    let error: unknown;
    try {
      parseEnv({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).message).toContain(`${name}:`);
    expect((error as EnvError).problems).toHaveLength(1);
  });

  it("lists every bad variable at once", () => {
    expect(() => parseEnv({ PORT: "x", SEED_DEMO: "nein" })).toThrow(/PORT:[\s\S]*SEED_DEMO:/);
  });
});

describe("WEB_CONCURRENCY", () => {
  it("above 1 needs PostgreSQL; the default is one per core with DATABASE_URL and one without", () => {
    expect(() => parseEnv({ WEB_CONCURRENCY: "2" })).toThrow(EnvError);
    expect(() => parseEnv({ WEB_CONCURRENCY: "2" })).toThrow(/WEB_CONCURRENCY über 1 braucht DATABASE_URL/);
    expect(() => parseEnv({ WEB_CONCURRENCY: "0", DATABASE_URL: "postgres://x/y" })).toThrow(
      /WEB_CONCURRENCY muss mindestens 1 sein/,
    );
    expect(workerCount(parseEnv({}))).toBe(1);
    expect(workerCount(parseEnv({ WEB_CONCURRENCY: "1" }))).toBe(1);
    expect(workerCount(parseEnv({ DATABASE_URL: "postgres://x/y" }))).toBe(os.availableParallelism());
    expect(workerCount(parseEnv({ DATABASE_URL: "postgres://x/y", WEB_CONCURRENCY: "3" }))).toBe(3);
  });
});
