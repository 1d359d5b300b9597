import { bodyFromForm } from "../discussions/body.server.ts";
import { materialFormSchema } from "../../schemas/library.ts";
import { keptValues, parseForm } from "../../schemas/form.ts";
import type { MaterialInput } from "./materials.server.ts";

/** A submitted material form: fields, and the optional rich-text description (empty is allowed here). */
export async function materialFromForm(
  formData: FormData,
): Promise<
  { ok: true; input: MaterialInput } | { ok: false; errors: Record<string, string>; values: Record<string, string> }
> {
  const form = parseForm(materialFormSchema, formData);
  const text = String(formData.get("body") ?? "").trim();
  const json = String(formData.get("bodyJson") ?? "").trim();
  const hasBody =
    text !== "" || (json !== "" && !/^\{"type":"doc"(,"content":\[\{"type":"paragraph"\}\])?\}$/.test(json));
  const body = hasBody ? await bodyFromForm(formData, "body") : null;
  const { fileIds: _files, ...values } = keptValues(formData);
  const errors = { ...(form.ok ? {} : form.errors), ...(body && !body.ok ? { body: body.message } : {}) };
  if (!form.ok || (body && !body.ok)) return { ok: false, errors, values };
  return { ok: true, input: { ...form.data, body: body && body.ok ? body.body : null } };
}
