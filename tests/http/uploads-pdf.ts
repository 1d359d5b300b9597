/** PDFs written by hand for the upload tests: any number of pages, each with its own findable words. */

/** The words on page `n` (1-based) of pdfWithPages: "seite17" can only be found on page 17. */
export const pageWords = (n: number) => `seite${n} Textinhalt der Seite ${n}`;

/**
 * A valid PDF 1.4 with `pages` pages of Helvetica text (a catalog, a page tree, one font, per page a page object and a
 * content stream; a correct cross-reference table). `linesPerPage` makes each page more work for the text extraction.
 */
export function pdfWithPages(pages: number, linesPerPage = 1): Buffer {
  const objects: string[] = [];
  const kids: string[] = [];
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  for (let n = 1; n <= pages; n++) {
    const page = 2 + 2 * n;
    const content = page + 1;
    kids.push(`${page} 0 R`);
    let text = "BT /F1 10 Tf 40 800 Td 12 TL";
    for (let line = 0; line < linesPerPage; line++) text += ` (${pageWords(n)}, Zeile ${line + 1}) '`;
    text += " ET";
    objects[page] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${content} 0 R >>`;
    objects[content] = `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`;
  }
  objects[2] = `<< /Type /Pages /Kids [${kids.join(" ")}] /Count ${pages} >>`;

  const chunks: string[] = ["%PDF-1.4\n"];
  let offset = chunks[0].length;
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    const body = `${id} 0 obj\n${objects[id]}\nendobj\n`;
    offsets[id] = offset;
    chunks.push(body);
    offset += Buffer.byteLength(body);
  }
  const size = objects.length;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let id = 1; id < size; id++) xref += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  chunks.push(xref, `trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`);
  return Buffer.from(chunks.join(""), "latin1");
}
