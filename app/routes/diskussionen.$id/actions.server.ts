import { redirect } from "@remix-run/node";
import type { Actor } from "../../auth/permissions.ts";
import { bodyFromForm } from "../../models/discussions/body.server.ts";
import { isUuid } from "../../models/discussions/facts.server.ts";
import { dismissFlags, flagPost, moderateThread, setPostHidden } from "../../models/discussions/moderation.server.ts";
import { createReply, deletePost, revealAuthor, setAcceptedAnswer, setReaction } from "../../models/discussions/posts.server.ts";
import { setThreadWatch } from "../../models/discussions/watches.server.ts";
import { inputErrorResponse } from "../../models/errors.server.ts";
import { titleSchema } from "../../schemas/discussions.ts";

const id = (v: FormDataEntryValue | null) => {
  const s = typeof v === "string" ? v : "";
  return isUuid(s) ? s : "";
};

/** One intent per form on the thread page; each calls exactly one model function. */
export async function handleThreadAction(actor: Actor, threadId: string, formData: FormData): Promise<Response | object> {
  const intent = String(formData.get("intent") ?? "");
  const postId = id(formData.get("postId"));
  const back = (hash = "") => redirect(`/diskussionen/${threadId}${hash}`);
  // What the member typed, returned with a refusal so the form keeps it.
  let kept: Record<string, string> = {};
  try {
    switch (intent) {
      case "reply": {
        const parentId = id(formData.get("parentId")) || null;
        const body = await bodyFromForm(formData, "body");
        const values = { body: String(formData.get("body") ?? ""), bodyJson: String(formData.get("bodyJson") ?? ""), parentId: parentId ?? "" };
        if (!body.ok) return Response.json({ intent, parentId, errors: { body: body.message }, values }, { status: 400 });
        kept = values;
        const reply = await createReply(actor, { threadId, parentId, body: body.body, anonymous: formData.get("anonymous") === "on" });
        return back(`#beitrag-${reply.id}`);
      }
      case "react": {
        const kind = formData.get("kind") === "helpful" ? "helpful" : "thanks";
        await setReaction(actor, postId, kind, formData.get("on") === "1");
        return back(`#beitrag-${postId}`);
      }
      case "accept":
        await setAcceptedAnswer(actor, threadId, postId || null);
        return back(postId ? `#beitrag-${postId}` : "");
      case "watch":
        await setThreadWatch(actor, threadId, formData.get("on") === "1");
        return { intent, ok: true };
      case "delete": {
        const result = await deletePost(actor, postId);
        return result.threadDeleted ? redirect("/diskussionen?geloescht=1") : back();
      }
      case "flag":
        await flagPost(actor, postId, String(formData.get("reason") ?? ""));
        return { intent, postId, ok: true, message: "Danke! Die Moderation sieht sich den Beitrag an." };
      case "reveal": {
        const author = await revealAuthor(actor, postId);
        return { intent, postId, author };
      }
      case "hide":
        await setPostHidden(actor, postId, formData.get("on") === "1");
        return back(`#beitrag-${postId}`);
      case "dismissFlags":
        await dismissFlags(actor, postId);
        return back();
      case "lock":
      case "pin":
        await moderateThread(actor, threadId, { action: intent, value: formData.get("on") === "1" });
        return back();
      case "move":
        await moderateThread(actor, threadId, { action: "move", categorySlug: String(formData.get("categorySlug") ?? "") });
        return back();
      case "retitle": {
        const title = titleSchema.safeParse(formData.get("title"));
        if (!title.success) return Response.json({ intent, errors: { title: title.error.issues[0].message } }, { status: 400 });
        await moderateThread(actor, threadId, { action: "retitle", title: title.data });
        return back();
      }
      default:
        return Response.json({ errors: { form: "Unbekannte Aktion." } }, { status: 400 });
    }
  } catch (error) {
    const payload = await inputErrorResponse(error, kept).json();
    return Response.json({ intent, postId, parentId: kept.parentId || null, ...payload }, { status: 400 });
  }
}
