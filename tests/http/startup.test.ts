/**
 * Starting the real server process (as `npm start` does) and the install CLI: the data directory lock, the checks
 * that stop a bad start with a clear German message, demo content only on a first start, and `npm run user:create`.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { loginCookie, root, spawnServer, tempDataDir, type ChildServer } from "../setup/server.ts";
import { DEMO_PASSWORD, get, postForm, runToExit, type Exited } from "./helpers.ts";

const dirs: string[] = [];
const servers: ChildServer[] = [];

function dataDir(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir;
}

async function serve(env: Record<string, string>): Promise<ChildServer> {
  const server = await spawnServer(env);
  servers.push(server);
  return server;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A start that must fail fast: exit code, and nothing a person would read as a crash. */
function expectCleanFailure(result: Exited) {
  expect(result.code, result.output).toBe(1);
  expect(result.output).not.toMatch(/^\s+at /m);
  expect(result.output).not.toContain("läuft auf");
}

/** `npm run user:create -- …` exactly as the README tells an operator to run it. */
function npmUserCreate(args: string[], env: Record<string, string>): Promise<Exited> {
  const started = Date.now();
  const child = spawn("npm", ["run", "--silent", "user:create", "--", ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, output, ms: Date.now() - started })));
}

async function healthy(server: ChildServer): Promise<boolean> {
  const response = await get(server.url, "/healthz");
  return response.status === 200 && (await response.json()).status === "ok";
}

async function loginStatus(url: string, email: string, password: string): Promise<number> {
  const response = await postForm(url, "/anmelden", { email, password });
  await response.body?.cancel();
  return response.status;
}

