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
