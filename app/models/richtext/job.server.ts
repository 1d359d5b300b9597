/**
 * One piece of rich-text work as the worker runs it (worker.mjs): the editor's JSON or the plain textarea's Markdown
 * to a checked, rendered body. Pure: the caller checks the length and looks up mentioned members and pictures first.
 */
import { docFromMarkdown, renderBody, type RenderedBody } from "../richtext.server.ts";

export type BodyJob =
  | { kind: "json"; json: string }
  | {
      kind: "markdown";
      text: string;
      names: Record<string, string>;
      pictures?: Record<string, { width: number; height: number }>;
    };
export type BodyResult = { ok: true; body: RenderedBody } | { ok: false; message: string };

export function runBodyJob(job: BodyJob): BodyResult {
  if (job.kind === "json") {
    let candidate: unknown;
    try {
      candidate = JSON.parse(job.json);
    } catch {
      return { ok: false, message: "Der Text konnte nicht gelesen werden. Bitte versuche es noch einmal." };
    }
    return renderBody(candidate);
  }
  const names = new Map(Object.entries(job.names));
  const pictures = new Map(Object.entries(job.pictures ?? {}));
  return renderBody(
    docFromMarkdown(job.text, {
      resolveMention: (handle) => names.get(handle) ?? null,
      resolveImage: (src) => pictures.get(src) ?? null,
    }),
  );
}
