/**
 * The build's chunk analysis (ADR 038): `ANALYZE_OUT=/tmp/chunks- npx remix vite:build --config vite.analyze.config.ts`
 * writes, per build (client, ssr), every chunk with its size, its static imports and its modules by rendered size.
 */
import base from "./vite.config.ts";
import type { Plugin } from "vite";
const analyze: Plugin = {
  name: "analyze",
  apply: "build",
  async generateBundle(_o, bundle) {
    if (!process.env.ANALYZE_OUT) return;
    const out: Record<string, { size: number; modules: [string, number][]; imports: string[] }> = {};
    for (const [name, c] of Object.entries(bundle)) {
      if (c.type !== "chunk") continue;
      out[name] = {
        size: c.code.length,
        imports: c.imports,
        modules: Object.entries(c.modules)
          .map(([id, m]) => [id.replace(process.cwd(), ""), m.renderedLength] as [string, number])
          .sort((a, b) => b[1] - a[1]),
      };
    }
    (await import("node:fs")).writeFileSync(
      process.env.ANALYZE_OUT + (this.environment?.name ?? Math.random()) + ".json",
      JSON.stringify(out, null, 1),
    );
  },
};
export default { ...base, plugins: [...(base.plugins ?? []), analyze] };
