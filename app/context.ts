import type { SessionUser } from "./models/accounts/sessions.server.ts";

/** What the Express server hands every loader and action (server/index.ts builds it per request). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    user: SessionUser | null;
    sessionId: string | null;
    cspNonce: string;
    clientIp: string;
  }
}

export {};
