/**
 * Requests under way, for a clean stop (ADR 041): a stopping server answers what it has begun and closes each
 * connection after its answer, instead of cutting requests off. Counts HTTP requests only: socket.io's long-polling
 * requests never reach these listeners (engine.io answers them before the listeners it found), and its connections
 * are closed by the realtime layer first.
 */
import type http from "node:http";
import type net from "node:net";

export interface RequestTracker {
  /** From now on every answer carries "Connection: close", and idle keep-alive connections are closed. */
  drain: () => void;
  /** Resolves when no request is under way, or after `ms`. */
  settled: (ms: number) => Promise<void>;
  /** Ends every connection left (the grace period is over). */
  cutOff: () => void;
}

export function trackRequests(server: http.Server): RequestTracker {
  const open = new Set<http.ServerResponse>();
  const sockets = new Set<net.Socket>();
  const idle = new Set<net.Socket>();
  let draining = false;
  let onSettled: (() => void) | null = null;

  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    idle.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      idle.delete(socket);
    });
  });
  // A WebSocket (socket.io) is not an idle HTTP connection; the realtime layer closes it.
  server.on("upgrade", (_req: http.IncomingMessage, socket: net.Socket) => idle.delete(socket));
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    open.add(res);
    idle.delete(socket);
    if (draining) res.setHeader("Connection", "close");
    res.once("close", () => {
      open.delete(res);
      if ([...open].every((other) => other.req.socket !== socket)) {
        idle.add(socket);
        // A keep-alive connection that just went idle while stopping gets no further request.
        if (draining) socket.end();
      }
      if (open.size === 0) onSettled?.();
    });
  });

  return {
    drain() {
      draining = true;
      for (const res of open) if (!res.headersSent) res.setHeader("Connection", "close");
      for (const socket of idle) socket.end();
    },
    settled(ms) {
      if (open.size === 0 || ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          onSettled = null;
          resolve();
        }
        onSettled = done;
      });
    },
    cutOff() {
      for (const socket of sockets) socket.destroy();
    },
  };
}
