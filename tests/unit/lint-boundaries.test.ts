import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The layout's import rules live in eslint.config.js (ADR 035). Each rule is tried on in-memory snippets placed where
// they would live in the tree, so a rule that stops matching (a renamed folder, a wrong glob) fails here.
const root = fileURLToPath(new URL("../..", import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root, cache: false });
});

const BOUNDARY_RULES = new Set(["no-restricted-imports", "@typescript-eslint/no-restricted-imports"]);

/** The boundary messages for `code` as if it were the file at `path` (relative to the repository root). */
async function boundaryProblems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  expect(result.filePath.endsWith(path)).toBe(true);
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.filter((m) => m.ruleId && BOUNDARY_RULES.has(m.ruleId)).map((m) => m.message);
}

describe("import boundaries as lint rules", () => {
  it("a route may not import db/, but may import a model", async () => {
    const bad = await boundaryProblems(
      "app/routes/lint-probe.tsx",
      'import { users } from "../../db/schema/index.ts";\nexport const probe = users;\n',
    );
    expect(bad).toEqual([expect.stringContaining("Routes never import db/ directly")]);
    const nested = await boundaryProblems(
      "app/routes/lint-probe.$id/route.tsx",
      'import type { users } from "../../../db/schema/index.ts";\nexport type Probe = typeof users;\n',
    );
    expect(nested).toEqual([expect.stringContaining("Routes never import db/ directly")]);

    const good = await boundaryProblems(
      "app/routes/lint-probe.tsx",
      'import { listThreads } from "../models/discussions/threads.server.ts";\nexport const probe = listThreads;\n',
    );
    expect(good).toEqual([]);
  });

  it("browser code may not import a *.server module, not even for a type", async () => {
    const typeOnly = await boundaryProblems(
      "app/components/LintProbe.tsx",
      'import type { ValidSession } from "../models/accounts/sessions.server.ts";\nexport type Probe = ValidSession;\n',
    );
    expect(typeOnly).toEqual([expect.stringContaining("Browser code never imports *.server.ts")]);
    const entry = await boundaryProblems(
      "app/entry.client.tsx",
      'import { getSiteSettings } from "./models/settings.server.ts";\nexport const probe = getSiteSettings;\n',
    );
    expect(entry).toEqual([expect.stringContaining("Browser code never imports *.server.ts")]);
    const domain = await boundaryProblems(
      "app/domain/lint-probe.ts",
      'export { readSessionToken } from "../auth/session.server.ts";\n',
    );
    expect(domain).toEqual([expect.stringContaining("Browser code never imports *.server.ts")]);

    const good = await boundaryProblems(
      "app/components/LintProbe.tsx",
      'import type { SessionUser } from "../domain/accounts.ts";\nexport type Probe = SessionUser;\n',
    );
    expect(good).toEqual([]);
    const serverToServer = await boundaryProblems(
      "app/models/lint-probe.server.ts",
      'import { database } from "./db.server.ts";\nexport const probe = database;\n',
    );
    expect(serverToServer).toEqual([]);
  });

  it("a model may not import a component", async () => {
    const bad = await boundaryProblems(
      "app/models/discussions/lint-probe.server.ts",
      'import { SiteHeader } from "../../components/SiteHeader.tsx";\nexport const probe = SiteHeader;\n',
    );
    expect(bad).toEqual([expect.stringContaining("Models never import components")]);

    const good = await boundaryProblems(
      "app/models/discussions/lint-probe.server.ts",
      'import { roles } from "../../domain/accounts.ts";\nexport const probe = roles;\n',
    );
    expect(good).toEqual([]);
  });
});
