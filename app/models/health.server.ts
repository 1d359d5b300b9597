import { sql } from "drizzle-orm";
import { database } from "./db.server.ts";

export async function checkHealth(): Promise<{ status: "ok" | "error"; database: string; latencyMs: number }> {
  const started = performance.now();
  try {
    const handle = database();
    await handle.rows(sql`select 1`);
    return { status: "ok", database: handle.kind, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { status: "error", database: "unreachable", latencyMs: Math.round(performance.now() - started) };
  }
}
