/**
 * Hostile input, anonymous: every loader and action of the build with bad paths, queries, bodies and content types
 * (tests/http/hostile-lib.ts). No answer may be a 5xx, the server must keep serving, and no refused request may
 * change a table.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../setup/server.ts";
import { installWriteLog, routeTargets, runAs } from "./hostile-lib.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
  await installWriteLog(server.database);
}, 400_000);
afterAll(async () => {
  await server?.close();
});

describe("hostile input as an anonymous visitor", () => {
  it("takes its targets from the build: every route with a loader or an action", async () => {
    const targets = await routeTargets();
    expect(targets.filter((t) => t.loader).length).toBeGreaterThan(45);
    expect(targets.filter((t) => t.action).length).toBeGreaterThan(30);
    expect(targets.find((t) => t.id === "routes/diskussionen.$id")?.fields).toEqual(
      expect.arrayContaining(["body", "categorySlug"]),
    );
  });

  it("answers every bad request with a 4xx or a redirect (never a 5xx), stays up and changes nothing it refuses", async () => {
    const result = await runAs(server, null);
    expect(result.errors).toEqual([]);
    expect(result.changed).toEqual([]);
    expect(result.sent).toBe(result.shots);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 400_000);
});
