/**
 * Fails on any CSS syntax error in app/**\/*.css, before the build: `npx tsx scripts/check-css.ts` (run by npm test)
 * and the build itself (vite.config.ts calls checkCssFiles at build start).
 *
 * Why: browsers and esbuild recover from a broken stylesheet silently. An `@media (min-width: 68rem) {` that was never
 * closed once made ~90 rules apply only on wide screens, and the build merely printed a warning. Two real parsers look
 * at every file: PostCSS (throws on unclosed blocks, brackets, strings and comments, and on unknown words) and esbuild's
 * CSS parser, the one Vite minifies with (every warning counts as an error here, e.g. a stray `}` or a bad selector).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import postcss from "postcss";
import { transformWithEsbuild } from "vite";

export interface CssProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Every syntax problem in one stylesheet's text; empty when both parsers accept it without a word. */
export async function checkCss(css: string, file = "input.css"): Promise<CssProblem[]> {
  const problems: CssProblem[] = [];
  try {
    postcss.parse(css, { from: file });
  } catch (error) {
    if (!(error instanceof postcss.CssSyntaxError)) throw error;
    problems.push({ file, line: error.line ?? 0, column: error.column ?? 0, message: `PostCSS: ${error.reason}` });
  }
  // esbuild (Vite's copy) reports what it recovered from as warnings; it throws only on what it cannot handle at all.
  try {
    const { warnings } = await transformWithEsbuild(css, file, { loader: "css", logLevel: "silent" });
    for (const w of warnings) {
      problems.push({
        file,
        line: w.location?.line ?? 0,
        column: w.location?.column ?? 0,
        message: `esbuild: ${w.text}`,
      });
    }
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] })
      .errors;
    if (!errors) throw error;
    for (const e of errors) {
      problems.push({
        file,
        line: e.location?.line ?? 0,
        column: e.location?.column ?? 0,
        message: `esbuild: ${e.text}`,
      });
    }
  }
  return problems;
}

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return cssFiles(path);
    return entry.name.endsWith(".css") ? [path] : [];
  });
}

/** Checks every .css file below `dir` (default: the app's sources); paths in the result are relative to `root`. */
export async function checkCssFiles(
  root = fileURLToPath(new URL("..", import.meta.url)),
  dir = "app",
): Promise<CssProblem[]> {
  const files = cssFiles(join(root, dir)).sort();
  const results = await Promise.all(files.map((path) => checkCss(readFileSync(path, "utf8"), relative(root, path))));
  return results.flat();
}

export function formatProblems(problems: CssProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = await checkCssFiles();
  if (problems.length > 0) {
    console.error(`CSS-Fehler (${problems.length}):\n${formatProblems(problems)}`);
    process.exit(1);
  }
  console.log("CSS: alle Dateien fehlerfrei");
}
