import type { ActionFunctionArgs } from "@remix-run/node";
import { parseStamp, saveDraft } from "../models/discussions/drafts.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";

/**
 * POST {key, content: JSON or "null", session, seq} saves (or with null removes) the member's draft for that place.
 * 409 when the text was sent already or a later edit is stored: the editor simply drops that save.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (!context.user) return Response.json({ error: "Nicht angemeldet" }, { status: 401 });
  const form = await request.formData();
  const key = String(form.get("key") ?? "");
  const stamp = parseStamp(form.get("session"), form.get("seq"));
  if (!stamp)
    return Response.json(
      { errors: { session: "Der Entwurf kommt ohne gültige Kennung des Editors." } },
      { status: 400 },
    );
  let content: unknown;
  try {
    content = JSON.parse(String(form.get("content") ?? "null"));
  } catch {
    return Response.json({ errors: { content: "Ungültiger Entwurf." } }, { status: 400 });
  }
  try {
    const result = await saveDraft(context.user, key, content, stamp);
    if (result === "stale")
      return Response.json(
        { errors: { content: "Dieser Text ist schon gesendet oder neuer gespeichert." } },
        { status: 409 },
      );
    return Response.json({ ok: true });
  } catch (error) {
    return inputErrorResponse(error);
  }
}
