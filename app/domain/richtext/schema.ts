import { getSchema } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import { extensions } from "./extensions.ts";

let cached: Schema | null = null;

/** The ProseMirror schema of `extensions`, built once (getSchema costs about a millisecond per call). */
export function richSchema(): Schema {
  cached ??= getSchema(extensions);
  return cached;
}
