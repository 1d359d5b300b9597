import type { ActionFunctionArgs } from "@remix-run/node";
import { saveDraft } from "../models/discussions/watches.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";

/** POST {key, content: JSON} saves the member's draft for that place. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (!context.user) return Response.json({ error: "Nicht angemeldet" }, { status: 401 });
  const form = await request.formData();
  const key = String(form.get("key") ?? "");
  let content: unknown;
  try {
    content = JSON.parse(String(form.get("content") ?? "null"));
  } catch {
    return Response.json({ errors: { content: "Ungültiger Entwurf." } }, { status: 400 });
  }
  try {
    await saveDraft(context.user, key, content);
    return Response.json({ ok: true });
  } catch (error) {
    return inputErrorResponse(error);
  }
}
