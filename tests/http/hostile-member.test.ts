/** Hostile input as a member and as another member (their ids cross): see hostile-anonymous.test.ts. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../setup/server.ts";
import { installWriteLog, runAs } from "./hostile-lib.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
  await installWriteLog(server.database);
}, 400_000);
afterAll(async () => {
  await server?.close();
});

describe("hostile input as members", () => {
  for (const email of ["mitglied@example.org", "mitglied2@example.org"]) {
    it(`as ${email}: no 5xx, the server stays up, nothing refused changes a table`, async () => {
      const result = await runAs(server, email);
      expect(result.errors).toEqual([]);
      expect(result.changed).toEqual([]);
      expect(result.sent).toBe(result.shots);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    }, 400_000);
  }
});
