import type { SessionUser } from "./domain/accounts.ts";

/** What the Express server hands every loader and action (server/index.ts builds it per request). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    user: SessionUser | null;
    sessionId: string | null;
    /** The member's unread notifications when the request began (header badge). */
    unreadNotifications: number;
    cspNonce: string;
    clientIp: string;
    /** A full page load (false for Remix's `.data` requests after hydration). */
    documentRequest: boolean;
    /** Large server-rendered HTML blocks of this page load; see components/ServerHtml.tsx. */
    serverHtml: Map<string, Buffer[]>;
  }
}

export {};
