import { redirect } from "@remix-run/node";
import { draftStampFromForm } from "../../models/discussions/drafts.server.ts";
import type { Actor } from "../../auth/permissions.ts";
import { bodyWithPictureFromForm } from "../../models/images/formPicture.server.ts";
import { isUuid, loadPostInThread } from "../../models/discussions/facts.server.ts";
import { moderateThread, setPostHidden } from "../../models/discussions/moderation.server.ts";
import { createReply, revealAuthor, setAcceptedAnswer, setReaction } from "../../models/discussions/posts.server.ts";
import { setThreadWatch } from "../../models/discussions/watches.server.ts";
import { setBookmark } from "../../models/bookmarks/bookmarks.server.ts";
import { inputErrors, NotFoundError } from "../../models/errors.server.ts";
import { keptValues } from "../../schemas/form.ts";
import { titleSchema } from "../../schemas/discussions.ts";
import { handlePollAction } from "./pollActions.server.ts";

const uuid = (v: unknown) => (typeof v === "string" && isUuid(v) ? v : "");

/**
 * The buttons on posts all belong to the page's one shared form and send `aktion` = "<verb>:<args…>:<postId>",
 * e.g. "react:thanks:1:<id>", "accept:<id>" (empty id: take the mark back), "hide:0:<id>", "reveal:<id>".
 */
async function postAction(actor: Actor, threadId: string, value: string): Promise<Response | object> {
  const parts = value.split(":");
  const postId = uuid(parts[parts.length - 1]);
  // A post id from one thread never acts through another thread's page.
  if (postId && !(await loadPostInThread(threadId, postId))) throw new NotFoundError();
  const back = redirect(`/diskussionen/${threadId}${postId ? `#beitrag-${postId}` : ""}`);
  switch (parts[0]) {
    case "react":
      await setReaction(actor, postId, parts[1] === "helpful" ? "helpful" : "thanks", parts[2] === "1");
      return back;
    case "accept":
      await setAcceptedAnswer(actor, threadId, postId || null);
      return back;
    case "hide":
      await setPostHidden(actor, postId, parts[1] === "1");
      return back;
    case "bookmark":
      await setBookmark(actor, "post", postId, parts[1] === "1");
      return back;
    case "reveal": {
      const author = await revealAuthor(actor, postId);
      return { intent: "reveal", postId, revealed: author?.name ?? "ein gelöschtes Konto" };
    }
    default:
      return Response.json({ errors: { form: "Unbekannte Aktion." } }, { status: 400 });
  }
}

/** One intent per form on the thread page; each calls exactly one model function. */
export async function handleThreadAction(
  actor: Actor,
  threadId: string,
  formData: FormData,
): Promise<Response | object> {
  const intent = String(formData.get("intent") ?? "");
  const back = () => redirect(`/diskussionen/${threadId}`);
  let values: Record<string, string> = {};
  try {
    switch (intent) {
      case "postAction":
        return await postAction(actor, threadId, String(formData.get("aktion") ?? ""));
      case "reply": {
        const parentId = uuid(formData.get("parentId")) || null;
        values = { ...keptValues(formData), parentId: parentId ?? "" };
        // The text, and the picture of the plain form (without JavaScript) appended to it.
        const body = await bodyWithPictureFromForm(actor, formData, "body");
        if (!body.ok)
          return Response.json({ intent, errors: body.errors, values, picture: body.picture }, { status: body.status });
        try {
          const reply = await createReply(actor, {
            threadId,
            parentId,
            body: body.body,
            anonymous: formData.get("anonymous") === "on",
            draft: draftStampFromForm(formData),
          });
          return redirect(`/diskussionen/${threadId}#beitrag-${reply.id}`);
        } catch (error) {
          return Response.json({ intent, errors: inputErrors(error), values, picture: body.picture }, { status: 400 });
        }
      }
      case "vote":
      case "withdrawVote":
      case "closePoll":
      case "addPoll":
        return await handlePollAction(actor, threadId, intent, formData);
      case "watch":
        await setThreadWatch(actor, threadId, formData.get("on") === "1");
        return { intent, ok: true };
      case "bookmark":
        await setBookmark(actor, "thread", threadId, formData.get("on") === "1");
        return { intent, ok: true };
      case "lock":
      case "pin":
        await moderateThread(actor, threadId, { action: intent, value: formData.get("on") === "1" });
        return back();
      case "move":
        await moderateThread(actor, threadId, {
          action: "move",
          categorySlug: String(formData.get("categorySlug") ?? ""),
        });
        return back();
      case "retitle": {
        const title = titleSchema.safeParse(formData.get("title"));
        if (!title.success)
          return Response.json({ intent, errors: { title: title.error.issues[0].message } }, { status: 400 });
        await moderateThread(actor, threadId, { action: "retitle", title: title.data });
        return back();
      }
      default:
        return Response.json({ errors: { form: "Unbekannte Aktion." } }, { status: 400 });
    }
  } catch (error) {
    return Response.json({ intent, errors: inputErrors(error), values }, { status: 400 });
  }
}
