import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Two workers on two cores. Vitest would run the projects one after another and the browser files at the end, one at
 * a time beside an idle core (16 of the run's 32 minutes). Here the browser files are spread evenly among the others,
 * so one core mostly drives Chromium while the other runs database and HTTP files (in a full run, two browser files
 * overlapped twice, for 59 of their 976 s).
 */
export default class Interleave extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const browser = sorted.filter((f) => f.project.name === "browser");
    const rest = sorted.filter((f) => f.project.name !== "browser");
    if (browser.length === 0 || rest.length === 0) return sorted;
    const out: TestSpecification[] = [];
    const every = rest.length / browser.length;
    let next = 0;
    for (const [i, file] of browser.entries()) {
      out.push(file);
      const until = Math.round((i + 1) * every);
      while (next < until && next < rest.length) out.push(rest[next++]);
    }
    return [...out, ...rest.slice(next)];
  }
}
