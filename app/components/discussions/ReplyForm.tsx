import { Form, useNavigation } from "@remix-run/react";
import { RichTextField } from "../editor/RichTextField.tsx";
import type { RichDoc } from "../../domain/richtext/types.ts";
import { useDraftSaver } from "./useDraftSaver.ts";
import { markOwnReply } from "./useThreadLive.ts";

/** Reply to the thread (parentId null) or to a post. Without JavaScript it is a plain form with a textarea. */
export function ReplyForm({
  threadId,
  parentId,
  initialDoc,
  initialText,
  error,
  autoFocus,
}: {
  threadId: string;
  parentId: string | null;
  initialDoc?: RichDoc | null;
  initialText?: string;
  error?: string;
  autoFocus?: boolean;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "reply" && (navigation.formData?.get("parentId") || null) === parentId;
  const draftKey = `reply:${threadId}:${parentId ?? "thread"}`;
  const saveDraft = useDraftSaver(draftKey);
  const fieldName = parentId ? `body-${parentId}` : "body";
  return (
    <Form method="post" className="reply-form form" preventScrollReset onSubmit={markOwnReply}>
      <input type="hidden" name="intent" value="reply" />
      <input type="hidden" name="parentId" value={parentId ?? ""} />
      <RichTextField
        key={draftKey}
        name="body"
        id={fieldName}
        label="Deine Antwort"
        initialDoc={initialDoc ?? null}
        initialText={initialText}
        error={error}
        mentionSource="/api/v1/members"
        onDraft={(doc) => saveDraft({ doc })}
        autoFocus={autoFocus}
        rows={5}
      />
      <div className="checkbox">
        <input type="checkbox" id={`${fieldName}-anonym`} name="anonymous" />
        <label htmlFor={`${fieldName}-anonym`}>Anonym antworten</label>
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Wird gesendet …" : "Antwort senden"}
        </button>
      </div>
    </Form>
  );
}
