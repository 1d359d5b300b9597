/**
 * The Nu Html Checker over the pages the browser tests kept (tests/setup/pages.ts): every page as served and after
 * hydration, in one Java process. `npm test` runs it after the suites; it fails on any error and prints each with its
 * page and line (ADR 037). Warnings and notes are not errors and pass.
 *
 *   npx tsx scripts/check-html.ts [folder]      (default: .cache/html-pages)
 *
 * A page with a known error (the canary) is always checked with them: if the checker does not report it, the check
 * itself is broken (no Java output, a changed JSON format) and fails instead of passing on nothing.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

interface VnuMessage {
  type: "error" | "info" | "non-document-error";
  subType?: string;
  url?: string;
  lastLine?: number;
  firstColumn?: number;
  message: string;
  extract?: string;
}

interface PageRecord {
  url: string;
  role: string;
  route: string;
}

export interface HtmlProblem {
  /** The file, or for a kept page "served /path (role, route)" or "hydrated /path (role, route)". */
  page: string;
  line?: number;
  column?: number;
  message: string;
  extract?: string;
}

const jar = String(createRequire(import.meta.url)("vnu-jar"));

/** An `<input type=search>` may not be a combobox: the error the header search once had. */
const CANARY = `<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Kanarienvogel</title></head>
<body><main><input type="search" role="combobox" aria-expanded="false" aria-label="Suche"></main></body></html>
`;

/** Runs vnu once over the files; returns its errors (not warnings or notes) per file path. */
export async function vnuErrors(files: string[]): Promise<Map<string, VnuMessage[]>> {
  const args = [
    "-Xss4m",
    "-jar",
    jar,
    "--format",
    "json",
    "--stdout",
    "--exit-zero-always",
    "--no-langdetect",
    ...files,
  ];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile("java", args, { maxBuffer: 64 * 1024 * 1024 }, (error, out, err) =>
      error ? reject(new Error(`vnu: ${error.message}\n${err}`)) : resolve(out),
    ),
  );
  const { messages } = JSON.parse(stdout) as { messages: VnuMessage[] };
  const byFile = new Map<string, VnuMessage[]>();
  for (const m of messages) {
    if (m.type === "info") continue;
    // vnu names files as Java does ("file:/tmp/a.html").
    const key = m.url?.startsWith("file:") ? decodeURIComponent(new URL(m.url).pathname) : (m.url ?? "");
    byFile.set(key, [...(byFile.get(key) ?? []), m]);
  }
  return byFile;
}

/** Checks every kept page in `dir` (and the canary); returns the pages' errors and how many files were checked. */
export async function checkPages(dir: string): Promise<{ checked: number; problems: HtmlProblem[] }> {
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".html"))
        .sort()
    : [];
  if (files.length === 0)
    throw new Error(`Keine Seiten zum Prüfen in ${dir}: die Browser-Tests haben keine aufgezeichnet.`);
  const canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), "vnu-canary-"));
  const canary = path.join(canaryDir, "canary.html");
  fs.writeFileSync(canary, CANARY);
  try {
    const errors = await vnuErrors([canary, ...files.map((f) => path.join(dir, f))]);
    if (!errors.get(canary)?.length) {
      throw new Error(
        "Der Nu Html Checker hat den bekannten Fehler der Prüfseite nicht gemeldet: die Prüfung selbst ist kaputt.",
      );
    }
    errors.delete(canary);
    const problems: HtmlProblem[] = [];
    for (const [file, messages] of errors) {
      for (const m of messages) {
        problems.push({
          page: describe(file),
          line: m.lastLine,
          column: m.firstColumn,
          message: m.message,
          extract: m.extract,
        });
      }
    }
    return { checked: files.length, problems };
  } finally {
    fs.rmSync(canaryDir, { recursive: true, force: true });
  }
}

/** "served /materialien (member, routes/materialien._index)" for a kept page; the file name otherwise. */
function describe(file: string): string {
  const kind = /\.(served|hydrated)\.html$/.exec(file)?.[1];
  const recordFile = file.replace(/\.html$/, ".json");
  if (!kind || !fs.existsSync(recordFile)) return file;
  const record = JSON.parse(fs.readFileSync(recordFile, "utf8")) as PageRecord;
  return `${kind} ${record.url} (${record.role}, ${record.route})`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = path.resolve(process.argv[2] ?? ".cache/html-pages");
  const started = performance.now();
  const { checked, problems } = await checkPages(dir);
  for (const p of problems) {
    console.error(`${p.page}${p.line ? `, Zeile ${p.line}:${p.column ?? ""}` : ""}: ${p.message}`);
    if (p.extract) console.error(`    ${p.extract.replace(/\s+/g, " ").trim()}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`HTML-Prüfung (Nu Html Checker): ${checked} Dateien, ${problems.length} Fehler, ${seconds} s`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
