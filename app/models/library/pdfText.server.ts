import fsp from "node:fs/promises";

const MAX_CHARS = 200_000;

/**
 * The text inside a PDF (one-pagers, guides), so that search finds what a document says. A PDF without a text layer
 * or one pdf.js cannot read simply has no text: the upload itself never fails because of this.
 */
export async function pdfText(filePath: string): Promise<string | null> {
  try {
    // Loaded on first use: pdf.js is large and only uploads need it.
    const { extractText, getDocumentProxy } = await import("unpdf");
    const pdf = await getDocumentProxy(new Uint8Array(await fsp.readFile(filePath)));
    try {
      const { text } = await extractText(pdf, { mergePages: true });
      const clean = text.replace(/\s+/g, " ").trim().slice(0, MAX_CHARS);
      return clean || null;
    } finally {
      await pdf.cleanup();
    }
  } catch {
    return null;
  }
}
