/**
 * Operations (ADR 043) over HTTP against the production build: the request id and the request's log line, the metrics
 * behind the bearer token, liveness and readiness (503 once draining). One server for the file.
 */
import fs from "node:fs";
import path from "node:path";
import express from "express";
import parsePrometheus, { type MetricFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createObservability, registerOperatorRoutes } from "../../server/observe.ts";
import { loginCookie, startTestServer } from "../setup/server.ts";
import { TEST_LOG_DIR } from "../setup/logs.ts";
import { get } from "./helpers.ts";

const TOKEN = "metrics-token-for-the-test-0123456789";
let server: Awaited<ReturnType<typeof startTestServer>>;
let cookie: string;

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN: TOKEN, REQUEST_ID_HEADER: "X-Request-Id" });
  cookie = await loginCookie(server.url, "mitglied@example.org");
});
afterAll(async () => {
  await server?.close();
});

function metrics(token?: string): Promise<Response> {
  return fetch(`${server.url}/metrics`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
}

/** This process's log lines (the test sink writes them to .cache/test-logs/<pid>.log). */
function logLines(): Record<string, unknown>[] {
  const text = fs.readFileSync(path.join(TEST_LOG_DIR, `${process.pid}.log`), "utf8");
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("request ids and the request log", () => {
  test("every answer has a request id, and one JSON line with route pattern, status, duration and bytes — no path, no query", async () => {
    const response = await get(server.url, "/mitglieder/andrea-adler?suche=Andrea", cookie);
    expect(response.status).toBe(200);
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const bytes = (await response.arrayBuffer()).byteLength;
    const line = logLines().find((l) => l.id === id);
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      method: "GET",
      route: "/mitglieder/:handle",
      status: 200,
    });
    expect(line!.ms).toBeGreaterThan(0);
    // Headers and compressed body as sent: at least the body.
    expect(line!.bytes as number).toBeGreaterThan(bytes / 20);
    expect(JSON.stringify(line)).not.toMatch(/andrea|suche/i);
  });

  test("a proxy's request id is taken when configured and shaped like an id; anything else is replaced", async () => {
    const taken = await fetch(`${server.url}/healthz/live`, { headers: { "X-Request-Id": "proxy-4711.abc" } });
    expect(taken.headers.get("x-request-id")).toBe("proxy-4711.abc");
    const replaced = await fetch(`${server.url}/healthz/live`, {
      headers: { "X-Request-Id": "Andrea Adler <admin@example.org>" },
    });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("metrics", () => {
  test("/metrics is a 404 without the token or with a wrong one", async () => {
    expect((await metrics()).status).toBe(404);
    expect((await metrics("wrong-token-wrong-token-wrong-token-1")).status).toBe(404);
    expect((await metrics(TOKEN.slice(0, -1))).status).toBe(404);
  });

  test("with the token: parseable exposition with requests by route and status, latency, event loop, sockets, outboxes, jobs", async () => {
    for (const p of ["/diskussionen", "/diskussionen", "/gibt-es-nicht"])
      await (await get(server.url, p, cookie)).arrayBuffer();
    const response = await metrics(TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    const families = new Map<string, MetricFamily>(parsePrometheus(text).map((f) => [f.name, f]));
    const requests = families.get("http_requests_total")!;
    expect(requests.type).toBe("COUNTER");
    const threads = requests.metrics.find(
      (m) => m.labels?.route === "/diskussionen" && m.labels.status === "200" && m.labels.method === "GET",
    );
    expect(Number(threads?.value)).toBeGreaterThanOrEqual(2);
    expect(requests.metrics.some((m) => m.labels?.status === "404")).toBe(true);
    // Route patterns only: no raw path with a handle.
    expect(requests.metrics.map((m) => m.labels?.route)).toContain("/mitglieder/:handle");
    expect(requests.metrics.every((m) => !m.labels?.route?.includes("andrea"))).toBe(true);

    const latency = families.get("http_request_duration_seconds")!;
    expect(latency.type).toBe("HISTOGRAM");
    expect(Object.keys(latency.metrics[0].buckets!)).toContain("0.1");
    // The parser drops a histogram's labels (prom-client writes `le` first): the route's count from its sample line.
    const count = /^http_request_duration_seconds_count\{route="\/diskussionen",method="GET"\} (\d+)$/m.exec(text);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(2);

    expect(families.get("nodejs_eventloop_lag_p99_seconds")?.type).toBe("GAUGE");
    expect(families.get("socketio_connected_clients")?.metrics[0].value).toBe("0");
    const outbox = families.get("outbox_backlog")!;
    expect(outbox.metrics.map((m) => m.labels?.outbox).sort()).toEqual(["mail", "search"]);
    for (const m of outbox.metrics) expect(Number(m.value)).toBeGreaterThanOrEqual(0);
    // The start-up sweeps ran once each.
    const jobs = families.get("job_runs_total")!;
    expect(jobs.metrics.find((m) => m.labels?.job === "sessions-sweep" && m.labels.outcome === "ok")?.value).toBe("1");
  });

  test("without METRICS_TOKEN configured, /metrics is a 404 even with a bearer header", async () => {
    const app = express();
    const observability = createObservability({ database: server.database });
    registerOperatorRoutes(app, observability, { database: server.database });
    const listener = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listener.once("listening", resolve));
    try {
      const port = (listener.address() as { port: number }).port;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: "Bearer " } });
      expect(response.status).toBe(404);
    } finally {
      listener.close();
    }
  });
});

describe("probes", () => {
  test("liveness and readiness answer 200; once draining, readiness is 503 and liveness and /healthz stay as they were", async () => {
    expect((await get(server.url, "/healthz/live")).status).toBe(200);
    const ready = await get(server.url, "/healthz/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ok", database: true, migrations: true, accepting: true });

    server.markDraining();
    const draining = await get(server.url, "/healthz/ready");
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({
      status: "unavailable",
      database: true,
      migrations: true,
      accepting: false,
    });
    expect((await get(server.url, "/healthz/live")).status).toBe(200);
    const health = await get(server.url, "/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "pglite" });
  });
});
