/**
 * Worker thread of pdfText.server.ts: reads one PDF with pdf.js (unpdf) and posts the text of its pages one by one,
 * at most `maxPages`. The main thread keeps what arrived and ends this worker when its time is up, so a PDF that is
 * slow or huge to parse never holds up the server's event loop.
 *
 * Plain JavaScript on purpose: the worker starts without a TypeScript loader (under tsx, vitest and the production
 * server alike).
 */
import fsp from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { getDocumentProxy } from "unpdf";

/** @type {{ filePath: string, maxPages: number }} */
const { filePath, maxPages } = workerData;
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
// Stay alive until the main thread ends this worker: a worker that exits on its own may have its 'exit' overtake its
// last messages, and the text of the last pages would be lost.
port.on("message", () => {});

try {
  const pdf = await getDocumentProxy(new Uint8Array(await fsp.readFile(filePath)));
  const pages = Math.min(pdf.numPages, maxPages);
  // One page after the other (unpdf's extractText reads all pages at once, which costs memory in proportion to the file).
  for (let number = 1; number <= pages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    let text = "";
    for (const item of content.items) if ("str" in item) text += item.str + (item.hasEOL ? "\n" : " ");
    page.cleanup();
    port.postMessage({ text });
  }
  await pdf.destroy();
} catch {
  // A PDF that pdf.js cannot read (further): the text so far is all there is.
} finally {
  port.postMessage({ done: true });
}
