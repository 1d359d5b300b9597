/**
 * Writes the demo OnePager (one A4 page, German) as a PDF without any PDF library: the standard Helvetica fonts in
 * WinAnsiEncoding need no embedding, so a few objects and a cross-reference table are the whole file.
 * Usage: tsx scripts/make-sample-pdf.ts OUT.pdf  (called by scripts/make-samples.sh)
 */
import fs from "node:fs";

// Characters outside ASCII that WinAnsiEncoding has at other codes than Latin-1.
const winAnsi: Record<string, number> = {
  "€": 0x80,
  "„": 0x84,
  "…": 0x85,
  "•": 0x95,
  "–": 0x96,
  "—": 0x97,
  "“": 0x93,
  "”": 0x94,
  "‘": 0x91,
  "’": 0x92,
};

function pdfString(text: string): string {
  let out = "(";
  for (const ch of text) {
    const code = winAnsi[ch] ?? ch.codePointAt(0)!;
    if (code > 0xff) throw new Error(`not in WinAnsiEncoding: ${ch}`);
    if (ch === "(" || ch === ")" || ch === "\\") out += `\\${ch}`;
    else if (code < 0x20 || code > 0x7e) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += ch;
  }
  return `${out})`;
}

/** Greedy line breaking by an average Helvetica glyph width; generous enough for German text. */
function wrap(text: string, size: number, width: number): string[] {
  const perLine = Math.floor(width / (size * 0.5));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && (line + " " + word).length > perLine) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const page = { width: 595, height: 842, margin: 56 };
const textWidth = page.width - 2 * page.margin;
const ops: string[] = [];
let y = page.height - 64;

// A coloured band with the title.
ops.push("0.11 0.37 0.53 rg", `0 ${page.height - 118} ${page.width} 118 re f`);
ops.push("1 1 1 rg");
const text = (font: "F1" | "F2", size: number, x: number, line: string) =>
  ops.push(`BT /${font} ${size} Tf ${x} ${y} Td ${pdfString(line)} Tj ET`);
text("F1", 10, page.margin, "OnePager · Individuelle Lernbegleitung");
y -= 30;
text("F2", 22, page.margin, "Das erste Lerngespräch");
y -= 22;
text("F1", 12, page.margin, "In drei Fragen zur eigenen Lernfrage");
y = page.height - 160;
ops.push("0.13 0.13 0.13 rg");

const paragraph = (body: string, size = 11, font: "F1" | "F2" = "F1", indent = 0) => {
  for (const line of wrap(body, size, textWidth - indent)) {
    text(font, size, page.margin + indent, line);
    y -= size * 1.45;
  }
  y -= size * 0.6;
};
const heading = (title: string) => {
  y -= 6;
  paragraph(title, 14, "F2");
};

paragraph(
  "Viele Kolleginnen und Kollegen kommen mit einem Gefühl in die Lernbegleitung, aber noch ohne klare Lernfrage. " +
    "Dieser OnePager zeigt einen Einstieg, der nichts vorgibt und trotzdem schnell konkret wird.",
);
heading("So gehst du vor");
const steps = [
  "„Was ist passiert?“ – Lass dir eine konkrete Situation aus der letzten Woche schildern, in der es gehakt hat.",
  "„Was hättest du gern anders gemacht?“ – Frage nach dem gewünschten Verhalten, nicht nach Schuld.",
  "„Was brauchst du dafür?“ – Sammelt gemeinsam Wissen, Übung oder Unterstützung, die fehlen.",
];
steps.forEach((step, i) => {
  text("F2", 11, page.margin, `${i + 1}.`);
  paragraph(step, 11, "F1", 18);
});
heading("Worauf es ankommt");
for (const point of [
  "Schreibe Stichworte mit, aber lass die Person die Lernfrage am Ende selbst formulieren – so bleibt sie ihre eigene.",
  "Halte die Lernfrage in einem Satz fest und vereinbart einen Zeitpunkt, an dem ihr gemeinsam zurückschaut.",
  "Vertrauliches bleibt im Gespräch: Die Lernbegleitung ist kein Bestandteil der Leistungsbeurteilung.",
]) {
  text("F1", 11, page.margin, "•");
  paragraph(point, 11, "F1", 14);
}
heading("Beispiel");
paragraph(
  "„Wie kann ich in Beratungsgesprächen mit aufgebrachten Kundinnen und Kunden ruhig bleiben und trotzdem klar " +
    "in der Sache sein?“",
  11,
  "F1",
  14,
);

y = 48;
ops.push("0.4 0.4 0.4 rg");
text("F1", 9, page.margin, "Demo-Material des Lernbegleitungs-Netzwerks · frei verwendbar (CC BY 4.0)");

const content = ops.join("\n");
const objects = [
  "<< /Type /Catalog /Pages 2 0 R /Lang (de-DE) >>",
  "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
  `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>`,
  "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
  `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
  `<< /Title ${pdfString("Das erste Lerngespräch - OnePager")} /Author ${pdfString("Lernbegleitungs-Netzwerk")} /Producer (make-sample-pdf.ts) >>`,
];

// Byte offsets for the cross-reference table; everything is Latin-1, one byte per character.
let pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
const offsets: number[] = [];
objects.forEach((body, i) => {
  offsets.push(Buffer.byteLength(pdf, "latin1"));
  pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
});
const xref = Buffer.byteLength(pdf, "latin1");
pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`;

const out = process.argv[2];
if (!out) {
  console.error("Aufruf: tsx scripts/make-sample-pdf.ts AUSGABE.pdf");
  process.exit(1);
}
fs.writeFileSync(out, Buffer.from(pdf, "latin1"));
console.log(`${out}: ${Buffer.byteLength(pdf, "latin1")} Bytes`);
