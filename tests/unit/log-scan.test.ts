/**
 * The scan of the run's logs (tests/setup/logs.ts) finds personal data the real logger writes, and the logger's error
 * fields keep query parameters and addresses out. A name logged on purpose must be found, or the scan proves nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { configureLog, errorFields, log } from "../../app/log.server.ts";
import { personalNeedles, scanLogs, testLogSink } from "../setup/logs.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lbn-logscan-"));
afterAll(() => {
  configureLog({ sink: testLogSink() });
  fs.rmSync(dir, { recursive: true, force: true });
});

function logInto(file: string, write: () => void): void {
  const fd = fs.openSync(path.join(dir, file), "a");
  configureLog({ sink: { write: (line) => void fs.writeSync(fd, line) } });
  try {
    write();
  } finally {
    configureLog({ sink: testLogSink() });
    fs.closeSync(fd);
  }
}

describe("the scan for personal data in the logs", () => {
  test("the needles are the demo members' names, handles and addresses", () => {
    const needles = personalNeedles();
    expect(needles).toContain("Andrea Adler");
    expect(needles).toContain("andrea-adler");
    expect(needles).toContain("mitglied@example.org");
  });

  test("finds a name, a handle in a path and an address logged on purpose, and passes clean lines", () => {
    logInto("clean.log", () => {
      log().info({ id: "8c1f", route: "/mitglieder/:handle", status: 200, ms: 3.2, bytes: 1200 }, "request");
      log().info({ purged: 2 }, "Fallberatung: Inhalte gelöscht");
    });
    expect(fs.readFileSync(path.join(dir, "clean.log"), "utf8")).toMatch(
      /^\{"level":"info","time":"[^"]+","id":"8c1f","route":"\/mitglieder\/:handle"/,
    );
    expect(scanLogs(dir, personalNeedles())).toEqual([]);

    logInto("leaky.log", () => {
      log().info({ route: "/" }, "clean line first");
      log().warn({ member: "Sevgi Schneider" }, "a name on purpose");
      log().info({ path: "/mitglieder/jonas-wagner?q=x" }, "a raw path on purpose");
      log().error("Mail an QV@example.org fehlgeschlagen");
    });
    const findings = scanLogs(dir, personalNeedles());
    expect(findings).toEqual([
      { file: "leaky.log", line: 2, needle: "Sevgi Schneider" },
      { file: "leaky.log", line: 3, needle: "jonas-wagner" },
      { file: "leaky.log", line: 4, needle: "qv@example.org" },
    ]);
  });

  test("error fields drop drizzle's query parameters and e-mail addresses", () => {
    const error = new Error(
      "Failed query: select * from users where email = $1\nparams: admin@example.org,Andrea Adler",
    );
    const { err } = errorFields(error);
    expect(err.message).toBe("Failed query: select * from users where email = $1\nparams: [entfernt]");
    expect(err.stack).not.toContain("Andrea");
    expect(errorFields(new Error("an admin@example.org here")).err.message).toBe("an [E-Mail entfernt] here");
  });
});
