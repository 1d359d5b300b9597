import type { DatabaseHandle } from "../../db/client.ts";

export type { Database, DatabaseHandle } from "../../db/client.ts";

declare global {
  // The Remix server build and the Express server are separate module graphs (and Vite's SSR loader a third),
  // so the one open database lives on globalThis rather than in a module variable.
  var __companionDatabase: DatabaseHandle | undefined;
}

export function setDatabase(handle: DatabaseHandle | undefined): void {
  globalThis.__companionDatabase = handle;
}

export function database(): DatabaseHandle {
  const handle = globalThis.__companionDatabase;
  if (!handle) throw new Error("Die Datenbank ist noch nicht geöffnet");
  return handle;
}

export function db() {
  return database().db;
}

/**
 * A query built once per database instead of on every call: drizzle assembles a select's SQL text from its builder
 * each time it runs (~0.1 ms for a query with subqueries), which adds up for the few queries every page load makes.
 * `build` gets the database and returns `query.prepare(name)` with `sql.placeholder(...)` for the values.
 */
export function preparedQuery<T>(build: (d: ReturnType<typeof db>) => T): () => T {
  const made = new WeakMap<object, T>();
  return () => {
    const current = db();
    let query = made.get(current);
    if (query === undefined) {
      query = build(current);
      made.set(current, query);
    }
    return query;
  };
}