describe("checks before the start", () => {
  test("a bad environment variable stops the start with a message naming it", async () => {
    const dir = dataDir();
    const [port, database, seed] = await Promise.all([
      runToExit("server/index.ts", [], { DATA_DIR: dir, PORT: "abc" }),
      runToExit("server/index.ts", [], { DATA_DIR: dir, DATABASE_URL: "mysql://x" }),
      runToExit("server/index.ts", [], { DATA_DIR: dir, SEED_DEMO: "vielleicht" }),
    ]);
    for (const result of [port, database, seed]) {
      expectCleanFailure(result);
      expect(result.output).toContain("Ungültige Konfiguration:");
    }
    expect(port.output).toContain("PORT: PORT muss eine Zahl sein");
    expect(database.output).toContain("DATABASE_URL: DATABASE_URL muss mit postgres:// oder postgresql:// beginnen");
    expect(seed.output).toContain('SEED_DEMO: SEED_DEMO muss "true" oder "false" sein');
    // Nothing was created or locked.
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("a data directory from another PostgreSQL major gives a clear message, no crash, no leftover lock", async () => {
    const dir = dataDir();
    fs.mkdirSync(path.join(dir, "db"));
    fs.writeFileSync(path.join(dir, "db", "PG_VERSION"), "16\n");
    const result = await runToExit("server/index.ts", [], { DATA_DIR: dir });
    expectCleanFailure(result);
    expect(result.output).toContain(
      `Das Datenverzeichnis ${path.join(path.resolve(dir), "db")} stammt von PostgreSQL 16, diese Version braucht PostgreSQL 18.`,
    );
    expect(result.output).toContain("setze DATA_DIR auf ein neues Verzeichnis");
    expect(fs.existsSync(path.join(dir, ".lock"))).toBe(false);
    // The old data is left alone.
    expect(fs.readdirSync(path.join(dir, "db"))).toEqual(["PG_VERSION"]);
  });
});

/**
 * One data directory through the life of a new install: the first start without demo content (a second server on
 * the same directory is refused), the first accounts made with the CLI, then a restart that takes over a stale lock.
 */
describe("a new install: lock, no demo content, user:create, stale lock", () => {
  const dir = dataDir();
  const lockFile = path.join(dir, ".lock");
  let first: ChildServer;
  let moderatorPassword = "";

  test("the first start with SEED_DEMO=false serves without demo users and holds the lock", async () => {
    first = await serve({ DATA_DIR: dir, SEED_DEMO: "false" });
    expect(first.output()).not.toContain("Demo-Inhalte angelegt");
    expect(await healthy(first)).toBe(true);
    expect(await loginStatus(first.url, "admin@example.org", DEMO_PASSWORD)).toBe(400);
    expect(await loginStatus(first.url, "mitglied@example.org", DEMO_PASSWORD)).toBe(400);
    expect(fs.readFileSync(lockFile, "utf8").trim()).toBe(String(first.process.pid));
  });

  test("a second server on the same data directory exits quickly naming the directory and the PID; the first keeps serving", async () => {
    const pid = first.process.pid!;
    const second = await runToExit("server/index.ts", [], { DATA_DIR: dir }, 30_000);
    expectCleanFailure(second);
    expect(second.ms).toBeLessThan(30_000);
    expect(second.output).toContain(
      `Das Datenverzeichnis ${path.resolve(dir)} wird bereits von Prozess ${pid} benutzt.`,
    );

    // The CLI is refused the same way while the server holds the directory.
    const cli = await runToExit("scripts/create-user.ts", ["--email", "x@example.org", "--name", "X Y"], {
      DATA_DIR: dir,
    });
    expectCleanFailure(cli);
    expect(cli.output).toContain(`wird bereits von Prozess ${pid} benutzt`);

    expect(first.process.exitCode).toBeNull();
    expect(await healthy(first)).toBe(true);
    expect(fs.readFileSync(lockFile, "utf8").trim()).toBe(String(pid));

    // A clean stop releases the lock.
    await first.stop();
    expect(first.process.exitCode).toBe(0);
    expect(fs.existsSync(lockFile)).toBe(false);
  }, 60_000);

  test("bad CLI input exits 1 with a German message and the usage", async () => {
    const env = { DATA_DIR: dir };
    const valid = ["--email", "anna@example.org", "--name", "Anna Beispiel"];
    const results = await Promise.all([
      runToExit("scripts/create-user.ts", ["--email", "keine-adresse", "--name", "Anna Beispiel"], env),
      runToExit("scripts/create-user.ts", ["--email", "anna@example.org"], env),
      runToExit("scripts/create-user.ts", [...valid, "--role", "chefin"], env),
      runToExit("scripts/create-user.ts", [...valid, "--password", "kurz"], env),
      runToExit("scripts/create-user.ts", [...valid, "--handle", "a"], env),
      runToExit("scripts/create-user.ts", [...valid, "--fantasie", "1"], env),
    ]);
    const [email, name, role, password, handle, unknown] = results;
    for (const result of results) expectCleanFailure(result);
    expect(email.output).toContain("--email: Das ist keine gültige E-Mail-Adresse.");
    expect(name.output).toContain("--name: Der Name muss mindestens 2 Zeichen lang sein.");
    expect(role.output).toContain("--role muss admin, moderator oder member sein.");
    expect(password.output).toContain("--password: mindestens 10 Zeichen.");
    expect(handle.output).toContain("--handle: Der Kurzname muss mindestens 3 Zeichen lang sein.");
    for (const result of [email, name, role, unknown])
      expect(result.output).toContain("Aufruf: npm run user:create --");
  }, 60_000);

  test("user:create makes an admin who can log in, and prints what it did", async () => {
    const created = await npmUserCreate(
      ["--email", "Chefin@Example.org", "--name", "Jördis Prüfer", "--role", "admin", "--password", "sehr-geheim-2026"],
      { DATA_DIR: dir },
    );
    expect(created.code, created.output).toBe(0);
    expect(created.output).toMatch(
      /Konto angelegt: Jördis Prüfer <chefin@example\.org>, Kurzname „joerdis-pruefer“, Rolle admin \(id [0-9a-f-]{36}\)\./,
    );
    expect(created.output).not.toContain("Passwort (wird nur jetzt angezeigt)");

    // Without --password a password is generated and shown once.
    const moderator = await runToExit(
      "scripts/create-user.ts",
      ["--email", "mod@example.org", "--name", "Mo Derat", "--role", "moderator"],
      { DATA_DIR: dir },
    );
    expect(moderator.code, moderator.output).toBe(0);
    expect(moderator.output).toContain(
      "Konto angelegt: Mo Derat <mod@example.org>, Kurzname „mo-derat“, Rolle moderator",
    );
    moderatorPassword = moderator.output.match(/Passwort \(wird nur jetzt angezeigt\): (\S+)/)?.[1] ?? "";
    expect(moderatorPassword.length).toBeGreaterThanOrEqual(10);

    // The same address twice is refused in German.
    const duplicate = await runToExit(
      "scripts/create-user.ts",
      ["--email", "chefin@example.org", "--name", "Noch Mal", "--role", "member"],
      { DATA_DIR: dir },
    );
    expectCleanFailure(duplicate);
    expect(duplicate.output).toContain("Für diese E-Mail-Adresse gibt es schon ein Konto.");
  }, 60_000);

  test("a lock left by a dead process is taken over; a restart is no first start, so still no demo content", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    fs.writeFileSync(lockFile, String(dead));
    // SEED_DEMO at its default (true): seeding happens on the first start of a new database only.
    const server = await serve({ DATA_DIR: dir });
    expect(fs.readFileSync(lockFile, "utf8").trim()).toBe(String(server.process.pid));
    expect(server.output()).not.toContain("Demo-Inhalte angelegt");
    expect(await healthy(server)).toBe(true);
    expect(await loginStatus(server.url, "admin@example.org", DEMO_PASSWORD)).toBe(400);

    // The accounts made with the CLI work.
    const admin = await loginCookie(server.url, "chefin@example.org", "sehr-geheim-2026");
    const desk = await get(server.url, "/moderation", admin);
    expect(desk.status).toBe(200);
    // Only admins may hand out the admin role.
    expect(await desk.text()).toContain('<option value="admin">Administration</option>');
    expect(await loginCookie(server.url, "mod@example.org", moderatorPassword)).toMatch(/^lbn_session=/);
    await server.stop();
  });
});
