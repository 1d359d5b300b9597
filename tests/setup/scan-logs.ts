/** `scripts/test.sh` runs this after vitest: no demo member's name, handle or address in any server log line. */
import fs from "node:fs";
import path from "node:path";
import { personalNeedles, scanLogs, TEST_LOG_DIR } from "./logs.ts";

const files = fs.existsSync(TEST_LOG_DIR) ? fs.readdirSync(TEST_LOG_DIR).filter((n) => n.endsWith(".log")) : [];
const lines = files.reduce((n, f) => n + fs.readFileSync(path.join(TEST_LOG_DIR, f), "utf8").split("\n").length - 1, 0);
const findings = scanLogs(TEST_LOG_DIR, personalNeedles());
if (findings.length > 0) {
  console.error(`Personenbezogene Daten in ${findings.length} Logzeilen (${TEST_LOG_DIR}):`);
  for (const f of findings.slice(0, 20)) console.error(`  ${f.file}:${f.line}: „${f.needle}“`);
  process.exit(1);
}
console.log(
  `Logs geprüft: ${lines} Zeilen in ${files.length} Dateien, keine Namen oder E-Mail-Adressen der Demo-Mitglieder.`,
);
