import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse } from "@remix-run/react";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./nonce.tsx";
import { ServerHtmlContext, spliceServerHtml } from "./components/ServerHtml.tsx";
import { endDocumentAfterScripts } from "./documentEnd.server.ts";
import { startRichTextWorker } from "./models/richtext/pool.server.ts";
import { errorFields, log } from "./log.server.ts";

// Posts are parsed and rendered in a worker thread; it loads when the server starts, not with the first post.
startRichTextWorker();

const ABORT_DELAY = 5_000;

/**
 * Remix logs what loaders and actions throw. A router refusal (405: a POST to a page without an action, 404: no such
 * route) is an answer to a client's mistake, not a fault of ours: not logged. Neither is a request the client left.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  log().error(errorFields(error), "Fehler in einer Route");
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // No part of a page waits for data after its loaders, so the whole document is ready at once. It is collected and
  // sent as one buffer: streamed in React's 2 KB pieces, every piece passed through three more streams and a
  // compression call of its own, which cost more CPU than rendering a long thread's HTML.
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const chunks: Buffer[] = [];
    const document = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        clearTimeout(timer);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        const pieces = spliceServerHtml(Buffer.concat(chunks), loadContext.serverHtml, nonce);
        const body = Buffer.concat(endDocumentAfterScripts(pieces));
        resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <ServerHtmlContext.Provider value={loadContext.serverHtml}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </ServerHtmlContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(document);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell is complete reach onShellError and Remix's own logging.
          if (shellRendered) log().error(errorFields(error), "Fehler beim Rendern");
        },
      },
    );
    // Remix's default leaves this timer running for every request; we clear it when the document is complete.
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}
